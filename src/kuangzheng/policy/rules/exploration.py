"""Integrated exploration (M01–M05, seed 000 part 二(一)).

Zones: normally no more than 1000 km² (一般: a warning). Exploration rights inside an integrated
exploration zone (covered by one): the specified minerals are to be explored within 5 years, the
right may not be transferred in that time, and at the end a right without findings exits the zone
entirely while one with findings moves on. The tender that picks the investor follows the "three
priorities"; the seed gives them no weights, so `rank_bids` takes explicit, configurable weights
(equal by default) and says so in its output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..catalogue import Catalogue, load_catalogue
from ..engine import FAIL, MISSING, PASS, R_MISSING, Batch, Result, resolve, rule, threshold_result
from .common import entry_col, of_kind, in_force

TERM = "integrated_exploration.contract_term_max"
OUTCOME_ENTRY = "000.exploration.integrated.outcome"

EXPLORATION = lambda b: of_kind(b, "exploration")  # noqa: E731


@rule("ie.zone_area", "zone", "M01", ("集中勘查区面积一般控制在1000平方公里以内",
                                     "Integrated exploration zones: normally at most 1000 km²"),
      labels={"area_km2": ("勘查区面积", "zone area")}, applies=lambda b: of_kind(b, "integrated_exploration_zone"))
def zone_area(b: Batch) -> Result:
    return threshold_result(b, of_kind(b, "integrated_exploration_zone"), b.num("area_km2"),
                            "integrated_exploration.zone_area_max", "km2", "area_km2")


def add_years(start: np.ndarray, years) -> np.ndarray:
    """Calendar years added to dates, vectorised (29 February rolls to 1 March)."""
    start = np.asarray(start, dtype="datetime64[D]")
    m = start.astype("datetime64[M]")
    return (m + 12 * np.asarray(years, dtype=int)).astype("datetime64[D]") + (start - m.astype("datetime64[D]"))


def _term(b: Batch):
    """(result, rows it decides, term look-up, start, end) for exploration rights inside integrated zones;
    a right without a start date is missing data."""
    res = Result.empty(len(b))
    rows = of_kind(b, "exploration") & (b.num("in_integrated_zone") > 0)
    lk = resolve(b, TERM, "a", rows)
    start = b.date("valid_from")
    years = np.where(lk.found, np.nan_to_num(lk.value), 0).astype(int)
    live = in_force(res, rows, lk.found)
    res.set(live & np.isnat(start), MISSING, R_MISSING)
    return res, live, lk, start, add_years(start, years)


R_RUNNING, R_FINDINGS, R_NO_FINDINGS = 10, 11, 12


@rule("ie.term", "right", "M03", ("整装勘查5年期限与退出", "Integrated exploration: 5-year term and exit"),
      reasons={R_RUNNING: ("整装勘查期限至 {term_end}，尚在期限内", "the integrated-exploration term runs to {term_end}"),
               R_FINDINGS: ("期限已满（{term_end}），有找矿成果，转入下一阶段勘查开发",
                            "the term ended on {term_end} with findings: the right moves to the next stage"),
               R_NO_FINDINGS: ("期限已满（{term_end}）且无找矿成果：应全面退出该区域",
                               "the term ended on {term_end} without findings: the holder must exit the zone entirely"),
               R_MISSING: ("期限已满（{term_end}），但未记录有无找矿成果，无法判断",
                           "the term ended on {term_end}, but whether there were findings is not recorded")},
      labels={"term_end": ("整装勘查期限", "end of term")}, applies=EXPLORATION)
def term(b: Batch) -> Result:
    res, live, lk, start, end = _term(b)
    running = live & (b.today < end)
    over = live & ~np.isnat(start) & (b.today >= end)
    findings = b.flag("findings")
    res.set(running, PASS, R_RUNNING)
    res.set(over & (findings == 1), PASS, R_FINDINGS)
    res.set(over & (findings == 0), FAIL, R_NO_FINDINGS)
    res.set(over & (findings < 0), MISSING, R_MISSING)
    res.facts.update(term_end=(end, None), valid_from=(start, None), findings=(findings, None))
    res.entries += [lk.entry, entry_col(b, OUTCOME_ENTRY, over)]
    return res


R_TRANSFERRED = 10


@rule("ie.no_transfer", "right", "M03", ("整装勘查期间探矿权不得转让", "Integrated exploration: no transfer during the term"),
      reasons={R_TRANSFERRED: ("探矿权于 {first_transfer} 转让，处于整装勘查期限（至 {term_end}）内",
                               "the right was transferred on {first_transfer}, within the term (to {term_end})"),
               1: ("整装勘查期限（至 {term_end}）内未转让", "no transfer within the term (to {term_end})"),
               R_MISSING: ("缺少探矿权起始日期，无法判断", "the right's start date is not recorded")},
      labels={"first_transfer": ("首次转让日期", "first transfer")}, applies=EXPLORATION)
def no_transfer(b: Batch) -> Result:
    res, live, lk, start, end = _term(b)
    moved = b.date("first_transfer")
    within = ~np.isnat(moved) & (moved >= start) & (moved < end)
    res.set(live & ~np.isnat(start) & ~within, PASS, 1)
    res.set(live & within, FAIL, R_TRANSFERRED)
    res.facts.update(first_transfer=(moved, None), term_end=(end, None))
    res.entries.append(lk.entry)
    return res


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
        score = weights.investment_and_drilling * p1 + weights.state_unit_with_capital * p2 + \
            weights.explorer_with_processor * p3
        rows.append({"name": b.get("name"), "score": round(score, 6),
                     "priorities": {"investment_and_drilling": round(p1, 6), "state_unit_with_capital": p2,
                                    "explorer_with_processor": p3}, "investment_yuan": x})
    rows.sort(key=lambda r: (-r["score"], -r["investment_yuan"], str(r["name"])))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    e = cat.get(PRIORITIES)
    return {"ranking": rows, "weights": weights.__dict__,
            "weights_note": {"zh": "政策只规定“三优先”的次序原则，未给出权重；此处权重为可配置的假设（默认三项相等）",
                             "en": "the seed names the three priorities but gives no weights; these weights are a "
                                   "configurable assumption (equal by default)"},
            "citations": [{"id": x.id, "doc": x.doc, "quote": x.quote} for x in (e, cat.get(SELECTION))]}
