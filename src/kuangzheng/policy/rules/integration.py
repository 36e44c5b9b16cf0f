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

from ..engine import FAIL, MISSING, PASS, R_MISSING, WARN, Batch, Result, rule
from . import mine_scale
from .common import entry_col, entry_rows, of_kind

LONG_YEARS = 3  # assumption: what "长期" (for long) means; not from the seed
MINES = "000.integration.must_include.mines"
EXPLORATION = "000.integration.must_include.exploration_rights"
R_FLAGGED = 10

# (flag column, Chinese reason, English reason)
REASONS = {
    "one_deposit_many_mines": ("一矿多开：与其他企业同矿种采矿权重叠", "one deposit, several mines: overlaps another "
                               "enterprise's mining right for the same mineral"),
    "in_fragile_area": ("位于地质环境脆弱区（矿山地质环境重点治理区）", "in a geologically fragile area (a key mine "
                        "geo-environment treatment area)"),
    "long_below_min_scale": ("长期达不到最低开采规模", "long below the minimum mining scale"),
    "backward_methods": ("开采技术方法落后", "backward mining methods"),
    "obstructs_integrated_exploration": ("影响整装勘查实施（跨越整装勘查区边界）", "obstructs integrated exploration "
                                         "(straddles an integrated-exploration zone's boundary)"),
    "outside_plan": ("不符合矿区规划和矿业权设置方案（不在勘查规划区块内）", "does not fit the mining-area plan and "
                     "rights-setting scheme (in no exploration planning block)"),
    "held_without_exploring": ("长期“圈而不探”", "held for long without exploring"),
}


def _flags(b: Batch) -> dict[str, np.ndarray]:
    """Each case as -1 (unknown) / 0 / 1, per row."""
    n = len(b)
    unknown = np.full(n, -1, dtype=np.int8)

    def known(cond, data_ok):
        return np.where(data_ok, cond, -1).astype(np.int8)

    others = b.num("other_holder_same_mineral_mining")
    fragile = b.num("in_fragile_area")
    scale = mine_scale.min_scale(b)
    long_ago = b.date("since") <= np.datetime64(b.as_of.replace(year=b.as_of.year - LONG_YEARS), "D")
    below = (scale.outcome == FAIL) & (scale.reason == mine_scale.R_UPGRADE_OR_EXIT)
    judged = np.isin(scale.outcome, (PASS, FAIL))
    level = b.text("equipment_level")
    blocks = b.num("exploration_blocks")
    idle = b.num("idle_years")
    straddle = b.num("straddles_integrated_zone")
    im_plan = entry_rows(b, "003.block.exploration.subjects_max")
    return {
        "one_deposit_many_mines": known(others > 0, ~np.isnan(others)),
        "in_fragile_area": known(fragile > 0, ~np.isnan(fragile)),
        "long_below_min_scale": known(below & long_ago, judged & ~np.isnat(b.date("since"))),
        "backward_methods": known(level == "backward", level != "") if b.kind == "facility" else unknown,
        "obstructs_integrated_exploration": known(straddle > 0, ~np.isnan(straddle)),
        "outside_plan": known(blocks == 0, ~np.isnan(blocks) & im_plan),
        "held_without_exploring": known(idle >= LONG_YEARS, ~np.isnan(idle)),
    }


CASES = {"mining": ("one_deposit_many_mines", "in_fragile_area", "long_below_min_scale"),
         "mine": ("in_fragile_area", "long_below_min_scale", "backward_methods"),
         "exploration": ("obstructs_integrated_exploration", "outside_plan", "held_without_exploring")}


@rule("integration.must_include", ("facility", "right"), "M08", ("资源整合：必须纳入整合范围的情形",
                                                                "Resource integration: cases that must be included"),
      reasons={R_FLAGGED: ("须纳入资源整合范围：{flags}", "must be included in the integration scope: {flags_en}"),
               PASS: ("未发现必须纳入整合范围的情形（已检查：{checked}）", "no must-include case found (checked: "
                      "{checked_en})"),
               R_MISSING: ("缺少判断整合情形所需的数据", "the data needed to test the integration cases is not recorded")},
      labels={"flags": ("整合情形", "integration cases")})
def must_include(b: Batch) -> Result:
    n = len(b)
    res = Result.empty(n)
    kind = b.text("kind")
    flags = _flags(b)
    flagged = np.zeros(n, dtype=bool)
    tested = np.zeros(n, dtype=bool)
    zh, en = np.full(n, "", dtype="<U300"), np.full(n, "", dtype="<U600")
    czh, cen = np.full(n, "", dtype="<U300"), np.full(n, "", dtype="<U600")
    applies = np.zeros(n, dtype=bool)
    mines_rows = np.zeros(n, dtype=bool)
    for subject_kind, cases in CASES.items():
        rows = kind == subject_kind
        applies |= rows
        if subject_kind != "exploration":
            mines_rows |= rows
        for c in cases:
            f = flags[c]
            hit, seen = rows & (f == 1), rows & (f >= 0)
            flagged |= hit
            tested |= seen
            zh = np.where(hit, np.char.add(zh, np.where(zh == "", REASONS[c][0], "；" + REASONS[c][0])), zh)
            en = np.where(hit, np.char.add(en, np.where(en == "", REASONS[c][1], "; " + REASONS[c][1])), en)
            czh = np.where(seen, np.char.add(czh, np.where(czh == "", REASONS[c][0], "；" + REASONS[c][0])), czh)
            cen = np.where(seen, np.char.add(cen, np.where(cen == "", REASONS[c][1], "; " + REASONS[c][1])), cen)
    bound = entry_rows(b, MINES)
    live = applies & bound
    res.set(live, MISSING, R_MISSING)
    res.set(live & tested, PASS, PASS)
    res.set(live & flagged, WARN, R_FLAGGED)
    res.facts.update(flags=(zh, None), flags_en=(en, None), checked=(czh, None), checked_en=(cen, None),
                     long_years_assumed=(np.full(n, LONG_YEARS), "a"))
    res.entries += [entry_col(b, MINES, live & mines_rows), entry_col(b, EXPLORATION, live & ~mines_rows)]
    return res
