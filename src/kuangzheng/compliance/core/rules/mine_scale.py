"""Mine scale (M33, M28; seed 003 chapters 6–7).

Coal: lignite underground ≥ 300, open pit ≥ 500; other coal underground ≥ 120, open pit ≥ 300
(10^4 t/a, 不低于 = inclusive). A mine worked both ways (联合) is held to the higher floor. The floors are
what new mines are built to (新建矿山要严格按照最低生产建设规模要求): a new mine below the floor fails, and so
does an expansion still planned or being built (see `built_to_floor`). An
existing one below it is flagged — a warning with the seed's consequence: upgrade, or exit in order
(应积极进行技术改造…达不到…逐步有序退出). The coal rank is the recorded rank, else the one a mineral
name states (褐煤 is lignite; 烟煤, 无烟煤, 焦煤 are other coal); plain 煤 leaves it unknown. The seed's table of minimum scales for non-coal minerals is not in its text, so for non-coal
mines the rule reports missing (policy) data rather than guessing. A new non-coal mine may not share
its deposit with another enterprise (one deposit, one enterprise). New coal mines: approval stopped in
principle in the plan's first three years (a warning), and always a reduced replacement (retired > new).
"""

from __future__ import annotations

import numpy as np

from kuangzheng.registry.core.projects import NEW_PROJECT_STATES

from .. import minerals as mn
from .. import words
from ..vocabulary import (
    Batch,
    Lookup,
    Result,
    const,
    fails,
    in_window,
    missing,
    of_kind,
    passes,
    quantity,
    rule,
    select,
    warns,
)

EXISTING = "003.scale.existing_below_minimum"
FLOOR = "003.scale.coal.other.underground"  # the floors' entries share its jurisdiction and dates
MINE_READS = ("kind", "project_type")
MIN_SCALE_READS = MINE_READS + (
    "status",
    "metals_mask",
    "coal_rank",
    "minerals",
    "mining_method",
    "capacity",
    "capacity_unit",
)
MIN_SCALE_ENTRIES = (FLOOR, EXISTING)
COAL_FLOORS = {
    (grade, way): f"mine.min_scale.coal.{grade}.{way}"
    for grade in ("lignite", "other")
    for way in ("underground", "open_pit")
}


