"""Planning conformance of mineral rights (M10, M30, M31, M72; seed 003 chapters 5–6).

The spatial facts (how many prohibited areas, nature reserves, restricted areas, planning blocks and
other holders' rights a right's boundary overlaps) come from `spatial.relate`, through the geometry
core's bulk index; "overlaps" means the interiors intersect, so a shared edge is not an overlap.
A count is NaN when the right has no boundary: missing data.
"""

from __future__ import annotations

import numpy as np

from ..engine import (
    FAIL,
    MISSING,
    NA,
    PASS,
    R_MISSING,
    R_NOT_IN_FORCE,
    R_PASS,
    R_PRINCIPLE,
    WARN,
    Batch,
    Result,
    compare,
    const,
    reason_code,
    reason_codes,
    resolve,
    rule,
)
from ..vocabulary import entry, entry_col, entry_rows, in_force, in_window, of_kind

PROHIBITED = ("003.zone.prohibited_mining_areas.part1", "003.zone.prohibited_mining_areas.part2")
RESERVE = "003.zone.nature_reserve.no_mining"
RESERVE_EXIT = "003.exploration.nature_reserve_exit"
R_RESERVE, R_PROHIBITED, R_CONSENT, R_EXPL_RESERVE, R_EXPL_PROHIBITED, R_NO_CONSENT, R_EXPL_RESERVE_NEW = reason_codes(
    "reserve", "prohibited", "consent", "expl_reserve", "expl_prohibited", "no_consent", "expl_reserve_new"
)

RIGHTS = lambda b: of_kind(b, "mining", "exploration")  # noqa: E731


def _applied(b: Batch) -> np.ndarray:
    return b.eq("project_type", "new")


@rule(
    "plan.prohibited_area",
    "right",
    "M31",
    ("禁止开采区与自然保护区", "Prohibited mining areas and nature reserves"),
    reasons={
        R_PASS: (
            "矿业权范围未与禁止开采区或自然保护区重叠",
            "the right overlaps no prohibited mining area or nature reserve",
        ),
        R_RESERVE: (
            "采矿权范围与 {in_nature_reserve} 处自然保护区重叠：禁止在自然保护区内开采，已有矿业权依法有序退出",
            "the mining right overlaps {in_nature_reserve} nature reserve(s): no mining is allowed there;"
            " existing rights exit in an orderly, lawful way",
        ),
        R_PROHIBITED: (
            "采矿权范围与禁止开采区（{in_prohibited} 处）或自然保护区（{in_nature_reserve} 处）重叠，"
            "且未经国务院授权的有关主管部门同意",
            "the mining right overlaps prohibited mining areas ({in_prohibited}) or nature reserves "
            "({in_nature_reserve}) without the consent of a department authorised by the State "
            "Council",
        ),
        R_NO_CONSENT: (
            "采矿权范围与禁止开采区（{in_prohibited} 处）重叠，未记录是否经国务院授权的有关主管部门同意，无法判断",
            "the mining right overlaps prohibited mining areas ({in_prohibited}); whether "
            "a department authorised by the State Council consented is not recorded",
        ),
        R_EXPL_RESERVE_NEW: (
            "新申请的探矿权位于自然保护区内：自然保护区内禁止开采，已有探矿权须依法有序退出，不再新设",
            "a new exploration right inside a nature reserve: mining is banned there and "
            "existing exploration rights must exit, so no new one is set",
        ),
        R_CONSENT: (
            "采矿权范围与禁止开采区重叠，已记录国务院授权的有关主管部门同意",
            "the mining right overlaps a prohibited mining area, with the recorded consent of a "
            "department authorised by the State Council",
        ),
        R_EXPL_RESERVE: (
            "探矿权位于自然保护区内：探索通过补偿、置换等方式逐步依法有序退出",
            "the exploration right lies in a nature reserve: to exit in order, by compensation or exchange",
        ),
        R_EXPL_PROHIBITED: (
            "探矿权与禁止开采区重叠：将来在此开采须经国务院授权的有关主管部门同意",
            "the exploration right overlaps a prohibited mining area: mining there later needs "
            "consent of a department authorised by the State Council",
        ),
        R_MISSING: ("缺少矿业权边界，无法判断", "the right's boundary is not recorded"),
    },
    labels={"in_prohibited": ("重叠的禁止开采区", "prohibited areas overlapped")},
    applies=RIGHTS,
    reads=("kind", "project_type", "in_prohibited", "in_nature_reserve", "state_council_consent"),
    entries=(*PROHIBITED, RESERVE, RESERVE_EXIT),
)
def prohibited_area(b: Batch) -> Result:
    res = Result.empty(len(b))
    mining, expl = b.eq("kind", "mining"), b.eq("kind", "exploration")
    pro, reserve = b.num("in_prohibited"), b.num("in_nature_reserve")
    bound_pro = entry_rows(b, PROHIBITED[0])
    bound_res = entry_rows(b, RESERVE)
    applies = (mining | expl) & bound_pro
    res.set((mining | expl) & ~bound_pro, NA, R_NOT_IN_FORCE)
    res.set(applies & (np.isnan(pro) | np.isnan(reserve)), MISSING, R_MISSING)
    res.set(applies & (pro == 0) & (reserve == 0), PASS, R_PASS)
    consent = b.flag("state_council_consent")
    # where the reserve ban does not bind, a nature reserve is one of the prohibited areas (part 2 of the list);
    # where it binds, seed 003 bans mining there outright, consent or not
    any_pro = pro + np.where(bound_res, 0, reserve)
    hit = applies & mining & (any_pro > 0)
    res.set(hit & (consent == 0), FAIL, R_PROHIBITED)
    res.set(hit & (consent < 0), MISSING, R_NO_CONSENT)  # consent not recorded: cannot be decided
    res.set(hit & (consent == 1), PASS, R_CONSENT)
    res.set(applies & expl & (any_pro > 0), WARN, R_EXPL_PROHIBITED)
    in_res = applies & bound_res & (reserve > 0)
    res.set(in_res & mining, FAIL, R_RESERVE)
    res.set(in_res & expl & ~_applied(b), WARN, R_EXPL_RESERVE)
    res.set(in_res & expl & _applied(b), FAIL, R_EXPL_RESERVE_NEW)
    res.facts.update(
        in_prohibited=(pro, "count"),
        in_nature_reserve=(reserve, "count"),
        state_council_consent=(b.flag("state_council_consent"), None),
    )
    res.entries += [entry_col(b, e, applies & (any_pro > 0)) for e in PROHIBITED]
    res.entries += [entry_col(b, RESERVE, in_res), entry_col(b, RESERVE_EXIT, in_res & expl)]
    return res


