"""Plan targets: every numeric target of the policy catalogue, with its baseline, the compound
growth it needs, the actuals the platform holds, a projection with an interval and a status
(rules in kuangzheng.monitoring.core.targets; "no_data" when no indicator supplies actuals).

Actuals come from accepted reports (``target_actuals`` in monitoring.yaml) or public statistics;
figures registered from outside (outside.py: restoration's areas, green mines) are listed beside
them in ``row["outside"]``, and the first of them supplies the status of a target no report measures.

Baseline: the catalogue's own value where a growth entry links one (``growth.from``) or a
``baseline`` entry gives the same subject in the base year; otherwise the actual of the base
year from accepted reports; otherwise none (then no required growth can be stated).
"""

from __future__ import annotations

import numpy as np

from kuangzheng.monitoring.core import owid
from kuangzheng.monitoring.core.targets import PlanTarget, cagr, check_stated_growth, evaluate_target
from kuangzheng.monitoring.core.units import factor
from kuangzheng.policy.catalogue import load_catalogue

from . import disclosure, measures, outside
from .config import PROVINCE_PREFIX, config

KINDS = ("target", "ratio_target")
STATUS_ZH = {
    "withheld": "不予公开",
    "achieved": "已实现",
    "on_track": "进展顺利",
    "at_risk": "存在风险",
    "off_track": "偏离目标",
    "insufficient_data": "数据不足",
    "no_data": "无数据来源",
    "met": "达标",
    "not_met": "未达标",
}


def numeric_targets() -> list:
    return [
        e
        for e in load_catalogue().entries
        if e.kind in KINDS
        and isinstance(e.value, (int, float))
        and not isinstance(e.value, bool)
        and e.comparison in (">=", "<=", ">", "<", "=", "~")
        and e.unit not in ("%/a",)
    ]


def _baseline(e, entries: dict):
    """(year, value, source) from the catalogue, or None."""
    for g in entries.values():
        if g.growth and g.growth.to_id == e.id and g.growth.from_id in entries:
            b = entries[g.growth.from_id]
            if b.unit == e.unit:
                return b.year, float(b.value), b.id
    if e.base_year:
        for b in entries.values():
            if (
                b.kind == "baseline"
                and b.applies_to == e.applies_to
                and b.year == e.base_year
                and b.id.split(".")[-1].startswith(e.id.split(".")[-1])
                and b.unit == e.unit
                and isinstance(b.value, (int, float))
            ):
                return b.year, float(b.value), b.id
    return None


class Tables:
    """Indicator tables of accepted reports, computed once per level for one evaluation."""

    def __init__(self):
        self._by_level: dict[str, dict] = {}

    def get(self, level: str, indicator: str):
        if level not in self._by_level:
            tables = measures.monthly_tables(level, annual=True) + measures.annual_tables(level)
            self._by_level[level] = {t.indicator: t for t in tables}
        return self._by_level[level].get(indicator)


def actual_series(spec: dict, upto: int, tables: Tables | None = None) -> dict:
    """Annual actuals for a target, in the target's unit: {years, actuals, enterprises, source}.

    ``enterprises`` is, per year, the fewest distinct enterprises behind the cells combined (None
    for public statistics), for the disclosure rule.
    """
    if spec.get("source") == "owid":
        return _owid_series(spec, upto)
    t = (tables or Tables()).get(spec.get("level", "province"), spec["indicator"])
    empty = {"years": [], "actuals": [], "enterprises": [], "cells": [], "source": "reports"}
    if t is None:
        return empty
    keys = t.keys
    period = np.asarray(keys["period"] if "period" in keys else keys["year"]).astype(str)
    metals = spec.get("metal")
    mask = np.asarray(keys["division"]).astype(str) == spec["division"]
    if metals:
        mask &= np.isin(np.asarray(keys["metal"]).astype(str), [metals] if isinstance(metals, str) else metals)
    mask &= np.char.str_len(period) == 4
    years = period[mask].astype(int)
    num, den, val = t.numerator[mask], t.denominator[mask], t.value[mask]
    ratio = t.unit == "1" and spec.get("column") != "denominator"
    if spec.get("column") == "denominator":
        val = den.astype(float)
    ent = t.extra.get("enterprises", np.zeros(len(t.value), np.int64))[mask]
    metal_of = np.asarray(keys["metal"]).astype(str)[mask] if "metal" in keys else np.full(len(years), "")
    level = spec.get("level", "province")
    out_y, out_v, out_e, cells = [], [], [], []
    for y in sorted(set(years.tolist())):
        if y > upto:
            continue
        at = years == y
        v = (
            float(num[at].sum() / den[at].sum())
            if ratio and den[at].sum()
            else (float(val[at].sum()) if not ratio else np.nan)
        )
        if np.isfinite(v):
            out_y.append(y), out_v.append(v * float(spec.get("scale", 1))), out_e.append(int(ent[at].min()))
            row = {"indicator": t.indicator, "division": spec["division"], "period": str(y)}
            cells += [disclosure.cell_of({**row, "metal": m}, level) for m in sorted(set(metal_of[at].tolist()))]
    out_y, out_v, out_e = _transform(spec, out_y, out_v, out_e)
    return {"years": out_y, "actuals": out_v, "enterprises": out_e, "cells": cells, "source": "reports"}


