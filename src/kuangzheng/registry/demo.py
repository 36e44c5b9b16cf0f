"""The demo registry: real public data where it exists, generated records (labelled) where not.

Real: division boundaries (CTAmap 2023), mine/smelter sites (ICMM 2025), coal mines with capacity and
area (GEM GCMT 2022) in Inner Mongolia, Qinghai and Tibet — the seeds' jurisdictions. Generated, with
`is_generated=True` and a source saying so: mineral-right boundaries and licence numbers, planning zones
and blocks, credit codes of generated enterprises, and life-cycle histories. Everything is written
through the service layer, so the demo data is validated and audited like any other data.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from importlib import resources

from shapely.geometry import Polygon, shape
from shapely.validation import make_valid

from kuangzheng.access.actor import Actor
from kuangzheng.errors import ServiceError

from . import demo_sources, geometry, services
from .core import demo_bounds, sites
from .core.codes import CREDIT_CHARSET, make_credit_code
from .models import Division, Enterprise, Facility, MineralRight

LOADER = Actor(username="demo-loader", role="admin")
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


def load_sites(cache: dict, stats: dict) -> list[tuple[Facility, float | None]]:
    """The real sites (GEM coal mines, ICMM mines and plants), one facility per real site."""
    gem = demo_sources.gem_sites(stats)
    icmm = demo_sources.merge_duplicates(demo_sources.icmm_sites(stats), gem, stats)
    out = []
    for site in gem + icmm:
        division = _division_for(site.prefecture, site.province)
        source = SRC_GEM if site.source == "gem" else SRC_ICMM
        if len(site.values["source_ids"]) > 1:
            source = f"{SRC_GEM}; {SRC_ICMM}"
        ent = _enterprise(site.owner, division, source, cache) if site.owner else None
        values = {**site.values, "division": division, "enterprise": ent and ent.pk}
        out.append((services.create(LOADER, "facility", values, source=source), site.size_km2))
    stats["facilities_gem"] = len(gem)
    stats["facilities_icmm"] = len(icmm)
    return out


def _polygon_around(lon, lat, area_km2, rng) -> Polygon:
    """An irregular polygon of about `area_km2` centred near (lon, lat): a stand-in zone boundary."""
    n = rng.randint(5, 9)
    r_km = math.sqrt(area_km2 / math.pi)
    pts = []
    for i in range(n):
        a = 2 * math.pi * i / n + rng.uniform(-0.2, 0.2)
        rr = r_km * rng.uniform(0.8, 1.2)
        pts.append((lon + rr * math.cos(a) / (111.32 * math.cos(math.radians(lat))), lat + rr * math.sin(a) / 110.57))
    return Polygon(pts)


HOLDER_WORDS = ["鑫源", "宏达", "恒泰", "华瑞", "金石", "广汇", "兴盛", "昌隆", "永丰", "汇通", "德润", "瑞丰"]
INDUSTRY = {"煤": "煤业", "铜": "铜业", "铁": "矿业", "锌": "锌业", "铅": "铅锌", "金": "黄金", "锂": "锂业"}


def _holder_name(fac: Facility, rng) -> str:
    """A plausible Chinese enterprise name for a mine's generated holder, marked （演示）."""
    industry = INDUSTRY.get((fac.metals or [""])[0], "矿业")
    if fac.name != fac.name_en:  # a Chinese name: the holder is named after the mine
        return sites.enterprise_name_for(fac.name, industry) + "（演示）"
    place = fac.division.name_zh.removesuffix("市").removesuffix("盟").removesuffix("地区")
    return f"{place}{rng.choice(HOLDER_WORDS)}{industry}有限公司（演示）"


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
        "name": (fac.name if kind == "mining" else f"{fac.name}外围勘查"),
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
            facility=fac.pk,  # the right of this mine: its coal and scale verdicts read the facility
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


# Key mining areas named in seed 003 (其中包括扎赉诺尔煤炭矿区…), placed at the town that names them; the
# boundary is generated. The concentrator example of docs/check-input.md lies within 30 km of it.
NAMED_KEY_MINING_AREAS = [("ZD-150000-01", "扎赉诺尔煤炭矿区", "150781", 117.70, 49.46, 300, ["煤"])]

CONFLICT_ZONES = ("prohibited_mining_area", "nature_reserve")  # a right inside one is a conflict


