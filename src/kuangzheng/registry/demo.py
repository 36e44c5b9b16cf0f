"""The demo registry: real public data where it exists, generated records (labelled) where not.

Real: division boundaries (CTAmap 2023), mine/smelter sites (ICMM 2025), coal mines with capacity and
area (GEM GCMT 2022) in Inner Mongolia, Qinghai and Tibet — the seeds' jurisdictions. Generated, with
`is_generated=True` and a source saying so: mineral-right boundaries and licence numbers, planning zones
and blocks, credit codes of generated enterprises, and life-cycle histories. Everything is written
through the service layer, so the demo data is validated and audited like any other data.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import random
from importlib import resources

from shapely.geometry import Polygon, box, shape
from shapely.validation import make_valid

from kuangzheng.access.actor import Actor
from kuangzheng.errors import ServiceError

from . import geometry, services
from .core.codes import CREDIT_CHARSET, make_credit_code
from .models import Division, Enterprise, Facility, MineralRight

LOADER = Actor(username="demo-loader", role="admin")
PROVINCES = {"150000", "630000", "540000"}  # Inner Mongolia, Qinghai, Tibet
GENERATED = "演示生成数据（非真实登记） generated demo record, not a real register entry"
SRC_CTA = "CTAmap 2023 (Rui et al. 2024), via cn-atlas 0.1.2"
SRC_ICMM = "ICMM Global Mining Dataset, September 2025 (V1), CC BY 4.0"
SRC_GEM = "Global Energy Monitor, Global Coal Mine Tracker, July 2022, CC BY 4.0"


def _data(*parts):
    return resources.files("kuangzheng.data").joinpath("/".join(parts))


def load_divisions(progress=None) -> dict:
    """Provinces and prefectures with boundaries; invalid rings are repaired with make_valid and counted."""
    repaired, rows = [], []
    for level, fname in (("province", "provinces.geojson"), ("prefecture", "prefectures.geojson")):
        fc = json.loads(_data("cn-admin", fname).read_text(encoding="utf-8"))
        for feat in fc["features"]:
            p = feat["properties"]
            code = str(p["id"])
            geom = shape(feat["geometry"])
            if not geom.is_valid:
                geom = make_valid(geom)
                repaired.append(code)
                if geom.geom_type == "GeometryCollection":
                    geom = geom.buffer(0)
            parent = None if level == "province" else code[:2] + "0000"
            rows.append(
                Division(
                    code=code,
                    name_zh=p.get("地名", ""),
                    name_en=p.get("name", ""),
                    level=level,
                    parent_id=parent,
                    source=SRC_CTA,
                    **geometry.columns(geom),
                )
            )
    Division.objects.bulk_create(rows, ignore_conflicts=True)
    from kuangzheng.audit import service as audit

    audit.record(
        LOADER, "import", "division", "*", None, {"count": len(rows), "repaired_invalid": repaired, "source": SRC_CTA}
    )
    return {"divisions": len(rows), "repaired": repaired}


def _division_for(prefecture: str, province: str) -> str:
    code = prefecture if prefecture and Division.objects.filter(pk=prefecture).exists() else province
    return code


def _enterprise(name: str, division: str, source: str, cache: dict, generated=False, rng=None) -> Enterprise:
    name = name.strip()[:200]
    if name in cache:
        return cache[name]
    data = {"name": name, "division": division, "ownership": "unknown"}
    if generated:
        body = "91" + division + "".join(rng.choice(CREDIT_CHARSET) for _ in range(9))
        data["credit_code"] = make_credit_code(body)
    ent = Enterprise.objects.filter(name=name, division_id=division).first() or services.create(
        LOADER, "enterprise", data, generated=generated, source=source
    )
    cache[name] = ent
    return ent


ICMM_KIND = {"Mine": "mine", "Smelter": "smelter", "Refinery": "refinery", "Plant": "processing_plant"}


def load_icmm(cache: dict) -> list[Facility]:
    out = []
    with _data("icmm", "icmm_china_with_adcode.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["province_adcode"] not in PROVINCES:
                continue
            kind = ICMM_KIND.get(r["Asset Type"].split(";")[0].strip(), "mine")
            metals = [
                m.strip()
                for m in [r["Primary Commodity"], r["Secondary Commodity"], *r["Other Commodities"].split(";")]
                if m.strip()
            ]
            division = _division_for(r["prefecture_adcode"], r["province_adcode"])
            owner = r["Group Names"].split(";")[0].strip()
            ent = _enterprise(owner, division, SRC_ICMM, cache) if owner and owner != r["Mine Name"] else None
            out.append(
                services.create(
                    LOADER,
                    "facility",
                    {
                        "name": r["Mine Name"],
                        "kind": kind,
                        "division": division,
                        "enterprise": ent and ent.pk,
                        "metals": list(dict.fromkeys(metals)),
                        "status": "operating",
                        "lon": r["Longitude"],
                        "lat": r["Latitude"],
                        "external_id": r["ICMMID"],
                    },
                    source=SRC_ICMM,
                )
            )
    return out


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


def load_gem(cache: dict, stats: dict) -> list[tuple[Facility, float | None]]:
    out, seen = [], set()
    with _data("gcmt", "gcmt_china_with_adcode.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["province_adcode"] not in PROVINCES:
                continue
            if r["Mine IDs"] in seen:  # the tracker lists some mines once per phase under one id
                stats.setdefault("gem_duplicate_ids", []).append(r["Mine IDs"])
                continue
            seen.add(r["Mine IDs"])
            division = _division_for(r["prefecture_adcode"], r["province_adcode"])
            owner = (r["Parent Company"] or r["Owners"]).split("(")[0].split(",")[0].strip()
            ent = _enterprise(owner, division, SRC_GEM, cache) if owner else None
            # In this export the number sits in the "Coal Output (Annual, Mt)" column, and the column named
            # "Production or Capacity Data (Mtpa)" says whether it is a capacity or a production figure.
            cap = r["Coal Output (Annual, Mt)"]
            is_cap = r["Production or Capacity Data (Mtpa)"].strip() == "Capacity"
            year = r["Opening Year"].strip()
            fac = services.create(
                LOADER,
                "facility",
                {
                    "name": r["Mine Name"],
                    "kind": "mine",
                    "division": division,
                    "enterprise": ent and ent.pk,
                    "metals": ["coal"],
                    "status": GEM_STATUS.get(r["Status"], "operating"),
                    "lon": r["Longitude"],
                    "lat": r["Latitude"],
                    "external_id": r["Mine IDs"],
                    "mining_method": GEM_METHOD.get(r["Mine Type"], ""),
                    "coal_rank": GEM_RANK.get(r["Coal Type"], ""),
                    "capacity": float(cap) * 100 if cap and is_cap else None,
                    "capacity_unit": "10^4 t/a" if cap and is_cap else "",
                    "commissioned": int(year) if year.isdigit() else None,
                },
                source=SRC_GEM,
            )
            size = r["Mine Size (Km2)"].strip()
            out.append((fac, float(size) if size.replace(".", "", 1).isdigit() else None))
    return out


def _polygon_around(lon, lat, area_km2, rng) -> Polygon:
    """An irregular polygon of about `area_km2` centred near (lon, lat): a stand-in boundary."""
    n = rng.randint(5, 9)
    r_km = math.sqrt(area_km2 / math.pi)
    pts = []
    for i in range(n):
        a = 2 * math.pi * i / n + rng.uniform(-0.2, 0.2)
        rr = r_km * rng.uniform(0.8, 1.2)
        pts.append((lon + rr * math.cos(a) / (111.32 * math.cos(math.radians(lat))), lat + rr * math.sin(a) / 110.57))
    return Polygon(pts)


def _minute_block(lon, lat, rng):
    """An exploration block aligned to whole minutes of the graticule, as exploration rights are."""
    w, h = rng.randint(2, 6) / 60, rng.randint(2, 5) / 60
    x0 = math.floor((lon + rng.uniform(0.05, 0.25)) * 60) / 60
    y0 = math.floor((lat + rng.uniform(-0.2, 0.2)) * 60) / 60
    return box(x0, y0, x0 + w, y0 + h)


def _register(rng, kind, fac, ent, geom, seq, source):
    division = fac.division_id
    year = rng.randint(2008, 2019)
    start = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    years = rng.choice([10, 15, 20, 30]) if kind == "mining" else rng.choice([3, 5])
    if kind == "mining":
        licence = f"C{division}{year}{seq:07d}"
    else:
        licence = f"T{division[:2]}{year}{seq:07d}"
    data = {
        "licence_no": licence,
        "kind": kind,
        "name": (fac.name if kind == "mining" else f"{fac.name} 外围勘查"),
        "holder": ent.pk,
        "division": division,
        "minerals": fac.metals or ["unknown"],
        "valid_from": start,
        "valid_to": start.replace(year=start.year + years),
        "obtained_by": rng.choice(
            ["application", "auction", "listing", "agreement"]
            if kind == "mining"
            else ["application", "tender", "listing"]
        ),
        "boundary": geom.wkt,
    }
    if kind == "mining":
        data.update(
            designed_scale=fac.capacity or round(rng.uniform(3, 120), 1),
            designed_scale_unit="10^4 t/a",
            elevation_top=rng.randint(900, 1500),
            elevation_bottom=rng.randint(100, 800),
        )
    right = services.create(
        LOADER,
        "right",
        data,
        generated=True,
        source=source,
        first_event={
            "kind": "granted",
            "date": start,
            "document_ref": f"演示〔{year}〕{seq}号",
            "reason": "演示数据：批准登记",
        },
    )
    return right


def _history(rng, right: MineralRight, enterprises: list[Enterprise]):
    """Give some rights a life: renewals, transfers, suspensions, expiry — every step a real event."""
    today = dt.date(2026, 11, 1)
    roll = rng.random()
    if right.valid_to < today and roll < 0.6:
        new_to = right.valid_to.replace(year=right.valid_to.year + 10)
        right = services.add_event(
            LOADER,
            right.pk,
            {
                "kind": "renewed",
                "date": right.valid_to - dt.timedelta(days=60),
                "valid_to": new_to,
                "document_ref": "演示延续",
                "reason": "到期前申请延续",
            },
            right.version,
        )
    elif right.valid_to < today:
        right = services.add_event(
            LOADER, right.pk, {"kind": "expired", "date": right.valid_to, "reason": "有效期届满未延续"}, right.version
        )
        return right
    roll = rng.random()
    after = right.events.order_by("-seq").first().date + dt.timedelta(days=rng.randint(30, 400))
    if after > today:
        return right
    if roll < 0.08 and len(enterprises) > 1:
        other = rng.choice([e for e in enterprises if e.pk != right.holder_id])
        right = services.add_event(
            LOADER,
            right.pk,
            {
                "kind": "transferred",
                "date": after,
                "holder": other.pk,
                "document_ref": "演示转让",
                "reason": "依法转让",
            },
            right.version,
        )
    elif roll < 0.14:
        right = services.add_event(
            LOADER,
            right.pk,
            {"kind": "suspended", "date": after, "reason": "安全整改停产", "document_ref": "演示暂停"},
            right.version,
        )
    return right


# Zones named in seed 003 (restricted mining areas), placed near their real locations; plus generated
# zones and blocks. Boundaries are all generated stand-ins.
NAMED_ZONES = [
    ("XZ-150000-01", "太仆寺旗白石头洼钨矿限制开采区", "restricted_mining_area", "152527", 115.28, 41.88, 60, ["钨"]),
    ("XZ-150000-02", "东乌旗沙麦钨矿限制开采区", "restricted_mining_area", "152500", 116.95, 45.85, 80, ["钨"]),
    (
        "XZ-150000-03",
        "白云鄂博稀土矿区限制开采区",
        "restricted_mining_area",
        "150200",
        109.97,
        41.78,
        150,
        ["稀土", "铁"],
    ),
]


def load_zones(rng, facilities: list[Facility]) -> list:
    zones = []
    for code, name, kind, div, lon, lat, area, minerals in NAMED_ZONES:
        div = div if Division.objects.filter(pk=div).exists() else div[:4] + "00"
        zones.append(
            services.create(
                LOADER,
                "zone",
                {
                    "code": code,
                    "name": name,
                    "kind": kind,
                    "division": div,
                    "minerals": minerals,
                    "plan": "003",
                    "boundary": _polygon_around(lon, lat, area, rng).wkt,
                    "attrs": {
                        "note": "名称出自规划（seed 003）；边界为演示生成 name from seed 003; boundary generated"
                    },
                },
                generated=True,
                source="名称：内蒙古自治区矿产资源总体规划（2016—2020年）；" + GENERATED,
            )
        )
    im = [f for f in facilities if f.division_id.startswith("15") and f.lon is not None]
    rng.shuffle(im)
    kinds = [
        ("key_mining_area", "重点矿区", 400),
        ("key_exploration_area", "重点勘查区", 900),
        ("mining_planning_block", "开采规划区块", 30),
        ("exploration_planning_block", "勘查规划区块", 60),
        ("prohibited_mining_area", "禁止开采区", 200),
        ("nature_reserve", "自然保护区", 600),
        ("key_environmental_treatment_area", "矿山地质环境重点治理区", 150),
        ("integrated_exploration_zone", "整装勘查区", 800),
        ("industrial_park", "有色金属专业园区", 25),
    ]
    for i, (kind, zh, area) in enumerate(kinds * 3):
        f = im[i % len(im)]
        lon, lat = f.lon + rng.uniform(-0.4, 0.4), f.lat + rng.uniform(-0.3, 0.3)
        data = {
            "code": f"DEMO-{kind[:3].upper()}-{i:03d}",
            "name": f"{f.division.name_zh}{zh}（演示{i + 1}）",
            "kind": kind,
            "division": f.division_id,
            "plan": "003",
            "boundary": _polygon_around(lon, lat, area * rng.uniform(0.6, 1.4), rng).wkt,
        }
        if kind.endswith("planning_block"):
            data["release_date"] = dt.date(2016 + rng.randint(0, 4), rng.choice([3, 6, 9]), 1).isoformat()
        zones.append(services.create(LOADER, "zone", data, generated=True, source=GENERATED))
    return zones


def load(progress=None, seed: int = 2016) -> dict:
    """Load the whole demo registry. Returns counts."""
    rng = random.Random(seed)
    stats = load_divisions()
    cache: dict = {}
    icmm = load_icmm(cache)
    gem = load_gem(cache, stats)
    stats.update(facilities=len(icmm) + len(gem), enterprises=len(cache))
    zones = load_zones(rng, icmm + [f for f, _ in gem])
    stats["zones"] = len(zones)
    gen_cache: dict = {}
    rights, seq = [], 1
    candidates = [(f, None) for f in icmm if f.kind == "mine"] + gem
    from tqdm import tqdm

    for fac, size in tqdm(candidates, desc="演示矿业权 demo rights", unit="site", disable=None):
        if fac.lon is None or not fac.division_id.startswith("15"):
            continue
        ent = fac.enterprise or _enterprise(
            f"{fac.name}有限公司（演示）", fac.division_id, GENERATED, gen_cache, generated=True, rng=rng
        )
        try:
            area = size if size and size < 120 else rng.uniform(0.5, 12)
            rights.append(
                _register(rng, "mining", fac, ent, _polygon_around(fac.lon, fac.lat, area, rng), seq, GENERATED)
            )
            seq += 1
            if rng.random() < 0.25:
                rights.append(
                    _register(rng, "exploration", fac, ent, _minute_block(fac.lon, fac.lat, rng), seq, GENERATED)
                )
                seq += 1
        except ServiceError as exc:  # a generated boundary can fall outside China for edge sites
            stats.setdefault("skipped", []).append(f"{fac.name}: {exc.en}")
    enterprises = list(Enterprise.objects.all()[:400])
    for r in rights:
        _history(rng, r, enterprises)
    stats["rights"] = len(rights)
    return stats
