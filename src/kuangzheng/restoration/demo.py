"""Demo restoration data for `kz load-demo`: five years (2021–2025) of plans, phases, acceptances,
fund postings, responsibility-ledger problems with government projects, green mines, and the 36 key
restoration zones of seed 003 as registry zones. All of it generated with a fixed seed, flagged
``is_generated`` and labelled; written through the services like any other record. Seed 003 gives
the zones' number (22 in concentrated mining areas, 14 along the "three zones and two lines") but
not their boundaries, so the boundaries are generated too."""

from __future__ import annotations

import datetime as dt
import random

from shapely.geometry import Polygon

from kuangzheng.access.actor import Actor
from kuangzheng.errors import ServiceError
from kuangzheng.registry import services as registry

from . import fund, green, responsibility, services
from .core import phases
from .models import Phase, Plan

LOADER = Actor(username="demo-loader", role="admin")
GENERATED = "演示生成数据（非真实记录） generated demo record, not a real one"
YEARS = range(2021, 2026)
SHEET_GOOD = {"resource_use": 22, "environment": 21, "energy": 17, "technology": 12, "management": 12}
PASS = {k: ok for k, (ok, _zh, _en) in phases.CHECKLIST.items()}
PROBLEM_TYPES = ["地面塌陷", "煤矸石堆", "露天采场", "排土场", "废石土", "地裂缝"]
MODES = ["government", "ppp", "build_then_subsidise", "polluter_pays"]


def _areas(rng, scale: float, catching_up: bool) -> dict:
    damaged = round(rng.uniform(5, 40) * scale, 2)
    factor = rng.uniform(0.95, 1.25) if catching_up else rng.uniform(0.6, 1.05)
    use = rng.choice(["grassland", "forest", "cultivated", "other"])
    return {
        use: {
            "damaged": damaged,
            "occupied": round(damaged * 1.1, 2),
            "restored": round(damaged * factor * 0.9, 2),
            "reclaimed": round(damaged * factor, 2),
        }
    }


def _plans(rng, rights) -> dict:
    out = {"plans": 0, "phases_accepted": 0, "postings": 0}
    for i, r in enumerate(rights):
        first = 2019 + i % 5
        p = services.create_plan(
            LOADER,
            {
                "right": r.pk,
                "title": f"{r.name}矿山地质环境保护与治理恢复方案（演示）",
                "first_year": first,
                "last_year": first + 8,
                "responsibility_letter_ref": f"演示责任书〔{first - 1}〕{i + 1}号",
            },
            generated=True,
            source=GENERATED,
        )
        services.attach(LOADER, p.pk, "plan-demo.pdf", b"%PDF-1.4\n% generated demo plan document\n%%EOF\n")
        for action in ("review", "publish", "approve"):
            p = services.act(LOADER, p.pk, action, p.version, today=dt.date(first - 1, 10, 1))
        out["plans"] += 1
        scale = rng.uniform(0.5, 3)
        for y in YEARS:
            fund.post(
                LOADER,
                right=r.pk,
                kind="provision",
                amount=f"{rng.randint(20, 120) * 10000}",
                request_id=f"demo:{r.pk}:prov:{y}",
                year=y,
                generated=True,
            )
            fund.post(
                LOADER,
                right=r.pk,
                kind="deposit",
                amount=f"{rng.randint(30, 150) * 10000}.{rng.randint(0, 99):02d}",
                request_id=f"demo:{r.pk}:dep:{y}",
                year=y,
                generated=True,
            )
            out["postings"] += 2
        for ph in Phase.objects.filter(plan=p).order_by("seq"):
            if ph.start_year > 2025:
                break
            ph = services.plan_phase(
                LOADER,
                ph.pk,
                {
                    "version": ph.version,
                    "planned": _areas(rng, scale, True),
                    "cost_estimate": f"{rng.randint(80, 400) * 10000}",
                },
            )
            ph = services.report_phase(
                LOADER,
                ph.pk,
                {"version": ph.version, "actual": _areas(rng, scale, rng.random() < 0.7)},
                today=dt.date(min(ph.end_year, 2025), 11, 1),
            )
            if ph.end_year > 2025:
                continue  # the running cycle: reported, not yet accepted
            if rng.random() < 0.25:  # a failed inspection first, then the corrected report is accepted
                services.accept_phase(
                    LOADER, ph.pk, {"version": ph.version, "checklist": {**PASS, "topsoil_kept": False}}
                )
                ph.refresh_from_db()
                ph = services.report_phase(
                    LOADER, ph.pk, {"version": ph.version, "actual": ph.actual or _areas(rng, scale, True)}
                )
            services.accept_phase(
                LOADER, ph.pk, {"version": ph.version, "checklist": PASS}, today=dt.date(ph.end_year, 12, 1)
            )
            out["phases_accepted"] += 1
            try:
                fund.post(
                    LOADER,
                    right=r.pk,
                    kind="spend",
                    source="fund",
                    phase=ph.pk,
                    amount=f"{rng.randint(40, 200) * 10000}",
                    request_id=f"demo:{r.pk}:spend:{ph.seq}",
                    year=min(ph.end_year + 1, 2025),
                    generated=True,
                )
                out["postings"] += 1
            except ServiceError:
                pass  # the fund would not cover it: the ledger refuses, as it should
        if i % 4 == 0:  # a legacy bond from before the fund, converted in 2018
            fund.post(
                LOADER,
                right=r.pk,
                kind="bond_deposit",
                amount=f"{rng.randint(50, 300) * 10000}",
                request_id=f"demo:{r.pk}:bond",
                year=2016,
                generated=True,
            )
            fund.convert_bond(LOADER, right=r.pk, party_exists=i % 8 == 0, request_id=f"demo:{r.pk}:convert", year=2018)
            out["postings"] += 2
    return out


