"""The mineral vocabulary (minerals.yaml beside this module): one name per mineral, whatever the source.

Every spelling the platform meets — the seeds' Chinese, ICMM's and GEM's English — resolves by whole
name (trimmed, case-insensitive) to one entry with a Chinese name, an English name, a code and a
group. Records store the Chinese name; pages show the name in the reader's language. Names the
vocabulary does not know are kept as written, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Mineral:
    code: str
    zh: str
    en: str
    group: str  # energy | metal | non-metal | water-gas
    aliases: tuple[str, ...] = ()
    variety_of: str | None = None
    members: tuple[str, ...] = ()
    listed: bool = True  # named by the 1994 classification list
    note: str = ""


@dataclass(frozen=True)
class Category:
    """A collective name (稀有、稀土及分散元素矿产): covers minerals, is not one."""

    code: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    source: dict
    groups: dict[str, dict]
    minerals: dict[str, Mineral]
    categories: dict[str, Category]
    conditions: tuple[dict, ...]
    by_name: dict[str, Mineral | Category | dict] = field(repr=False)


def _key(name) -> str:
    return " ".join(str(name).split()).lower()


@cache
def vocabulary() -> Vocabulary:
    raw = yaml.safe_load(resources.files(__package__).joinpath("minerals.yaml").read_text(encoding="utf-8"))
    minerals = {
        m["code"]: Mineral(
            m["code"],
            m["zh"],
            m["en"],
            m["group"],
            tuple(m.get("aliases", ())),
            m.get("variety_of"),
            tuple(m.get("members", ())),
            m.get("listed", True),
            m.get("note", ""),
        )
        for m in raw["minerals"]
    }
    categories = {
        c["code"]: Category(
            c["code"],
            c["zh"],
            c["en"],
            tuple(c.get("aliases", ())),
            tuple(c.get("members", ())),
            tuple(c.get("groups", ())),
        )
        for c in raw["categories"]
    }
    by_name: dict = {}
    for entry in [*minerals.values(), *categories.values()]:
        for name in (entry.zh, entry.en, entry.code, *entry.aliases):
            other = by_name.setdefault(_key(name), entry)
            if other is not entry:
                raise ValueError(f"minerals.yaml: '{name}' names both {other.code} and {entry.code}")
    for cond in raw["conditions"]:
        by_name.setdefault(_key(cond["zh"]), cond)
    return Vocabulary(raw["source"], raw["groups"], minerals, categories, tuple(raw["conditions"]), by_name)


def lookup(name) -> Mineral | Category | dict | None:
    """What a name denotes: a mineral, a collective name, a condition (a dict), or None if unknown."""
    if name is None:
        return None
    return vocabulary().by_name.get(_key(name))


def resolve(name) -> Mineral | None:
    """The mineral a name denotes, or None (unknown names and collective names are not minerals)."""
    hit = lookup(name)
    return hit if isinstance(hit, Mineral) else None


def display(name, lang: str = "zh") -> str:
    """A mineral or collective name in the reader's language; unknown names as written."""
    return _display(str(name), lang)


@lru_cache(maxsize=4096)  # every feature of a page shows its minerals in both languages
def _display(name: str, lang: str) -> str:
    hit = lookup(name)
    if isinstance(hit, (Mineral, Category)):
        return hit.en if lang == "en" else hit.zh
    return str(name).strip()


def display_list(names, lang: str = "zh") -> list[str]:
    return list(dict.fromkeys(display(n, lang) for n in names or [] if str(n).strip()))


def normalise(names) -> tuple[list[str], list[str]]:
    """(Chinese names, deduplicated in order; the names the vocabulary does not know, kept as written)."""
    out, unknown = [], []
    for n in names or []:
        n = str(n).strip()
        if not n:
            continue
        hit = resolve(n)
        if hit is None:
            unknown.append(n)
        out.append(hit.zh if hit else n)
    return list(dict.fromkeys(out)), unknown


def lineage(code: str) -> list[str]:
    """The code and the codes it is a variety of, nearest first (河道砂金 → placer gold → gold)."""
    minerals, out = vocabulary().minerals, []
    while code and code not in out:
        out.append(code)
        code = minerals[code].variety_of if code in minerals else None
    return out