RESTRICTED = ("003.zone.restricted_mining_areas.named", "003.zone.restricted_mining_areas.controls")
R_OUTSIDE, R_REVIEW, R_CONTROLLED, R_REVIEW_FAILED = reason_codes(
    "outside_restricted", "review", "controlled", "review_failed"
)


@rule(
    "plan.restricted_area",
    "right",
    "M30",
    ("限制开采区的条件", "Restricted mining areas: conditions"),
    reasons={
        R_OUTSIDE: ("不在限制开采区内", "not in a restricted mining area"),
        R_PASS: (
            "位于限制开采区内的新立/变更采矿权，已记录通过规划论证与审查",
            "a new or changed mining right in a "
            "restricted area, with the planning argument and review recorded as passed",
        ),
        R_REVIEW: (
            "位于限制开采区内的新立/变更采矿权：须严格按照矿山准入条件进行规划论证与审查",
            "a new or changed mining right in a restricted area: it must meet the mine access conditions"
            " and pass a planning argument and review",
        ),
        R_REVIEW_FAILED: (
            "位于限制开采区内的新立/变更采矿权，记录为未通过规划论证与审查",
            "a new or changed mining right in a restricted area, recorded as having failed the "
            "planning argument and review",
        ),
        R_CONTROLLED: (
            "位于限制开采区内：采矿权设置数量、开采规模和开采总量受严格控制",
            "in a restricted mining area: the number of rights, mine scale and total output are strictly capped",
        ),
        R_MISSING: ("缺少矿业权边界，无法判断", "the right's boundary is not recorded"),
    },
    labels={"in_restricted": ("重叠的限制开采区", "restricted areas overlapped")},
    applies=RIGHTS,
    reads=("kind", "project_type", "in_restricted", "planning_review_passed"),
    entries=RESTRICTED,
)
def restricted_area(b: Batch) -> Result:
    res = Result.empty(len(b))
    mining = of_kind(b, "mining")
    inside = b.num("in_restricted")
    bound = entry_rows(b, RESTRICTED[0])
    applies = mining & bound
    res.set(mining & ~bound, NA, R_NOT_IN_FORCE)
    res.set(applies & np.isnan(inside), MISSING, R_MISSING)
    res.set(applies & (inside == 0), NA, R_OUTSIDE)
    hit = applies & (inside > 0)
    review = b.flag("planning_review_passed")
    res.set(hit & ~_applied(b), WARN, R_CONTROLLED)
    res.set(hit & _applied(b) & (review < 0), WARN, R_REVIEW)
    res.set(hit & _applied(b) & (review == 0), FAIL, R_REVIEW_FAILED)  # 不符合规划准入条件的，不予通过规划审查
    res.set(hit & _applied(b) & (review == 1), PASS, R_PASS)
    res.facts.update(in_restricted=(inside, "count"), planning_review_passed=(b.flag("planning_review_passed"), None))
    res.entries += [entry_col(b, e, hit) for e in RESTRICTED]
    return res


