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
from ..engine import (
    FAIL,
    MISSING,
    NA,
    PASS,
    R_FAIL,
    R_MISSING,
    R_NOT_IN_FORCE,
    R_PASS,
    WARN,
    Batch,
    Result,
    const,
    reason_codes,
    rule,
)
from ..vocabulary import entry_col, entry_rows, floor_lookups, held_to_all, of_kind

RADIUS = "000.concentrator.zone_radius"
OUTSIDE = "000.concentrator.outside_zone.scale"
R_NO_FLOOR, R_OUTSIDE, R_NO_SITE, R_INSIDE = reason_codes("no_floor", "outside_area", "no_site", "inside_area")

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
        R_NO_FLOOR: (
            "选矿厂的矿种不是贵金属、铜或铅锌，政策未规定最低规模",
            "the concentrator's metals are not precious metals, copper or lead-zinc: no minimum is set",
        ),
        R_OUTSIDE: (
            "选矿厂不在划定区域（重点矿区 {radius_km} 公里范围）内，见 concentrator.outside_area_scale",
            "the concentrator is outside the designated area ({radius_km} km of a key mining area); "
            "see concentrator.outside_area_scale",
        ),
        R_NO_SITE: (
            "缺少选矿厂位置，无法判断是否在划定区域内",
            "the concentrator's location is not recorded, so the designated area cannot be tested",
        ),
        R_MISSING: ("缺少处理能力数据，无法判断", "the daily capacity is not recorded"),
    },
    labels={"daily_capacity": ("处理矿石能力", "ore treated per day")},
    applies=CONC,
    reads=CONC_READS + ("metals_mask", "in_concentrator_area", "daily_capacity", "key_mining_area_km"),
    params=tuple(FLOORS.values()),
    entries=(RADIUS,),
)
def min_capacity(b: Batch) -> Result:
    n = len(b)
    res = Result.empty(n)
    new = _new(b)
    area = b.flag("in_concentrator_area")
    bound = entry_rows(b, RADIUS)
    m = b.mask("metals_mask")
    inside = new & bound & (area == 1)
    lks = floor_lookups(
        b,
        {
            "precious": (inside & mn.has(m, mn.keys(*mn.PRECIOUS)), FLOORS["precious"]),
            "copper": (inside & mn.has(m, mn.keys("copper")), FLOORS["copper"]),
            "lead_zinc": (inside & mn.has(m, mn.keys("lead", "zinc")), FLOORS["lead_zinc"]),
        },
        "t/d",
    )
    cap = b.num("daily_capacity")
    # one plant, one capacity: it must meet the floor of every metal it treats (so the highest binds)
    ok, _, floored, top = held_to_all(cap, lks)
    res.set(new & ~bound, NA, R_NOT_IN_FORCE)
    res.set(new & bound & (area == 0), NA, R_OUTSIDE)
    res.set(new & bound & (area < 0), MISSING, R_NO_SITE)
    res.set(inside & ~floored, NA, R_NO_FLOOR)
    judged = inside & floored
    known = ~np.isnan(cap)
    res.set(judged & ~known, MISSING, R_MISSING)
    res.set(judged & known & ok, PASS, R_PASS)
    res.set(judged & known & ~ok, FAIL, R_FAIL)
    res.facts.update(
        daily_capacity=(cap, "t/d"),
        threshold=(top.value, "t/d"),
        op=(top.symbols, None),
        distance_to_key_mining_area_km=(b.num("key_mining_area_km"), "km"),
        radius_km=(const(n, float(b.cat().get(RADIUS).value)), "km"),
    )
    res.entries += [entry_col(b, RADIUS, new & bound)] + [lk.entry for lk in lks.values()]
    return res


@rule(
    "concentrator.outside_area_scale",
    "facility",
    "M26",
    ("划定区域外新建选矿厂规模与采矿规模相匹配", "New concentrators outside designated areas: scale matched to mining"),
    reasons={
        R_OUTSIDE: (
            "选矿厂在划定区域外：建设规模应与采矿规模相匹配（处理能力 {daily_capacity} 吨/日，"
            "配套采矿规模 {mining_scale} 万吨/年）。政策未给出匹配的数值标准，须人工复核",
            "outside the designated areas the scale must match the mining scale (capacity {daily_capacity}"
            " t/d, supplying mines {mining_scale} 10^4 t/a); the seeds give no number for 'match', so a "
            "reviewer must judge",
        ),
        R_INSIDE: (
            "选矿厂在划定区域内，适用最低处理能力规则",
            "inside a designated area: the minimum-capacity rule applies",
        ),
        R_NO_SITE: (
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
    res = Result.empty(len(b))
    new = _new(b)
    bound = entry_rows(b, OUTSIDE)
    area = b.flag("in_concentrator_area")
    res.set(new & ~bound, NA, R_NOT_IN_FORCE)
    res.set(new & bound & (area == 1), NA, R_INSIDE)
    res.set(new & bound & (area < 0), MISSING, R_NO_SITE)
    res.set(new & bound & (area == 0), WARN, R_OUTSIDE)
    res.facts.update(daily_capacity=(b.num("daily_capacity"), "t/d"), mining_scale=(b.num("mining_scale"), "10^4 t/a"))
    res.entries.append(entry_col(b, OUTSIDE, new & bound))
    return res
