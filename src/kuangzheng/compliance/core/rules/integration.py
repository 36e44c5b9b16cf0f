"""Resource integration: the must-include list (M08, seed 000 part 三(二)).

Flags with reasons, each a case the seed names. A subject with at least one flag is a warning
("must be included in the integration scope" is a planning action, not a breach); with none, a pass;
when none of its cases could be tested for lack of data, missing data. Cases the registry has no
data for (badly located small mines, dense small-mine areas, unsafe or polluting mines) are not
tested automatically — docs/compliance.md lists them. 长期 ("for long") has no number in the seed:
`LONG_YEARS` is an explicit, configurable assumption, reported in every verdict's facts.
"""

from __future__ import annotations

import numpy as np

from ..vocabulary import Batch, Result, const, of_kind, rule, select, warns
from . import mine_scale
from .exploration import add_years

LONG_YEARS = 3  # assumption: what "长期" (for long) means; not from the seed
MINES = "000.integration.must_include.mines"
EXPLORATION = "000.integration.must_include.exploration_rights"

# (flag column, Chinese reason, English reason)
REASONS = {
    "one_deposit_many_mines": (
        "一矿多开：与其他企业同矿种采矿权重叠",
        "one deposit, several mines: overlaps another enterprise's mining right for the same mineral",
    ),
    "in_fragile_area": (
        "位于地质环境脆弱区（矿山地质环境重点治理区）",
        "in a geologically fragile area (a key mine geo-environment treatment area)",
    ),
    "long_below_min_scale": ("长期达不到最低开采规模", "long below the minimum mining scale"),
    "backward_methods": ("开采技术方法落后", "backward mining methods"),
    "obstructs_integrated_exploration": (
        "影响整装勘查实施（跨越整装勘查区边界）",
        "obstructs integrated exploration (straddles an integrated-exploration zone's boundary)",
    ),
    "outside_plan": (
        "不符合矿区规划和矿业权设置方案（不在勘查规划区块内）",
        "does not fit the mining-area plan and rights-setting scheme (in no exploration planning block)",
    ),
    "held_without_exploring": ("长期“圈而不探”", "held for long without exploring"),
}


def _flags(b: Batch) -> dict[str, np.ndarray]:
    """Each case as -1 (unknown) / 0 / 1, per row."""
    n = len(b)
    unknown = const(n, np.int8(-1))

    def known(cond, data_ok):
        return np.where(data_ok, cond, -1).astype(np.int8)

    others = b.num("other_holder_same_mineral_mining")
    fragile = b.num("in_fragile_area")
    scale = b.result_of("mine.min_scale")  # the verdicts the minimum-scale rule gives
    # below the floor for long: counted from commissioning, or from when the floor took effect if later
    floor_from = np.datetime64(b.entry(mine_scale.FLOOR).effective, "D")
    long_ago = np.maximum(b.date("since"), floor_from) <= add_years(np.datetime64(b.as_of, "D"), -LONG_YEARS)
    below = scale.gave("upgrade_or_exit")
    judged = scale.decided
    level = b.text("equipment_level")
    blocks = b.num("exploration_blocks")
    idle = b.num("idle_years")
    straddle = b.num("straddles_integrated_zone")
    im_plan = b.binds("003.block.exploration.subjects_max")
    return {
        "one_deposit_many_mines": known(others > 0, ~np.isnan(others)),
        "in_fragile_area": known(fragile > 0, ~np.isnan(fragile)),
        "long_below_min_scale": known(below & long_ago, judged & ~np.isnat(b.date("since"))),
        "backward_methods": known(level == "backward", level != "") if b.kind == "facility" else unknown,
        "obstructs_integrated_exploration": known(straddle > 0, ~np.isnan(straddle)),
        "outside_plan": known(blocks == 0, ~np.isnan(blocks) & im_plan),
        "held_without_exploring": known(idle >= LONG_YEARS, ~np.isnan(idle)),
    }


CASES = {
    "mining": ("one_deposit_many_mines", "in_fragile_area", "long_below_min_scale"),
    "mine": ("in_fragile_area", "long_below_min_scale", "backward_methods"),
    "exploration": ("obstructs_integrated_exploration", "outside_plan", "held_without_exploring"),
}
BITS = {name: 1 << i for i, name in enumerate(REASONS)}


def spell(mask, lang: int) -> str:
    """Flag bits as the seed's cases, in Chinese (lang 0) or English (1)."""
    sep = "；" if lang == 0 else "; "
    return sep.join(REASONS[name][lang] for name, bit in BITS.items() if int(mask or 0) & bit)


def _derive(facts: dict) -> dict:
    flags, checked = facts["flag_bits"][0], facts["checked_bits"][0]
    return {
        "flags": spell(flags, 0),
        "flags_en": spell(flags, 1),
        "checked": spell(checked, 0),
        "checked_en": spell(checked, 1),
    }


@rule(
    "integration.must_include",
    ("facility", "right"),
    "M08",
    ("资源整合：必须纳入整合范围的情形", "Resource integration: cases that must be included"),
    reasons={
        "flagged": warns("须纳入资源整合范围：{flags}", "must be included in the integration scope: {flags_en}"),
        "pass": (
            "未发现必须纳入整合范围的情形（已检查：{checked}）",
            "no must-include case found (checked: {checked_en})",
        ),
        "missing": ("缺少判断整合情形所需的数据", "the data needed to test the integration cases is not recorded"),
    },
    labels={"flag_bits": ("整合情形", "integration cases")},
    derive=_derive,
    applies=lambda b: of_kind(b, *CASES),
    reads=(
        "kind",
        "other_holder_same_mineral_mining",
        "in_fragile_area",
        "since",
        "equipment_level",
        "exploration_blocks",
        "idle_years",
        "straddles_integrated_zone",
    ),
    entries=(mine_scale.FLOOR, MINES, EXPLORATION, "003.block.exploration.subjects_max"),
)
def must_include(b: Batch) -> Result:
    """「布局不合理小矿、一矿多开和大矿小开的矿区、小矿密集区、位于地质环境脆弱区范围内的矿山，开采技术方法落后、资源利用率低的
    矿山，长期达不到规定的最低开采规模、存在安全隐患、污染破坏环境的矿山」 (000.integration.must_include.mines);
    「布局不合理的探矿权、影响整装勘查实施的探矿权、不符合矿区规划和矿业权设置方案的探矿权及长期“圈而不探”的探矿权等必须纳入整合
    范围」 (000.integration.must_include.exploration_rights)."""
    n = len(b)
    flags = _flags(b)
    flagged = np.zeros(n, dtype=np.int64)
    tested = np.zeros(n, dtype=np.int64)
    applies = np.zeros(n, dtype=bool)
    mines_rows = np.zeros(n, dtype=bool)
    for subject_kind, cases in CASES.items():
        rows = b.isin("kind", (subject_kind,))
        applies |= rows
        if subject_kind != "exploration":
            mines_rows |= rows
        for c in cases:
            flagged |= np.where(rows & (flags[c] == 1), BITS[c], 0)
            tested |= np.where(rows & (flags[c] >= 0), BITS[c], 0)
    live = applies & b.binds(MINES)
    reason = select(
        (~live, "not_subject"),
        (flagged > 0, "flagged"),
        (tested > 0, "pass"),
        default="missing",  # none of its cases could be tested
    )
    return Result(
        reason,
        facts={
            "flag_bits": (flagged, None),
            "checked_bits": (tested, None),
            "long_years_assumed": (const(n, LONG_YEARS), "a"),
        },
        entries=[b.cite(MINES, live & mines_rows), b.cite(EXPLORATION, live & ~mines_rows)],
    )
