"""Encouraged, restricted and prohibited minerals for exploration and for mining (M32, seed 003 ch. 5–6).

An exploration right is checked against the exploration lists, a mining right against the mining
lists. Prohibited → fail. Restricted → warning with the conditions the seed attaches: new placer
gold/iron exploration needs an environmental impact assessment and the environment department's
consent (both stated met → pass); coal exploration releases are strictly controlled. Sand, gravel
and clay may be mined only in the concentrated or alternative mining areas that league/county plans
draw. A condition recorded as not met (EIA or consent not obtained; outside the quarry areas) fails; one
not recorded leaves the warning. Encouraged → pass; a mineral on no list → pass (nothing restricts it).
"""

from __future__ import annotations

import numpy as np

from .. import minerals as mn
from ..engine import entry_for
from ..vocabulary import Batch, Result, fails, of_kind, passes, rule, select, warns

PLACER = "003.exploration.placer_new_project_conditions"
LISTS = ("prohibited", "restricted", "encouraged")
ACTIVITIES = ("mining", "exploration")
LIST_PARAMS = {(activity, kind): f"{activity}.{kind}_minerals" for activity in ACTIVITIES for kind in LISTS}
QUARRY = "003.mining.building_materials.zones"


def _words(exploration: bool, placer: bool) -> dict:
    """The activity and the restricted list's conditions, spelt out for the explanation."""
    return {
        "activity": "勘查" if exploration else "开采",
        "activity_en": "exploration" if exploration else "mining",
        "conditions": "原则上不再新立勘查项目，确需新立的须通过环境影响评估并征得环保部门同意"
        if placer
        else "严格控制（政策未列明具体条件）",
        "conditions_en": "no new exploration projects in principle; a necessary one needs an EIA and the environment "
        "department's consent"
        if placer
        else "strictly controlled (the seed states no further condition)",
    }


