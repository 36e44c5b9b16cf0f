"""Planning conformance of mineral rights (M10, M30, M31, M72; seed 003 chapters 5–6).

The spatial facts (how many prohibited areas, nature reserves, restricted areas, planning blocks and
other holders' rights a right's boundary overlaps) come from `spatial.relate`, through the geometry
core's bulk index; "overlaps" means the interiors intersect, so a shared edge is not an overlap.
A count is NaN when the right has no boundary: missing data.
"""

from __future__ import annotations

import numpy as np

from ..vocabulary import (
    Batch,
    Result,
    const,
    fails,
    in_window,
    missing,
    not_applicable,
    of_kind,
    passes,
    rule,
    select,
    warns,
)

PROHIBITED = ("003.zone.prohibited_mining_areas.part1", "003.zone.prohibited_mining_areas.part2")
RESERVE = "003.zone.nature_reserve.no_mining"
RESERVE_EXIT = "003.exploration.nature_reserve_exit"

RIGHTS = lambda b: of_kind(b, "mining", "exploration")  # noqa: E731


def _applied(b: Batch) -> np.ndarray:
    return b.eq("project_type", "new")


@rule(
    "plan.prohibited_area",
    "right",
    "M31",
    ("禁止开采区与自然保护区", "Prohibited mining areas and nature reserves"),
    reasons={
        "pass": (
            "矿业权范围未与禁止开采区或自然保护区重叠",
            "the right overlaps no prohibited mining area or nature reserve",
        ),
        "reserve": fails(
            "采矿权范围与 {in_nature_reserve} 处自然保护区重叠：禁止在自然保护区内开采，已有矿业权依法有序退出",
            "the mining right overlaps {in_nature_reserve} nature reserve(s): no mining is allowed there;"
            " existing rights exit in an orderly, lawful way",
        ),
        "prohibited": fails(
            "采矿权范围与禁止开采区（{in_prohibited} 处）或自然保护区（{in_nature_reserve} 处）重叠，"
            "且未经国务院授权的有关主管部门同意",
            "the mining right overlaps prohibited mining areas ({in_prohibited}) or nature reserves "
            "({in_nature_reserve}) without the consent of a department authorised by the State "
            "Council",
        ),
        "no_consent": missing(
            "采矿权范围与禁止开采区（{in_prohibited} 处）重叠，未记录是否经国务院授权的有关主管部门同意，无法判断",
            "the mining right overlaps prohibited mining areas ({in_prohibited}); whether "
            "a department authorised by the State Council consented is not recorded",
        ),
        "expl_reserve_new": fails(
            "新申请的探矿权位于自然保护区内：自然保护区内禁止开采，已有探矿权须依法有序退出，不再新设",
            "a new exploration right inside a nature reserve: mining is banned there and "
            "existing exploration rights must exit, so no new one is set",
        ),
        "consent": passes(
            "采矿权范围与禁止开采区重叠，已记录国务院授权的有关主管部门同意",
            "the mining right overlaps a prohibited mining area, with the recorded consent of a "
            "department authorised by the State Council",
        ),
        "expl_reserve": warns(
            "探矿权位于自然保护区内：探索通过补偿、置换等方式逐步依法有序退出",
            "the exploration right lies in a nature reserve: to exit in order, by compensation or exchange",
        ),
        "expl_prohibited": warns(
            "探矿权与禁止开采区重叠：将来在此开采须经国务院授权的有关主管部门同意",
            "the exploration right overlaps a prohibited mining area: mining there later needs "
            "consent of a department authorised by the State Council",
        ),
        "missing": ("缺少矿业权边界，无法判断", "the right's boundary is not recorded"),
    },
    labels={"in_prohibited": ("重叠的禁止开采区", "prohibited areas overlapped")},
    applies=RIGHTS,
    reads=("kind", "project_type", "in_prohibited", "in_nature_reserve", "state_council_consent"),
    entries=(*PROHIBITED, RESERVE, RESERVE_EXIT),
)
def prohibited_area(b: Batch) -> Result:
    """「不得在以下地区开采矿产资源：…」 (003.zone.prohibited_mining_areas.part1, part2: 「…（ 5）国家划定的自然保护区…」);
    「禁止在自然保护区内从事开采活动。自然保护区内已有探矿权和采矿权，在维护矿业权人合法权益的前提下，依法有序退出」
    (003.zone.nature_reserve.no_mining); 「位于自然保护区内的已设探矿权，探索通过补偿、置换等方式逐步依法有序退出」
    (003.exploration.nature_reserve_exit)."""
    mining, expl = b.eq("kind", "mining"), b.eq("kind", "exploration")
    pro, reserve = b.num("in_prohibited"), b.num("in_nature_reserve")
    bound = b.binds(PROHIBITED[0])
    reserve_ban = b.binds(RESERVE)
    consent = b.flag("state_council_consent")
    # where the reserve ban does not bind, a nature reserve is one of the prohibited areas (part 2 of the list);
    # where it binds, seed 003 bans mining there outright, consent or not
    any_prohibited = pro + np.where(reserve_ban, 0, reserve) > 0
    in_reserve = reserve_ban & (reserve > 0)
    reason = select(
        (~(mining | expl), "not_subject"),
        (~bound, "not_in_force"),
        (in_reserve & expl & _applied(b), "expl_reserve_new"),
        (in_reserve & expl, "expl_reserve"),
        (in_reserve & mining, "reserve"),
        (expl & any_prohibited, "expl_prohibited"),
        (any_prohibited & (consent == 1), "consent"),
        (any_prohibited & (consent < 0), "no_consent"),  # consent not recorded: cannot be decided
        (any_prohibited, "prohibited"),
        ((pro == 0) & (reserve == 0), "pass"),
        (np.isnan(pro) | np.isnan(reserve), "missing"),
        default="not_subject",
    )
    applies = (mining | expl) & bound
    return Result(
        reason,
        facts={
            "in_prohibited": (pro, "count"),
            "in_nature_reserve": (reserve, "count"),
            "state_council_consent": (consent, None),
        },
        entries=[b.cite(e, applies & any_prohibited) for e in PROHIBITED]
        + [b.cite(RESERVE, applies & in_reserve), b.cite(RESERVE_EXIT, applies & in_reserve & expl)],
    )


