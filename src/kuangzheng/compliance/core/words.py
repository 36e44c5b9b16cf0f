"""The words the field writes, matched on a vocabulary with aliases (words.yaml, with its sources):
coal ranks by the classes of GB/T 5751, and the processes of the backward-capacity catalogue with
their usual variant spellings. A match reports the words it found, so a verdict can say what it read.

Text is NFKC-normalised (full-width → half-width) and lower-cased; aliases are tried longest first
and a span once matched is not matched again, so 无烟煤 is not also 烟煤 and 年老褐煤 is 褐煤. ASCII
aliases match as whole words only (HM is not the HM in "CHM")."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("words.yaml")


def normal(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).lower().strip()


@dataclass(frozen=True)
class Match:
    key: str | None  # the class found, None when none or more than one
    words: tuple[str, ...]  # the words of the text that matched, as written
    keys: tuple[str, ...]  # every class found (more than one: ambiguous)

    def describe(self, names: dict[str, str]) -> str:
        """'年老褐煤 → 褐煤' — what was read, for a verdict's facts."""
        if not self.words:
            return ""
        found = "、".join(names.get(k, k) for k in self.keys)
        return f"{'、'.join(self.words)} → {found}"


class Words:
    """Aliases → class keys; `match(text)` finds the classes a text names."""

    def __init__(self, aliases: dict[str, str]):
        self.aliases = {normal(a): k for a, k in aliases.items()}
        parts = []
        for a in sorted(self.aliases, key=len, reverse=True):
            p = re.escape(a)
            parts.append(rf"(?<![a-z0-9]){p}(?![a-z0-9])" if a.isascii() else p)
        self.pattern = re.compile("|".join(parts))

    @functools.lru_cache(maxsize=4096)  # noqa: B019 (the vocabularies live as long as the process)
    def match(self, text: str) -> Match:
        t = normal(text)
        words = [m.group(0) for m in self.pattern.finditer(t)]
        keys = tuple(dict.fromkeys(self.aliases[w] for w in words))
        return Match(keys[0] if len(keys) == 1 else None, tuple(dict.fromkeys(words)), keys)


@functools.lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def coal_ranks() -> Words:
    classes = _data()["coal_ranks"]["classes"]
    return Words({a: key for key, c in classes.items() for a in [c["zh"], c["en"], *c["aliases"]]})


def coal_rank_names() -> dict[str, str]:
    return {key: c["zh"] for key, c in _data()["coal_ranks"]["classes"].items()}


def process_variants() -> dict[str, tuple[str, ...]]:
    """Catalogue keyword → its variant spellings (the keyword itself first)."""
    return {k: (k, *v) for k, v in _data()["processes"]["keywords"].items()}
