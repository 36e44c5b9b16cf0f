"""The comparison a quote's wording implies for a number (不低于 → ">=", 低于 → "<", 以内 → "<=" …).

Strict words (低于, 超过) and inclusive words (不低于, 以上, 以内, 不超过) mean different comparisons.
Validation uses this to catch an entry whose comparison contradicts its own quote. Only clear cues
count (达到 does not: a statistic that 达到 a value equals it). 超过/高于 are read both ways,
because the catalogue records the requirement: exceeding is either the qualifying condition (">")
or the forbidden side ("<=").
"""

from __future__ import annotations

import re

from . import numbers

# word right before the number -> comparisons it allows; negated (不/不得/不应 …) forms flip them
_BEFORE = {"低于": {"<"}, "少于": {"<"}, "小于": {"<"}, "超过": {">", "<="}, "高于": {">", "<="}, "大于": {">", "<="}}
_NEGATED = {"低于": {">="}, "少于": {">="}, "小于": {">="}, "超过": {"<="}, "高于": {"<="}, "大于": {"<="}}
_AFTER = {"及以上": {">="}, "以上": {">="}, "以内": {"<="}, "左右": {"~"}}
_AFTER_RE = re.compile(r"[^\d，。；、,;：:]{0,8}?(及以上|以上|以内|左右)")


def _number_text(value: float) -> str:
    s = repr(float(value))
    return s[:-2] if s.endswith(".0") else s


def implied(value, quote: str) -> list[set[str]]:
    """For each place the value's number is written in the quote, the comparisons its wording
    allows (an empty set where the wording gives no clear cue)."""
    text = numbers.normalise(quote)
    found = []
    for m in re.finditer(r"(?<![\d.])" + re.escape(_number_text(value)) + r"(?![\d.])", text):
        pre = text[max(0, m.start() - 6) : m.start()]
        allowed: set[str] = set()
        for word, cmps in _BEFORE.items():
            if pre.endswith(word):
                head = pre[: -len(word)]
                negated = head.endswith(("不", "不得", "不应", "不能", "不宜"))
                allowed = _NEGATED.get(word, cmps) if negated else cmps
                break
        if not allowed:
            after = _AFTER_RE.match(text, m.end())
            if after:
                allowed = _AFTER[after.group(1)]
        found.append(allowed)
    return found


def contradicts(comparison: str, value, quote: str) -> set[str] | None:
    """The comparisons the wording allows when it contradicts `comparison`, else None."""
    if not numbers.is_plain_number(value):
        return None
    cues = [c for c in implied(value, quote) if c]
    if cues and all(comparison not in c for c in cues):
        return set().union(*cues)
    return None
