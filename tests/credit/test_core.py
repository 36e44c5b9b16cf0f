"""The lists' data and the date arithmetic of their terms, without Django. Expected dates are
worked out by hand from the Civil Code's counting (the day of entry does not count; the
corresponding day, or the month's last day where there is none) and from the 2024–2026 calendars."""

import datetime as dt

import pytest

from kuangzheng.credit.core import rules

D = dt.date


def test_lists_data_is_complete_and_sourced():
    assert rules.problems_in_data() == []
    assert set(rules.lists()) == {
        "abnormal",
        "serious_dishonesty",
        "exploration_blacklist",
        "geodata_blacklist",
        "three_rate_negative",
    }


def test_seed_quotes_in_the_lists_are_verbatim():
    """Every 「…」 quote attributed to seed 000 or 003 appears in that seed (whitespace removed)."""
    import re
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[2] / "src/kuangzheng/policy/seeds"
    texts = {}
    for f in sorted(seeds.glob("*.txt")):
        texts[f.name[:3]] = re.sub(r"\s+", "", f.read_text("utf-8"))
    found = 0
    raw = (rules.HERE / "lists.yaml").read_text("utf-8")
    for doc, quote in re.findall(r"seed (\d{3}) \(M\d+\) 「([^」]+)」", raw):
        q = re.sub(r"\s+", "", quote)
        assert q in texts[doc], f"{doc}: {quote}"
        found += 1
    assert found >= 6


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # leap day, one year: no 29 February, the month's last day
        (D(2024, 2, 29), 48, D(2028, 2, 29)),  # four years: the corresponding day exists
        (D(2025, 8, 31), 6, D(2026, 2, 28)),  # month end into a short month
        (D(2027, 8, 31), 6, D(2028, 2, 29)),  # …into a leap February
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),  # across a year end
        (D(2026, 5, 10), 0, D(2026, 5, 10)),
    ],
)
def test_add_months_clamps_to_the_month_end(start, months, expected):
    assert rules.add_months(start, months) == expected


def test_terms_of_each_list():
    assert rules.term_last_day("abnormal", D(2026, 3, 15)) == D(2029, 3, 15)
    assert rules.term_last_day("abnormal", D(2028, 2, 29)) == D(2031, 2, 28)
    assert rules.term_last_day("serious_dishonesty", D(2026, 3, 15)) == D(2031, 3, 15)
    assert rules.term_last_day("serious_dishonesty", D(2024, 2, 29)) == D(2029, 2, 28)
    for key in ("exploration_blacklist", "geodata_blacklist", "three_rate_negative"):
        assert rules.term_last_day(key, D(2026, 3, 15)) is None  # the seed gives no term
    assert rules.leaves_on(D(2029, 3, 15)) == D(2029, 3, 16)
    assert rules.leaves_on(D(2031, 2, 28)) == D(2031, 3, 1)
    assert rules.leaves_on(None) is None
    assert not rules.term_over(D(2029, 3, 15), D(2029, 3, 15))  # the last day still counts
    assert rules.term_over(D(2029, 3, 15), D(2029, 3, 16))
    assert not rules.term_over(None, D(2099, 1, 1))


def test_abnormal_list_warns_sixty_days_before_its_term_ends():
    last = D(2029, 3, 15)
    start = rules.warn_from("abnormal", last)
    assert (last - start).days + 1 == 60 and start == D(2029, 1, 15)
    assert rules.warn_from("serious_dishonesty", D(2031, 3, 15)) is None


@pytest.mark.parametrize(
    "info_year, due",
    [
        (2023, D(2024, 7, 1)),  # 30 June 2024 is a Sunday: the next working day
        (2024, D(2025, 6, 30)),  # a Monday
        (2019, D(2020, 6, 30)),  # a Tuesday
        (2021, D(2022, 6, 30)),  # a Thursday
        (2025, D(2026, 6, 30)),  # a Tuesday
    ],
)
def test_annual_filing_due_date_moves_off_rest_days(info_year, due):
    assert rules.filing_due(info_year) == due


def test_next_working_day_counts_make_up_saturdays_and_skips_holidays():
    assert rules.next_working_day(D(2024, 2, 4)) == D(2024, 2, 4)  # a make-up Sunday before Spring Festival
    assert rules.next_working_day(D(2024, 2, 10)) == D(2024, 2, 18)  # Spring Festival 10–17 Feb, make-up 18th
    assert rules.next_working_day(D(2024, 10, 1)) == D(2024, 10, 8)  # National Day week


def test_years_beyond_the_calendar_package_fall_back_to_weekends():
    assert rules.filing_due(2099) == D(2100, 6, 30)  # a Wednesday
    assert rules.filing_due(2102) == D(2103, 7, 2)  # 30 June 2103 is a Saturday


def test_reminder_period_before_the_due_date():
    assert rules.remind_from(2025) == D(2026, 6, 1)  # 30 days up to and including 30 June


def test_which_lists_bar_which_applications():
    assert rules.effect("serious_dishonesty", "new_mining") == "block"
    assert rules.effect("serious_dishonesty", "renewal") == "flag"
    assert rules.effect("serious_dishonesty", "cancellation") is None  # leaving is never barred
    assert rules.effect("abnormal", "new_mining") == "flag"
    assert rules.effect("exploration_blacklist", "new_exploration") == "block"
    assert rules.effect("geodata_blacklist", "exploration_to_mining") == "block"  # M17's gate
    assert rules.effect("three_rate_negative", "renewal") == "flag"
    assert rules.effect("three_rate_negative", "new_exploration") is None
