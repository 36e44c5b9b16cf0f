"""Concentrators (M26, seed 000 part 四(二); seed 003 chapter 7).

Leagues and cities draw designated areas around key mining areas and belts, with a radius of
normally no more than 30 km; a NEW concentrator inside one must treat at least 100 t/d of ore for
precious metals, 300 t/d for copper and 1000 t/d for lead-zinc. Outside them a new concentrator's
scale must match the mining scale — the seeds give no number for "match", so that case is a
warning for review with the figures beside it, never a pass or a fail. The designated area is taken
as "within the catalogue radius of a key mining area" (a spatial fact computed by `spatial.py`).
"""

from __future__ import annotations

import numpy as np

from .. import minerals as mn
from ..vocabulary import Batch, Result, const, floors_held, missing, not_applicable, of_kind, rule, select, warns

RADIUS = "000.concentrator.zone_radius"
OUTSIDE = "000.concentrator.outside_zone.scale"

CONC = lambda b: of_kind(b, "concentrator")  # noqa: E731
CONC_READS = ("kind", "project_type")
FLOORS = {
    "precious": "concentrator.precious_metals.capacity_min",
    "copper": "concentrator.cu.capacity_min",
    "lead_zinc": "concentrator.pbzn.capacity_min",
}


def _new(b: Batch) -> np.ndarray:
    return of_kind(b, "concentrator") & b.eq("project_type", "new")


@rule(
    "concentrator.min_capacity",
    "facility",
    "M26",
    ("划定区域内新建选矿厂最低处理能力", "New concentrators in a designated area: minimum capacity"),
    reasons={
        "no_floor": not_applicable(
            "选矿厂的矿种不是贵金属、铜或铅锌，政策未规定最低规模",
            "the concentrator's metals are not precious metals, copper or lead-zinc: no minimum is set",
        ),
        "outside_area": not_applicable(
            "选矿厂不在划定区域（重点矿区或成矿区带 {radius_km} 公里范围，或盟市划定的区域）内，"
            "见 concentrator.outside_area_scale",
            "the concentrator is outside the designated areas ({radius_km} km of a key mining area or a "
            "mineralisation belt, or an area a league or city drew); see concentrator.outside_area_scale",
        ),
        "no_site": missing(
            "缺少选矿厂位置，无法判断是否在划定区域内",
            "the concentrator's location is not recorded, so the designated area cannot be tested",
        ),
        "missing": ("缺少处理能力数据，无法判断", "the daily capacity is not recorded"),
    },
    labels={"daily_capacity": ("处理矿石能力", "ore treated per day")},
    applies=CONC,
    reads=CONC_READS + ("metals_mask", "in_concentrator_area", "daily_capacity", "key_mining_area_km"),
    params=tuple(FLOORS.values()),
    entries=(RADIUS,),
)
def min_capacity(b: Batch) -> Result:
    """「由盟市对重点矿区和成矿区带划定区域，覆盖半径一般控制在30公里以内」 (000.concentrator.zone_radius);
    「在此范围内新建选矿厂的规模，处理矿石能力贵金属不低于100吨/日、铜不低于300吨/日、铅锌不低于1000吨/日」
    (000.concentrator.precious.min_capacity, .cu., .pbzn.). One plant, one capacity: it must meet the
    floor of every metal it treats, so the highest binds."""
    new = _new(b)
    bound = b.binds(RADIUS)
    area = b.flag("in_concentrator_area")
    inside = new & bound & (area == 1)
    m = b.mask("metals_mask")
    capacity = b.num("daily_capacity")
    meets_all, _, floored, top, floors = floors_held(
        b,
        capacity,
        {
            "precious": (inside & mn.has(m, mn.keys(*mn.PRECIOUS)), FLOORS["precious"]),
            "copper": (inside & mn.has(m, mn.keys("copper")), FLOORS["copper"]),
            "lead_zinc": (inside & mn.has(m, mn.keys("lead", "zinc")), FLOORS["lead_zinc"]),
        },
        "t/d",
    )
    reason = select(
        (~new, "not_subject"),
        (~bound, "not_in_force"),
        (area == 0, "outside_area"),
        (area < 0, "no_site"),
        (~floored, "no_floor"),
        (np.isnan(capacity), "missing"),
        (meets_all, "pass"),
        default="fail",
    )
    return Result(
        reason,
        facts={
            "daily_capacity": (capacity, "t/d"),
            "threshold": (top.value, "t/d"),
            "op": (top.symbols, None),
            "distance_to_key_mining_area_km": (b.num("key_mining_area_km"), "km"),
            "radius_km": (const(len(b), float(b.entry(RADIUS).value)), "km"),
        },
        entries=[b.cite(RADIUS, new & bound)] + [floor.entry for floor in floors.values()],
    )


@rule(
    "concentrator.outside_area_scale",
    "facility",
    "M26",
    ("划定区域外新建选矿厂规模与采矿规模相匹配", "New concentrators outside designated areas: scale matched to mining"),
    reasons={
        "outside_area": warns(
            "选矿厂在划定区域外：建设规模应与采矿规模相匹配（处理能力 {daily_capacity} 吨/日，"
            "配套采矿规模 {mining_scale} 万吨/年）。政策未给出匹配的数值标准，须人工复核",
            "outside the designated areas the scale must match the mining scale (capacity {daily_capacity}"
            " t/d, supplying mines {mining_scale} 10^4 t/a); the seeds give no number for 'match', so a "
            "reviewer must judge",
        ),
        "inside_area": not_applicable(
            "选矿厂在划定区域内，适用最低处理能力规则",
            "inside a designated area: the minimum-capacity rule applies",
        ),
        "no_site": missing(
            "缺少选矿厂位置，无法判断是否在划定区域内",
            "the concentrator's location is not recorded, so the designated area cannot be tested",
        ),
    },
    labels={"daily_capacity": ("处理矿石能力", "ore treated per day")},
    applies=CONC,
    reads=CONC_READS + ("in_concentrator_area", "daily_capacity", "mining_scale"),
    entries=(OUTSIDE,),
)
def outside_area_scale(b: Batch) -> Result:
    """「划定区域以外新建选矿厂建设规模应与采矿规模相匹配」 (000.concentrator.outside_zone.scale): the seeds give
    no number for 匹配, so it is a warning for review with the figures beside it."""
    new = _new(b)
    area = b.flag("in_concentrator_area")
    reason = select(
        (~new, "not_subject"),
        (~b.binds(OUTSIDE), "not_in_force"),
        (area == 1, "inside_area"),
        (area < 0, "no_site"),
        default="outside_area",
    )
    return Result(
        reason,
        facts={
            "daily_capacity": (b.num("daily_capacity"), "t/d"),
            "mining_scale": (b.num("mining_scale"), "10^4 t/a"),
        },
        entries=[b.cite(OUTSIDE, new & b.binds(OUTSIDE))],
    )
