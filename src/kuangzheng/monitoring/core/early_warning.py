"""Early-warning evaluation: warning rules (data from the catalogue) × indicator values → warnings.

A rule states when an indicator is in breach: ``value <comparison> threshold``, e.g.
capacity utilisation of electrolytic aluminium "<" 80 "%". The evaluator converts the
threshold into the indicator's unit, restricts the rule to its metal, jurisdiction (a prefix of
the 6-digit division code: "" national, "63" Qinghai) and effective years, and returns one
warning per breaching row. Undefined values (NaN) never breach. Several rules may watch the
same indicator with different thresholds and severities; each one that is breached reports.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import MonitorInputError
from .indicators import IndicatorTable
from .units import factor

OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


@dataclass(frozen=True)
class WarningRule:
    id: str
    indicator: str  # indicator id, e.g. "capacity_utilisation"
    comparison: str  # breach when value <comparison> threshold
    threshold: float
    unit: str  # unit of ``threshold`` (policy/units.yaml code)
    severity: str  # as the catalogue names it, e.g. "warning", "severe"
    citation_id: str
    metal: str | None = None  # None: every metal
    jurisdiction: str = ""  # division-code prefix; "" = national
    effective_from: int | None = None  # first year the rule applies
    effective_until: int | None = None  # last year it applies
    message_zh: str = ""
    message_en: str = ""

    def __post_init__(self):
        if self.comparison not in OPS:
            raise MonitorInputError(
                f"rule {self.id}: comparison", f"须为 {tuple(OPS)} 之一", f"must be one of {tuple(OPS)}"
            )


@dataclass(frozen=True)
class EarlyWarning:
    rule_id: str
    citation_id: str
    severity: str
    indicator: str
    division: str
    metal: str
    period: str
    value: float
    threshold: float  # in ``unit``, the indicator's unit
    unit: str
    comparison: str
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class IndicatorValues:
    """Indicator values in columns: one row per (indicator, division, metal, period)."""

    indicator: np.ndarray
    unit: np.ndarray
    division: np.ndarray
    metal: np.ndarray
    period: np.ndarray
    value: np.ndarray

    @property
    def year(self) -> np.ndarray:
        """The year of each period ("2024", "2024-03" and 2024 all give 2024)."""
        text = self.period.astype(str)
        try:
            return text.astype("U4").astype(int)
        except ValueError as exc:
            raise MonitorInputError(
                "period", "期间须以四位年份开头", "a period must begin with a 4-digit year"
            ) from exc


def stack(tables: Iterable[IndicatorTable]) -> IndicatorValues:
    """Put indicator tables into one set of columns.

    A table's ``period`` key (or, failing that, its ``year`` key) is the period; a missing
    division or metal key becomes "".
    """
    cols: dict[str, list] = {k: [] for k in ("indicator", "unit", "division", "metal", "period", "value")}
    for t in tables:
        n = len(t)
        keys = dict(t.keys)
        if "period" not in keys and "year" in keys:
            keys["period"] = keys["year"]
        if "period" not in keys:
            raise MonitorInputError(f"{t.indicator}.keys", "须含 period 或 year 列", "must have a period or year key")
        cols["indicator"].append(np.full(n, t.indicator, dtype=object))
        cols["unit"].append(np.full(n, t.unit, dtype=object))
        for k in ("division", "metal", "period"):
            cols[k].append(keys[k].astype(str).astype(object) if k in keys else np.full(n, "", object))
        cols["value"].append(np.asarray(t.value, float))
    return IndicatorValues(
        **{k: (np.concatenate(v) if v else np.zeros(0, object if k != "value" else float)) for k, v in cols.items()}
    )


def evaluate(rules: Sequence[WarningRule], values: IndicatorValues) -> list[EarlyWarning]:
    """All warnings the rules raise over the values, in rule order then row order."""
    out: list[EarlyWarning] = []
    year = values.year if len(values.value) else np.zeros(0, int)
    division = values.division.astype(str)
    for rule in rules:
        mask = (values.indicator == rule.indicator) & ~np.isnan(values.value)
        if rule.metal is not None:
            mask &= values.metal == rule.metal
        if rule.jurisdiction:
            mask &= np.char.startswith(division, rule.jurisdiction)
        if rule.effective_from is not None:
            mask &= year >= rule.effective_from
        if rule.effective_until is not None:
            mask &= year <= rule.effective_until
        if not mask.any():
            continue
        units = set(values.unit[mask])
        if len(units) != 1:
            raise MonitorInputError(
                f"{rule.indicator}.unit",
                f"同一指标有多个单位 {sorted(units)}",
                f"one indicator has several units {sorted(units)}",
            )
        unit = units.pop()
        threshold = rule.threshold * factor(rule.unit, unit, field=f"rule {rule.id}: unit")
        hit = np.flatnonzero(mask & OPS[rule.comparison](values.value, threshold))
        out.extend(
            EarlyWarning(
                rule.id,
                rule.citation_id,
                rule.severity,
                rule.indicator,
                str(values.division[i]),
                str(values.metal[i]),
                str(values.period[i]),
                float(values.value[i]),
                threshold,
                unit,
                rule.comparison,
                rule.message_zh,
                rule.message_en,
            )
            for i in hit
        )
    return out
