"""Agreement transfer of mineral rights (M06, seed 000 part 二(二)).

A right may be transferred by (paid) agreement only in one of five cases. For the two expansion
cases the applicant must be an enterprise with a deep-processing project, the requested area must
be adjacent to its existing right, and the added area — computed from the geometries by
`spatial.expansion` — may not exceed one third of the original right's area (不得超过: ≤, so exactly
one third is allowed). The catalogue keeps 1/3 as 0.3333; it is read back as the fraction it writes,
and compared with the entry's own comparison. A recorded disqualifier (no deep-processing project,
not adjacent, or an added area known to be too large) decides the case even when other facts are
unknown; only when none is recorded and something is unknown is the outcome missing data.
The other three cases rest on facts the registry does not keep (State Council approval, the region's
approval of a large/medium reserve, listing in a national special programme): they pass on the
declared case, and the explanation names what was taken as declared.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..vocabulary import AREA_PLACES, Batch, Result, compare, fails, missing, passes, registered, rule, select

# case code -> (catalogue entry listing it, right kind it concerns or None for any)
CASES = {
    "state_council_project": ("000.agreement_transfer.eligible.part1", None),
    "region_large_medium": ("000.agreement_transfer.eligible.part1", None),
    "crisis_mine_replacement": ("000.agreement_transfer.eligible.part2", None),
    "mining_right_expansion": ("000.agreement_transfer.eligible.part2", "mining"),
    "exploration_right_expansion": ("000.agreement_transfer.eligible.part3", "exploration"),
}
EXPANSION_PARAM = {
    "mining_right_expansion": "agreement_transfer.mining_right.expansion_max",
    "exploration_right_expansion": "agreement_transfer.exploration_right.expansion_max",
}
# cases passed on the declaration alone -> the reason naming the conditions taken as declared
DECLARED = {
    "state_council_project": "declared_state_council",
    "region_large_medium": "declared_region",
    "crisis_mine_replacement": "declared_crisis_mine",
}


def as_fraction(value: float) -> Fraction:
    """0.3333 -> 1/3: the catalogue writes a fraction to four digits."""
    return Fraction(value).limit_denominator(12)


def _limit(facts: dict) -> dict:
    num, den = facts["limit_num"][0], facts["limit_den"][0]
    return {"limit": f"{int(num)}/{int(den)}" if num is not None and den is not None else ""}


@rule(
    "agreement.eligibility",
    "right",
    "M06",
    ("协议出让矿业权的条件", "Agreement transfer: eligibility"),
    reasons={
        "case_ok": passes(
            "属于准许协议出让的情形：{agreement_case}",
            "an admissible case of agreement transfer: {agreement_case}",
        ),
        "not_a_case": fails(
            "“{agreement_case}”不属于准许协议出让的五种情形",
            "'{agreement_case}' is not one of the five admissible cases",
        ),
        "wrong_kind": fails(
            "情形“{agreement_case}”不适用于{kind}", "case '{agreement_case}' does not concern a {kind}"
        ),
        "no_processing": fails(
            "扩大范围的协议出让须为有深加工项目的企业，申请人没有深加工项目",
            "an expansion by agreement is only for enterprises with a deep-processing project; the applicant has none",
        ),
        "not_adjacent": fails("申请范围与原矿业权不毗邻", "the requested area is not adjacent to the original right"),
        "too_large": fails(
            "扩大面积 {added_km2} km² 超过原矿业权面积 {original_km2} km² 的 {limit}（比例 {expansion_ratio}）",
            "the added area {added_km2} km² exceeds {limit} of the original right's {original_km2} km²"
            " (ratio {expansion_ratio})",
        ),
        "expansion_ok": passes(
            "扩大面积 {added_km2} km² 未超过原矿业权面积 {original_km2} km² 的 {limit}",
            "the added area {added_km2} km² does not exceed {limit} of the original right's {original_km2} km²",
        ),
        "no_case": missing("协议出让的矿业权未记录其所属情形，无法判断", "the agreement-transfer case is not recorded"),
        "declared_state_council": passes(
            "按申报的情形通过：国务院批准的重点矿产资源开发项目或为国务院批准的建设项目提供配套资源的矿产地"
            "（国务院批准系按申报采信，未核验）",
            "passed on the declared case: a key project approved by the State Council, or a deposit "
            "supplying a State Council-approved project (the State Council approval is taken as "
            "declared, not verified)",
        ),
        "declared_region": passes(
            "按申报的情形通过：自治区人民政府批准的储量规模为大中型规模的矿产资源开发项目（自治区人民政府批准"
            "及大中型储量规模均按申报采信，未核验）",
            "passed on the declared case: a development project with a large or medium reserve approved by"
            " the region's government (the region's approval and the large/medium reserve are taken as "
            "declared, not verified)",
        ),
        "declared_crisis_mine": passes(
            "按申报的情形通过：为列入国家专项的老矿山（危机矿山）寻找接替资源的找矿项目（列入国家专项系按申报"
            "采信，未核验）",
            "passed on the declared case: prospecting for replacement resources for an old (crisis) mine "
            "listed in a national special programme (the listing is taken as declared, not verified)",
        ),
        "missing": (
            "未记录否决条件，但缺少原矿业权或申请范围的面积、是否毗邻或深加工项目信息，无法判断",
            "no disqualifier is recorded, but the original or requested area, the adjacency or the "
            "deep-processing status is not recorded",
        ),
    },
    labels={"agreement_case": ("协议出让情形", "agreement case")},
    derive=_limit,
    applies=lambda b: b.eq("obtained_by", "agreement") | ~b.eq("agreement_case", ""),
    reads=("kind", "obtained_by", "agreement_case", "has_deep_processing", "adjacent", "added_km2", "original_km2"),
    params=tuple(EXPANSION_PARAM.values()),
    entries=tuple(dict.fromkeys(eid for eid, _ in CASES.values())),
)
def eligibility(b: Batch) -> Result:
    """「准许有偿协议出让矿业权：国务院批准的重点矿产资源开发项目…；自治区人民政府批准的储量规模为大中型规模的矿产资源开发项目」
    (000.agreement_transfer.eligible.part1); 「为列入国家专项的老矿山（危机矿山）寻找接替资源的找矿项目；有深加工项目的企业已设
    采矿权需整合或利用原有生产系统扩大勘查开采范围的毗邻区域」 (…part2); 「但扩大勘查开采范围不得超过原采矿权面积的1/3」
    (000.agreement_transfer.mining_expansion_max), 「但扩大勘查范围不得超过原探矿权面积的1/3」 (…exploration_expansion_max)."""
    n = len(b)
    case, kind = b.text("agreement_case"), b.text("kind")
    by_agreement = b.eq("obtained_by", "agreement") | ~b.eq("agreement_case", "")
    bound = b.binds("000.agreement_transfer.eligible.part1")
    live = by_agreement & bound
    expansion = live & (
        (b.eq("agreement_case", "mining_right_expansion") & b.eq("kind", "mining"))
        | (b.eq("agreement_case", "exploration_right_expansion") & b.eq("kind", "exploration"))
    )
    entries = [b.cite(eid, live & b.eq("agreement_case", code)) for code, (eid, _) in CASES.items()]
    limit, op = np.full(n, np.nan), np.zeros(n, dtype=np.int8)
    for code, name in EXPANSION_PARAM.items():
        most = b.param(name, "1", expansion & b.eq("agreement_case", code))
        entries.append(most.entry)
        if most.found.any():
            limit[most.found] = float(as_fraction(float(most.value[most.found][0])))
            op[most.found] = most.op[most.found]
    deep, adjacent = b.flag("has_deep_processing"), b.flag("adjacent")
    added, original = b.num("added_km2"), b.num("original_km2")
    num, den = np.full(n, np.nan), np.full(n, np.nan)
    for v in np.unique(limit[~np.isnan(limit)]):
        f = as_fraction(v)
        num[limit == v], den[limit == v] = f.numerator, f.denominator
    areas = ~np.isnan(added) & ~np.isnan(original)
    # areas to the 1e-4 km² they are registered in: the added area OP the limit (original × num/den)
    # expressed in the same steps, so an added area of exactly one third stays allowed
    added_steps, _ = registered(added, AREA_PLACES)
    original_steps, _ = registered(original, AREA_PLACES)
    with np.errstate(invalid="ignore"):
        limit_steps = np.rint(original_steps * num / den)
    too_large = areas & ~np.isnan(limit) & ~compare(added_steps.astype(float), op, limit_steps)
    reason = select(
        (~by_agreement, "not_subject"),
        (~bound, "not_in_force"),
        (case == "", "no_case"),
        (~np.isin(case, list(CASES)), "not_a_case"),
        *((case == code, why) for code, why in DECLARED.items()),
        (~expansion, "wrong_kind"),  # an expansion case for the other kind of right
        (np.isnan(limit), "not_in_force"),
        # a recorded disqualifier decides even when other facts are unknown
        (deep == 0, "no_processing"),
        (adjacent == 0, "not_adjacent"),
        (too_large, "too_large"),
        (~areas | (deep < 0) | (adjacent < 0), "missing"),
        default="expansion_ok",
    )
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        ratio = added / original
    return Result(
        reason,
        facts={
            "agreement_case": (case, None),
            "kind": (kind, None),
            "added_km2": (added, "km2"),
            "original_km2": (original, "km2"),
            "expansion_ratio": (ratio, "1"),
            "limit_num": (num, None),
            "limit_den": (den, None),
            "has_deep_processing": (deep, None),
            "adjacent": (adjacent, None),
        },
        entries=entries,
    )
