"""Indicators from accepted reports: the database read once into columns, then the pure core.

Only ``accepted`` reports count. ``level`` chooses the division key: "province" (XX0000),
"prefecture" (the facility's own division) or "national" (000000, every division the platform
holds). Monthly reports of primary producers (smelters, aluminium lines, refineries) give
capacity utilisation, unit energy, concentration and the recycled-metal share per month
(``period`` "YYYY-MM") or per year (``annual=True``); the processing conversion rate also reads
the processing plants' primary-metal intake. Annual reports give three-rate compliance,
restoration balance per cycle, heavy-metal emissions against the baseline and its path, yearly
totals (land restored, heavy metals, SO₂) and, from the mines' scale class and green-mine
listing, the large/medium mine shares and green-mine counts; the ledger gives capacity added
without replacement. Every table carries ``enterprises``: the distinct enterprises behind each
cell (a facility without an enterprise counts as one), which the disclosure rule reads.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from kuangzheng.monitoring.core import indicators as ind
from kuangzheng.monitoring.core.columns import group
from kuangzheng.monitoring.core.indicators import IndicatorTable
from kuangzheng.registry import services as registry

from .config import params
from .models import LedgerMovement, RateStandard, Report

RATES = ("mining_recovery", "processing_recovery", "comprehensive_utilisation")
HEAVY = "heavy_metals_total"
LEVELS = ("province", "prefecture", "national")
PRODUCERS = ("smelter", "al_line", "refinery")  # facilities whose output is primary or recycled metal
NATIONAL = "000000"


def level_of(raw: str | None) -> str:
    return raw if raw in LEVELS else "province"


def _division(code: str, level: str) -> str:
    if level == "national":
        return NATIONAL
    return code[:2] + "0000" if level == "province" else code


def _rows(report_type: str, prefix: str = ""):
    qs = Report.objects.filter(report_type=report_type, status="accepted")
    if prefix:
        qs = qs.filter(division__code__startswith=prefix)
    return list(qs.values("facility_id", "facility__kind", "enterprise_id", "division_id", "period", "metal", "values"))


def _col(rows, key, default=np.nan):
    return np.array(
        [r["values"].get(key, default) if r["values"].get(key) is not None else default for r in rows], float
    )


def _text(rows, key) -> np.ndarray:
    return np.array([str(r["values"].get(key) or "") for r in rows])


def _enterprise(rows) -> np.ndarray:
    return np.array([r["enterprise_id"] or -r["facility_id"] for r in rows])


def _counted(table: IndicatorTable, row_keys: dict, enterprise, used=None) -> IndicatorTable:
    """The table with ``enterprises`` (distinct enterprises per cell) added to its columns.

    ``used`` marks the rows that enter the value (a mine with no applicable standard, a row of
    zeros): only their enterprises count, so a cell is never credited with firms it does not show.
    """
    if used is not None:
        row_keys, enterprise = {k: v[used] for k, v in row_keys.items()}, np.asarray(enterprise)[used]
    n = ind.contributors(table.keys, row_keys, enterprise)
    return dataclasses.replace(table, extra={**table.extra, "enterprises": n})


def monthly_tables(level: str = "province", annual: bool = False, prefix: str = "") -> list[IndicatorTable]:
    rows = _rows("monthly_production", prefix)
    if not rows:
        return []
    producers = [r for r in rows if r["facility__kind"] in PRODUCERS]
    out = _producer_tables(producers, level, annual) if producers else []
    by = _monthly_keys(rows, level, annual)
    primary = np.array([r["facility__kind"] in PRODUCERS for r in rows])
    output = _col(rows, "output", 0.0)
    primary_output = np.where(primary, output - np.minimum(_col(rows, "recycled_output", 0.0), output), 0.0)
    used = _col(rows, "primary_metal_used", 0.0)
    conv = ind.processing_conversion_rate(used, primary_output, by)
    return out + [_counted(conv, by, _enterprise(rows), (used > 0) | (primary_output > 0))]


def _monthly_keys(rows, level, annual) -> dict:
    return {
        "division": np.array([_division(r["division_id"], level) for r in rows]),
        "metal": np.array([r["metal"] for r in rows]),
        "period": np.array([r["period"][:4] if annual else r["period"] for r in rows]),
    }


def _producer_tables(rows, level, annual) -> list[IndicatorTable]:
    by = _monthly_keys(rows, level, annual)
    ent = _enterprise(rows)
    output = _col(rows, "output", 0.0)
    capacity_month = _col(rows, "capacity", 0.0) / 12.0  # t/a pro-rated to one month
    recycled = np.minimum(_col(rows, "recycled_output", 0.0), output)
    # the recycled share splits each row's output into its primary and its recycled part
    split_by = {k: np.concatenate([v, v]) for k, v in by.items()}
    out = [
        ind.capacity_utilisation(output, capacity_month, by),
        ind.unit_energy(_col(rows, "energy_tce", 0.0) * 1000.0, output, by, unit="kgce/t"),
        ind.unit_energy(_col(rows, "electricity", 0.0) * 1e4, output, by, unit="kWh/t", indicator="unit_electricity"),
        ind.concentration(output, ent, by, top_n=params()["top_n"]),
        ind.recycled_share(
            np.concatenate([output - recycled, recycled]),
            np.concatenate([np.zeros(len(rows), bool), np.ones(len(rows), bool)]),
            split_by,
        ),
    ]
    if annual:
        out.append(_annual_capacity(rows, by))
    return [_counted(t, by, ent, (output > 0) | (capacity_month > 0)) for t in out]


def _annual_capacity(rows, by) -> IndicatorTable:
    """Rated capacity in a year: each facility's mean over its reported months, summed per group."""
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
    ent = _enterprise(rows)
    std = {s.facility_id: s for s in RateStandard.objects.filter(facility_id__in={r["facility_id"] for r in rows})}
    standards = {
        k: np.array(
            [getattr(std.get(r["facility_id"]), k, None) if r["facility_id"] in std else np.nan for r in rows], float
        )
        for k in RATES
    }
    standards = {k: np.where(np.isnan(v.astype(float)), np.nan, v) for k, v in standards.items()}
    rates = {k: _col(rows, k) for k in RATES}
    applies = np.column_stack([~np.isnan(standards[k]) for k in RATES])
    reported = np.column_stack([~np.isnan(rates[k]) for k in RATES])
    assessed = applies.any(axis=1) & ~(applies & ~reported).any(axis=1)
    cycle = {"division": division, "cycle": ind.cycle_of(year, p["cycle_start_year"], p["cycle_years"])}
    heavy = _col(rows, HEAVY, 0.0)
    damaged, restored = _col(rows, "land_damaged", 0.0), _col(rows, "land_restored", 0.0)
    tables = [
        (ind.three_rate_compliance(rates, standards, by_year), by_year, assessed),
        (
            ind.restoration_balance(
                restored,
                damaged,
                year,
                {"division": division},
                cycle_start_year=p["cycle_start_year"],
                cycle_years=p["cycle_years"],
            ),
            cycle,
            (damaged > 0) | (restored > 0),
        ),
        (
            ind.emissions_vs_baseline(heavy, year, {"division": division}, baseline_year=p["baseline_year"]),
            by_year,
            heavy > 0,
        ),
        (
            ind.emissions_to_path(
                heavy,
                year,
                {"division": division},
                baseline_year=p["baseline_year"],
                target_year=p["target_year"],
                target_ratio=p["path_ratio"],
            ),
            by_year,
            heavy > 0,
        ),
    ]
    for k, name, unit in (("land_restored", "land_restored", "ha"), (HEAVY, "heavy_metals", "kg"), ("so2", "so2", "t")):
        v = _col(rows, k, 0.0)
        tables.append((ind.total(v, by_year, indicator=name, unit=unit), by_year, v > 0))
    out = [_counted(t, keys, ent, used) for t, keys, used in tables]
    return out + _mine_tables(rows, division, year, ent)


