"""Mergers on an equal-or-reduced capacity basis (Qinghai, seed 001 二(二), M27).

「加快有色金属矿产、冶炼、加工资源的整合，实施跨行业、跨地区、跨所有制的等量或减量兼并重组」
(001.restructuring.merger_mode). A merger is checked on the plant it produces: the merging parties'
combined capacity before (`merger_capacity_before`, 10^4 t/a, a fact the check states) against the
merged plant's capacity (converted from its unit). 等量或减量: the capacity after may equal or be less
than the capacity before, never more. A facility without a stated merger is not a subject.
"""

from __future__ import annotations

import numpy as np

from ..vocabulary import Batch, Result, fails, missing, of_kind, passes, quantity, rule, select

MERGER = "001.restructuring.merger_mode"
KINDS = ("mine", "concentrator", "smelter", "al_line", "refinery", "processing_plant")


@rule(
    "merger.equal_or_reduced",
    "facility",
    "M27",
    ("兼并重组等量或减量", "Mergers: equal or reduced capacity"),
    reasons={
        "equal_or_reduced": passes(
            "兼并重组后产能 {capacity} 万吨/年 不超过重组前合计 {merger_capacity_before} 万吨/年（等量或减量）",
            "capacity after the merger {capacity} does not exceed the combined {merger_capacity_before} "
            "before it (10^4 t/a): equal or reduced",
        ),
        "increased": fails(
            "兼并重组后产能 {capacity} 万吨/年 超过重组前合计 {merger_capacity_before} 万吨/年，不是等量或减量兼并重组",
            "capacity after the merger {capacity} exceeds the combined {merger_capacity_before} before it "
            "(10^4 t/a): not an equal-or-reduced merger",
        ),
        "no_capacity": missing(
            "缺少兼并重组后的产能（及其单位），无法判断", "the merged plant's capacity (with its unit) is not recorded"
        ),
    },
    labels={"merger_capacity_before": ("重组前合计产能", "combined capacity before")},
    applies=lambda b: of_kind(b, *KINDS),
    reads=("kind", "capacity", "capacity_unit", "merger_capacity_before"),
    entries=(MERGER,),
)
def equal_or_reduced(b: Batch) -> Result:
    """「实施跨行业、跨地区、跨所有制的等量或减量兼并重组」 (001.restructuring.merger_mode)."""
    before = b.num("merger_capacity_before")
    merger = of_kind(b, *KINDS) & ~np.isnan(before)
    bound = b.binds(MERGER)
    after = quantity(b, "capacity", "capacity_unit", "10^4 t/a")
    reason = select(
        (~merger, "not_subject"),
        (~bound, "not_in_force"),
        (np.isnan(after), "no_capacity"),
        (after <= before, "equal_or_reduced"),
        default="increased",
    )
    return Result(
        reason,
        facts={"capacity": (after, "10^4 t/a"), "merger_capacity_before": (before, "10^4 t/a")},
        entries=[b.cite(MERGER, merger & bound)],
    )
