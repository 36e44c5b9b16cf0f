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

from ..engine import (
    FAIL,
    MISSING,
    NA,
    PASS,
    R_MISSING,
    R_NOT_IN_FORCE,
    Batch,
    Result,
    choose,
    compare,
    reason_codes,
    resolve,
    rule,
)
from ..vocabulary import entry_col, entry_rows, in_force

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
R_CASE_OK, R_NOT_A_CASE, R_WRONG_KIND, R_NO_PROCESSING, R_NOT_ADJACENT, R_TOO_LARGE, R_EXPANSION_OK, R_NO_CASE = (
    reason_codes(
        "case_ok", "not_a_case", "wrong_kind", "no_processing", "not_adjacent", "too_large", "expansion_ok", "no_case"
    )
)
R_STATE_COUNCIL, R_REGION, R_CRISIS = reason_codes("declared_state_council", "declared_region", "declared_crisis_mine")
# cases passed on the declaration alone -> the reason naming the conditions taken as declared
DECLARED = {
    "state_council_project": R_STATE_COUNCIL,
    "region_large_medium": R_REGION,
    "crisis_mine_replacement": R_CRISIS,
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
        R_CASE_OK: (
            "属于准许协议出让的情形：{agreement_case}",
            "an admissible case of agreement transfer: {agreement_case}",
        ),
        R_NOT_A_CASE: (
            "“{agreement_case}”不属于准许协议出让的五种情形",
            "'{agreement_case}' is not one of the five admissible cases",
        ),
        R_WRONG_KIND: ("情形“{agreement_case}”不适用于{kind}", "case '{agreement_case}' does not concern a {kind}"),
        R_NO_PROCESSING: (
            "扩大范围的协议出让须为有深加工项目的企业，申请人没有深加工项目",
            "an expansion by agreement is only for enterprises with a deep-processing project; the applicant has none",
        ),
        R_NOT_ADJACENT: ("申请范围与原矿业权不毗邻", "the requested area is not adjacent to the original right"),
        R_TOO_LARGE: (
            "扩大面积 {added_km2} km² 超过原矿业权面积 {original_km2} km² 的 {limit}（比例 {expansion_ratio}）",
            "the added area {added_km2} km² exceeds {limit} of the original right's {original_km2} km²"
            " (ratio {expansion_ratio})",
        ),
        R_EXPANSION_OK: (
            "扩大面积 {added_km2} km² 未超过原矿业权面积 {original_km2} km² 的 {limit}",
            "the added area {added_km2} km² does not exceed {limit} of the original right's {original_km2} km²",
        ),
        R_NO_CASE: ("协议出让的矿业权未记录其所属情形，无法判断", "the agreement-transfer case is not recorded"),
        R_STATE_COUNCIL: (
            "按申报的情形通过：国务院批准的重点矿产资源开发项目或为国务院批准的建设项目提供配套资源的矿产地"
            "（国务院批准系按申报采信，未核验）",
            "passed on the declared case: a key project approved by the State Council, or a deposit "
            "supplying a State Council-approved project (the State Council approval is taken as "
            "declared, not verified)",
        ),
        R_REGION: (
            "按申报的情形通过：自治区人民政府批准的储量规模为大中型规模的矿产资源开发项目（自治区人民政府批准"
            "及大中型储量规模均按申报采信，未核验）",
            "passed on the declared case: a development project with a large or medium reserve approved by"
            " the region's government (the region's approval and the large/medium reserve are taken as "
            "declared, not verified)",
        ),
        R_CRISIS: (
            "按申报的情形通过：为列入国家专项的老矿山（危机矿山）寻找接替资源的找矿项目（列入国家专项系按申报"
            "采信，未核验）",
            "passed on the declared case: prospecting for replacement resources for an old (crisis) mine "
            "listed in a national special programme (the listing is taken as declared, not verified)",
        ),
        R_MISSING: (
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
    n = len(b)
    res = Result.empty(n)
    case = b.text("agreement_case")
    applies = b.eq("obtained_by", "agreement") | ~b.eq("agreement_case", "")
    bound = entry_rows(b, "000.agreement_transfer.eligible.part1")
    live = in_force(res, applies, bound)
    kind = b.text("kind")
    known = np.isin(case, list(CASES))
    res.set(live & (case == ""), MISSING, R_NO_CASE)
    res.set(live & (case != "") & ~known, FAIL, R_NOT_A_CASE)
    res.set(live & known, PASS, R_CASE_OK)
    entries = []
    for code, (eid, right_kind) in CASES.items():
        rows = live & b.eq("agreement_case", code)
        entries.append(entry_col(b, eid, rows))
        if code in DECLARED:
            res.set(rows, PASS, DECLARED[code])
        if right_kind is not None:
            res.set(rows & ~b.eq("kind", right_kind), FAIL, R_WRONG_KIND)
    expansion = live & (
        (b.eq("agreement_case", "mining_right_expansion") & b.eq("kind", "mining"))
        | (b.eq("agreement_case", "exploration_right_expansion") & b.eq("kind", "exploration"))
    )
    limit, op = np.full(n, np.nan), np.zeros(n, dtype=np.int8)
    for code, name in EXPANSION_PARAM.items():
        lk = resolve(b, name, "1", expansion & b.eq("agreement_case", code))
        entries.append(lk.entry)
        if lk.found.any():
            limit[lk.found] = float(as_fraction(float(lk.value[lk.found][0])))
            op[lk.found] = lk.op[lk.found]
    deep, adjacent = b.flag("has_deep_processing"), b.flag("adjacent")
    added, original = b.num("added_km2"), b.num("original_km2")
    num, den = np.full(n, np.nan), np.full(n, np.nan)
    for v in np.unique(limit[~np.isnan(limit)]):
        f = as_fraction(v)
        num[limit == v], den[limit == v] = f.numerator, f.denominator
    areas = ~np.isnan(added) & ~np.isnan(original)
    with np.errstate(invalid="ignore"):
        # added OP original × num/den, compared as added × den OP original × num; a relative tolerance
        # snaps "exactly one third" (areas computed from geometries) onto the limit before comparing
        lhs, rhs = added * den, original * num
        lhs = np.where(np.abs(lhs - rhs) <= 1e-9 * np.abs(rhs), rhs, lhs)
    within = compare(lhs, op, rhs)
    too_large = areas & ~np.isnan(limit) & ~within
    unknown = ~areas | (deep < 0) | (adjacent < 0)
    # a recorded disqualifier decides even when other facts are unknown (first match wins)
    code, why = choose(
        [np.isnan(limit), deep == 0, adjacent == 0, too_large, unknown],
        [NA, FAIL, FAIL, FAIL, MISSING],
        [R_NOT_IN_FORCE, R_NO_PROCESSING, R_NOT_ADJACENT, R_TOO_LARGE, R_MISSING],
        (PASS, R_EXPANSION_OK),
    )
    res.outcome[expansion], res.reason[expansion] = code[expansion], why[expansion]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        ratio = added / original
    res.facts.update(
        agreement_case=(case, None),
        kind=(kind, None),
        added_km2=(added, "km2"),
        original_km2=(original, "km2"),
        expansion_ratio=(ratio, "1"),
        limit_num=(num, None),
        limit_den=(den, None),
        has_deep_processing=(deep, None),
        adjacent=(adjacent, None),
    )
    res.entries += entries
    return res
