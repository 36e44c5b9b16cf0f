"""Plan targets: every numeric target of the policy catalogue, with its baseline, the compound
growth it needs, the actuals the platform holds, a projection with an interval and a status
(rules in kuangzheng.monitor.targets; "no_data" when no indicator supplies actuals).

Baseline: the catalogue's own value where a growth entry links one (``growth.from``) or a
``baseline`` entry gives the same subject in the base year; otherwise the actual of the base
year from accepted reports; otherwise none (then no required growth can be stated).
"""

from __future__ import annotations

import numpy as np

from kuangzheng.monitor.targets import PlanTarget, cagr, check_stated_growth, evaluate_target
from kuangzheng.monitor.units import factor
from kuangzheng.policy.catalogue import load_catalogue

from . import measures
from .config import config

KINDS = ("target", "ratio_target")
STATUS_ZH = {"achieved": "已实现", "on_track": "进展顺利", "at_risk": "存在风险", "off_track": "偏离目标",
             "insufficient_data": "数据不足", "no_data": "无数据来源", "met": "达标", "not_met": "未达标"}


def numeric_targets() -> list:
    return [e for e in load_catalogue().entries
            if e.kind in KINDS and isinstance(e.value, (int, float)) and not isinstance(e.value, bool)
            and e.comparison in (">=", "<=", ">", "<", "=", "~") and e.unit not in ("%/a",)]


def _baseline(e, entries: dict):
    """(year, value, source) from the catalogue, or None."""
    for g in entries.values():
        if g.growth and g.growth.to_id == e.id and g.growth.from_id in entries:
            b = entries[g.growth.from_id]
            if b.unit == e.unit:
                return b.year, float(b.value), b.id
    if e.base_year:
        for b in entries.values():
            if b.kind == "baseline" and b.applies_to == e.applies_to and b.year == e.base_year \
                    and b.id.split(".")[-1].startswith(e.id.split(".")[-1]) \
                    and b.unit == e.unit and isinstance(b.value, (int, float)):
                return b.year, float(b.value), b.id
    return None


def actual_series(spec: dict, upto: int) -> tuple[list[int], list[float]]:
    """Annual actuals for a target from accepted reports, in the target's unit."""
    level = "province"
    tables = {t.indicator: t for t in measures.monthly_tables(level, annual=True) + measures.annual_tables(level)}
    t = tables.get(spec["indicator"])
    if t is None:
        return [], []
    keys = t.keys
    period = keys["period"] if "period" in keys else keys["year"]
    mask = keys["division"].astype(str) == spec["division"]
    if spec.get("metal"):
        mask &= keys["metal"].astype(str) == spec["metal"]
    years = period[mask].astype(int)
    vals = t.value[mask] * float(spec.get("scale", 1))
    keep = (years <= upto) & np.isfinite(vals)
    order = np.argsort(years[keep])
    return [int(y) for y in years[keep][order]], [float(v) for v in vals[keep][order]]


def evaluate_all(year: int) -> list[dict]:
    """Every numeric catalogue target evaluated with actuals up to ``year``."""
    entries = load_catalogue().by_id
    spec_of = config()["target_actuals"]
    out = []
    for e in numeric_targets():
        row = {"id": e.id, "doc": e.doc, "jurisdiction": e.jurisdiction, "description_zh": e.description_zh,
               "description_en": e.description_en, "comparison": e.comparison, "target_value": float(e.value),
               "unit": e.unit, "target_year": e.year, "base_year": e.base_year, "quote": e.quote,
               "baseline_year": None, "baseline_value": None, "baseline_source": None, "required_growth": None,
               "years": [], "actuals": [], "status": "no_data", "projection": None, "lower": None, "upper": None,
               "actual_growth": None, "needed_growth": None}
        base = _baseline(e, entries)
        spec = spec_of.get(e.id)
        if spec:
            row["years"], row["actuals"] = actual_series(spec, year)
        if base is None and e.base_year and e.base_year in row["years"]:
            base = (e.base_year, row["actuals"][row["years"].index(e.base_year)], "reports")
        if base is None and row["years"] and e.year and e.comparison in (">=", "<=", ">", "<"):
            base = (row["years"][0], row["actuals"][0], "reports (first year reported)")
        if base:
            row["baseline_year"], row["baseline_value"], row["baseline_source"] = base
            if e.year and e.year > base[0] and base[1] > 0 and e.value > 0:
                row["required_growth"] = cagr(base[1], float(e.value), e.year - base[0])
        if spec and row["years"]:
            row.update(_status(e, row, spec))
        out.append(row)
    return out


def _status(e, row, spec) -> dict:
    cmp = ">=" if e.comparison in (">=", ">", "=", "~") else "<="
    if not e.year or row["baseline_year"] is None or e.year <= row["baseline_year"]:
        # a standing target (no year): the latest actual meets it or not
        latest = row["actuals"][-1]
        ok = latest >= e.value if cmp == ">=" else latest <= e.value
        return {"status": "met" if ok else "not_met"}
    target = PlanTarget(e.id, row["baseline_year"], row["baseline_value"], e.year, float(e.value), e.unit, cmp, e.id)
    ev = evaluate_target(target, row["years"], row["actuals"], model=spec.get("model", "loglinear"))
    return {"status": ev.status, "projection": ev.projection, "lower": ev.lower, "upper": ev.upper,
            "actual_growth": ev.actual_growth, "needed_growth": ev.needed_growth}


def stated_growth_checks(doc_prefix: str = "004") -> list[dict]:
    """Stated growth rates against the two values they connect (e.g. seed 004's 专栏1 columns)."""
    cat = load_catalogue()
    entries = cat.by_id
    out = []
    for g in cat.entries:
        if not (g.id.startswith(doc_prefix) and g.growth and g.growth.from_id and g.growth.to_id):
            continue
        a, b = entries.get(g.growth.from_id), entries.get(g.growth.to_id)
        if a is None or b is None or not (a.year and b.year) or a.unit != b.unit:
            continue
        v0, v1 = _written(a), _written(b)
        c = check_stated_growth(v0, v1, b.year - a.year, _written(g))
        out.append({"id": g.id, "from": a.id, "to": b.id, "v0": v0, "v1": v1, "years": b.year - a.year,
                    "stated_pct": c.stated_pct, "computed_pct": round(c.computed_pct, 2), "consistent": c.consistent,
                    "description_zh": g.description_zh})
    return out


def _written(e) -> str:
    """The number as the seed writes it (decimals matter for rounding), from the entry's quote."""
    from decimal import Decimal

    v = Decimal(str(e.value))
    for token in (str(e.value), f"{e.value:g}" if isinstance(e.value, float) else str(e.value)):
        if token in e.quote:
            return token
    return str(v.normalize()) if v == v.to_integral() else str(v)


def unit_factor(a: str, b: str) -> float:
    return factor(a, b)