def coal_grade(b: Batch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lignite, rank known, what was read) per row: the recorded coal_rank, else a rank the minerals
    name, each matched on the GB/T 5751 vocabulary (words.yaml: 年轻褐煤/年老褐煤/lignite/brown coal are
    褐煤; 烟煤's twelve classes and 无烟煤 are other coal). Unrecognised or ambiguous words leave the
    rank unknown. Distinct texts are matched once, then spread back by their codes."""
    ranks, names = words.coal_ranks(), words.coal_rank_names()

    def read(column: str):
        c = b.coded(column)
        found = [ranks.match(str(t)) for t in c.categories]
        key = np.array([m.key or "" for m in found], dtype=object)[c.codes]
        said = np.array([m.describe(names) for m in found], dtype=object)[c.codes]
        return key, said

    recorded, recorded_said = read("coal_rank")
    named, named_said = read("minerals")
    key = np.where(recorded != "", recorded, named)
    said = np.where(recorded != "", recorded_said, np.where(named != "", named_said, recorded_said))
    return key == "lignite", key != "", said


def annual_scale(b: Batch) -> np.ndarray:
    """Capacity (facility) or designed scale (right) in 10^4 t/a; NaN for units that cannot be converted
    (t/d would need a number of working days no seed gives)."""
    return quantity(b, "capacity", "capacity_unit", "10^4 t/a")


def mines(b: Batch) -> np.ndarray:
    return of_kind(b, "mine") if b.kind == "facility" else of_kind(b, "mining")


def is_new(b: Batch) -> np.ndarray:
    return b.eq("project_type", "new")


def built_to_floor(b: Batch) -> np.ndarray:
    """Mines being built to a scale: new ones, and expansions still planned or under construction.
    最低生产建设规模 is the scale construction must reach; an expansion that leaves a mine below it is
    not the upgrade the seed asks of existing mines (尽快达到最低开采规模要求)."""
    return is_new(b) | (b.eq("project_type", "expansion") & b.isin("status", NEW_PROJECT_STATES))


@rule(
    "mine.min_scale",
    ("facility", "right"),
    "M33",
    ("矿山最低开采规模", "Minimum mining scale"),
    reasons={
        "upgrade_or_exit": warns(
            "现有矿山规模 {scale} 万吨/年 低于最低开采规模 {threshold} 万吨/年：应技术改造达到要求，"
            "达不到的按市场淘汰规则逐步有序退出",
            "the existing mine's scale {scale} is below the minimum {threshold} (10^4 t/a): it "
            "must upgrade, or exit in order under market elimination rules",
        ),
        "non_coal": missing(
            "非煤矿山的最低开采规模表未见于规划正文，无法判断（政策数据缺失）",
            "the plan's table of minimum scales for non-coal minerals is not in its text: "
            "cannot be decided (missing policy data)",
        ),
        "no_rank": missing(
            "缺少煤种或开采方式（所读：{coal_rank_read}），规模 {scale} 万吨/年 在可能的最低开采规模之间，无法判断",
            "the coal rank or mining method is not recorded (read: {coal_rank_read}) and the scale {scale} "
            "(10^4 t/a) lies between the floors it could be held to",
        ),
        "below_every_floor_new": fails(
            "规模 {scale} 万吨/年 低于任何煤种、开采方式的最低开采规模（最低为 {threshold} 万吨/年）：新建矿山不达标，"
            "无论缺少的煤种或开采方式为何",
            "the scale {scale} is below every minimum a coal mine can be held to (the lowest is {threshold}, "
            "10^4 t/a): a new mine fails whatever its unrecorded rank or mining method",
        ),
        "below_every_floor": warns(
            "现有矿山规模 {scale} 万吨/年 低于任何煤种、开采方式的最低开采规模（最低为 {threshold} 万吨/年）："
            "应技术改造达到要求，达不到的逐步有序退出",
            "the existing mine's scale {scale} is below every minimum a coal mine can be held to (the lowest "
            "is {threshold}, 10^4 t/a): it must upgrade, or exit in order",
        ),
        "no_annual_scale": missing("缺少以万吨/年或吨/年计的规模，无法判断", "no scale in 10^4 t/a or t/a is recorded"),
    },
    labels={"scale": ("开采规模", "mining scale")},
    applies=mines,
    reads=MIN_SCALE_READS,
    params=tuple(COAL_FLOORS.values()),
    entries=MIN_SCALE_ENTRIES,
)
def min_scale(b: Batch) -> Result:
    """「褐煤开采井工矿规模不低于 300万吨 /年、露天矿不低于 500万吨 /年；其它煤种井工不低于 120万吨 /年、露天矿不低于 300万吨 /年」
    (003.scale.coal.*); 「凡是已设立的低于最低开采规模的矿山应积极进行技术改造和开采结构调整，尽快达到最低开采规模要求，
    达不到最低开采规模的矿山应按照市场淘汰规则，逐步有序退出」 (003.scale.existing_below_minimum)."""
    mine, bound = mines(b), b.binds(FLOOR)
    coal = mn.has(b.mask("metals_mask"), mn.keys("coal"))
    lignite, ranked, read = coal_grade(b)
    ways = {
        "underground": b.isin("mining_method", ("underground", "mixed")),
        "open_pit": b.isin("mining_method", ("open_pit", "mixed")),
    }
    known = coal & ranked & (ways["underground"] | ways["open_pit"])
    low, high = possible_coal_floors(b, mine & bound & coal, lignite, ranked, ways)
    scale, new = annual_scale(b), built_to_floor(b)
    below_all = coal & ~np.isnan(low.value) & (scale < low.value)  # below whichever floor binds
    above_all = coal & ~np.isnan(high.value) & (scale >= high.value)  # meets whichever floor binds
    reason = select(
        (~mine, "not_subject"),
        (~bound, "not_in_force"),
        (~coal, "non_coal"),
        (np.isnan(scale), "no_annual_scale"),
        (above_all, "pass"),
        (~known & below_all & new, "below_every_floor_new"),
        (~known & below_all, "below_every_floor"),
        (~known, "no_rank"),
        (~below_all, "pass"),
        (new, "fail"),  # new mines are built to the floor
        default="upgrade_or_exit",  # existing ones upgrade, or exit in order
    )
    # the floor shown: the one that binds; with the rank or way unknown, the one the verdict rests on
    threshold = np.where(below_all, low.value, high.value)
    entry = np.where(below_all, low.entry, high.entry)
    return Result(
        reason,
        facts={
            "scale": (scale, "10^4 t/a"),
            "threshold": (threshold, "10^4 t/a"),
            "op": (const(len(b), ">="), None),
            "coal_rank": (b.coded("coal_rank"), None),
            "coal_rank_read": (read, None),
            "mining_method": (b.coded("mining_method"), None),
        },
        entries=[entry, b.cite(EXISTING, mine & bound & below_all & ~new)],
    )


def possible_coal_floors(
    b: Batch, rows: np.ndarray, lignite: np.ndarray, ranked: np.ndarray, ways: dict
) -> tuple[Lookup, Lookup]:
    """(lowest, highest) floor a row could be held to: exactly its floor when rank and way are known
    (a mine worked both ways, 联合, is held to the higher of the two); over every rank and way it could
    have when they are not."""
    n = len(b)
    way_known = ways["underground"] | ways["open_pit"]
    low, high = Lookup.empty(n), Lookup.empty(n)
    for grade, could in (("lignite", lignite | ~ranked), ("other", ~lignite | ~ranked)):
        lo, hi = Lookup.empty(n), Lookup.empty(n)
        for way, uses in ways.items():
            floor = b.param(COAL_FLOORS[(grade, way)], "10^4 t/a", rows & could)
            _keep(hi, floor, floor.found & (uses | ~way_known), np.greater)  # the ways it uses, or any
            _keep(lo, floor, floor.found & ~way_known, np.less)  # way unknown: the lowest it could be
        lo.value, lo.entry = np.where(way_known, hi.value, lo.value), np.where(way_known, hi.entry, lo.entry)
        _keep(low, lo, ~np.isnan(lo.value), np.less)
        _keep(high, hi, ~np.isnan(hi.value), np.greater)
    return low, high


def _keep(target: Lookup, candidate: Lookup, rows: np.ndarray, better) -> None:
    """Take the candidate's value (and entry) on `rows` where the target has none or it is `better`."""
    take = rows & (np.isnan(target.value) | better(candidate.value, target.value))
    target.value[take], target.entry[take] = candidate.value[take], candidate.entry[take]


ONE_DEPOSIT = "003.scale.non_coal.mines_per_deposit"


@rule(
    "mine.one_deposit_one_enterprise",
    "right",
    "M33",
    ("新建非煤矿山一个矿床设置一个矿山企业", "New non-coal mines: one deposit, one enterprise"),
    reasons={
        "pass": (
            "申请范围未与其他企业同矿种的采矿权重叠",
            "the application overlaps no other enterprise's mining right for the same mineral",
        ),
        "shared_deposit": fails(
            "申请范围与 {other_holder_rights} 个其他企业同矿种的采矿权重叠：一个矿床只设一个矿山企业",
            "the application overlaps {other_holder_rights} mining right(s) of other enterprises for the "
            "same mineral: one deposit, one enterprise",
        ),
        "missing": ("缺少边界，无法判断", "the boundary is not recorded"),
    },
    labels={"other_holder_rights": ("重叠的他人同矿种采矿权", "overlapping same-mineral rights of others")},
    applies=mines,
    reads=MINE_READS + ("metals_mask", "other_holder_same_mineral_mining"),
    entries=(ONE_DEPOSIT,),
)
def one_deposit(b: Batch) -> Result:
    """「新建非煤矿山一个矿床设置一个矿山企业，规模不低于相应矿种最低开采规模」 (003.scale.non_coal.mines_per_deposit)."""
    new_non_coal = mines(b) & is_new(b) & ~mn.has(b.mask("metals_mask"), mn.keys("coal"))
    bound = b.binds(ONE_DEPOSIT)
    others = b.num("other_holder_same_mineral_mining")
    reason = select(
        (~new_non_coal, "not_subject"),
        (~bound, "not_in_force"),
        (np.isnan(others), "missing"),
        (others == 0, "pass"),
        default="shared_deposit",
    )
    return Result(
        reason,
        facts={"other_holder_rights": (others, "count")},
        entries=[b.cite(ONE_DEPOSIT, new_non_coal & bound)],
    )


MORATORIUM = "003.mining.coal.new_mine_moratorium"
REPLACEMENT = "003.mining.coal.new_mine_replacement"
PLAN_PERIOD = "003.plan.period"


def _new_coal(b: Batch) -> np.ndarray:
    return mines(b) & is_new(b) & mn.has(b.mask("metals_mask"), mn.keys("coal"))


def moratorium_window(b: Batch):
    """(start, end) of the plan's first years: plan start year + the entry's number of years."""
    import datetime as dt

    start = dt.date(int(b.entry(PLAN_PERIOD).value[0]), 1, 1)
    years = int(b.entry(MORATORIUM).value)
    return start, start.replace(year=start.year + years)


@rule(
    "coal.new_mine_moratorium",
    ("facility", "right"),
    "M28",
    ("规划期前3年原则上停止审批新建煤矿", "No new coal mines approved in the plan's first 3 years (in principle)"),
    reasons={
        "in_moratorium": warns(
            "{as_of} 处于规划期前3年（{window}）：原则上停止审批新建煤矿项目（警示）",
            "{as_of} is within the plan's first 3 years ({window}): approval of new coal mines is "
            "stopped in principle (a warning)",
        ),
        "outside_moratorium": passes(
            "{as_of} 不在规划期前3年（{window}）内", "{as_of} is outside the plan's first 3 years ({window})"
        ),
    },
    labels={"window": ("停批期", "moratorium")},
    applies=mines,
    reads=MINE_READS + ("metals_mask",),
    entries=(MORATORIUM, PLAN_PERIOD),
)
def moratorium(b: Batch) -> Result:
    """「严格控制煤炭行业新增产能，规划期内，前 3年原则上停止审批新建煤矿项目，确需新建煤矿的，一律实行减量置换」
    (003.mining.coal.new_mine_moratorium), in the plan period of 「《规划》的基准年为2015年，规划期为2016-2020年，
    展望至2025年」 (003.plan.period). Bound from the plan's publication; the window is the plan's years."""
    new_coal = _new_coal(b)
    start, end = moratorium_window(b)
    e = b.entry(MORATORIUM)
    bound = (b.jurisdiction == e.jurisdiction) & (b.as_of >= e.effective)
    reason = select(
        (~new_coal, "not_subject"),
        (~bound, "not_in_force"),
        (bool(in_window(b.today, start, end)), "in_moratorium"),
        default="outside_moratorium",
    )
    return Result(
        reason,
        facts={"window": (const(len(b), f"{start.isoformat()}–{end.isoformat()}"), None)},
        entries=[b.cite(MORATORIUM, new_coal & bound), b.cite(PLAN_PERIOD, new_coal & bound)],
    )


@rule(
    "coal.reduced_replacement",
    ("facility", "right"),
    "M28",
    ("新建煤矿一律实行减量置换", "New coal mines: reduced capacity replacement"),
    reasons={
        "pass": (
            "置换退出产能 {replacement_retired} 万吨/年 大于新建规模 {scale} 万吨/年，为减量置换",
            "retired capacity {replacement_retired} exceeds the new scale {scale} (10^4 t/a): a reduced replacement",
        ),
        "fail": (
            "置换退出产能 {replacement_retired} 万吨/年 不大于新建规模 {scale} 万吨/年，不是减量置换",
            "retired capacity {replacement_retired} does not exceed the new scale {scale} (10^4 t/a): not a "
            "reduced replacement",
        ),
        "missing": (
            "缺少新建规模或减量置换方案（退出产能），无法判断",
            "the new scale or the replacement plan (retired capacity) is not recorded",
        ),
    },
    labels={"replacement_retired": ("置换退出产能", "retired capacity")},
    applies=mines,
    reads=MINE_READS + ("metals_mask", "capacity", "capacity_unit", "replacement_retired"),
    entries=(REPLACEMENT,),
)
def reduced_replacement(b: Batch) -> Result:
    """「…确需新建煤矿的，一律实行减量置换」 (003.mining.coal.new_mine_replacement): 减量, so less capacity comes
    in than is retired."""
    new_coal = _new_coal(b)
    bound = b.binds(REPLACEMENT)
    scale, retired = annual_scale(b), b.num("replacement_retired")
    reason = select(
        (~new_coal, "not_subject"),
        (~bound, "not_in_force"),
        (np.isnan(scale) | np.isnan(retired), "missing"),
        (retired > scale, "pass"),
        default="fail",
    )
    return Result(
        reason,
        facts={"replacement_retired": (retired, "10^4 t/a"), "scale": (scale, "10^4 t/a")},
        entries=[b.cite(REPLACEMENT, new_coal & bound)],
    )
