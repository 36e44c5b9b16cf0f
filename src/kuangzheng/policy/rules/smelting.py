"""Copper, zinc and lead smelting access (M25, seed 000 part 四(二)): single-series capacity, domestic
advanced equipment, siting in a non-ferrous park and self-supplied resources.

The single-series and equipment conditions are worded for projects (冶炼项目); siting is about where a
smelter is built (要建设在), so it binds new and expanded smelters; the self-supply share is worded for
the enterprises (冶炼企业) and binds existing smelters too. A smelter of several metals is held to the
highest floor among them.
"""

from __future__ import annotations

import numpy as np

from ..engine import FAIL, MISSING, PASS, R_FAIL, R_MISSING, R_PASS, Batch, Result, const, rule, threshold_result
from . import minerals as mn
from .common import entry_rows, flag_result, is_project, of_kind, strictest_floor, in_force

CU_ZN_PB = mn.keys("copper", "zinc", "lead")
CU_PB_ZN_MG = mn.keys("copper", "lead", "zinc", "magnesium")

SMELTER = lambda b: of_kind(b, "smelter")  # noqa: E731


def _smelter(b: Batch, metals) -> np.ndarray:
    return of_kind(b, "smelter") & mn.has(b.mask("metals_mask"), metals)


@rule("smelting.single_series", "facility", "M25", ("铜锌铅冶炼单系列产能", "Cu/Zn/Pb smelting: single-series capacity"),
      reasons={10: ("冶炼项目的金属不在铜、锌、铅之列", "the smelter's metals are not copper, zinc or lead")},
      labels={"single_series_capacity": ("单系列产能", "single-series capacity")}, applies=SMELTER)
def single_series(b: Batch) -> Result:
    applies = _smelter(b, CU_ZN_PB) & is_project(b)
    m = b.mask("metals_mask")
    thr, entries = strictest_floor(b, [(applies & mn.has(m, mn.keys("copper")), "smelting.cu.single_series_capacity_min"),
                                       (applies & mn.has(m, mn.keys("zinc")), "smelting.zn.single_series_capacity_min"),
                                       (applies & mn.has(m, mn.keys("lead")), "smelting.pb.single_series_capacity_min")],
                                   "10^4 t")
    values = b.num("single_series_capacity")
    res = Result.empty(len(b))
    found = ~np.isnan(thr)
    live = in_force(res, applies, found)
    known = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        ok = values >= thr  # 不低于: inclusive floor
    res.set(live & ~known, MISSING, R_MISSING)
    res.set(live & known & ok, PASS, R_PASS)
    res.set(live & known & ~ok, FAIL, R_FAIL)
    res.facts.update(single_series_capacity=(values, "10^4 t"), threshold=(thr, "10^4 t"),
                     op=(const(len(b), ">="), None))
    res.entries += entries
    return res


EQUIPMENT = "000.smelting.cu_zn_pb.equipment_level"
ADVANCED = ("domestic_advanced", "intl_advanced")  # international advanced is at least domestic advanced


@rule("smelting.equipment", "facility", "M25", ("冶炼装备工艺国内先进水平", "Cu/Zn/Pb smelting: domestic advanced equipment"),
      reasons={R_PASS: ("装备工艺水平为 {equipment_level}，达到国内先进水平", "equipment level {equipment_level} is at "
                        "least domestic advanced"),
               R_FAIL: ("装备工艺水平为 {equipment_level}，未达到国内先进水平", "equipment level {equipment_level} is "
                        "below domestic advanced"),
               R_MISSING: ("缺少装备工艺水平数据，无法判断", "the equipment level is not recorded")},
      labels={"equipment_level": ("装备工艺水平", "equipment level")}, applies=SMELTER)
def equipment(b: Batch) -> Result:
    applies = _smelter(b, CU_ZN_PB) & is_project(b)
    level = b.text("equipment_level")
    bad = np.where(level == "", -1, ~np.isin(level, ADVANCED)).astype(np.int8)
    res = flag_result(b, applies, entry_rows(b, EQUIPMENT), bad, "below_domestic_advanced", EQUIPMENT)
    res.facts = {"equipment_level": (level, None), **res.facts}
    return res


PARK = "000.smelting.cu_pb_zn_mg.park_siting"


@rule("smelting.park_siting", "facility", "M25", ("铜铅锌镁冶炼建在有色金属专业园区", "Cu/Pb/Zn/Mg smelters sited in a non-ferrous park"),
      reasons={R_PASS: ("冶炼项目位于有色金属专业园区内", "the smelter is inside a non-ferrous specialised park"),
               R_FAIL: ("冶炼项目不在有色金属专业园区内", "the smelter is not inside a non-ferrous specialised park"),
               R_MISSING: ("缺少位置或所在园区，无法判断", "the location or park is not recorded")},
      labels={"outside_nonferrous_park": ("不在有色金属专业园区", "outside a non-ferrous park")}, applies=SMELTER)
def park_siting(b: Batch) -> Result:
    applies = _smelter(b, CU_PB_ZN_MG) & b.isin("project_type", ("new", "expansion"))
    inside = b.flag("in_nonferrous_park")
    outside = np.where(inside < 0, -1, inside == 0).astype(np.int8)
    return flag_result(b, applies, entry_rows(b, PARK), outside, "outside_nonferrous_park", PARK)


@rule("smelting.self_supply", "facility", "M25", ("冶炼企业自给资源保障", "Cu/Pb/Zn/Mg smelters: self-supplied resources"),
      labels={"self_supply_pct": ("自给资源保障程度", "self-supplied resource share")}, applies=SMELTER)
def self_supply(b: Batch) -> Result:
    return threshold_result(b, _smelter(b, CU_PB_ZN_MG), b.num("self_supply_pct"),
                            "smelting.self_supplied_resource_min", "%", "self_supply_pct")
