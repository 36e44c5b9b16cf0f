"""Integrated exploration (M01–M05, seed 000 part 二(一)).

Zones: normally no more than 1000 km² (一般: a warning). The 5-year term, the ban on transfer and
the exit without findings are terms of the integrated-exploration agreement the land department
signs with the tender winner (招标结束后…与中标的投资主体签署整装勘查协议…5年内完成…期间探矿权不得转让), so
they bind only exploration rights held under such an agreement. A right inside a zone is taken as
held under one when the input says so (`integrated_agreement`), or, when that is not recorded, when
it was obtained by tender — or its acquisition is not recorded — and it started on or after the date
seed 000 takes effect (no agreement can be older than the seed). Other exploration rights in a zone
(pre-existing social rights, rights obtained by application, auction, listing or agreement) are
not applicable: 涉及社会探矿权区域，按照事先约定的整合方式进行整合. No agreement date is kept, so the term
runs from the right's `valid_from`. The tender that picks the investor follows the "three
priorities"; the seed gives them no weights, so `rank_bids` takes explicit, configurable weights
(equal by default) and says so in its output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kuangzheng.policy.catalogue import Catalogue, load_catalogue

from ..vocabulary import Batch, Result, fails, missing, not_applicable, of_kind, passes, rule, select, threshold_result

TERM = "integrated_exploration.contract_term_max"
OUTCOME_ENTRY = "000.exploration.integrated.outcome"
CONTRACT_ENTRY = "000.exploration.integrated.contract"
INTEGRATE_ENTRY = "000.fee.integrated.social_right_area"
OTHER_WAYS = ("application", "auction", "listing", "agreement")  # acquisitions that are not the integrated tender

EXPLORATION = lambda b: of_kind(b, "exploration")  # noqa: E731
TERM_READS = ("kind", "in_integrated_zone", "integrated_agreement", "obtained_by", "valid_from")


@rule(
    "ie.zone_area",
    "zone",
    "M01",
    ("集中勘查区面积一般控制在1000平方公里以内", "Integrated exploration zones: normally at most 1000 km²"),
    labels={"area_km2": ("勘查区面积", "zone area")},
    applies=lambda b: of_kind(b, "integrated_exploration_zone"),
    reads=("kind", "area_km2"),
    params=("integrated_exploration.zone_area_max",),
)
def zone_area(b: Batch) -> Result:
    """「自治区确定的集中勘查区一般控制在1000平方公里以内」 (000.exploration.integrated.zone_area_max): 一般, so a
    warning."""
    return threshold_result(
        b,
        of_kind(b, "integrated_exploration_zone"),
        b.num("area_km2"),
        "integrated_exploration.zone_area_max",
        "km2",
        "area_km2",
    )


def add_years(start: np.ndarray, years) -> np.ndarray:
    """Calendar years added to dates, vectorised (29 February rolls to 1 March)."""
    start = np.asarray(start, dtype="datetime64[D]")
    m = start.astype("datetime64[M]")
    return (m + 12 * np.asarray(years, dtype=int)).astype("datetime64[D]") + (start - m.astype("datetime64[D]"))


SHARED_REASONS = {
    "not_under_agreement": not_applicable(
        "该探矿权不是依整装勘查协议持有（整装勘查区内原有的社会探矿权，或非招标取得）：按照事先约定的整合方式进行整合，"
        "5年期限、期间不得转让与无成果退出只约束中标主体",
        "the right is not held under an integrated-exploration agreement (a pre-existing social right in the "
        "zone, or not obtained by the tender): it is integrated on the terms agreed beforehand (整合); the "
        "5-year term, the ban on transfer and the exit bind the tender winner only",
    ),
    "no_start": missing("缺少探矿权起始日期，无法判断", "the right's start date is not recorded"),
}


def under_agreement(b: Batch, in_zone: np.ndarray, effective: np.ndarray) -> np.ndarray:
    """Exploration rights in a zone held under an integrated-exploration agreement: the flag when recorded;
    otherwise obtained by tender (or not recorded how) and not started before the seed took effect."""
    flag = b.flag("integrated_agreement")
    start = b.date("valid_from")
    with np.errstate(invalid="ignore"):
        older = ~np.isnat(start) & ~np.isnat(effective) & (start < effective)
    inferred = (flag < 0) & ~b.isin("obtained_by", OTHER_WAYS) & ~older
    return in_zone & ((flag == 1) | inferred)


def integrated_term(b: Batch):
    """(rights in a zone, the term's look-up, held under an agreement, start, end of the term): exploration
    rights held under an integrated-exploration agreement are bound by its term; other rights in zones
    integrate on agreed terms (not applicable)."""
    in_zone = of_kind(b, "exploration") & ((b.num("in_integrated_zone") > 0) | (b.flag("integrated_agreement") == 1))
    term = b.param(TERM, "a", in_zone)
    cat, table = b.cat(), b.entry_table
    effective = np.full(len(b), np.datetime64("NaT"), dtype="datetime64[D]")
    for code in np.unique(term.entry[term.found]):
        effective[term.entry == code] = np.datetime64(cat.get(table[code]).effective, "D")
    held = under_agreement(b, in_zone, effective)
    start = b.date("valid_from")
    years = np.where(term.found, np.nan_to_num(term.value), 0).astype(int)
    return in_zone, term, held, start, add_years(start, years)


def _outside_the_term(in_zone, term, held, start) -> tuple:
    """The cases the term's rules share, first: not in a zone, not in force, not held under an agreement,
    no start date."""
    return (
        (~in_zone, "not_subject"),
        (~term.found, "not_in_force"),
        (~held, "not_under_agreement"),
        (np.isnat(start), "no_start"),
    )


def _term_citations(b: Batch, in_zone, term, held) -> list:
    return [b.cite(CONTRACT_ENTRY, in_zone & term.found & held), b.cite(INTEGRATE_ENTRY, in_zone & term.found & ~held)]


@rule(
    "ie.term",
    "right",
    "M03",
    ("整装勘查5年期限与退出", "Integrated exploration: 5-year term and exit"),
    reasons={
        "running": passes(
            "整装勘查期限至 {term_end}，尚在期限内", "the integrated-exploration term runs to {term_end}"
        ),
        "findings": passes(
            "期限已满（{term_end}），有找矿成果，转入下一阶段勘查开发",
            "the term ended on {term_end} with findings: the right moves to the next stage",
        ),
        "no_findings": fails(
            "期限已满（{term_end}）且无找矿成果：应全面退出该区域",
            "the term ended on {term_end} without findings: the holder must exit the zone entirely",
        ),
        "missing": (
            "期限已满（{term_end}），但未记录有无找矿成果，无法判断",
            "the term ended on {term_end}, but whether there were findings is not recorded",
        ),
        **SHARED_REASONS,
    },
    labels={"term_end": ("整装勘查期限", "end of term")},
    applies=EXPLORATION,
    reads=TERM_READS + ("findings",),
    params=(TERM,),
    entries=(CONTRACT_ENTRY, INTEGRATE_ENTRY, OUTCOME_ENTRY),
)
def term(b: Batch) -> Result:
    """「招标结束后，由自治区国土资源厅与中标的投资主体签署整装勘查协议，实行合同化管理」 (000.exploration.integrated.contract);
    「5年内完成特定矿种的勘查工作，期间探矿权不得转让」 (000.exploration.integrated.contract_term); 「无找矿成果的全面退出该区域，
    有找矿成果的转入下一阶段的勘查开发」 (000.exploration.integrated.outcome)."""
    in_zone, term_, held, start, end = integrated_term(b)
    findings = b.flag("findings")
    reason = select(
        *_outside_the_term(in_zone, term_, held, start),
        (b.today < end, "running"),
        (findings == 1, "findings"),
        (findings == 0, "no_findings"),
        default="missing",
    )
    over = in_zone & term_.found & held & ~np.isnat(start) & (b.today >= end)
    return Result(
        reason,
        facts={"term_end": (end, None), "valid_from": (start, None), "findings": (findings, None)},
        entries=[*_term_citations(b, in_zone, term_, held), term_.entry, b.cite(OUTCOME_ENTRY, over)],
    )


@rule(
    "ie.no_transfer",
    "right",
    "M03",
    ("整装勘查期间探矿权不得转让", "Integrated exploration: no transfer during the term"),
    reasons={
        "transferred": fails(
            "探矿权于 {first_transfer} 转让，处于整装勘查期限（至 {term_end}）内",
            "the right was transferred on {first_transfer}, within the term (to {term_end})",
        ),
        "pass": ("整装勘查期限（至 {term_end}）内未转让", "no transfer within the term (to {term_end})"),
        **SHARED_REASONS,
    },
    labels={"first_transfer": ("首次转让日期", "first transfer")},
    applies=EXPLORATION,
    reads=TERM_READS + ("first_transfer",),
    params=(TERM,),
    entries=(CONTRACT_ENTRY, INTEGRATE_ENTRY),
)
def no_transfer(b: Batch) -> Result:
    """「5年内完成特定矿种的勘查工作，期间探矿权不得转让」 (000.exploration.integrated.contract_term)."""
    in_zone, term_, held, start, end = integrated_term(b)
    moved = b.date("first_transfer")
    reason = select(
        *_outside_the_term(in_zone, term_, held, start),
        (~np.isnat(moved) & (moved >= start) & (moved < end), "transferred"),
        default="pass",
    )
    return Result(
        reason,
        facts={"first_transfer": (moved, None), "term_end": (end, None)},
        entries=[*_term_citations(b, in_zone, term_, held), term_.entry],
    )


# ---------------------------------------------------------------- tender ranking (三优先)

PRIORITIES = "000.exploration.integrated.three_priorities"
SELECTION = "000.exploration.integrated.selection_method"


@dataclass(frozen=True)
class Weights:
    """Weights of the three priorities. NOT from the seed, which ranks but gives no weights: equal by
    default; within the first priority, investment (scaled to the largest bid) and a committed
    deep-drilling verification count half each."""

    investment_and_drilling: float = 1 / 3
    state_unit_with_capital: float = 1 / 3
    explorer_with_processor: float = 1 / 3
    investment_share: float = 0.5

    def check(self) -> None:
        parts = (self.investment_and_drilling, self.state_unit_with_capital, self.explorer_with_processor)
        if min(parts) < 0 or abs(sum(parts) - 1) > 1e-9 or not 0 <= self.investment_share <= 1:
            raise ValueError("三优先权重须非负且合计为1 / the three weights must be non-negative and sum to 1")


def rank_bids(bids: list[dict], weights: Weights = Weights(), catalogue: Catalogue | None = None) -> dict:
    """Rank tender bids by the three priorities. A bid: name, investment_yuan, deep_drilling (bool),
    state_geological_unit_with_social_capital (bool), explorer_with_deep_processor (bool)."""
    weights.check()
    cat = catalogue or load_catalogue()
    inv = np.array([float(b.get("investment_yuan") or 0) for b in bids])
    top = inv.max() if len(inv) and inv.max() > 0 else 1.0
    rows = []
    for b, x in zip(bids, inv):
        p1 = weights.investment_share * x / top + (1 - weights.investment_share) * bool(b.get("deep_drilling"))
        p2 = float(bool(b.get("state_geological_unit_with_social_capital")))
        p3 = float(bool(b.get("explorer_with_deep_processor")))
        score = (
            weights.investment_and_drilling * p1
            + weights.state_unit_with_capital * p2
            + weights.explorer_with_processor * p3
        )
        rows.append(
            {
                "name": b.get("name"),
                "score": round(score, 6),
                "priorities": {
                    "investment_and_drilling": round(p1, 6),
                    "state_unit_with_capital": p2,
                    "explorer_with_processor": p3,
                },
                "investment_yuan": x,
            }
        )
    rows.sort(key=lambda r: (-r["score"], -r["investment_yuan"], str(r["name"])))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    e = cat.get(PRIORITIES)
    return {
        "ranking": rows,
        "weights": weights.__dict__,
        "weights_note": {
            "zh": "政策只规定“三优先”的次序原则，未给出权重；此处权重为可配置的假设（默认三项相等）",
            "en": "the seed names the three priorities but gives no weights; these weights are a "
            "configurable assumption (equal by default)",
        },
        "citations": [{"id": x.id, "doc": x.doc, "quote": x.quote} for x in (e, cat.get(SELECTION))],
    }
