"""Mine scale (M33, M28; seed 003 chapters 6–7).

Coal: lignite underground ≥ 300, open pit ≥ 500; other coal underground ≥ 120, open pit ≥ 300
(10^4 t/a, 不低于 = inclusive). A mine worked both ways (联合) is held to the higher floor. The floors are
what new mines are built to (新建矿山要严格按照最低生产建设规模要求): a new mine below the floor fails. An
existing one below it is flagged — a warning with the seed's consequence: upgrade, or exit in order
(应积极进行技术改造…达不到…逐步有序退出). The coal rank is the recorded rank, else the one a mineral
name states (褐煤 is lignite; 烟煤, 无烟煤, 焦煤 are other coal); plain 煤 leaves it unknown. The seed's table of minimum scales for non-coal minerals is not in its text, so for non-coal
mines the rule reports missing (policy) data rather than guessing. A new non-coal mine may not share
its deposit with another enterprise (one deposit, one enterprise). New coal mines: approval stopped in
principle in the plan's first three years (a warning), and always a reduced replacement (retired > new).
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
    choose,
    const,
    entry_for,
    in_unit,
    reason_code,
    reason_codes,
    rule,
)
from ..vocabulary import entry, entry_col, entry_rows, in_force, in_window, of_kind

EXISTING = "003.scale.existing_below_minimum"
FLOOR = "003.scale.coal.other.underground"  # the floors' entries share its jurisdiction and dates
R_UPGRADE_OR_EXIT, R_NON_COAL, R_NO_RANK, R_UNIT = reason_codes(
    "upgrade_or_exit", "non_coal", "no_rank", "no_annual_scale"
)
MINE_READS = ("kind", "project_type")
MIN_SCALE_READS = MINE_READS + ("metals_mask", "coal_rank", "minerals", "mining_method", "capacity", "capacity_unit")
MIN_SCALE_ENTRIES = (FLOOR, EXISTING)
COAL_FLOORS = {
    (grade, way): f"mine.min_scale.coal.{grade}.{way}"
    for grade in ("lignite", "other")
    for way in ("underground", "open_pit")
}
LIGNITE = ("褐煤", "lignite")
OTHER_RANKS = (
    "烟煤",
    "无烟煤",
    "焦煤",
    "贫煤",
    "瘦煤",
    "肥煤",
    "气煤",
    "长焰煤",
    "bituminous",
    "anthracite",
    "coking coal",
)


def coal_grade(b: Batch) -> tuple[np.ndarray, np.ndarray]:
    """(lignite, rank known) per row: from the coal_rank column, else from a rank the minerals name."""
    recorded = ~b.eq("coal_rank", "")
    minerals = b.coded("minerals")  # a few distinct mineral lists: test each once, spread by code
    named_lignite = np.array([any(r in s for r in LIGNITE) for s in minerals.categories], dtype=bool)[minerals.codes]
    named_other = np.array([any(r in s for r in OTHER_RANKS) for s in minerals.categories], dtype=bool)[minerals.codes]
    lignite = np.where(recorded, b.isin("coal_rank", LIGNITE), named_lignite & ~named_other)
    return lignite, recorded | (named_lignite ^ named_other)


def annual_scale(b: Batch) -> np.ndarray:
    """Capacity (facility) or designed scale (right) in 10^4 t/a; NaN for units that cannot be converted
    (t/d would need a number of working days no seed gives)."""
    cap = b.num("capacity")
    return np.where(
        b.isin("capacity_unit", ("10^4 t/a",)), cap, np.where(b.isin("capacity_unit", ("t/a",)), cap / 1e4, np.nan)
    )


def mines(b: Batch) -> np.ndarray:
    return of_kind(b, "mine") if b.kind == "facility" else of_kind(b, "mining")


def is_new(b: Batch) -> np.ndarray:
    return b.eq("project_type", "new")


@rule(
    "mine.min_scale",
    ("facility", "right"),
    "M33",
    ("矿山最低开采规模", "Minimum mining scale"),
    reasons={
        R_UPGRADE_OR_EXIT: (
            "现有矿山规模 {scale} 万吨/年 低于最低开采规模 {threshold} 万吨/年：应技术改造达到要求，"
            "达不到的按市场淘汰规则逐步有序退出",
            "the existing mine's scale {scale} is below the minimum {threshold} (10^4 t/a): it "
            "must upgrade, or exit in order under market elimination rules",
        ),
        R_NON_COAL: (
            "非煤矿山的最低开采规模表未见于规划正文，无法判断（政策数据缺失）",
            "the plan's table of minimum scales for non-coal minerals is not in its text: "
            "cannot be decided (missing policy data)",
        ),
        R_NO_RANK: ("缺少煤种或开采方式，无法确定最低开采规模", "the coal rank or mining method is not recorded"),
        R_UNIT: ("缺少以万吨/年或吨/年计的规模，无法判断", "no scale in 10^4 t/a or t/a is recorded"),
    },
    labels={"scale": ("开采规模", "mining scale")},
    applies=mines,
    reads=MIN_SCALE_READS,
    params=tuple(COAL_FLOORS.values()),
    entries=MIN_SCALE_ENTRIES,
)
def min_scale(b: Batch) -> Result:
    if "min_scale" in b._cache:
        return b._cache["min_scale"]
    b._cache["min_scale"] = _min_scale(b)
    return b._cache["min_scale"]


def _min_scale(b: Batch) -> Result:
    n = len(b)
    res = Result.empty(n)
    applies = mines(b)
    idx = np.flatnonzero(in_force(res, applies, entry_rows(b, FLOOR)))  # the work is done on these rows only
    coal = mn.has(b.mask("metals_mask")[idx], mn.keys("coal"))
    lignite, ranked = (v[idx] for v in coal_grade(b))
    ways = {
        "underground": b.isin("mining_method", ("underground", "mixed"))[idx],
        "open_pit": b.isin("mining_method", ("open_pit", "mixed"))[idx],
    }
    known = coal & ranked & (ways["underground"] | ways["open_pit"])
    thr = np.full(len(idx), np.nan)
    code = np.full(len(idx), -1, dtype=np.int16)
    names, jc = b.jur_codes
    jc = jc[idx]
    for j, jur in enumerate(names):  # a mine worked both ways is held to the higher floor
        for grade, of_grade in (("lignite", lignite), ("other", ~lignite)):
            for way, of_way in ways.items():
                e = entry_for(b, COAL_FLOORS[(grade, way)], str(jur))
                if e is None:
                    continue
                v = in_unit(e, "10^4 t/a")
                sel = known & (jc == j) & of_grade & of_way & (np.isnan(thr) | (thr < v))
                thr[sel], code[sel] = v, b.entry_code(e.id)
    scale = annual_scale(b)
    sc = scale[idx]
    new = is_new(b)[idx]
    judged = known & ~np.isnan(thr)
    with np.errstate(invalid="ignore"):
        below = judged & (sc < thr)
        res.outcome[idx], res.reason[idx] = choose(
            [~coal, ~known, np.isnan(sc), ~below, new],
            [MISSING, MISSING, MISSING, PASS, FAIL],
            [R_NON_COAL, R_NO_RANK, R_UNIT, R_PASS, R_FAIL],
            (WARN, R_UPGRADE_OR_EXIT),
        )
    thr_all = np.full(n, np.nan)
    thr_all[idx] = thr
    used = np.full(n, -1, dtype=np.int16)
    used[idx] = code
    exit_ = np.full(n, -1, dtype=np.int16)
    exit_[idx[below & ~new]] = b.entry_code(EXISTING)
    res.facts.update(
        scale=(scale, "10^4 t/a"),
        threshold=(thr_all, "10^4 t/a"),
        op=(const(n, ">="), None),
        coal_rank=(b.coded("coal_rank"), None),
        mining_method=(b.coded("mining_method"), None),
    )
    res.entries += [used, exit_]
    return res


ONE_DEPOSIT = "003.scale.non_coal.mines_per_deposit"
R_SHARED = reason_code("shared_deposit")


@rule(
    "mine.one_deposit_one_enterprise",
    "right",
    "M33",
    ("新建非煤矿山一个矿床设置一个矿山企业", "New non-coal mines: one deposit, one enterprise"),
    reasons={
        R_PASS: (
            "申请范围未与其他企业同矿种的采矿权重叠",
            "the application overlaps no other enterprise's mining right for the same mineral",
        ),
        R_SHARED: (
            "申请范围与 {other_holder_rights} 个其他企业同矿种的采矿权重叠：一个矿床只设一个矿山企业",
            "the application overlaps {other_holder_rights} mining right(s) of other enterprises for the "
            "same mineral: one deposit, one enterprise",
        ),
        R_MISSING: ("缺少边界，无法判断", "the boundary is not recorded"),
    },
    labels={"other_holder_rights": ("重叠的他人同矿种采矿权", "overlapping same-mineral rights of others")},
    applies=mines,
    reads=MINE_READS + ("metals_mask", "other_holder_same_mineral_mining"),
    entries=(ONE_DEPOSIT,),
)
def one_deposit(b: Batch) -> Result:
    res = Result.empty(len(b))
    applies = mines(b) & is_new(b) & ~mn.has(b.mask("metals_mask"), mn.keys("coal"))
    bound = entry_rows(b, ONE_DEPOSIT)
    others = b.num("other_holder_same_mineral_mining")
    live = in_force(res, applies, bound)
    res.set(live & np.isnan(others), MISSING, R_MISSING)
    res.set(live & (others == 0), PASS, R_PASS)
    res.set(live & (others > 0), FAIL, R_SHARED)
    res.facts["other_holder_rights"] = (others, "count")
    res.entries.append(entry_col(b, ONE_DEPOSIT, live))
    return res


MORATORIUM = "003.mining.coal.new_mine_moratorium"
REPLACEMENT = "003.mining.coal.new_mine_replacement"
PLAN_PERIOD = "003.plan.period"
R_FROZEN, R_OPEN = reason_codes("in_moratorium", "outside_moratorium")


def _new_coal(b: Batch) -> np.ndarray:
    return mines(b) & is_new(b) & mn.has(b.mask("metals_mask"), mn.keys("coal"))


def moratorium_window(b: Batch):
    """(start, end) of the plan's first years: plan start year + the entry's number of years."""
    import datetime as dt

    start = dt.date(int(entry(b, PLAN_PERIOD).value[0]), 1, 1)
    years = int(entry(b, MORATORIUM).value)
    return start, start.replace(year=start.year + years)


@rule(
    "coal.new_mine_moratorium",
    ("facility", "right"),
    "M28",
    ("规划期前3年原则上停止审批新建煤矿", "No new coal mines approved in the plan's first 3 years (in principle)"),
    reasons={
        R_FROZEN: (
            "{as_of} 处于规划期前3年（{window}）：原则上停止审批新建煤矿项目（警示）",
            "{as_of} is within the plan's first 3 years ({window}): approval of new coal mines is "
            "stopped in principle (a warning)",
        ),
        R_OPEN: ("{as_of} 不在规划期前3年（{window}）内", "{as_of} is outside the plan's first 3 years ({window})"),
    },
    labels={"window": ("停批期", "moratorium")},
    applies=mines,
    reads=MINE_READS + ("metals_mask",),
    entries=(MORATORIUM, PLAN_PERIOD),
)
def moratorium(b: Batch) -> Result:
    res = Result.empty(len(b))
    applies = _new_coal(b)
    start, end = moratorium_window(b)
    frozen = in_window(const(len(b), np.datetime64(b.as_of, "D")), start, end)
    e = entry(b, MORATORIUM)  # bound from the plan's publication; the window itself is the plan's years
    bound = (b.jurisdiction == e.jurisdiction) & (b.as_of >= e.effective)
    res.set(applies & ~bound, NA, R_NOT_IN_FORCE)
    res.set(applies & bound & frozen, WARN, R_FROZEN)
    res.set(applies & bound & ~frozen, PASS, R_OPEN)
    res.facts["window"] = (const(len(b), f"{start.isoformat()}–{end.isoformat()}"), None)
    res.entries += [entry_col(b, MORATORIUM, applies & bound), entry_col(b, PLAN_PERIOD, applies & bound)]
    return res


@rule(
    "coal.reduced_replacement",
    ("facility", "right"),
    "M28",
    ("新建煤矿一律实行减量置换", "New coal mines: reduced capacity replacement"),
    reasons={
        R_PASS: (
            "置换退出产能 {replacement_retired} 万吨/年 大于新建规模 {scale} 万吨/年，为减量置换",
            "retired capacity {replacement_retired} exceeds the new scale {scale} (10^4 t/a): a reduced replacement",
        ),
        R_FAIL: (
            "置换退出产能 {replacement_retired} 万吨/年 不大于新建规模 {scale} 万吨/年，不是减量置换",
            "retired capacity {replacement_retired} does not exceed the new scale {scale} (10^4 t/a): not a "
            "reduced replacement",
        ),
        R_MISSING: (
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
    res = Result.empty(len(b))
    applies = _new_coal(b)
    bound = entry_rows(b, REPLACEMENT)
    scale, retired = annual_scale(b), b.num("replacement_retired")
    live = in_force(res, applies, bound)
    known = ~np.isnan(scale) & ~np.isnan(retired)
    res.set(live & ~known, MISSING, R_MISSING)
    with np.errstate(invalid="ignore"):
        res.set(live & known & (retired > scale), PASS, R_PASS)  # 减量: strictly less comes back
        res.set(live & known & (retired <= scale), FAIL, R_FAIL)
    res.facts.update(replacement_retired=(retired, "10^4 t/a"), scale=(scale, "10^4 t/a"))
    res.entries.append(entry_col(b, REPLACEMENT, live))
    return res