def _mine_tables(rows, division, year, ent) -> list[IndicatorTable]:
    """Large/medium mine shares and green mines, from the mines' annual reports that state a scale."""
    scale = _text(rows, "mine_scale")
    mine = scale != ""
    if not mine.any():
        return []
    by = {"division": division[mine], "year": year[mine]}
    ent, scale, green = ent[mine], scale[mine], _text(rows, "green_mine")[mine]
    listed = np.isin(green, ("national", "provincial"))
    lm = np.isin(scale, ("large", "medium"))
    lm_by = {k: v[lm] for k, v in by.items()}
    tables = [
        *ind.large_medium_share(scale, _col(rows, "mine_capacity", 0.0)[mine], by),
        ind.green_mine_count(listed, by),
        ind.green_mine_count(green == "national", by, indicator="green_mine_count_national"),
    ]
    out = [_counted(t, by, ent) for t in tables]
    if lm.any():
        out.append(
            _counted(ind.green_mine_share(listed[lm], lm_by, indicator="green_share_large_medium"), lm_by, ent[lm])
        )
    return out


def replacement_table(level: str = "province", prefix: str = "") -> list[IndicatorTable]:
    """New, expanded or rebuilt aluminium lines against the retired capacity locked to them."""
    lines = registry.records("facility").filter(kind="al_line", project_type__in=("new", "expansion", "retrofit"))
    if prefix:
        lines = lines.filter(division__code__startswith=prefix)
    lines = list(lines)
    if not lines:
        return []
    locked = {}
    for m in LedgerMovement.objects.filter(kind="consume", project__in=lines).values("project_id", "amount"):
        locked[m["project_id"]] = locked.get(m["project_id"], 0) + m["amount"]
    new = np.array([_tpa(f) for f in lines])
    by = {
        "division": np.array([_division(f.division_id, level) for f in lines]),
        "period": np.array([str(f.commissioned or 0) for f in lines]),
    }
    table = ind.unreplaced_capacity(
        new, np.array([locked.get(f.pk, 0) for f in lines], float), by, ratio=params()["replacement_ratio"]
    )
    return [_counted(table, by, np.array([f.enterprise_id or -f.pk for f in lines]))]


def _tpa(f) -> float:
    factor = {"10^4 t/a": 1e4, "t/a": 1.0}.get(f.capacity_unit)
    return float(f.capacity or 0) * factor if factor else 0.0


def all_tables(level: str = "province", prefix: str = "") -> list[IndicatorTable]:
    return monthly_tables(level, prefix=prefix) + annual_tables(level, prefix) + replacement_table(level, prefix)


def dashboard_tables(level: str = "province") -> list[IndicatorTable]:
    """Everything the dashboard, its CSV and the API show: monthly and yearly, annual, ledger."""
    return monthly_tables(level) + monthly_tables(level, annual=True) + annual_tables(level) + replacement_table(level)


def table_rows(tables: list[IndicatorTable]) -> list[dict]:
    out = []
    for t in tables:
        for r in t.rows():
            if "year" in r and "period" not in r:
                r["period"] = str(r.pop("year"))
            out.append({k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in r.items()})
    return out
