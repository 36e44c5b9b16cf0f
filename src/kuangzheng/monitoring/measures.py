"""Indicators from accepted reports: the database read once into columns, then the pure core.

Only ``accepted`` reports count. ``level`` chooses the division key: "province" (XX0000) or
"prefecture" (the facility's own division). Monthly reports give capacity utilisation and
unit energy per month (``period`` "YYYY-MM") or per year (``annual=True``); annual reports give
three-rate compliance, restoration balance per cycle and heavy-metal emissions against the
baseline and its path; the ledger gives capacity added without replacement.
"""

from __future__ import annotations

import numpy as np

from kuangzheng.monitor import indicators as ind
from kuangzheng.monitor.indicators import IndicatorTable
from kuangzheng.registry.models import Facility

from .config import params
from .models import LedgerMovement, RateStandard, Report

RATES = ("mining_recovery", "processing_recovery", "comprehensive_utilisation")
HEAVY = "heavy_metals_total"


def _division(code: str, level: str) -> str:
    return code[:2] + "0000" if level == "province" else code


def _rows(report_type: str, prefix: str = ""):
    qs = Report.objects.filter(report_type=report_type, status="accepted")
    if prefix:
        qs = qs.filter(division__code__startswith=prefix)
    return list(qs.values("facility_id", "enterprise_id", "division_id", "period", "metal", "values"))


def _col(rows, key, default=np.nan):
    return np.array([r["values"].get(key, default) if r["values"].get(key) is not None else default for r in rows],
                    float)


def monthly_tables(level: str = "province", annual: bool = False, prefix: str = "") -> list[IndicatorTable]:
    rows = _rows("monthly_production", prefix)
    if not rows:
        return []
    by = {"division": np.array([_division(r["division_id"], level) for r in rows]),
          "metal": np.array([r["metal"] for r in rows]),
          "period": np.array([r["period"][:4] if annual else r["period"] for r in rows])}
    output = _col(rows, "output", 0.0)
    capacity_month = _col(rows, "capacity", 0.0) / 12.0  # t/a pro-rated to one month
    out = [ind.capacity_utilisation(output, capacity_month, by),
           ind.unit_energy(_col(rows, "energy_tce", 0.0) * 1000.0, output, by, unit="kgce/t"),
           ind.unit_energy(_col(rows, "electricity", 0.0) * 1e4, output, by, unit="kWh/t",
                           indicator="unit_electricity"),
           ind.concentration(output, np.array([r["enterprise_id"] or -r["facility_id"] for r in rows]), by,
                             top_n=params()["top_n"])]
    if annual:
        out.append(_annual_capacity(rows, by))
    return out


def _annual_capacity(rows, by) -> IndicatorTable:
    """Rated capacity in a year: each facility's mean over its reported months, summed per group."""
    from kuangzheng.monitor.columns import group

    g = group(**by)
    fg = group(_g=g.ids, _f=np.array([r["facility_id"] for r in rows]))
    mean = fg.sum(_col(rows, "capacity", 0.0)) / fg.size()
    total = np.bincount(fg.keys["_g"], weights=mean, minlength=g.count)
    n_fac = np.bincount(fg.keys["_g"], minlength=g.count).astype(float)
    return IndicatorTable("capacity", "t/a", g.keys, total, total, n_fac)


def annual_tables(level: str = "province", prefix: str = "") -> list[IndicatorTable]:
    rows = _rows("annual_resources_environment", prefix)
    if not rows:
        return []
    p = params()
    division = np.array([_division(r["division_id"], level) for r in rows])
    year = np.array([int(r["period"]) for r in rows])
    by_year = {"division": division, "year": year}
    std = {s.facility_id: s for s in RateStandard.objects.filter(facility_id__in={r["facility_id"] for r in rows})}
    standards = {k: np.array([getattr(std.get(r["facility_id"]), k, None) if r["facility_id"] in std else np.nan
                              for r in rows], float) for k in RATES}
    standards = {k: np.where(np.isnan(v.astype(float)), np.nan, v) for k, v in standards.items()}
    rates = {k: _col(rows, k) for k in RATES}
    return [ind.three_rate_compliance(rates, standards, by_year),
            ind.restoration_balance(_col(rows, "land_restored", 0.0), _col(rows, "land_damaged", 0.0), year,
                                    {"division": division}, cycle_start_year=p["cycle_start_year"],
                                    cycle_years=p["cycle_years"]),
            ind.emissions_vs_baseline(_col(rows, HEAVY, 0.0), year, {"division": division},
                                      baseline_year=p["baseline_year"]),
            ind.emissions_to_path(_col(rows, HEAVY, 0.0), year, {"division": division},
                                  baseline_year=p["baseline_year"], target_year=p["target_year"],
                                  target_ratio=p["path_ratio"])]


def replacement_table(level: str = "province", prefix: str = "") -> list[IndicatorTable]:
    """New, expanded or rebuilt aluminium lines against the retired capacity locked to them."""
    lines = Facility.objects.filter(kind="al_line", project_type__in=("new", "expansion", "retrofit"))
    if prefix:
        lines = lines.filter(division__code__startswith=prefix)
    lines = list(lines)
    if not lines:
        return []
    locked = {}
    for m in LedgerMovement.objects.filter(kind="consume", project__in=lines).values("project_id", "amount"):
        locked[m["project_id"]] = locked.get(m["project_id"], 0) + m["amount"]
    new = np.array([_tpa(f) for f in lines])
    by = {"division": np.array([_division(f.division_id, level) for f in lines]),
          "period": np.array([str(f.commissioned or 0) for f in lines])}
    return [ind.unreplaced_capacity(new, np.array([locked.get(f.pk, 0) for f in lines], float), by,
                                    ratio=params()["replacement_ratio"])]


def _tpa(f: Facility) -> float:
    factor = {"10^4 t/a": 1e4, "t/a": 1.0}.get(f.capacity_unit)
    return float(f.capacity or 0) * factor if factor else 0.0


def all_tables(level: str = "province", prefix: str = "") -> list[IndicatorTable]:
    return monthly_tables(level, prefix=prefix) + annual_tables(level, prefix) + replacement_table(level, prefix)


def table_rows(tables: list[IndicatorTable]) -> list[dict]:
    out = []
    for t in tables:
        for r in t.rows():
            if "year" in r and "period" not in r:
                r["period"] = str(r.pop("year"))
            out.append({k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in r.items()})
    return out
