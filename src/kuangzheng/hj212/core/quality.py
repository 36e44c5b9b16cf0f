"""Aggregation and data quality: averages with the flag of the aggregate, values converted to the
reference oxygen content, capture rates."""

from __future__ import annotations

from collections.abc import Iterable

NORMAL = "N"
AIR_NORMAL_SHARE = 0.75  # HJ 212-2017: a flue-gas aggregate is normal when ≥ 75 % of its values are


def converted(concentration: float, o2: float | None, reference_o2: float | None) -> float | None:
    """C_converted = C · α / α_s with α = 21 / (21 − O₂): C · (21 − O₂ref) / (21 − O₂measured)."""
    if reference_o2 is None:
        return concentration
    if o2 is None or o2 >= 21 or reference_o2 >= 21:
        return None
    return concentration * (21 - reference_o2) / (21 - o2)


def aggregate_flag(flags: Iterable[str], medium: str) -> str:
    """Air: normal when at least 75 % of the values are normal. Water: any abnormal value makes the
    aggregate abnormal. An abnormal aggregate carries its most frequent abnormal flag."""
    flags = list(flags)
    if not flags:
        return NORMAL
    abnormal = [f for f in flags if f != NORMAL]
    if not abnormal:
        return NORMAL
    if medium == "air" and (len(flags) - len(abnormal)) / len(flags) >= AIR_NORMAL_SHARE:
        return NORMAL
    return max(set(abnormal), key=lambda f: (abnormal.count(f), f))


def average(values: Iterable[tuple[float, str]], medium: str) -> tuple[float, float, float, str] | None:
    """(avg, min, max, flag) of (value, flag) pairs; None without values."""
    pairs = list(values)
    if not pairs:
        return None
    nums = [v for v, _ in pairs]
    return sum(nums) / len(nums), min(nums), max(nums), aggregate_flag((f for _, f in pairs), medium)


def capture_rate(received: int, interval_s: int, period_s: int) -> float:
    """Share of the expected values (period / interval) that arrived; capped at 1 (re-sent or early
    values cannot make up for missing ones)."""
    expected = max(1, period_s // max(1, interval_s))
    return min(1.0, received / expected)