RESTRICTED = ("003.zone.restricted_mining_areas.named", "003.zone.restricted_mining_areas.controls")


@rule(
    "plan.restricted_area",
    "right",
    "M30",
    ("限制开采区的条件", "Restricted mining areas: conditions"),
    reasons={
        "outside_restricted": not_applicable("不在限制开采区内", "not in a restricted mining area"),
        "pass": (
            "位于限制开采区内的新立/变更采矿权，已记录通过规划论证与审查",
            "a new or changed mining right in a "
            "restricted area, with the planning argument and review recorded as passed",
        ),
        "review": warns(
            "位于限制开采区内的新立/变更采矿权：须严格按照矿山准入条件进行规划论证与审查",
            "a new or changed mining right in a restricted area: it must meet the mine access conditions"
            " and pass a planning argument and review",
        ),
        "review_failed": fails(
            "位于限制开采区内的新立/变更采矿权，记录为未通过规划论证与审查",
            "a new or changed mining right in a restricted area, recorded as having failed the "
            "planning argument and review",
        ),
        "controlled": warns(
            "位于限制开采区内：采矿权设置数量、开采规模和开采总量受严格控制",
            "in a restricted mining area: the number of rights, mine scale and total output are strictly capped",
        ),
        "missing": ("缺少矿业权边界，无法判断", "the right's boundary is not recorded"),
    },
    labels={"in_restricted": ("重叠的限制开采区", "restricted areas overlapped")},
    applies=RIGHTS,
    reads=("kind", "project_type", "in_restricted", "planning_review_passed"),
    entries=RESTRICTED,
)
def restricted_area(b: Batch) -> Result:
    """「限制开采区要严格控制采矿权的设置数量、矿山开采规模、开采总量，采矿权新立、变更要严格按照矿山准入条件，进行规划论证与审查」
    (003.zone.restricted_mining_areas.controls), in the areas 「划定太仆寺旗白石头洼钨矿、东乌旗沙麦钨矿、白云鄂博稀土矿区
    3个限制开采区」 (003.zone.restricted_mining_areas.named)."""
    mining = of_kind(b, "mining")
    inside = b.num("in_restricted")
    bound = b.binds(RESTRICTED[0])
    review = b.flag("planning_review_passed")
    reason = select(
        (~mining, "not_subject"),
        (~bound, "not_in_force"),
        (np.isnan(inside), "missing"),
        (inside == 0, "outside_restricted"),
        (~_applied(b), "controlled"),
        (review < 0, "review"),
        (review == 0, "review_failed"),  # 不符合规划准入条件的，不予通过规划审查
        default="pass",
    )
    hit = mining & bound & (inside > 0)
    return Result(
        reason,
        facts={"in_restricted": (inside, "count"), "planning_review_passed": (review, None)},
        entries=[b.cite(e, hit) for e in RESTRICTED],
    )


