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
from ..engine import (
    FAIL,
    MISSING,
    NA,
    PASS,
    R_MISSING,
    R_NOT_IN_FORCE,
    R_NOT_SUBJECT,
    WARN,
    Batch,
    Result,
    choose,
    entry_for,
    reason_codes,
    rule,
)
from ..vocabulary import entry_col, entry_rows, of_kind

(
    R_PROHIBITED,
    R_RESTRICTED,
    R_COAL,
    R_CONDITIONS_MET,
    R_QUARRY,
    R_ENCOURAGED,
    R_UNLISTED,
    R_QUARRY_OK,
    R_CONDITIONS_UNMET,
    R_QUARRY_OUT,
) = reason_codes(
    "prohibited",
    "restricted",
    "coal",
    "conditions_met",
    "quarry",
    "encouraged",
    "unlisted",
    "quarry_ok",
    "conditions_unmet",
    "quarry_out",
)
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
        R_PROHIBITED: ("矿种 {minerals} 属于禁止{activity}的矿种", "{minerals}: {activity_en} is prohibited"),
        R_RESTRICTED: (
            "矿种 {minerals} 属于限制{activity}的矿种：{conditions}",
            "{minerals}: {activity_en} is restricted — {conditions_en}",
        ),
        R_COAL: (
            "煤炭属于限制勘查矿种：严格控制探矿权投放",
            "coal exploration is restricted: releases of exploration rights are strictly controlled",
        ),
        R_CONDITIONS_MET: (
            "矿种 {minerals} 属于限制勘查矿种，已通过环境影响评估并征得环保部门同意",
            "{minerals}: restricted exploration, with the EIA passed and the environment department's consent",
        ),
        R_QUARRY: (
            "砂石粘土等普通建筑材料矿产应在盟市旗县规划划定的集中开采区、备选开采区开采，须核实",
            "sand, gravel and clay may be mined only in the concentrated or alternative mining areas of "
            "league/county plans: to be verified",
        ),
        R_CONDITIONS_UNMET: (
            "矿种 {minerals} 属于限制勘查矿种：确需新立的必须通过环境影响评估并征得环保部门同意，记录为未通过或未同意",
            "{minerals}: restricted exploration — a necessary new project must pass an EIA and "
            "have the environment department's consent, recorded as not obtained",
        ),
        R_QUARRY_OUT: (
            "砂石粘土等普通建筑材料矿产应在盟市旗县规划划定的集中开采区、备选开采区开采，记录为不在其内",
            "sand, gravel and clay may be mined only in the concentrated or alternative mining areas "
            "of league/county plans; recorded as outside them",
        ),
        R_QUARRY_OK: (
            "位于规划划定的集中开采区或备选开采区内",
            "inside a planned concentrated or alternative mining area",
        ),
        R_ENCOURAGED: ("矿种 {minerals} 属于鼓励{activity}的矿种", "{minerals}: {activity_en} is encouraged"),
        R_UNLISTED: (
            "矿种 {minerals} 不在限制或禁止之列",
            "{minerals}: on neither the restricted nor the prohibited list",
        ),
        R_MISSING: ("缺少矿种，无法判断", "no mineral is recorded"),
    },
    labels={"minerals": ("矿种", "minerals")},
    derive=lambda f: _words(f["exploration"][0], f["placer"][0]),
    applies=lambda b: of_kind(b, "exploration", "mining"),
    reads=("kind", "metals_mask", "minerals", "in_designated_quarry_area", "eia_approved", "environment_consent"),
    params=tuple(LIST_PARAMS.values()),
    entries=(PLACER, QUARRY),
)
def mineral_policy(b: Batch) -> Result:
    n = len(b)
    res = Result.empty(n)
    expl, mining = b.eq("kind", "exploration"), b.eq("kind", "mining")
    m = b.mask("metals_mask")
    blank = b.isin("minerals", ("",))
    (pro, rst, enc), codes = _lists(b, expl)
    in_force = (expl | mining) & (codes[0] >= 0)
    quarry = mining & mn.has(m, mn.keys("sand_gravel_clay"))
    quarry_ok = b.flag("in_designated_quarry_area") == 1
    quarry_out = b.flag("in_designated_quarry_area") == 0  # recorded outside: the 应 is broken
    restricted = mn.has(m, rst)
    placer = restricted & expl & mn.has(m, mn.keys("placer_gold", "placer_iron"))
    coal = restricted & expl & mn.has(m, mn.keys("coal")) & ~placer
    eia, consent = b.flag("eia_approved"), b.flag("environment_consent")
    met = (eia == 1) & (consent == 1)
    unmet = (eia == 0) | (consent == 0)  # recorded as not obtained: the 必须 is broken
    # one pass, highest priority first
    cases = [
        ~(expl | mining),
        ~in_force,
        blank,
        mn.has(m, pro),
        placer & met,
        placer & unmet,
        placer,
        coal,
        restricted,
        quarry & quarry_ok,
        quarry & quarry_out,
        quarry,
        mn.has(m, enc),
    ]
    res.outcome, res.reason = choose(
        cases,
        [NA, NA, MISSING, FAIL, PASS, FAIL, WARN, WARN, WARN, PASS, FAIL, WARN, PASS],
        [
            R_NOT_SUBJECT,
            R_NOT_IN_FORCE,
            R_MISSING,
            R_PROHIBITED,
            R_CONDITIONS_MET,
            R_CONDITIONS_UNMET,
            R_RESTRICTED,
            R_COAL,
            R_RESTRICTED,
            R_QUARRY_OK,
            R_QUARRY_OUT,
            R_QUARRY,
            R_ENCOURAGED,
        ],
        (PASS, R_UNLISTED),
    )
    live = in_force & ~blank
    placer &= live
    quarry &= live
    res.facts.update(
        minerals=(b.coded("minerals"), None),
        exploration=(expl, None),
        placer=(placer, None),
        eia_approved=(b.flag("eia_approved"), None),
        environment_consent=(b.flag("environment_consent"), None),
    )
    res.entries += codes + [
        entry_col(b, PLACER, placer & entry_rows(b, PLACER)),
        entry_col(b, QUARRY, quarry & entry_rows(b, QUARRY)),
    ]
    return res