def _transform(spec: dict, years, values, ents):
    """Cumulative totals from a year on (十三五 areas), or the % reduction from a base year."""
    if "cumulative_from" in spec:
        keep = [i for i, y in enumerate(years) if y >= spec["cumulative_from"]]
        values = np.cumsum([values[i] for i in keep]).tolist()
        years, ents = [years[i] for i in keep], np.minimum.accumulate([ents[i] for i in keep]).tolist()
    if "reduction_from" in spec:
        if spec["reduction_from"] not in years:
            return [], [], []
        i0 = years.index(spec["reduction_from"])
        keep = range(i0 + 1, len(years))
        years, values, ents = (
            [years[i] for i in keep],
            [100.0 * (1 - values[i] / values[i0]) for i in keep],
            [min(ents[i], ents[i0]) for i in keep],
        )
    return years, values, ents


def _owid_series(spec: dict, upto: int) -> dict:
    """A real national series from the shipped OWID copy (public statistics: nothing withheld)."""
    years, values = owid.china_production()[spec["series"]]
    keep = (years <= upto) & (years >= spec.get("from_year", 0))
    return {
        "years": [int(y) for y in years[keep]],
        "actuals": [float(v) * float(spec.get("scale", 1)) for v in values[keep]],
        "enterprises": [None] * int(keep.sum()),
        "cells": [],
        "source": "owid",
    }


