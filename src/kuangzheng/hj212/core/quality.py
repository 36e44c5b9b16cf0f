"""Aggregation and data quality: averages with the flag of the aggregate, values converted to the
reference oxygen content, capture rates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from math import fsum

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


@dataclass(frozen=True)
class Sample:
    """One stored real-time value (min/max/cou None) or minute value of a pollutant."""

    value: float
    flag: str
    zs: float | None = None
    min: float | None = None
    max: float | None = None
    cou: float | None = None


@dataclass(frozen=True)
class Aggregate:
    avg: float
    min: float
    max: float
    cou: float | None
    zs: float | None
    flag: str
    count: int


def aggregate(samples: Iterable[Sample], medium: str) -> Aggregate | None:
    """The Avg/Min/Max/Cou of a period from its values, with the aggregate's flag (`aggregate_flag`).
    A normal aggregate is computed from its normal values only (a value taken while calibrating or
    in maintenance does not measure the discharge); an abnormal one from all, and keeps its flag.
    Cou is the sum of the values' Cou when every value has one (real-time values carry none); the
    converted average likewise needs a converted value for every value. None without values."""
    samples = [s for s in samples if s.value is not None]
    if not samples:
        return None
    flag = aggregate_flag((s.flag for s in samples), medium)
    used = [s for s in samples if s.flag == NORMAL] if flag == NORMAL else samples
    values = [s.value for s in used]
    zs = [s.zs for s in used if s.zs is not None]
    cou = [s.cou for s in used if s.cou is not None]
    return Aggregate(
        avg=fsum(values) / len(values),
        min=min(s.value if s.min is None else s.min for s in used),
        max=max(s.value if s.max is None else s.max for s in used),
        cou=fsum(cou) if len(cou) == len(used) else None,
        zs=fsum(zs) / len(zs) if len(zs) == len(used) else None,
        flag=flag,
        count=len(used),
    )


def capture_rate(received: int, interval_s: int, period_s: int) -> float:
    """Share of the expected values (period / interval) that arrived; capped at 1 (re-sent or early
    values cannot make up for missing ones)."""
    expected = max(1, period_s // max(1, interval_s))
    return min(1.0, received / expected)
