"""What an alert is, and the pure rules that raise them from plain rows. A source (supervision.alerts)
reads rows and calls these; the daily job stores what the sources yield."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import dates

EXPIRY_WINDOWS = (90, 30)  # the two warnings before a right's validity ends (renewal is due before it)
CONTRACT_YEARS = 5  # M03: 「5年内完成特定矿种的勘查工作」
CONTRACT_WINDOWS = (90, 30)


@dataclass(frozen=True)
class Alert:
    kind: str  # a key of supervision.alerts.KINDS
    key: str  # one alert per key: the daily job raises it once and resolves it when it no longer holds
    source: str  # "<app_label>.<Model>:<pk>" of what it is about
    division: str
    due: dt.date | None
    zh: str
    en: str
    enterprise: int | None = None


def right_expiry(row: dict, today: dt.date) -> Alert | None:
    """A valid right whose validity ends within 90 (then 30) days; the key carries the window, so the
    30-day alert is a new alert, not the 90-day one again."""
    w = dates.window(today, row["valid_to"], EXPIRY_WINDOWS)
    if w is None:
        return None
    left = (row["valid_to"] - today).days
    return Alert(
        "right_expiring",
        f"right_expiring:{row['id']}:{row['valid_to']}:{w}",
        f"registry.MineralRight:{row['id']}",
        row["division_id"],
        row["valid_to"],
        f"矿业权 {row['licence_no']} 将于 {row['valid_to']} 到期（剩 {left} 天），应在到期前申请延续",
        f"right {row['licence_no']} expires on {row['valid_to']} ({left} days left); renewal is due before expiry",
        row["holder_id"],
    )


def contract_term(row: dict, today: dt.date) -> Alert | None:
    """M03: an integrated-exploration contract reaches its five years (from the right's grant)."""
    end = dates.add_years(row["valid_from"], CONTRACT_YEARS)
    w = dates.window(today, end, CONTRACT_WINDOWS)
    if w is None and not (today >= end and (today - end).days <= 30):
        return None
    return Alert(
        "contract_five_years",
        f"contract_five_years:{row['id']}:{end}",
        f"registry.MineralRight:{row['id']}",
        row["division_id"],
        end,
        f"整装勘查 {row['licence_no']} 的五年合同期于 {end} 届满：无找矿成果的全面退出，有成果的转入下一阶段",
        f"integrated exploration {row['licence_no']}: its five-year contract ends on {end} "
        "(no result: full exit; result: next stage)",
        row["holder_id"],
    )


def order_deadline(row: dict, today: dt.date, warn_days: int = 7) -> Alert | None:
    """An open order's deadline within a week, or passed."""
    left = (row["deadline"] - today).days
    if left > warn_days:
        return None
    passed = left < 0
    return Alert(
        "order_overdue" if passed else "order_deadline",
        f"order:{row['id']}:{row['deadline']}:{'overdue' if passed else 'due'}",
        f"supervision.Case:{row['case_id']}",
        row["division"],
        row["deadline"],
        f"整改期限 {row['deadline']} " + ("已过，尚未答复" if passed else f"还剩 {left} 天"),
        f"rectification deadline {row['deadline']} " + ("passed without an answer" if passed else f"in {left} days"),
        row["enterprise_id"],
    )