BLOCK_SUBJECTS = "exploration_planning_block.subjects_max"


@rule(
    "plan.block_single_subject",
    "right",
    "M10",
    ("一个勘查规划区块原则上只设一个勘查主体", "One exploration subject per exploration planning block (in principle)"),
    reasons={
        "no_block": not_applicable(
            "探矿权不在任何勘查规划区块内（见 plan.outside_blocks）",
            "the exploration right is in no exploration planning block (see plan.outside_blocks)",
        ),
        "missing": ("缺少矿业权边界，无法判断", "the right's boundary is not recorded"),
    },
    labels={"block_subjects": ("所在区块的勘查主体数", "exploration subjects in its block")},
    applies=RIGHTS,
    reads=("kind", "exploration_blocks", "block_other_subjects"),
    params=(BLOCK_SUBJECTS,),
)
def block_single_subject(b: Batch) -> Result:
    """「…但一个勘查规划区块原则上只设一个勘查主体」 (003.block.exploration.subjects_max). The subjects in a block
    are this right's holder and the other holders with rights in the same block."""
    expl = of_kind(b, "exploration")
    blocks = b.num("exploration_blocks")
    subjects = b.num("block_other_subjects") + 1
    most = b.param(BLOCK_SUBJECTS, "count", expl)
    reason = select(
        (~expl, "not_subject"),
        (~most.found, "not_in_force"),
        (np.isnan(blocks), "missing"),
        (blocks == 0, "no_block"),
        (most.met_by(subjects), "pass"),
        default="principle",  # 原则上: a warning
    )
    judged = expl & most.found & (blocks > 0)
    return Result(
        reason,
        facts={
            "block_subjects": (np.where(judged, subjects, np.nan), "count"),
            "threshold": (most.value, "count"),
            "op": (most.symbols, None),
        },
        entries=[most.entry],
    )


@rule(
    "plan.right_overlap",
    "right",
    "M72",
    ("与已设矿业权重叠", "Overlap with existing rights"),
    reasons={
        "pass": ("未与其他权利人的有效矿业权重叠", "no overlap with another holder's live right"),
        "conflict_new": fails(
            "申请范围与 {conflicts} 个其他权利人的有效矿业权重叠（采矿权按开采标高判断立体重叠）",
            "the application overlaps {conflicts} live right(s) of other holders (mining rights "
            "compared in three dimensions by their elevation ranges)",
        ),
        "conflict_old": warns(
            "与 {conflicts} 个其他权利人的有效矿业权重叠，须核查登记",
            "overlaps {conflicts} live right(s) of other holders: the register must be checked",
        ),
        "missing": ("缺少矿业权边界，无法判断", "the right's boundary is not recorded"),
    },
    labels={"conflicts": ("重叠的他人矿业权", "overlapping rights of others")},
    applies=RIGHTS,
    reads=("kind", "project_type", "conflicts"),
)
def right_overlap(b: Batch) -> Result:
    """A registry conflict check that planning review relies on; no seed states it as a number, so
    its verdicts cite no catalogue entry."""
    rights = of_kind(b, "mining", "exploration")
    conflicts = b.num("conflicts")
    reason = select(
        (~rights, "not_subject"),
        (np.isnan(conflicts), "missing"),
        (conflicts == 0, "pass"),
        (_applied(b), "conflict_new"),
        default="conflict_old",
    )
    return Result(reason, facts={"conflicts": (conflicts, "count")})


BLOCK_ENTRIES = {"exploration": "003.block.exploration.subjects_max", "mining": "003.block.mining.count"}