def _problems(rng, cities) -> dict:
    n_problems = n_projects = 0
    for code, lon, lat in cities:
        old = []
        for j in range(rng.randint(3, 6)):
            is_old = rng.random() < 0.65
            arose = (
                dt.date(rng.randint(1975, 2008), rng.randint(1, 12), 1)
                if is_old
                else dt.date(rng.randint(2012, 2025), rng.randint(1, 12), 1)
            )
            p = responsibility.record_problem(
                LOADER,
                {
                    "division": code,
                    "site": f"演示问题场地{code}-{j + 1}",
                    "problem_type": rng.choice(PROBLEM_TYPES),
                    "area_ha": round(rng.uniform(2, 120), 2),
                    "arose_on": arose.isoformat(),
                    "mine_state": rng.choice(["abandoned", "policy_closed"]) if is_old else "producing",
                    "party_exists": not is_old,
                    "source": "survey",  # the generated geo-environment survey (M50)
                    "responsible_party": "" if is_old else "演示矿山企业",
                    "lon": round(lon + rng.uniform(-0.3, 0.3), 4),
                    "lat": round(lat + rng.uniform(-0.2, 0.2), 4),
                },
                generated=True,
            )
            n_problems += 1
            if p.classification == "old":
                old.append(p)
        if old:
            responsibility.create_project(
                LOADER,
                {
                    "name": f"演示历史遗留矿山地质环境治理工程（{code}）",
                    "funding_source": rng.choice(["中央财政", "自治区财政", "中央、自治区财政", "社会资本"]),
                    "mode": rng.choice(MODES),
                    "budget": f"{rng.randint(200, 3000) * 10000}",
                    "year": rng.choice(list(YEARS)),
                    "problems": [x.pk for x in old],
                },
                generated=True,
            )
            n_projects += 1
            for x in old[: len(old) // 2 + 1]:
                responsibility.record_restored(LOADER, x.pk, round(x.area_ha * rng.uniform(0.3, 1.0), 2))
    return {"problems": n_problems, "projects": n_projects}


def _green(rng, rights) -> int:
    n = 0
    for i, r in enumerate(rights):
        if i % 3:
            continue
        g = green.apply(LOADER, {"right": r.pk, "level": ["national", "region", "city"][i % 9 // 3]}, generated=True)
        green.evaluate(
            LOADER, g.pk, SHEET_GOOD if rng.random() < 0.75 else dict.fromkeys(SHEET_GOOD, 8), today=dt.date(2024, 6, 1)
        )
        n += 1
    return n


def _square(lon, lat, half) -> Polygon:
    return Polygon(
        [(lon - half, lat - half), (lon + half, lat - half), (lon + half, lat + half), (lon - half, lat + half)]
    )


def _zones(rng, cities) -> int:
    """The 36 key restoration zones (seed 003: 22 concentrated mining areas, 14 three-zones-two-lines)."""
    n = 0
    for i in range(36):
        code, lon, lat = cities[i % len(cities)]
        kind_zh = "集中开采区" if i < 22 else "三区两线"
        try:
            registry.create(
                LOADER,
                "zone",
                {
                    "code": f"KRZ-{i + 1:02d}",
                    "name": f"矿山地质环境重点治理区{i + 1:02d}（{kind_zh}，演示）",
                    "kind": "key_environmental_treatment_area",
                    "division": code,
                    "plan": "003",
                    "boundary": _square(
                        lon + rng.uniform(-0.8, 0.8), lat + rng.uniform(-0.4, 0.4), rng.uniform(0.03, 0.12)
                    ).wkt,
                    "attrs": {
                        "note": "数量出自规划（seed 003：36个，其中集中开采区22个、三区两线14个）；名称与边界为演示生成 count from seed 003; name and boundary generated",
                        "type": kind_zh,
                    },
                },
                generated=True,
                source="数量：内蒙古自治区矿产资源总体规划（2016—2020年）；" + GENERATED,
            )
            n += 1
        except ServiceError:
            continue
    return n


def load(limit: int = 40) -> dict:
    rng = random.Random(15_2026)
    rights = list(
        registry.records("right")
        .filter(kind="mining", status="valid", division__code__startswith="15")
        .order_by("pk")[: limit + 1]
    )[1:]  # the first Baotou right is left to the demo enterprise user to start from scratch
    cities = []
    for d in registry.divisions("prefecture").filter(code__startswith="15"):
        if d.min_lon is not None:
            cities.append((d.code, (d.min_lon + d.max_lon) / 2, (d.min_lat + d.max_lat) / 2))
    stats = {"restoration_generated": True}
    stats.update(_plans(rng, rights))
    stats.update(_problems(rng, cities))
    stats["green_mines"] = _green(rng, rights)
    stats["key_restoration_zones"] = _zones(rng, cities) if cities else 0
    stats["plans_in_db"] = Plan.objects.count()
    return stats
