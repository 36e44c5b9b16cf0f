"""Parsing the query parameters of the Features API (Part 1 and Part 2) into plain values.

Every bad value becomes an `InvalidInput` naming the parameter in Chinese and English (HTTP 400).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from kuangzheng.errors import FieldProblem, InvalidInput

DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
OPEN = ("..", "")


@dataclass(frozen=True)
class Interval:
    """A closed date interval; None at an end means open."""

    start: dt.date | None
    end: dt.date | None


def _bad(field: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput([FieldProblem(field, zh, en)])


def limit(raw: str | None) -> int:
    """`limit`: 1 to any; above the maximum it is the maximum (Part 1 requires no error there)."""
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    try:
        n = int(raw)
    except ValueError:
        raise _bad("limit", f"limit 应为正整数：{raw[:40]}", f"limit must be a positive integer: {raw[:40]}") from None
    if n < 1:
        raise _bad("limit", "limit 应至少为 1", "limit must be at least 1")
    return min(n, MAX_LIMIT)


def offset(raw: str | None) -> int:
    if raw is None or raw == "":
        return 0
    try:
        n = int(raw)
    except ValueError:
        raise _bad(
            "offset", f"offset 应为非负整数：{raw[:40]}", f"offset must be a non-negative integer: {raw[:40]}"
        ) from None
    if n < 0:
        raise _bad("offset", "offset 不能为负", "offset must not be negative")
    return n


def bbox(raw: str | None) -> tuple[float, float, float, float] | None:
    """`bbox`: four numbers (or six, with heights, which are dropped), lower corner first, in the
    axis order of `bbox-crs`."""
    if raw is None or raw == "":
        return None
    parts = raw.split(",")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        nums = []
    if len(nums) not in (4, 6) or not all(math.isfinite(v) for v in nums):
        raise _bad(
            "bbox",
            "bbox 应为 4 个（或含高程的 6 个）以逗号分隔的数",
            "bbox must be 4 (or 6, with heights) comma-separated numbers",
        )
    lo1, lo2, hi1, hi2 = (
        (nums[0], nums[1], nums[2], nums[3]) if len(nums) == 4 else (nums[0], nums[1], nums[3], nums[4])
    )
    if lo2 > hi2:
        raise _bad("bbox", "bbox 第二轴的下界大于上界", "bbox: the lower bound of the second axis is above the upper")
    return lo1, lo2, hi1, hi2


def _date(text: str) -> dt.date:
    text = text.strip()
    if "T" in text:  # RFC 3339 date-time: the registry's temporal fields are dates
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    return dt.date.fromisoformat(text)


def datetime(raw: str | None) -> Interval | None:
    """`datetime`: an instant or an interval `start/end`, either end open (`..` or empty)."""
    if raw is None or raw == "":
        return None
    try:
        if "/" in raw:
            a, _, b = raw.partition("/")
            start = None if a.strip() in OPEN else _date(a)
            end = None if b.strip() in OPEN else _date(b)
            if start is None and end is None:
                raise ValueError("both ends open")
            if start and end and start > end:
                raise ValueError("start after end")
            return Interval(start, end)
        day = _date(raw)
        return Interval(day, day)
    except ValueError:
        raise _bad(
            "datetime",
            f"datetime 应为 RFC 3339 时间或区间（起/止，开放端用 ..）：{raw[:60]}",
            f"datetime must be an RFC 3339 instant or interval (start/end, '..' for open): {raw[:60]}",
        ) from None