BLOCK_SUBJECTS = "exploration_planning_block.subjects_max"
R_NO_BLOCK = reason_code("no_block")


@rule(
    "plan.block_single_subject",
    "right",
    "M10",
    ("一个勘查规划区块原则上只设一个勘查主体", "One exploration subject per exploration planning block (in principle)"),
    reasons={
        R_NO_BLOCK: (
            "探矿权不在任何勘查规划区块内（见 plan.outside_blocks）",
            "the exploration right is in no exploration planning block (see plan.outside_blocks)",
        ),
        R_MISSING: ("缺少矿业权边界，无法判断", "the right's boundary is not recorded"),
    },
    labels={"block_subjects": ("所在区块的勘查主体数", "exploration subjects in its block")},
    applies=RIGHTS,
    reads=("kind", "exploration_blocks", "block_other_subjects"),
    params=(BLOCK_SUBJECTS,),
)
def block_single_subject(b: Batch) -> Result:
    """Subjects in a block = this right's holder plus the other holders with rights in the same block."""
    res = Result.empty(len(b))
    expl = of_kind(b, "exploration")
    blocks, others = b.num("exploration_blocks"), b.num("block_other_subjects")
    subjects = others + 1
    lk = resolve(b, BLOCK_SUBJECTS, "count", expl)
    live = in_force(res, expl, lk.found)
    res.set(live & np.isnan(blocks), MISSING, R_MISSING)
    res.set(live & (blocks == 0), NA, R_NO_BLOCK)
    judged = live & (blocks > 0)
    ok = compare(subjects, lk.op, lk.value)
    res.set(judged & ok, PASS, R_PASS)
    res.set(judged & ~ok, WARN, R_PRINCIPLE)  # 原则上: a warning
    res.facts.update(
        block_subjects=(np.where(judged, subjects, np.nan), "count"),
        threshold=(lk.value, "count"),
        op=(lk.symbols, None),
    )
    res.entries.append(lk.entry)
    return res


R_CONFLICT_NEW, R_CONFLICT_OLD = reason_codes("conflict_new", "conflict_old")


@rule(
    "plan.right_overlap",
    "right",
    "M72",
    ("与已设矿业权重叠", "Overlap with existing rights"),
    reasons={
        R_PASS: ("未与其他权利人的有效矿业权重叠", "no overlap with another holder's live right"),
        R_CONFLICT_NEW: (
            "申请范围与 {conflicts} 个其他权利人的有效矿业权重叠（采矿权按开采标高判断立体重叠）",
            "the application overlaps {conflicts} live right(s) of other holders (mining rights "
            "compared in three dimensions by their elevation ranges)",
        ),
        R_CONFLICT_OLD: (
            "与 {conflicts} 个其他权利人的有效矿业权重叠，须核查登记",
            "overlaps {conflicts} live right(s) of other holders: the register must be checked",
        ),
        R_MISSING: ("缺少矿业权边界，无法判断", "the right's boundary is not recorded"),
    },
    labels={"conflicts": ("重叠的他人矿业权", "overlapping rights of others")},
    applies=RIGHTS,
    reads=("kind", "project_type", "conflicts"),
)
def right_overlap(b: Batch) -> Result:
    """A registry conflict check that planning review relies on; no seed states it as a number, so
    its verdicts cite no catalogue entry."""
    res = Result.empty(len(b))
    applies = of_kind(b, "mining", "exploration")
    c = b.num("conflicts")
    res.set(applies & np.isnan(c), MISSING, R_MISSING)
    res.set(applies & (c == 0), PASS, R_PASS)
    res.set(applies & (c > 0) & _applied(b), FAIL, R_CONFLICT_NEW)
    res.set(applies & (c > 0) & ~_applied(b), WARN, R_CONFLICT_OLD)
    res.facts["conflicts"] = (c, "count")
    return res


BLOCK_ENTRIES = {"exploration": "003.block.exploration.subjects_max", "mining": "003.block.mining.count"}
R_IN_BLOCK, R_OUTSIDE_ALL = reason_codes("in_block", "outside_all")