def evaluate_all(year: int, actor=None) -> list[dict]:
    """Every numeric catalogue target evaluated with actuals up to ``year``, as ``actor`` may see
    them: a target whose actuals include a cell the disclosure rule withholds from the actor (too
    few enterprises, or a complement of such a cell) is shown without actuals, projection or
    status (see disclosure.py)."""
    entries = load_catalogue().by_id
    cfg = config()
    spec_of, reasons = cfg["target_actuals"], cfg.get("no_actuals", {})
    tables, memo = Tables(), outside.Memo()
    hidden = None
    out = []
    for e in numeric_targets():
        row = {
            "id": e.id,
            "doc": e.doc,
            "jurisdiction": e.jurisdiction,
            "description_zh": e.description_zh,
            "description_en": e.description_en,
            "comparison": e.comparison,
            "target_value": float(e.value),
            "unit": e.unit,
            "target_year": e.year,
            "base_year": e.base_year,
            "quote": e.quote,
            "baseline_year": None,
            "baseline_value": None,
            "baseline_source": None,
            "required_growth": None,
            "years": [],
            "actuals": [],
            "status": "no_data",
            "projection": None,
            "lower": None,
            "upper": None,
            "actual_growth": None,
            "needed_growth": None,
            "withheld": False,
            "actual_source": None,
            "no_data_reason": _reason(e.id, reasons),
        }
        base = _baseline(e, entries)
        spec = spec_of.get(e.id)
        division = (spec or {}).get("division") or _division(e.jurisdiction)
        row["outside"] = _outside(e, division, year, actor, memo)
        if not spec and row["outside"] and not row["outside"][0]["withheld"]:
            spec, first = {"division": division, "model": "linear"}, row["outside"][0]
            row.update(years=first["years"], actuals=first["actuals"], no_data_reason=None)
            row["actual_source"] = f"{first['label_zh']}（{first['source_zh']}）"
            if first["flow"] and e.base_year:
                # a period's amount starts from nothing (a catalogue baseline of the same subject is
                # the previous period's total, e.g. 003.round2.legacy_restoration_area)
                base = (e.base_year, 0.0, f"累计自 {e.base_year + 1} 年 cumulative")
        elif not spec and row["outside"]:
            row.update(withheld=True, status="withheld", no_data_reason=None)
            row.update(note_zh=disclosure.NOTE_ZH, note_en=disclosure.NOTE_EN)
        if spec_of.get(e.id):
            series = actual_series(spec, year, tables)
            row["years"], row["actuals"] = series["years"], series["actuals"]
            row["actual_source"] = spec.get("label") or series["source"]
            if series["cells"] and hidden is None:
                hidden = disclosure.Published.current().hidden(actor)
            if any(c in hidden for c in series["cells"]):
                row.update(
                    years=[],
                    actuals=[],
                    withheld=True,
                    status="withheld",
                    note_zh=disclosure.NOTE_ZH,
                    note_en=disclosure.NOTE_EN,
                )
            elif "cumulative_from" in spec:  # nothing done before the period starts
                base = base or (spec["cumulative_from"] - 1, 0.0, f"累计自 {spec['cumulative_from']} 年 cumulative")
            elif "reduction_from" in spec:  # no reduction in the base year itself
                base = base or (spec["reduction_from"], 0.0, f"较 {spec['reduction_from']} 年 reduction from")
        if base is None and e.base_year and e.base_year in row["years"]:
            base = (e.base_year, row["actuals"][row["years"].index(e.base_year)], row["actual_source"])
        if base is None and row["years"] and e.year and e.comparison in (">=", "<=", ">", "<"):
            base = (row["years"][0], row["actuals"][0], f"{row['actual_source']} (first year)")
        if base:
            row["baseline_year"], row["baseline_value"], row["baseline_source"] = base
            if e.year and e.year > base[0] and base[1] > 0 and e.value > 0:
                row["required_growth"] = cagr(base[1], float(e.value), e.year - base[0])
        if spec and row["years"]:
            row.update(_status(e, row, spec))
        out.append(row)
    return out


def _division(jurisdiction: str) -> str:
    """The province division a jurisdiction's targets are measured in ("000000": national)."""
    prefix = PROVINCE_PREFIX.get(jurisdiction, "")
    return prefix + "0000" if prefix else outside.NATIONAL


def _outside(e, division: str, year: int, actor, memo: outside.Memo) -> list[dict]:
    """Registered outside figures measuring ``e`` (see outside.py), as ``actor`` may see them."""
    out = []
    for s in outside.target_series(e, division, year, memo):
        if outside.withheld(actor, division, s):
            s = {**s, "years": [], "actuals": [], "withheld": True}
        else:
            s = {**s, "withheld": False}
        out.append(s)
    return out


def _reason(target_id: str, reasons: dict) -> str | None:
    """Why a target has no actuals: the longest matching id prefix in monitoring.yaml's no_actuals."""
    hits = [k for k in reasons if target_id.startswith(k)]
    return reasons[max(hits, key=len)] if hits else None


def _status(e, row, spec) -> dict:
    cmp = ">=" if e.comparison in (">=", ">", "=", "~") else "<="
    if not e.year or row["baseline_year"] is None or e.year <= row["baseline_year"]:
        # a standing target (no year): the latest actual meets it or not
        latest = row["actuals"][-1]
        ok = latest >= e.value if cmp == ">=" else latest <= e.value
        return {"status": "met" if ok else "not_met"}
    target = PlanTarget(e.id, row["baseline_year"], row["baseline_value"], e.year, float(e.value), e.unit, cmp, e.id)
    ev = evaluate_target(target, row["years"], row["actuals"], model=spec.get("model", "loglinear"))
    return {
        "status": ev.status,
        "projection": ev.projection,
        "lower": ev.lower,
        "upper": ev.upper,
        "actual_growth": ev.actual_growth,
        "needed_growth": ev.needed_growth,
    }


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
        out.append(
            {
                "id": g.id,
                "from": a.id,
                "to": b.id,
                "v0": v0,
                "v1": v1,
                "years": b.year - a.year,
                "stated_pct": c.stated_pct,
                "computed_pct": round(c.computed_pct, 2),
                "consistent": c.consistent,
                "description_zh": g.description_zh,
            }
        )
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
