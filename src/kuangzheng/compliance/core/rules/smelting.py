"""Copper, zinc and lead smelting access (M25, seed 000 part 四(二)): single-series capacity, domestic
advanced equipment, siting in a non-ferrous park and self-supplied resources.

The single-series and equipment conditions are worded for projects (冶炼项目); siting is about where a
smelter is built (要建设在), so it binds new and expanded smelters; the self-supply share is worded for
the enterprises (冶炼企业) and binds existing smelters too.

A series smelts one metal (铜、锌冶炼项目单系列… / 铅冶炼项目单系列…), and the registry keeps one series
capacity per smelter. The series' metal is the one of the smelter's Cu/Zn/Pb metals whose smelting the
process names (铅冶炼, 炼锌, …); where that is not recorded, a capacity meeting every one of its metals'
floors passes, one meeting none fails, and one in between is missing data (which floor binds is unknown).
"""

from __future__ import annotations

import re

import numpy as np

from .. import minerals as mn
from ..vocabulary import (
    Batch,
    Result,
    flag_result,
    floors_held,
    is_project,
    missing,
    of_kind,
    rule,
    select,
    threshold_result,
)

CU_ZN_PB = mn.keys("copper", "zinc", "lead")
CU_PB_ZN_MG = mn.keys("copper", "lead", "zinc", "magnesium")

SMELTER = lambda b: of_kind(b, "smelter")  # noqa: E731
SMELTER_READS = ("kind", "metals_mask", "project_type")


def _smelter(b: Batch, metals) -> np.ndarray:
    return of_kind(b, "smelter") & mn.has(b.mask("metals_mask"), metals)


SERIES_METALS = {"铜": "copper", "锌": "zinc", "铅": "lead"}
FLOOR_PARAM = {
    "copper": "smelting.cu.single_series_capacity_min",
    "zinc": "smelting.zn.single_series_capacity_min",
    "lead": "smelting.pb.single_series_capacity_min",
}
NAMED = re.compile(r"([铜锌铅]+)(?:冶炼|熔炼)|炼([铜锌铅]+)")


def series_metal(b: Batch) -> np.ndarray:
    """The one Cu/Zn/Pb metal whose smelting the process names ('' where none or several are named)."""
    proc = b.coded("process")
    named = []
    for text in proc.categories:
        found = {SERIES_METALS[c] for m in NAMED.finditer(str(text)) for c in "".join(g for g in m.groups() if g)}
        named.append(found.pop() if len(found) == 1 else "")
    return np.array(named, dtype=object)[proc.codes]


@rule(
    "smelting.single_series",
    "facility",
    "M25",
    ("铜锌铅冶炼单系列产能", "Cu/Zn/Pb smelting: single-series capacity"),
    reasons={
        "series_metal_unknown": missing(
            "单系列产能 {single_series_capacity} 万吨达到冶炼项目所含金属中较低的下限，但未达到最高下限 "
            "{threshold} 万吨；未记录该系列冶炼的是哪种金属，无法判断",
            "the single-series capacity {single_series_capacity} (10^4 t) meets the lower floor of the "
            "smelter's metals but not the highest, {threshold}; the series' metal is not recorded, so "
            "the rule cannot be decided",
        )
    },
    labels={"single_series_capacity": ("单系列产能", "single-series capacity")},
    applies=SMELTER,
    reads=SMELTER_READS + ("process", "single_series_capacity"),
    params=tuple(FLOOR_PARAM.values()),
)
def single_series(b: Batch) -> Result:
    """「铜、锌冶炼项目单系列产能不低于10万吨，装备工艺必须为国内先进水平」 (000.smelting.cu.single_series,
    000.smelting.zn.single_series); 「铅冶炼项目单系列产能不低于8万吨，装备工艺必须为国内先进水平」
    (000.smelting.pb.single_series)."""
    project = _smelter(b, CU_ZN_PB) & is_project(b)
    m = b.mask("metals_mask")
    of_metal = {k: project & mn.has(m, mn.keys(k)) for k in ("copper", "zinc", "lead")}
    series = series_metal(b)
    recorded = np.zeros(len(b), dtype=bool)
    for k, rows in of_metal.items():
        recorded |= rows & (series == k)
    series = np.where(recorded, series, "")
    for k, rows in of_metal.items():  # a recorded series metal (one of the smelter's): only its floor binds
        rows &= ~recorded | (series == k)
    capacity = b.num("single_series_capacity")
    meets_all, meets_none, bound, top, floors = floors_held(
        b, capacity, {k: (rows, FLOOR_PARAM[k]) for k, rows in of_metal.items()}, "10^4 t"
    )
    reason = select(
        (~project, "not_subject"),
        (~bound, "not_in_force"),
        (np.isnan(capacity), "missing"),
        (meets_all, "pass"),
        (meets_none, "fail"),
        default="series_metal_unknown",  # meets the lower floor of its metals, not the higher
    )
    return Result(
        reason,
        facts={
            "single_series_capacity": (capacity, "10^4 t"),
            "series_metal": (np.where(series == "", None, series), None),
            "threshold": (top.value, "10^4 t"),
            "op": (top.symbols, None),
        },
        entries=[floor.entry for floor in floors.values()],
    )