def _lists(b: Batch, expl: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per row: the masks of the prohibited, restricted and encouraged lists of the row's activity in
    its jurisdiction, and their entry codes (-1 where no list binds): a small (activity × jurisdiction)
    table per list, then one gather per list."""
    names, jc = b.jur_codes
    cell = expl.astype(np.intp) * len(names) + jc  # (activity: 0 mining, 1 exploration; jurisdiction)
    masks, codes = [], []
    for kind in LISTS:
        mask_t = np.zeros((2, len(names)), dtype=np.uint64)
        code_t = np.full((2, len(names)), -1, dtype=np.int16)
        for a, activity in enumerate(ACTIVITIES):
            for j, jur in enumerate(names):
                e = entry_for(b, LIST_PARAMS[(activity, kind)], str(jur))
                if e is not None:
                    mask_t[a, j], code_t[a, j] = mn.mask_of(e.value, list_items=True), b.entry_code(e.id)
        masks.append(mask_t.ravel().take(cell))
        codes.append(code_t.ravel().take(cell))
    return masks, codes


@rule(
    "mineral.policy",
    "right",
    "M32",
    ("鼓励、限制、禁止勘查开采矿种", "Encouraged, restricted and prohibited minerals"),
    reasons={
        "prohibited": fails("矿种 {minerals} 属于禁止{activity}的矿种", "{minerals}: {activity_en} is prohibited"),
        "restricted": warns(
            "矿种 {minerals} 属于限制{activity}的矿种：{conditions}",
            "{minerals}: {activity_en} is restricted — {conditions_en}",
        ),
        "coal": warns(
            "煤炭属于限制勘查矿种：严格控制探矿权投放",
            "coal exploration is restricted: releases of exploration rights are strictly controlled",
        ),
        "conditions_met": passes(
            "矿种 {minerals} 属于限制勘查矿种，已通过环境影响评估并征得环保部门同意",
            "{minerals}: restricted exploration, with the EIA passed and the environment department's consent",
        ),
        "quarry": warns(
            "砂石粘土等普通建筑材料矿产应在盟市旗县规划划定的集中开采区、备选开采区开采，须核实",
            "sand, gravel and clay may be mined only in the concentrated or alternative mining areas of "
            "league/county plans: to be verified",
        ),
        "conditions_unmet": fails(
            "矿种 {minerals} 属于限制勘查矿种：确需新立的必须通过环境影响评估并征得环保部门同意，记录为未通过或未同意",
            "{minerals}: restricted exploration — a necessary new project must pass an EIA and "
            "have the environment department's consent, recorded as not obtained",
        ),
        "quarry_out": fails(
            "砂石粘土等普通建筑材料矿产应在盟市旗县规划划定的集中开采区、备选开采区开采，记录为不在其内",
            "sand, gravel and clay may be mined only in the concentrated or alternative mining areas "
            "of league/county plans; recorded as outside them",
        ),
        "quarry_ok": passes(
            "位于规划划定的集中开采区或备选开采区内",
            "inside a planned concentrated or alternative mining area",
        ),
        "encouraged": passes("矿种 {minerals} 属于鼓励{activity}的矿种", "{minerals}: {activity_en} is encouraged"),
        "unlisted": passes(
            "矿种 {minerals} 不在限制或禁止之列",
            "{minerals}: on neither the restricted nor the prohibited list",
        ),
        "missing": ("缺少矿种，无法判断", "no mineral is recorded"),
    },
    labels={"minerals": ("矿种", "minerals")},
    derive=lambda f: _words(f["exploration"][0], f["placer"][0]),
    applies=lambda b: of_kind(b, "exploration", "mining"),
    reads=("kind", "metals_mask", "minerals", "in_designated_quarry_area", "eia_approved", "environment_consent"),
    params=tuple(LIST_PARAMS.values()),
    entries=(PLACER, QUARRY),
)
def mineral_policy(b: Batch) -> Result:
    """「禁止勘查超贫磁铁矿」 (003.exploration.prohibited); 「禁止开采蓝石棉、可耕地砖瓦用粘土、河道砂金、超贫磁铁矿」
    (003.mining.prohibited); 「限制勘查开发时对环境破坏较大的砂金、砂铁等重砂矿物，原则上不再新立此类矿产的勘查项目，确需新立的，
    必须通过环境影响评估，并征得环保部门同意；限制勘查煤炭」 (003.exploration.restricted); 「对于砂石粘土等普通建筑材料矿产，
    应在盟市旗县规划划定的集中开采区、备选开采区开采」 (003.mining.building_materials.zones); and the encouraged lists."""
    expl, mining = b.eq("kind", "exploration"), b.eq("kind", "mining")
    m = b.mask("metals_mask")
    blank = b.isin("minerals", ("",))
    (prohibited, restricted_list, encouraged), codes = _lists(b, expl)
    listed = (expl | mining) & (codes[0] >= 0)  # the activity's lists bind in the row's jurisdiction
    quarry = mining & mn.has(m, mn.keys("sand_gravel_clay"))
    in_quarry_area = b.flag("in_designated_quarry_area")
    restricted = mn.has(m, restricted_list)
    placer = restricted & expl & mn.has(m, mn.keys("placer_gold", "placer_iron"))
    coal = restricted & expl & mn.has(m, mn.keys("coal")) & ~placer
    eia, consent = b.flag("eia_approved"), b.flag("environment_consent")
    reason = select(
        (~(expl | mining), "not_subject"),
        (~listed, "not_in_force"),
        (blank, "missing"),
        (mn.has(m, prohibited), "prohibited"),
        (placer & (eia == 1) & (consent == 1), "conditions_met"),
        (placer & ((eia == 0) | (consent == 0)), "conditions_unmet"),  # recorded as not obtained: 必须 broken
        (placer, "restricted"),
        (coal, "coal"),
        (restricted, "restricted"),
        (quarry & (in_quarry_area == 1), "quarry_ok"),
        (quarry & (in_quarry_area == 0), "quarry_out"),  # recorded outside: the 应 is broken
        (quarry, "quarry"),
        (mn.has(m, encouraged), "encouraged"),
        default="unlisted",
    )
    live = listed & ~blank
    return Result(
        reason,
        facts={
            "minerals": (b.coded("minerals"), None),
            "exploration": (expl, None),
            "placer": (placer & live, None),
            "eia_approved": (eia, None),
            "environment_consent": (consent, None),
        },
        entries=codes
        + [b.cite(PLACER, placer & live & b.binds(PLACER)), b.cite(QUARRY, quarry & live & b.binds(QUARRY))],
    )
