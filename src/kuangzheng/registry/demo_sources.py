"""The demo's real sites, read from the shipped GEM and ICMM files into plain records: Chinese names
recovered, minerals in the vocabulary's Chinese, GEM project phases sorted out, and the ICMM coal
mines that are GEM mines found. No database here; `demo` writes what this returns."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib import resources

from .core import minerals, sites

PROVINCES = {"150000", "630000", "540000"}  # Inner Mongolia, Qinghai, Tibet
GEM_STATUS = {
    "Operating": "operating",
    "Proposed": "planned",
    "Shelved": "suspended",
    "Mothballed": "suspended",
    "Cancelled": "closed",
    "Retired": "closed",
}
GEM_METHOD = {"Underground": "underground", "Surface": "open_pit", "Underground & Surface": "mixed"}
GEM_RANK = {"Lignite": "褐煤", "Bituminous": "烟煤", "Subbituminous": "次烟煤", "Anthracite": "无烟煤"}
GEM_PROJECT = {"New": "new", "Expansion": "expansion"}
STAGE_ZH = {"Stage 2": "二期", "Stage 3": "三期", "Stage 4": "四期"}
ICMM_KIND = {"Mine": "mine", "Smelter": "smelter", "Refinery": "refinery", "Plant": "processing_plant"}


@dataclass
class Site:
    """One real site as the demo registers it (the values handed to the service layer) plus what
    the loader needs around it."""

    values: dict
    source: str
    owner: str = ""  # the enterprise name, as the source gives it
    owner_is_company_in_name: bool = False
    province: str = ""
    prefecture: str = ""
    size_km2: float | None = None
    notes: list = field(default_factory=list)


def _rows(*parts):
    with resources.files("kuangzheng.data").joinpath("/".join(parts)).open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["province_adcode"] in PROVINCES]


def _repair(text: str) -> str:
    """Undo UTF-8 read as Windows-1252 upstream ('Zhungeâ€™er' → 'Zhunge’er')."""
    try:
        return text.encode("cp1252").decode("utf-8") if "â" in text or "Ã" in text else text
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _number(text: str) -> float | None:
    try:
        v = float(text)
    except (TypeError, ValueError):
        return None
    return v if v > 0 else None  # GEM writes 0.0 where the figure is unknown


def gem_sites(stats: dict) -> list[Site]:
    """GEM coal mines; rows sharing a Mine ID are phases: the base mine is one site, each expansion
    phase another (a project of its own, project type expansion)."""
    by_id: dict[str, list[dict]] = {}
    for r in _rows("gcmt", "gcmt_china_with_adcode.csv"):
        by_id.setdefault(r["Mine IDs"], []).append(r)
    out = []
    for mine_id, rows in by_id.items():
        zh = next(filter(None, (sites.zh_name_from_wiki_url(r["GEM Wiki Page (Non-ENG)"]) for r in rows)), None)
        if zh is None:
            stats.setdefault("names_not_recovered", []).append(f"{mine_id} {rows[0]['Mine Name']}")
        base = next((r for r in rows if r["Project Type"] != "Expansion"), rows[0])
        out.append(_gem_site(base, mine_id, zh, None))
        for r in rows:
            if r is base:
                continue
            if r["Project Type"] == "Expansion":
                out.append(_gem_site(r, mine_id, zh, r["Project Phase"] or "expansion"))
                stats.setdefault("gem_expansion_phases", []).append(f"{mine_id} {r['Project Phase'] or ''}".strip())
            else:
                stats.setdefault("gem_duplicate_rows", []).append(mine_id)
    return out


def _gem_site(r: dict, mine_id: str, zh: str | None, phase: str | None) -> Site:
    en = r["Mine Name"].strip()
    name = zh or en
    company, _ = sites.company_in_name(zh) if zh else (None, en)
    external_id, name_en = mine_id, en
    if phase:
        stage = STAGE_ZH.get(phase, "")
        name = f"{name}扩建项目{f'（{stage}）' if stage else ''}"
        name_en = f"{en} expansion{f' ({phase})' if phase != 'expansion' else ''}"
        external_id = f"{mine_id}/{phase}"
    owner = company or (r["Parent Company"] or r["Owners"]).split("(")[0].split(",")[0].strip()
    # In this export the number sits in the "Coal Output (Annual, Mt)" column, and the column named
    # "Production or Capacity Data (Mtpa)" says whether it is a capacity or a production figure.
    cap = _number(r["Coal Output (Annual, Mt)"])
    is_cap = r["Production or Capacity Data (Mtpa)"].strip() == "Capacity"
    year = r["Opening Year"].strip()
    values = {
        "name": name,
        "name_en": name_en,
        "kind": "mine",
        "metals": ["煤"],
        "status": GEM_STATUS.get(r["Status"], "operating"),
        "project_type": GEM_PROJECT.get(r["Project Type"], ""),
        "lon": r["Longitude"],
        "lat": r["Latitude"],
        "external_id": external_id,
        "source_ids": [external_id],
        "mining_method": GEM_METHOD.get(r["Mine Type"], ""),
        "coal_rank": GEM_RANK.get(r["Coal Type"], ""),
        "capacity": round(cap * 100, 4) if cap and is_cap else None,
        "capacity_unit": "10^4 t/a" if cap and is_cap else "",
        "commissioned": int(year) if year.isdigit() else None,
    }
    return Site(
        values,
        "gem",
        owner=owner,
        owner_is_company_in_name=company is not None,
        province=r["province_adcode"],
        prefecture=r["prefecture_adcode"],
        size_km2=None if phase else _number(r["Mine Size (Km2)"].strip()),
    )


def icmm_sites(stats: dict) -> list[Site]:
    out = []
    for r in _rows("icmm", "icmm_china_with_adcode.csv"):
        kind = ICMM_KIND.get(r["Asset Type"].split(";")[0].strip(), "mine")
        raw = [r["Primary Commodity"], r["Secondary Commodity"], *r["Other Commodities"].split(";")]
        metals, unknown = minerals.normalise(raw)
        if unknown:
            stats.setdefault("minerals_not_in_vocabulary", []).extend(unknown)
        name = _repair(r["Mine Name"].strip())
        owner = _repair(r["Group Names"].split(";")[0].strip())
        values = {
            "name": name,
            "name_en": name,
            "kind": kind,
            "metals": metals,
            "status": "operating",
            "lon": r["Longitude"],
            "lat": r["Latitude"],
            "external_id": r["ICMMID"],
            "source_ids": [r["ICMMID"]],
        }
        out.append(
            Site(
                values,
                "icmm",
                owner=owner if owner and owner != name else "",
                province=r["province_adcode"],
                prefecture=r["prefecture_adcode"],
            )
        )
    return out


def _as_site(s: Site) -> sites.Site:
    v = s.values
    zh = v["name"] if v["name"] != v.get("name_en") else None
    return sites.Site(v["external_id"], v["name_en"], float(v["lon"]), float(v["lat"]), frozenset(v["metals"]), zh)


def merge_duplicates(icmm: list[Site], gem: list[Site], stats: dict) -> list[Site]:
    """Find the ICMM coal mines that are GEM mines; give the GEM record the ICMM id too and drop the
    ICMM record. Returns the ICMM sites that remain; matches and doubtful pairs go to `stats`."""
    coal = [s for s in icmm if s.values["kind"] == "mine" and "煤" in s.values["metals"]]
    gem_bases = [s for s in gem if "/" not in s.values["external_id"]]
    found = sites.match_sites([_as_site(s) for s in coal], [_as_site(s) for s in gem_bases])
    by_id = {s.values["external_id"]: s for s in icmm + gem_bases}
    for p in found.matches:
        g = by_id[p.b]
        g.values["source_ids"].append(p.a)
        g.notes.append(f"ICMM {by_id[p.a].values['name']}")
    stats["cross_source_matches"] = [
        f"{p.a} {by_id[p.a].values['name']} = {p.b} {by_id[p.b].values['name']} ({p.km} km, {p.similarity})"
        for p in found.matches
    ]
    stats["cross_source_doubtful"] = [
        f"{p.a} {by_id[p.a].values['name']} ? {p.b} {by_id[p.b].values['name']} ({p.km} km, {p.similarity})"
        for p in found.doubtful
    ]
    merged = {p.a for p in found.matches}
    return [s for s in icmm if s.values["external_id"] not in merged]
