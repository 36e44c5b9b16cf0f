"""Is a reported value wildly off the facility's own history?

r = value / median(history), the median over the facility's past positive values of the same
field (at least ``MIN_HISTORY`` of them; otherwise nothing is said).

- probable unit error: |log10 r − 4| ≤ 0.5 or |log10 r + 4| ≤ 0.5, i.e. r within half an order
  of magnitude of 10⁴ or 10⁻⁴ — what a 吨/万吨 (or 千瓦时/万千瓦时) slip produces;
- far from history: otherwise |log10 r| ≥ 2 (a hundredfold change or more);
- zero and negative values are not judged (a stopped plant reports 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MIN_HISTORY = 3
UNIT_SLIP_DECADES = 4.0  # 万 = 10⁴
SLIP_WINDOW = 0.5  # decades either side
FAR_DECADES = 2.0


@dataclass(frozen=True)
class HistoryFlag:
    kind: str  # "unit_error" | "far_from_history"
    ratio: float  # value / median of history
    median: float


def history_flag(value: float, history) -> HistoryFlag | None:
    past = np.asarray(history if history is not None else [], float)
    past = past[np.isfinite(past) & (past > 0)]
    if len(past) < MIN_HISTORY or not value > 0:
        return None
    median = float(np.median(past))
    ratio = value / median
    decades = math.log10(ratio)
    if abs(abs(decades) - UNIT_SLIP_DECADES) <= SLIP_WINDOW:
        return HistoryFlag("unit_error", ratio, median)
    if abs(decades) >= FAR_DECADES:
        return HistoryFlag("far_from_history", ratio, median)
    return None
