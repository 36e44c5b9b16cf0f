"""Numbers as the seeds write them: Arabic, full-width and Chinese numerals, fractions, 万/亿/% suffixes.

The catalogue check asks "does every number of an entry's value occur in its quote?". A quote is
turned into a set of candidate numbers; the check is deliberately generous about *which* numbers a
quote yields (every sub-run of a Chinese numeral, every stated unit conversion) and strict about
the value (it must equal one candidate), so that a typo in a value is caught while 三年, 1/3,
10万吨 and 27.3% all read naturally.
"""

from __future__ import annotations

import math
import re

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％／，", "0123456789.%/,")
_WHITESPACE = re.compile(r"\s+")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_CN_RUN = re.compile("[零〇一二两三四五六七八九十百千万亿]+")
_ARABIC = re.compile(r"([-−－]?)(?<![\d.])(\d+(?:\.\d+)?)(?:/(\d+(?:\.\d+)?))?([万亿%]?)")
_CN_FRACTION = re.compile("([零〇一二两三四五六七八九十百千万亿]+)分之([零〇一二两三四五六七八九十百千万亿]+)")
# a unit code's power-of-ten prefix ("10^4 t" is 万吨): a value may be compared in plain numbers too
_UNIT_PREFIX = re.compile(r"^10\^(\d+)\b")


def squash(text: str) -> str:
    """Remove every whitespace character (ASCII and ideographic), the form quotes are compared in."""
    return _WHITESPACE.sub("", text)


def normalise(text: str) -> str:
    """Full-width digits and signs to ASCII, thousands separators removed, whitespace removed."""
    text = squash(text).translate(_FULLWIDTH)
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)


def cn_numeral(run: str) -> int | None:
    """Value of a Chinese numeral such as 三, 十二, 一千二百, 两万; None when the run is not one number."""
    total = section = 0
    digit: int | None = None
    for ch in run:
        if ch in _DIGITS:
            if digit:
                return None  # two digits in a row (e.g. 十二五) is a label, not one number
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:
            total = (total + section + (digit or 0)) * _BIG_UNITS[ch]
            if total == 0:
                total = _BIG_UNITS[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def _cn_candidates(run: str) -> set[float]:
    found: set[float] = set()
    for i in range(len(run)):
        for j in range(i + 1, len(run) + 1):
            v = cn_numeral(run[i:j])
            if v is not None:
                found.add(float(v))
    return found


# whitespace between two numbers separates table cells (the seeds' tables come one cell per line)
_CELL_BREAK = re.compile(r"(?<=[\d%])\s+(?=[-−－]?\d)")


def candidates(text: str) -> tuple[set[float], set[float]]:
    """(exact, rounded) numbers a text states: exact ones must be met exactly, rounded ones
    (fractions such as 1/3) may be met at the precision the value is written with."""
    text = normalise(_CELL_BREAK.sub("|", text))
    exact: set[float] = set()
    rounded: set[float] = set()
    for m in _ARABIC.finditer(text):
        sign, num, den, suffix = m.groups()
        v = float(num)
        exact.add(v)
        if sign:  # a table cell such as -0.1: the sign is stated, so the negative is a candidate too
            exact.add(-v)
        if den is not None:
            exact.add(float(den))
            if float(den):
                rounded.add(v / float(den))
                rounded.add(100 * v / float(den))
        scale = {"万": 1e4, "亿": 1e8, "%": 0.01}.get(suffix)
        if scale:
            exact.add(v * scale)
    for run in _CN_RUN.findall(text):
        exact |= _cn_candidates(run)
    for den, num in _CN_FRACTION.findall(text):
        d, n = cn_numeral(den), cn_numeral(num)
        if d and n is not None:
            rounded.add(n / d)
            rounded.add(100 * n / d)
            exact.add(float(n))
    return exact, rounded


def is_plain_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def decimals(value: float) -> int:
    """Digits after the decimal point as the value is written (27.3 -> 1, 12.0 -> 1, 8 -> 0)."""
    if isinstance(value, int):
        return 0
    text = repr(float(value))
    if "e" in text or "E" in text:
        return 12
    return len(text.split(".")[1]) if "." in text else 0


def _significant(value: float) -> int:
    """Significant digits as written (0.3 -> 1, 0.33 -> 2, 33.3 -> 3): a rounded fraction needs two."""
    digits = repr(float(value)).split("e")[0].replace("-", "").replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) if decimals(value) == 0 else len(digits)


def unit_scale(unit: str | None) -> float:
    """The power of ten a unit code carries in its name ("10^4 t" -> 1e4), else 1."""
    m = _UNIT_PREFIX.match(unit or "")
    return 10.0 ** int(m.group(1)) if m else 1.0


def occurs(value: float, text: str, unit: str | None = None) -> bool:
    """True when `value` (in `unit`) is a number the text states, allowing the stated conversions."""
    exact, rounded = candidates(text)
    tries = {float(value), float(value) * unit_scale(unit)}
    for v in tries:
        if any(math.isclose(v, c, rel_tol=1e-9, abs_tol=1e-12) for c in exact):
            return True
        half = 0.5 * 10.0 ** -decimals(value) + 1e-12
        if _significant(value) >= 2 and any(abs(v - c) <= half for c in rounded):
            return True
    return False