@rule(
    "plan.outside_blocks",
    "right",
    "M10",
    ("规划区块之外的矿业权", "Rights outside every planning block"),
    reasons={
        R_IN_BLOCK: ("位于 {blocks} 个相应的规划区块内", "inside {blocks} planning block(s) of its kind"),
        R_OUTSIDE_ALL: (
            "不在任何{block_kind}内：须复核是否符合规划及矿业权设置区划",
            "outside every {block_kind_en}: to be reviewed against the plan and its rights-setting zoning",
        ),
        R_MISSING: ("缺少矿业权边界，无法判断", "the right's boundary is not recorded"),
    },
    labels={"blocks": ("所在规划区块数", "planning blocks containing it")},
    derive=lambda f: {
        "block_kind": "勘查规划区块" if f["exploration"][0] else "开采规划区块",
        "block_kind_en": "exploration planning block" if f["exploration"][0] else "mining planning block",
    },
    applies=RIGHTS,
    reads=("kind", "exploration_blocks", "mining_blocks"),
    entries=tuple(BLOCK_ENTRIES.values()),
)
def outside_blocks(b: Batch) -> Result:
    res = Result.empty(len(b))
    expl, mining = b.eq("kind", "exploration"), b.eq("kind", "mining")
    blocks = np.where(expl, b.num("exploration_blocks"), b.num("mining_blocks"))
    bound = entry_rows(b, BLOCK_ENTRIES["exploration"])
    applies = (expl | mining) & bound
    res.set((expl | mining) & ~bound, NA, R_NOT_IN_FORCE)
    res.set(applies & np.isnan(blocks), MISSING, R_MISSING)
    res.set(applies & (blocks > 0), PASS, R_IN_BLOCK)
    res.set(applies & (blocks == 0), WARN, R_OUTSIDE_ALL)
    res.facts.update(blocks=(blocks, "count"), exploration=(expl, None))
    res.entries += [
        entry_col(b, BLOCK_ENTRIES["exploration"], applies & expl),
        entry_col(b, BLOCK_ENTRIES["mining"], applies & mining),
    ]
    return res


RELEASE_BAN = "003.block.mining.coal.release_ban"
PLAN_PERIOD = "003.plan.period"
R_EARLY, R_LATER, R_NOT_COAL, R_NO_DATE = reason_codes("early", "later", "not_coal", "no_date")


@rule(
    "plan.coal_block_release",
    "zone",
    "M10",
    ("煤炭开采规划区块规划期前3年禁止投放", "Coal mining blocks not released in the plan's first 3 years"),
    reasons={
        R_EARLY: (
            "煤炭开采规划区块于 {release_date} 投放，处于规划期前3年禁止投放期（{window}）",
            "the coal mining block was released on {release_date}, inside the ban on releases in the "
            "plan's first 3 years ({window})",
        ),
        R_LATER: (
            "煤炭开采规划区块于 {release_date} 投放，不在禁止投放期（{window}）内",
            "the coal mining block was released on {release_date}, outside the ban ({window})",
        ),
        R_NOT_COAL: ("非煤炭开采规划区块", "not a coal mining block"),
        R_NO_DATE: ("尚未投放（未记录投放时间）", "not released (no release date recorded)"),
    },
    labels={"release_date": ("投放时间", "release date")},
    applies=lambda b: of_kind(b, "mining_planning_block"),
    reads=("kind", "metals_mask", "release_date"),
    entries=(RELEASE_BAN, PLAN_PERIOD),
)
def coal_block_release(b: Batch) -> Result:
    """Banned: releases in the plan period's first years (规划期前3年: plan start to plan start + the entry's
    years). Judged once the plan is in force (the entry's effective date), for past releases too."""
    import datetime as dt

    from .. import minerals as mn

    res = Result.empty(len(b))
    e = entry(b, RELEASE_BAN)
    blocks = of_kind(b, "mining_planning_block")
    coal = mn.has(b.mask("metals_mask"), mn.keys("coal"))
    bound = blocks & (b.jurisdiction == e.jurisdiction) & (b.as_of >= e.effective)
    start = dt.date(int(entry(b, PLAN_PERIOD).value[0]), 1, 1)
    end = min(start.replace(year=start.year + int(e.value)), e.until or dt.date.max)
    released = b.date("release_date")
    res.set(blocks & ~bound, NA, R_NOT_IN_FORCE)
    res.set(bound & ~coal, NA, R_NOT_COAL)
    live = bound & coal
    res.set(live & np.isnat(released), NA, R_NO_DATE)
    early = in_window(released, start, end)
    res.set(live & ~np.isnat(released) & ~early, PASS, R_LATER)
    res.set(live & early, FAIL, R_EARLY)
    res.facts.update(release_date=(released, None), window=(const(len(b), f"{start}–{end}"), None))
    res.entries += [entry_col(b, RELEASE_BAN, live), entry_col(b, PLAN_PERIOD, live)]
    return res