def _named_zone(code: str, name: str, kind: str, div: str, minerals: list, geom: Polygon):
    """A zone seed 003 names, with a generated boundary (said so in its attributes and source)."""
    div = div if Division.objects.filter(pk=div).exists() else div[:4] + "00"
    return services.create(
        LOADER,
        "zone",
        {
            "code": code,
            "name": name,
            "kind": kind,
            "division": div,
            "minerals": minerals,
            "plan": "003",
            "boundary": geom.wkt,
            "attrs": {"note": "名称出自规划（seed 003）；边界为演示生成 name from seed 003; boundary generated"},
        },
        generated=True,
        source="名称：内蒙古自治区矿产资源总体规划（2016—2020年）；" + GENERATED,
    )


def load_zones(rng, facilities: list[Facility], rights_layout: demo_bounds.Layout, deliberate: dict) -> list:
    """Named zones of seed 003 and generated zones and blocks. Zones where mining is a conflict are
    drawn around the rights (carved out of them), except the one the demo overlaps on purpose."""
    zones = []
    for code, name, kind, div, lon, lat, area, minerals in NAMED_ZONES:
        zones.append(_named_zone(code, name, kind, div, minerals, _polygon_around(lon, lat, area, rng)))
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
        geom = _polygon_around(lon, lat, area * rng.uniform(0.6, 1.4), rng)
        division = f.division
        if kind in CONFLICT_ZONES:
            target = deliberate.get("zone_over") if kind == "nature_reserve" and "zone" not in deliberate else None
            if target is not None:  # drawn over one mining right on purpose
                division = target.division
                c = deliberate["zone_geom"].centroid
                geom = _polygon_around(c.x, c.y, area * 0.5, rng)
                name = f"{division.name_zh}{zh}（演示{i + 1}）"
                deliberate["zone"] = (
                    f"采矿权位于自然保护区内 / a mining right inside a nature reserve: {deliberate['zone_over'].name} × {name}"
                )
            geom = demo_bounds.carve(
                geom, [g for g in rights_layout.geoms if target is None or g is not deliberate["zone_geom"]]
            )
            if geom is None:
                continue
        data = {
            "code": f"DEMO-{kind[:3].upper()}-{i:03d}",
            "name": f"{division.name_zh}{zh}（演示{i + 1}）",
            "kind": kind,
            "division": division.pk,
            "plan": "003",
            "boundary": geom.wkt,
        }
        if kind.endswith("planning_block"):
            data["release_date"] = dt.date(2016 + rng.randint(0, 4), rng.choice([3, 6, 9]), 1).isoformat()
        zones.append(services.create(LOADER, "zone", data, generated=True, source=GENERATED))
    own = random.Random(3)  # its own generator: the zones above stay as they were
    for code, name, div, lon, lat, area, minerals in NAMED_KEY_MINING_AREAS:
        zones.append(_named_zone(code, name, "key_mining_area", div, minerals, _polygon_around(lon, lat, area, own)))
    return zones