@rule(
    "plan.outside_blocks",
    "right",
    "M10",
    ("规划区块之外的矿业权", "Rights outside every planning block"),
    reasons={
        "in_block": passes("位于 {blocks} 个相应的规划区块内", "inside {blocks} planning block(s) of its kind"),
        "outside_all": warns(
            "不在任何{block_kind}内：须复核是否符合规划及矿业权设置区划",
            "outside every {block_kind_en}: to be reviewed against the plan and its rights-setting zoning",
        ),
        "missing": ("缺少矿业权边界，无法判断", "the right's boundary is not recorded"),
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
    """「探矿权原则上按照勘查规划区块范围设置…」 (003.block.exploration.subjects_max) and the mining blocks
    of 「本轮规划共设置开采规划区块 2056个，规划面积 3.79万平方公里」 (003.block.mining.count): a right in no
    block of its kind is flagged for review."""
    expl, mining = b.eq("kind", "exploration"), b.eq("kind", "mining")
    blocks = np.where(expl, b.num("exploration_blocks"), b.num("mining_blocks"))
    bound = b.binds(BLOCK_ENTRIES["exploration"])
    reason = select(
        (~(expl | mining), "not_subject"),
        (~bound, "not_in_force"),
        (np.isnan(blocks), "missing"),
        (blocks > 0, "in_block"),
        default="outside_all",
    )
    return Result(
        reason,
        facts={"blocks": (blocks, "count"), "exploration": (expl, None)},
        entries=[
            b.cite(BLOCK_ENTRIES["exploration"], bound & expl),
            b.cite(BLOCK_ENTRIES["mining"], bound & mining),
        ],
    )


RELEASE_BAN = "003.block.mining.coal.release_ban"
PLAN_PERIOD = "003.plan.period"


@rule(
    "plan.coal_block_release",
    "zone",
    "M10",
    ("煤炭开采规划区块规划期前3年禁止投放", "Coal mining blocks not released in the plan's first 3 years"),
    reasons={
        "early": fails(
            "煤炭开采规划区块于 {release_date} 投放，处于规划期前3年禁止投放期（{window}）",
            "the coal mining block was released on {release_date}, inside the ban on releases in the "
            "plan's first 3 years ({window})",
        ),
        "later": passes(
            "煤炭开采规划区块于 {release_date} 投放，不在禁止投放期（{window}）内",
            "the coal mining block was released on {release_date}, outside the ban ({window})",
        ),
        "not_coal": not_applicable("非煤炭开采规划区块", "not a coal mining block"),
        "no_date": not_applicable("尚未投放（未记录投放时间）", "not released (no release date recorded)"),
    },
    labels={"release_date": ("投放时间", "release date")},
    applies=lambda b: of_kind(b, "mining_planning_block"),
    reads=("kind", "metals_mask", "release_date"),
    entries=(RELEASE_BAN, PLAN_PERIOD),
)
def coal_block_release(b: Batch) -> Result:
    """「规划期前 3年禁止投放， 3年后视市场需求决定」 (003.block.mining.coal.release_ban), the plan period from
    「《规划》的基准年为2015年，规划期为2016-2020年，展望至2025年」 (003.plan.period): releases from the plan's start
    to start + the entry's years are banned. Judged once the plan is in force, for past releases too."""
    import datetime as dt

    from .. import minerals as mn

    ban = b.entry(RELEASE_BAN)
    blocks = of_kind(b, "mining_planning_block")
    coal = mn.has(b.mask("metals_mask"), mn.keys("coal"))
    bound = (b.jurisdiction == ban.jurisdiction) & (b.as_of >= ban.effective)
    start = dt.date(int(b.entry(PLAN_PERIOD).value[0]), 1, 1)
    end = min(start.replace(year=start.year + int(ban.value)), ban.until or dt.date.max)
    released = b.date("release_date")
    reason = select(
        (~blocks, "not_subject"),
        (~bound, "not_in_force"),
        (~coal, "not_coal"),
        (np.isnat(released), "no_date"),
        (in_window(released, start, end), "early"),
        default="later",
    )
    live = blocks & bound & coal
    return Result(
        reason,
        facts={"release_date": (released, None), "window": (const(len(b), f"{start}–{end}"), None)},
        entries=[b.cite(RELEASE_BAN, live), b.cite(PLAN_PERIOD, live)],
    )
