"""M19: the zombie exploration rights of a day, each with its evidence (core/zombies.py decides)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings

from kuangzheng.registry import services as registry

from .core import zombies as core
from .models import InvestmentReport

FIELDS = ("id", "licence_no", "kind", "status", "valid_from", "valid_to", "area_km2", "division_id", "holder_id")


STATUTE_FILE = Path(__file__).with_name("minimum_investment.yaml")


@cache
def statute() -> dict:
    """国务院令第240号 第十七条's schedule, with its source and quote (minimum_investment.yaml)."""
    return yaml.safe_load(STATUTE_FILE.read_text(encoding="utf-8"))


def minimum_investment() -> core.MinimumInvestment | None:
    """The rule the investment test applies, or None (the test off). No seed gives the figures (M19
    names the duty 「最低勘查投入」 but no amount). KZ_MIN_EXPLORATION_INVESTMENT is unset by default;
    ``"statute"`` applies the regulation's schedule with its carry-over; a number, a flat minimum in
    yuan per km² and year (a province's own rule)."""
    configured = getattr(settings, "KZ_MIN_EXPLORATION_INVESTMENT", None)
    if configured is None:
        return None
    if configured == "statute":
        rule = statute()
        return core.MinimumInvestment(tuple(map(float, rule["per_km2_by_exploration_year"])), bool(rule["carry_over"]))
    return core.MinimumInvestment((float(configured),))


def detect(today: dt.date, prefix: str = "") -> list[dict]:
    rows = registry.records("right").filter(kind="exploration", status__in=core.STILL_HELD)
    if prefix:
        rows = rows.filter(division__code__startswith=prefix)
    minimum = minimum_investment()
    if minimum is None:  # without the investment test only rights past their validity can be zombies
        rows = rows.filter(valid_to__lt=today)
    rows = list(rows.values(*FIELDS))
    invested: dict[int, dict[int, float]] = defaultdict(dict)
    if minimum is not None:
        for rid, year, amount in InvestmentReport.objects.values_list("right_id", "year", "amount_yuan"):
            invested[rid][year] = float(amount)
    out = []
    for row in rows:
        ev = core.evidence(row, today, invested.get(row["id"], {}), minimum)
        if ev:
            out.append(
                {"right": row["id"], "licence_no": row["licence_no"], "division": row["division_id"], "evidence": ev}
            )
    return out
