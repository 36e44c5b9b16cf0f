"""M19 zombie exploration rights: 「既不申请延续、也不申请注销」 and rights held without the legal minimum
exploration investment. Pure: rows in, evidence out; each reason carries the facts it rests on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

STILL_HELD = {"valid", "suspended", "expired"}  # neither renewed in time nor cancelled/exited


def full_years(valid_from: dt.date, until: dt.date) -> list[int]:
    """Calendar years lying wholly inside [valid_from, until)."""
    first = valid_from.year if (valid_from.month, valid_from.day) == (1, 1) else valid_from.year + 1
    return [y for y in range(first, until.year + 1) if dt.date(y, 12, 31) < until]


@dataclass(frozen=True)
class MinimumInvestment:
    """The minimum exploration investment: yuan per km² for the 1st, 2nd, … exploration year, the last
    figure holding for every later year; with `carry_over`, what a year invests above its minimum
    counts toward the next year's (「高于的部分可以计入下一个勘查年度的勘查投入」)."""

    per_km2_by_year: tuple[float, ...]
    carry_over: bool = False

    def per_km2(self, exploration_year: int) -> float:
        return self.per_km2_by_year[min(exploration_year, len(self.per_km2_by_year)) - 1]


def evidence(row: dict, today: dt.date, invested: dict[int, float], minimum: MinimumInvestment | None) -> list[dict]:
    """Why this exploration right is a zombie; empty when it is not.

    `invested` is the reported exploration investment by calendar year (yuan); `minimum` the rule,
    None when the operator has not configured it (that test is then off). Reports are filed by
    calendar year, so the k-th exploration year is read as the k-th whole calendar year inside the
    validity (the first part-year is not assessed)."""
    if row["kind"] != "exploration" or row["status"] not in STILL_HELD:
        return []
    found = []
    if row["valid_to"] < today:
        found.append(
            {
                "reason": "expired_unrenewed",
                "valid_to": row["valid_to"].isoformat(),
                "days_past": (today - row["valid_to"]).days,
                "status": row["status"],
            }
        )
    area = row.get("area_km2")
    if minimum is not None and area:
        carried = 0.0
        for k, year in enumerate(full_years(row["valid_from"], min(row["valid_to"], today)), start=1):
            required = round(minimum.per_km2(k) * float(area), 2)
            got = float(invested.get(year, 0))
            if got + carried < required:
                found.append(
                    {
                        "reason": "investment_below_minimum",
                        "year": year,
                        "exploration_year": k,
                        "reported_yuan": got,
                        "carried_in_yuan": round(carried, 2),
                        "required_yuan": required,
                    }
                )
            carried = max(got + carried - required, 0.0) if minimum.carry_over else 0.0
    return found
