"""Alert date arithmetic: leap years, month ends, windows at their edges, working days on the Chinese
calendar (the 2026 National Day holiday runs 1–7 October; Saturday 10 October is a make-up working day)."""

import datetime as dt

import pytest

from kuangzheng.supervision.core import alerts, dates

D = dt.date


@pytest.mark.parametrize(
    "day, months, want",
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 8, 31), 1, D(2026, 9, 30)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, want):
    assert dates.add_months(day, months) == want


def test_leap_day_anniversary():
    assert dates.add_years(D(2024, 2, 29), 5) == D(2029, 2, 28)
    assert dates.add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)


def test_windows_at_their_edges():
    today = D(2026, 12, 1)
    assert dates.window(today, today + dt.timedelta(days=91), (90, 30)) is None
    assert dates.window(today, today + dt.timedelta(days=90), (90, 30)) == 90
    assert dates.window(today, today + dt.timedelta(days=31), (90, 30)) == 90
    assert dates.window(today, today + dt.timedelta(days=30), (90, 30)) == 30
    assert dates.window(today, today, (90, 30)) == 30
    assert dates.window(today, today - dt.timedelta(days=1), (90, 30)) is None


def test_working_days_skip_national_day():
    assert dates.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert dates.add_working_days(D(2026, 9, 28), 3) == D(2026, 10, 8)
    assert dates.working_days_left(D(2026, 9, 30), D(2026, 10, 9)) == 2
    assert dates.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)  # the make-up Saturday
    assert dates.add_working_days(D(2026, 9, 30), 0) == D(2026, 9, 30)


def test_working_days_over_a_weekend():
    assert dates.add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)  # Friday → Monday


ROW = {"id": 7, "licence_no": "T15020020200700001", "division_id": "150200", "holder_id": 3}


def test_expiry_alert_90_then_30_with_different_keys():
    row = dict(ROW, valid_to=D(2027, 2, 28))
    a90 = alerts.right_expiry(row, D(2026, 11, 30))  # 90 days before
    a30 = alerts.right_expiry(row, D(2027, 1, 29))  # 30 days before
    assert a90.key.endswith(":90") and a30.key.endswith(":30")
    assert alerts.right_expiry(row, D(2026, 11, 29)) is None  # 91 days before
    assert alerts.right_expiry(row, D(2027, 3, 1)) is None  # already past: not a renewal reminder any more


def test_contract_five_years_from_a_leap_day():
    row = dict(ROW, valid_from=D(2024, 2, 29))
    a = alerts.contract_term(row, D(2029, 1, 1))
    assert a.due == D(2029, 2, 28)
    assert alerts.contract_term(row, D(2028, 11, 29)) is None
    assert alerts.contract_term(row, D(2029, 3, 30)).due == D(2029, 2, 28)  # reached: stays up 30 days
    assert alerts.contract_term(row, D(2029, 3, 31)) is None


def test_order_deadline_due_then_overdue():
    row = {"id": 1, "case_id": 2, "deadline": D(2026, 12, 31), "division": "150200", "enterprise_id": 3}
    assert alerts.order_deadline(row, D(2026, 12, 23)) is None
    assert alerts.order_deadline(row, D(2026, 12, 24)).kind == "order_deadline"
    assert alerts.order_deadline(row, D(2027, 1, 1)).kind == "order_overdue"