EQUIPMENT = "000.smelting.cu_zn_pb.equipment_level"
ADVANCED = ("domestic_advanced", "intl_advanced")  # international advanced is at least domestic advanced


@rule(
    "smelting.equipment",
    "facility",
    "M25",
    ("冶炼装备工艺国内先进水平", "Cu/Zn/Pb smelting: domestic advanced equipment"),
    reasons={
        "pass": (
            "装备工艺水平为 {equipment_level}，达到国内先进水平",
            "equipment level {equipment_level} is at least domestic advanced",
        ),
        "fail": (
            "装备工艺水平为 {equipment_level}，未达到国内先进水平",
            "equipment level {equipment_level} is below domestic advanced",
        ),
        "missing": ("缺少装备工艺水平数据，无法判断", "the equipment level is not recorded"),
    },
    labels={"equipment_level": ("装备工艺水平", "equipment level")},
    applies=SMELTER,
    reads=SMELTER_READS + ("equipment_level",),
    entries=(EQUIPMENT,),
)
def equipment(b: Batch) -> Result:
    """「铅冶炼项目单系列产能不低于8万吨，装备工艺必须为国内先进水平」 (000.smelting.cu_zn_pb.equipment_level)."""
    project = _smelter(b, CU_ZN_PB) & is_project(b)
    level = b.text("equipment_level")
    below = np.where(level == "", -1, ~np.isin(level, ADVANCED)).astype(np.int8)
    res = flag_result(b, project, b.binds(EQUIPMENT), below, "below_domestic_advanced", EQUIPMENT)
    res.facts = {"equipment_level": (level, None), **res.facts}
    return res


PARK = "000.smelting.cu_pb_zn_mg.park_siting"


@rule(
    "smelting.park_siting",
    "facility",
    "M25",
    ("铜铅锌镁冶炼建在有色金属专业园区", "Cu/Pb/Zn/Mg smelters sited in a non-ferrous park"),
    reasons={
        "pass": ("冶炼项目位于有色金属专业园区内", "the smelter is inside a non-ferrous specialised park"),
        "fail": ("冶炼项目不在有色金属专业园区内", "the smelter is not inside a non-ferrous specialised park"),
        "missing": ("缺少位置或所在园区，无法判断", "the location or park is not recorded"),
    },
    labels={"outside_nonferrous_park": ("不在有色金属专业园区", "outside a non-ferrous park")},
    applies=SMELTER,
    reads=SMELTER_READS + ("in_nonferrous_park",),
    entries=(PARK,),
)
def park_siting(b: Batch) -> Result:
    """「铜铅锌镁冶炼企业要建设在有色金属专业园区，自给资源保障不低于30%」 (000.smelting.cu_pb_zn_mg.park_siting):
    where a smelter is built (要建设在), so new and expanded smelters."""
    building = _smelter(b, CU_PB_ZN_MG) & b.isin("project_type", ("new", "expansion"))
    inside = b.flag("in_nonferrous_park")
    outside = np.where(inside < 0, -1, inside == 0).astype(np.int8)
    return flag_result(b, building, b.binds(PARK), outside, "outside_nonferrous_park", PARK)


@rule(
    "smelting.self_supply",
    "facility",
    "M25",
    ("冶炼企业自给资源保障", "Cu/Pb/Zn/Mg smelters: self-supplied resources"),
    labels={"self_supply_pct": ("自给资源保障程度", "self-supplied resource share")},
    applies=SMELTER,
    reads=SMELTER_READS + ("self_supply_pct",),
    params=("smelting.self_supplied_resource_min",),
)
def self_supply(b: Batch) -> Result:
    """「铜铅锌镁冶炼企业要建设在有色金属专业园区，自给资源保障不低于30%」 (000.smelting.cu_pb_zn_mg.self_supply):
    worded for the enterprises (冶炼企业), so existing smelters too."""
    return threshold_result(
        b,
        _smelter(b, CU_PB_ZN_MG),
        b.num("self_supply_pct"),
        "smelting.self_supplied_resource_min",
        "%",
        "self_supply_pct",
    )
