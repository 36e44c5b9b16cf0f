"""M19 detection: expired without renewal or cancellation, and investment below a configured minimum."""

import datetime as dt

from kuangzheng.supervision.core import zombies

ROW = {
    "kind": "exploration",
    "status": "valid",
    "valid_from": dt.date(2021, 3, 1),
    "valid_to": dt.date(2026, 3, 1),
    "area_km2": 10.0,
}


def test_expired_unrenewed_is_a_zombie_with_its_facts():
    ev = zombies.evidence(ROW, dt.date(2026, 12, 1), {}, None)
    assert ev == [{"reason": "expired_unrenewed", "valid_to": "2026-03-01", "days_past": 275, "status": "valid"}]


def test_cancelled_or_mining_rights_are_not():
    assert zombies.evidence(dict(ROW, status="cancelled"), dt.date(2026, 12, 1), {}, None) == []
    assert zombies.evidence(dict(ROW, kind="mining"), dt.date(2026, 12, 1), {}, None) == []


def test_investment_test_is_off_without_a_configured_minimum():
    row = dict(ROW, valid_to=dt.date(2030, 3, 1))
    assert zombies.evidence(row, dt.date(2026, 12, 1), {}, None) == []


def test_investment_below_minimum_per_full_calendar_year():
    row = dict(ROW, valid_to=dt.date(2030, 3, 1))
    ev = zombies.evidence(row, dt.date(2024, 6, 1), {2022: 100_000, 2023: 99_999}, zombies.MinimumInvestment((10_000,)))
    assert [(e["year"], e["required_yuan"]) for e in ev] == [(2023, 100_000.0)]
    assert zombies.full_years(dt.date(2021, 1, 1), dt.date(2023, 1, 1)) == [2021, 2022]


# 国务院令第240号 第十七条: 2,000 / 5,000 / 10,000 yuan per km² in exploration years 1 / 2 / 3 on, and what
# a year invests above its minimum counts toward the next year's.
STATUTE = zombies.MinimumInvestment((2000.0, 5000.0, 10000.0), carry_over=True)


def test_the_statute_rises_by_exploration_year_and_holds_from_the_third():
    row = dict(ROW, valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2030, 1, 1))  # 10 km²
    ev = zombies.evidence(row, dt.date(2025, 6, 1), {}, STATUTE)
    assert [(e["year"], e["exploration_year"], e["required_yuan"]) for e in ev] == [
        (2020, 1, 20_000.0),
        (2021, 2, 50_000.0),
        (2022, 3, 100_000.0),
        (2023, 4, 100_000.0),
        (2024, 5, 100_000.0),
    ]


def test_a_surplus_counts_toward_the_next_year_only_with_carry_over():
    row = dict(ROW, valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2030, 1, 1))
    invested = {2020: 60_000, 2021: 10_000, 2022: 100_000}  # 40,000 over year 1 covers year 2's shortfall
    assert zombies.evidence(row, dt.date(2023, 1, 1), invested, STATUTE) == []
    flat = zombies.MinimumInvestment(STATUTE.per_km2_by_year)  # the same figures without carry-over
    assert [e["year"] for e in zombies.evidence(row, dt.date(2023, 1, 1), invested, flat)] == [2021]
    short = {2020: 30_000, 2021: 30_000, 2022: 100_000}  # 10,000 carried cannot fill year 2's 20,000 gap
    (ev,) = zombies.evidence(row, dt.date(2023, 1, 1), short, STATUTE)
    assert (ev["year"], ev["carried_in_yuan"], ev["reported_yuan"]) == (2021, 10_000.0, 30_000.0)