def _rights(rng, candidates, stats: dict) -> tuple[list, demo_bounds.Layout, dict]:
    """A mining right per Inner Mongolian mine (linked to it), an exploration right beside some; no
    two overlap except the two pairs made on purpose (reported in `stats['deliberate_conflicts']`)."""
    layout, rights, seq, gen_cache, deliberate = demo_bounds.Layout(), [], 1, {}, {}
    from tqdm import tqdm

    todo = [
        (fac, size)
        for fac, size in candidates
        if fac.lon is not None
        and fac.division_id.startswith("15")
        and fac.kind == "mine"
        and "/" not in fac.external_id
    ]  # an expansion phase ("M0175/Stage 2") works under its mine's right
    radius = demo_bounds.room([(f.lon, f.lat) for f, _ in todo])
    for (fac, size), max_km in tqdm(list(zip(todo, radius)), desc="演示矿业权 demo rights", unit="site", disable=None):
        ent = fac.enterprise or _enterprise(
            _holder_name(fac, rng), fac.division_id, GENERATED, gen_cache, generated=True, rng=rng
        )
        area = size if size and size < 120 else rng.uniform(0.5, 12)
        geom = demo_bounds.place_mining(layout, fac.lon, fac.lat, area, rng, max_km)
        named = fac.name != fac.name_en  # the deliberate cases are shown on mines with Chinese names
        if geom is not None and named and "mining_pair" not in deliberate and 0.3 < max_km < 1.0 and len(rights) > 30:
            # this crowded pair is kept, on purpose: a mining right reaching into its neighbour's
            wide = demo_bounds.mining_polygon(fac.lon, fac.lat, 16 * max_km**2, rng)
            if not layout.free(wide):
                geom = wide
                deliberate["mining_pair"] = (
                    f"采矿权与相邻采矿权重叠 / a mining right overlapping its neighbour's: {fac.name}"
                )
        if geom is None:
            stats.setdefault("no_room_for_a_right", []).append(f"{fac.external_id} {fac.name}")
            continue
        try:
            right = _register(rng, "mining", fac, ent, geom, seq, GENERATED)
        except ServiceError as exc:  # a generated boundary can fall outside China for edge sites
            stats.setdefault("skipped", []).append(f"{fac.name}: {exc.en}")
            continue
        layout.add(geom)
        rights.append(right)
        seq += 1
        if "zone_over" not in deliberate and named and len(rights) > 20:
            deliberate["zone_over"], deliberate["zone_geom"] = right, geom
        if rng.random() < 0.25:
            block = demo_bounds.place_exploration(layout, fac.lon, fac.lat, rng)
            own = demo_bounds.minute_block(fac.lon, fac.lat, 1, 1)  # the minute cell of the mine itself
            if named and "exploration" not in deliberate and len(rights) > 10 and layout.free(own, allowed=(geom,)):
                block = own  # an exploration right over its holder's own mining right, on purpose
                deliberate["exploration"] = (
                    f"探矿权与采矿权重叠 / an exploration right over a mining right: {fac.name}外围勘查 × {fac.name}"
                )
            if block is not None:
                rights.append(_register(rng, "exploration", fac, ent, block, seq, GENERATED))
                layout.add(block)
                seq += 1
    return rights, layout, deliberate


def overlaps(min_km2: float = 1e-4) -> list[str]:
    """Every overlap between two rights, or a right and a zone where mining is a conflict, in the
    registry as loaded: what the demo shows as conflicts."""
    from kuangzheng.geo.index import STRtreeIndex

    rights = list(MineralRight.objects.exclude(boundary=None).values_list("id", "boundary", "licence_no", "name"))
    zones = list(
        services.records("zone")
        .filter(kind__in=CONFLICT_ZONES)
        .exclude(boundary=None)
        .values_list("id", "boundary", "code", "name")
    )
    names = {("r", r[0]): f"{r[2]} {r[3]}" for r in rights} | {("z", z[0]): f"{z[2]} {z[3]}" for z in zones}
    idx = STRtreeIndex(
        {
            "right": ([r[0] for r in rights], [bytes(r[1]) for r in rights]),
            "zone": ([z[0] for z in zones], [bytes(z[1]) for z in zones]),
        }
    )
    out = []
    for p in idx.overlaps("right", "right").records():
        if p["left"] < p["right"] and p["area_km2"] >= min_km2:
            out.append(f"{names['r', p['left']]} × {names['r', p['right']]} ({p['area_km2']:.4f} km²)")
    for p in idx.overlaps("zone", "right").records():
        if p["area_km2"] >= min_km2:
            out.append(f"{names['r', p['right']]} × {names['z', p['left']]} ({p['area_km2']:.4f} km²)")
    return out


def load(progress=None, seed: int = 2016) -> dict:
    """Load the whole demo registry. Returns counts and the reports of what was recovered, merged
    and generated on purpose."""
    rng = random.Random(seed)
    stats = load_divisions()
    cache: dict = {}
    facilities = load_sites(cache, stats)
    stats.update(facilities=len(facilities), enterprises=len(cache))
    mines = [(f, size) for f, size in facilities if f.kind == "mine"]
    rights, layout, deliberate = _rights(rng, mines, stats)
    zones = load_zones(rng, [f for f, _ in facilities], layout, deliberate)
    stats["zones"] = len(zones)
    enterprises = list(Enterprise.objects.all()[:400])
    for r in rights:
        _history(rng, r, enterprises)
    stats["rights"] = len(rights)
    stats["deliberate_conflicts"] = [deliberate[k] for k in ("mining_pair", "exploration", "zone") if k in deliberate]
    stats["overlaps"] = overlaps()
    return stats
