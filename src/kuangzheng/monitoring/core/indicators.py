"""Monitoring indicators, each defined once (see docs/monitoring.md for the definitions).

Every function takes columns (one value per facility-period row) and ``by``, a mapping of key
columns to group on (typically division code, metal and period), and returns an
``IndicatorTable``: one value per group, with the numerator and denominator it came from.
Ratios are fractions (unit "1"); the catalogue's "%" thresholds are converted by the
early-warning evaluator, not here. A ratio whose denominator is 0 is NaN (undefined).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .columns import Groups, as_keys, as_numbers, group, safe_ratio
from .errors import MonitorInputError


@dataclass(frozen=True)
class IndicatorTable:
    indicator: str  # indicator id, e.g. "capacity_utilisation"
    unit: str  # unit code of ``value`` (policy/units.yaml)
    keys: dict[str, np.ndarray]  # group keys, one entry per group
    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    extra: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.value)

    def rows(self) -> list[dict]:
        """One plain dict per group (for JSON, templates and spreadsheets)."""
        cols = {
            **self.keys,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            **self.extra,
        }
        return [
            {"indicator": self.indicator, "unit": self.unit, **{k: v[i].item() for k, v in cols.items()}}
            for i in range(len(self))
        ]


def _groups(by: Mapping[str, np.ndarray], n: int) -> Groups:
    for name, col in by.items():
        as_keys(name, col, n=n)
    return group(**by)


def _ratio_table(
    indicator: str, num: np.ndarray, den: np.ndarray, by, unit: str = "1", mask: np.ndarray | None = None
) -> IndicatorTable:
    g = _groups(by, len(num))
    if mask is not None:
        num, den = num * mask, den * mask
    n_sum, d_sum = g.sum(num), g.sum(den)
    return IndicatorTable(indicator, unit, g.keys, safe_ratio(n_sum, d_sum), n_sum, d_sum)


def capacity_utilisation(output, capacity, by) -> IndicatorTable:
    """产能利用率 = Σ output / Σ capacity for the same period (capacity pro-rated to the period)."""
    out = as_numbers("output", output)
    cap = as_numbers("capacity", capacity, n=len(out))
    return _ratio_table("capacity_utilisation", out, cap, by)


def processing_conversion_rate(metal_processed, primary_output, by) -> IndicatorTable:
    """加工转化率 = Σ primary metal taken into processing in the division / Σ primary output there."""
    proc = as_numbers("metal_processed", metal_processed)
    prim = as_numbers("primary_output", primary_output, n=len(proc))
    return _ratio_table("processing_conversion_rate", proc, prim, by)


def recycled_share(output, recycled, by) -> IndicatorTable:
    """再生金属比重 = Σ output of recycled (secondary) metal / Σ output of all metal."""
    out = as_numbers("output", output)
    rec = as_keys("recycled", recycled, n=len(out)).astype(bool)
    return _ratio_table("recycled_share", out * rec, out, by)


def concentration(output, enterprise, by, top_n: int) -> IndicatorTable:
    """产业集中度 CR_N = Σ output of the N largest enterprises in the group / Σ output of all.

    Facilities are first summed per enterprise; ties at rank N are broken by enterprise key.
    """
    if not isinstance(top_n, (int, np.integer)) or top_n < 1:
        raise MonitorInputError("top_n", "须为正整数", "must be a positive integer")
    out = as_numbers("output", output)
    ent = as_keys("enterprise", enterprise, n=len(out))
    g = _groups(by, len(out))
    ge = group(_group=g.ids, _enterprise=ent)
    per_ent = ge.sum(out)
    owner = ge.keys["_group"]
    # rank enterprises within their group by output, largest first (lexsort: last key primary)
    order = np.lexsort((-per_ent, owner))
    starts = np.searchsorted(owner[order], np.arange(g.count))
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order)) - starts[owner[order]]
    top = np.bincount(owner, weights=per_ent * (rank < top_n), minlength=g.count)
    total = g.sum(out)
    return IndicatorTable(
        f"concentration_top{top_n}",
        "1",
        g.keys,
        safe_ratio(top, total),
        top,
        total,
        {"enterprises": np.bincount(owner, minlength=g.count)},
    )


def unit_energy(
    energy, output, by, *, limit: float | None = None, unit: str = "kWh/t", indicator: str = "unit_energy"
) -> IndicatorTable:
    """单位产品能耗 = Σ energy / Σ output (output-weighted mean over facilities).

    With ``limit`` (the catalogue's limit, same unit), also counts the facilities whose own
    unit consumption is above it and the share of output they made.
    """
    en = as_numbers("energy", energy)
    out = as_numbers("output", output, n=len(en))
    table = _ratio_table(indicator, en, out, by, unit=unit)
    if limit is None:
        return table
    g = _groups(by, len(en))
    above = safe_ratio(en, out) > limit  # NaN (no output) compares False
    extra = {
        "limit": np.full(g.count, float(limit)),
        "facilities_above_limit": g.size(above),
        "output_share_above_limit": safe_ratio(g.sum(out * above), g.sum(out)),
    }
    return IndicatorTable(table.indicator, unit, table.keys, table.value, table.numerator, table.denominator, extra)


def three_rate_compliance(rates: Mapping[str, np.ndarray], standards: Mapping[str, np.ndarray], by) -> IndicatorTable:
    """“三率”达标率 = mines meeting every applicable standard / mines assessed.

    ``rates`` and ``standards`` map each rate (mining_recovery, processing_recovery,
    comprehensive_utilisation) to one value per mine. A NaN standard means the rate does not
    apply to that mine; a mine with no applicable standard is not assessed. A mine missing a
    reported value for an applicable rate is left out of both counts and counted in
    ``missing_data``: a gap in the reports is not a verdict.
    """
    if set(rates) != set(standards) or not rates:
        raise MonitorInputError("standards", "须与 rates 列出相同的指标", "must name the same rates as rates")
    n = len(np.asarray(next(iter(rates.values()))))
    applies = np.zeros(n, bool)
    missing = np.zeros(n, bool)
    fails = np.zeros(n, bool)
    for name in rates:
        rate = as_numbers(f"rates[{name}]", rates[name], n=n, allow_nan=True)
        std = as_numbers(f"standards[{name}]", standards[name], n=n, allow_nan=True)
        has_std = ~np.isnan(std)
        applies |= has_std
        missing |= has_std & np.isnan(rate)
        fails |= has_std & ~np.isnan(rate) & (rate < std)
    assessed = applies & ~missing
    g = _groups(by, n)
    passed, total = g.size(assessed & ~fails), g.size(assessed)
    return IndicatorTable(
        "three_rate_compliance",
        "1",
        g.keys,
        safe_ratio(passed, total),
        passed,
        total,
        {"missing_data": g.size(applies & missing)},
    )


def large_medium_share(scale, capacity, by) -> tuple[IndicatorTable, IndicatorTable]:
    """大中型矿山比例 (by count) and 大中型矿山产能占比 (by capacity).

    ``scale`` is each mine's scale class: "large", "medium" or "small".
    """
    cap = as_numbers("capacity", capacity)
    sc = as_keys("scale", scale, n=len(cap)).astype(str)
    bad = ~np.isin(sc, ["large", "medium", "small"])
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise MonitorInputError(
            f"scale[{i}]",
            f"规模 {sc[i]!r} 须为 large、medium 或 small",
            f"scale {sc[i]!r} must be large, medium or small",
        )
    lm = np.isin(sc, ["large", "medium"])
    by_count = _ratio_table("large_medium_mine_share", lm.astype(float), np.ones(len(cap)), by)
    by_cap = _ratio_table("large_medium_capacity_share", cap * lm, cap, by)
    return by_count, by_cap


def restoration_balance(restored, damaged, year, by, *, cycle_start_year: int, cycle_years: int = 3) -> IndicatorTable:
    """复垦/治理面积与破坏面积之比 per restoration cycle: Σ restored / Σ damaged.

    Years are grouped into cycles of ``cycle_years`` beginning at ``cycle_start_year`` (the plan's
    first cycle, from the catalogue); the key ``cycle`` is the first year of each row's cycle.
    """
    res = as_numbers("restored", restored)
    dam = as_numbers("damaged", damaged, n=len(res))
    yr = as_numbers("year", year, n=len(res), nonneg=False).astype(np.int64)
    cycle = cycle_of(yr, cycle_start_year, cycle_years)
    return _ratio_table("restoration_balance", res, dam, {**by, "cycle": cycle})


def cycle_of(year, cycle_start_year: int, cycle_years: int) -> np.ndarray:
    """First year of each year's restoration cycle: start + ⌊(year − start) / length⌋ · length."""
    if cycle_years < 1:
        raise MonitorInputError("cycle_years", "须为正整数", "must be a positive integer")
    yr = np.asarray(year, np.int64)
    return cycle_start_year + (yr - cycle_start_year) // cycle_years * cycle_years


def _emission_groups(emission, year, by, baseline_year):
    em = as_numbers("emission", emission)
    yr = as_numbers("year", year, n=len(em), nonneg=False).astype(np.int64)
    base_g = _groups(by, len(em))
    baseline = base_g.sum(em * (yr == baseline_year))
    g = group(**by, year=yr)
    first = np.unique(g.ids, return_index=True)[1]
    base_of_group = baseline[base_g.ids[first]]
    return g, g.sum(em), base_of_group, g.keys["year"]


def emissions_vs_baseline(emission, year, by, *, baseline_year: int) -> IndicatorTable:
    """重金属排放量 / 基准年排放量, per group and year (1.0 = at the baseline year's level).

    ``by`` must not contain the year; NaN where the group reported nothing in the baseline year.
    """
    g, total, base, _ = _emission_groups(emission, year, by, baseline_year)
    return IndicatorTable("emissions_vs_baseline", "1", g.keys, safe_ratio(total, base), total, base)


def emissions_to_path(
    emission, year, by, *, baseline_year: int, target_year: int, target_ratio: float
) -> IndicatorTable:
    """Emissions against the straight-line path from the baseline to the target.

    path(y) = 1 + (target_ratio − 1) · (y − baseline_year) / (target_year − baseline_year),
    held at ``target_ratio`` after the target year and at 1 before the baseline; the value is
    emission / (baseline emission · path(y)), so above 1 means above the path. Seed 000's
    "2020 no higher than 2012" is baseline 2012, target 2020, ratio 1.0; seed 004's "2015 15 %
    below 2007" is baseline 2007, target 2015, ratio 0.85 (ratios come from the catalogue).
    """
    if target_year <= baseline_year:
        raise MonitorInputError("target_year", "须晚于基准年", "must be after the baseline year")
    g, total, base, yr = _emission_groups(emission, year, by, baseline_year)
    frac = np.clip((yr - baseline_year) / (target_year - baseline_year), 0.0, 1.0)
    path = 1.0 + (float(target_ratio) - 1.0) * frac
    allowed = base * path
    return IndicatorTable("emissions_to_path", "1", g.keys, safe_ratio(total, allowed), total, allowed, {"path": path})


def green_mine_count(green, by, *, indicator: str = "green_mine_count") -> IndicatorTable:
    """绿色矿山数: mines on the green-mine list per group (value), out of all mines (denominator)."""
    flag = as_keys("green", green).astype(bool)
    g = _groups(by, len(flag))
    count, total = g.size(flag), g.size()
    return IndicatorTable(indicator, "count", g.keys, count.astype(float), count, total)


def green_mine_share(green, by, *, indicator: str = "green_mine_share") -> IndicatorTable:
    """绿色矿山比例 = mines on the green-mine list / all mines given (pass the large and medium
    mines only for seed 003's 大中型矿山 target)."""
    t = green_mine_count(green, by, indicator=indicator)
    return IndicatorTable(
        indicator,
        "1",
        t.keys,
        safe_ratio(t.numerator.astype(float), t.denominator.astype(float)),
        t.numerator,
        t.denominator,
    )


def contributors(keys: Mapping[str, np.ndarray], row_keys: Mapping[str, np.ndarray], entity) -> np.ndarray:
    """Distinct ``entity`` values (e.g. enterprises) behind each group of an indicator table.

    ``keys`` are the table's group keys; ``row_keys`` the same key columns, one value per input
    row; ``entity`` one id per row. Returns one count per group of ``keys`` (0 for a group no row
    falls in). Used by the disclosure rule: a cell from fewer than 3 enterprises is withheld.
    """
    if set(keys) != set(row_keys):
        raise MonitorInputError(
            "row_keys", f"须与表的分组列相同：{sorted(keys)}", f"must have the table's key columns: {sorted(keys)}"
        )
    ent = as_keys("entity", entity)
    m = len(next(iter(keys.values()))) if keys else 0
    for name, col in row_keys.items():
        as_keys(f"row_keys[{name}]", col, n=len(ent))
    both = group(**{k: np.concatenate([np.asarray(keys[k]), np.asarray(row_keys[k])]) for k in keys})
    table_ids, row_ids = both.ids[:m], both.ids[m:]
    if len(ent) == 0:
        return np.zeros(m, np.int64)
    pairs = group(_g=row_ids, _e=ent)
    per_group = np.bincount(pairs.keys["_g"], minlength=both.count)
    return per_group[table_ids].astype(np.int64)


def total(values, by, *, indicator: str, unit: str) -> IndicatorTable:
    """A plain sum per group (land restored in a year, tonnes emitted); the denominator counts the rows."""
    vals = as_numbers(indicator, values)
    g = _groups(by, len(vals))
    s = g.sum(vals)
    return IndicatorTable(indicator, unit, g.keys, s, s, g.size())


def unreplaced_capacity(new_capacity, retired_capacity, by, *, ratio: float) -> IndicatorTable:
    """新增产能未落实置换部分 = Σ max(new − retired / ratio, 0) over projects, in t/a.

    ``retired_capacity`` is the retired capacity locked to each project; ``ratio`` is the
    catalogue's replacement ratio (≥ 1: equal or reduced replacement).
    """
    if not ratio >= 1:
        raise MonitorInputError(
            "ratio",
            "置换比例须 ≥ 1（等量或减量置换）",
            "the replacement ratio must be ≥ 1 (equal or reduced replacement)",
        )
    new = as_numbers("new_capacity", new_capacity)
    ret = as_numbers("retired_capacity", retired_capacity, n=len(new))
    gap = np.maximum(new - ret / ratio, 0.0)
    g = _groups(by, len(new))
    total = g.sum(gap)
    return IndicatorTable("unreplaced_capacity", "t/a", g.keys, total, total, g.sum(new))
