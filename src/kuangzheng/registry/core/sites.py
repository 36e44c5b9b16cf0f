"""Real sites from several public sources: their Chinese names, and which records are one site.

GEM's tracker spells a mine's Chinese name only in the address of its Chinese wiki page (the name
column itself was damaged upstream to '????'); ICMM names sites in English only. A mine listed by
both is matched by distance, name similarity (in English, and in Chinese where both sides have a
Chinese name) and commodity, one to one, and the pairs that are close but not clear are reported
as doubtful instead of being merged.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from urllib.parse import unquote, urlsplit


def zh_name_from_wiki_url(url: str) -> str | None:
    """The page title of a percent-encoded wiki address, if it is a Chinese name (not '????')."""
    if not url or "%" not in url:
        return None
    title = unquote(urlsplit(url.strip()).path.rsplit("/", 1)[-1]).replace("_", " ").strip()
    if not title or "?" in title or "\ufffd" in title or not re.search(r"[\u4e00-\u9fff]", title):
        return None
    return title


COMPANY = re.compile(r"^(.+?(?:有限责任公司|股份有限公司|有限公司|集团公司|公司))")


def company_in_name(zh: str) -> tuple[str | None, str]:
    """Split '内蒙古平西白音华煤业有限公司（白音华一号露天煤矿）' into the company that runs the mine
    and the mine's own name; (None, name) when the name carries no company."""
    m = COMPANY.match(zh or "")
    if not m:
        return None, zh
    rest = zh[m.end() :].strip("（）() ") or zh
    return m.group(1), rest


MINE_SUFFIX = re.compile(r"(露天煤矿|露天矿|煤矿|井田|矿井|矿区|矿业|铜矿|铁矿|金矿|矿)$")


def enterprise_name_for(mine_zh: str, industry: str = "矿业") -> str:
    """A plausible enterprise name for a generated holder of a mine: '白家梁煤矿' → '白家梁煤业有限公司'."""
    base = re.sub(r"[（(].*?[)）]", "", mine_zh).strip()
    base = MINE_SUFFIX.sub("", base) or base
    return f"{base}{industry}有限公司"


# ---------------------------------------------------------------- matching

GENERIC = re.compile(
    r"\b(coal|mine|mines|mining|surface|open ?pit|opencast|underground|colliery|company|co|ltd|project|"
    r"phase|inner mongolia|no)\b"
)
ZH_GENERIC = re.compile(r"(露天煤矿|露天矿|煤矿|矿井|有限责任公司|股份有限公司|有限公司|公司|内蒙古|（|）|\(|\))")
CN_DIGITS = dict(zip("一二三四五六七八九十", "12345678910"))


@dataclass(frozen=True)
class Site:
    key: str
    name_en: str
    lon: float
    lat: float
    commodities: frozenset = frozenset()
    name_zh: str | None = None


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    km: float
    similarity: float
    why: str = ""


@dataclass
class Matching:
    matches: list[Pair] = field(default_factory=list)
    doubtful: list[Pair] = field(default_factory=list)


def _numbers(text: str) -> tuple[str, ...]:
    text = "".join(CN_DIGITS.get(c, c) for c in text)
    return tuple(re.findall(r"\d+", text))


def _core_en(name: str) -> str:
    s = re.sub(r"[^a-z0-9 ]", " ", name.lower().replace("no.", "no "))
    return " ".join(GENERIC.sub(" ", re.sub(r"\d+", " ", s)).split())


def _core_zh(name: str) -> str:
    return re.sub(r"[\d一二三四五六七八九十号]", "", ZH_GENERIC.sub("", name))


def similarity(a: Site, b: Site) -> float:
    """Name similarity 0..1 in the best shared language; 0 when both names carry different numbers
    (No. 1 and No. 2 are neighbours, not one mine)."""
    na, nb = _numbers(a.name_en), _numbers(b.name_en)
    if na and nb and na != nb:
        return 0.0
    scores = [SequenceMatcher(None, _core_en(a.name_en), _core_en(b.name_en)).ratio()]
    if a.name_zh and b.name_zh:
        za, zb = _numbers(a.name_zh), _numbers(b.name_zh)
        if za and zb and za != zb:
            return 0.0
        scores.append(SequenceMatcher(None, _core_zh(a.name_zh), _core_zh(b.name_zh)).ratio())
    return max(scores)


def km_between(a: Site, b: Site) -> float:
    """Great-circle distance on the mean sphere (enough to tell 100 m from 10 km)."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dl = math.radians(b.lon - a.lon)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0 * math.acos(max(-1.0, min(1.0, c)))


def match_sites(
    left: list[Site], right: list[Site], *, radius_km: float = 15.0, same_name: float = 0.85, near_km: float = 2.0
) -> Matching:
    """One-to-one matches between two sources. A pair must share a commodity and lie within
    `radius_km`; it is a match when the names agree (similarity ≥ `same_name`), or when the names are
    alike (≥ 0.6) and the points within `near_km`. Pairs of unmatched sites that are within
    `near_km`, or alike (≥ 0.5) within the radius, are doubtful: reported, not merged."""
    candidates = []
    for a in left:
        for b in right:
            if a.commodities and b.commodities and not (a.commodities & b.commodities):
                continue
            d = km_between(a, b)
            if d <= radius_km:
                candidates.append(Pair(a.key, b.key, round(d, 2), round(similarity(a, b), 2)))
    out, used_a, used_b = Matching(), set(), set()
    for p in sorted(candidates, key=lambda p: (-p.similarity, p.km)):
        if p.a in used_a or p.b in used_b:
            continue
        if p.similarity >= same_name or (p.similarity >= 0.6 and p.km <= near_km):
            out.matches.append(Pair(p.a, p.b, p.km, p.similarity, "name" if p.similarity >= same_name else "near"))
            used_a.add(p.a)
            used_b.add(p.b)
    for p in sorted(candidates, key=lambda p: (p.km, -p.similarity)):
        if p.a in used_a or p.b in used_b:
            continue
        if p.km <= near_km or p.similarity >= 0.5:
            out.doubtful.append(Pair(p.a, p.b, p.km, p.similarity, "near" if p.km <= near_km else "alike"))
            used_a.add(p.a)  # report each unmatched site once, with its closest candidate
    return out
