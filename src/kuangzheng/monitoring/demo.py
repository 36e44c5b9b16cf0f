"""Demo monitoring data for `kz init --demo`: generated reports, standards and ledger entries,
every one flagged ``is_generated`` and labelled as generated. No real report data exists for
the demo facilities, so the numbers are drawn from plausible ranges with a fixed seed; the
electrolytic-aluminium lines are generated too (the real site data has none in these provinces).
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.db import transaction

from kuangzheng.access.actor import Actor
from kuangzheng.audit import service as audit
from kuangzheng.registry import services
from kuangzheng.registry.core import minerals
from kuangzheng.registry.core.codes import make_credit_code

from . import ledger, warnings
from .models import RateStandard, Report

LOADER = Actor(username="demo-loader", role="admin")
GENERATED = "演示生成数据（非真实报表） generated demo report, not a real submission"
METAL = {
    "copper": "cu",
    "zinc": "zn",
    "lead": "pb",
    "nickel": "ni",
    "tin": "sn",
    "antimony": "sb",
    "mercury": "hg",
    "magnesium": "mg",
    "titanium": "ti",
    "aluminium": "al",
    "aluminum": "al",
}
YEARS = range(2007, 2020)  # annual reports: from seed 004's 2007 emissions baseline
MONTHS = [f"{y}-{m:02d}" for y in range(2015, 2020) for m in range(1, 13)]  # five years of monthly reports
# generated aluminium lines: (name, division, capacity 10^4 t/a, project type, commissioned, monthly utilisation)
AL_LINES = [
    ("包头演示电解铝一厂（演示）", "150200", 50, "existing", 2008, 0.93),
    ("鄂尔多斯演示电解铝厂（演示）", "150600", 40, "existing", 2011, 0.88),
    ("呼和浩特演示电解铝厂（演示）", "150100", 35, "existing", 2010, 0.82),
    ("西宁演示电解铝一厂（演示）", "630100", 45, "existing", 2006, 0.90),
    ("海东演示电解铝厂（演示）", "630200", 30, "existing", 2009, 0.71),
    ("海西演示电解铝厂（演示）", "632800", 35, "existing", 2012, 0.84),
    ("包头演示电解铝新建项目（演示）", "150200", 45, "new", 2019, 0.60),
]

# generated lead and magnesium smelters (none in the real site data), so seed 000's lead and
# magnesium capacity targets have demo actuals: (name, division, metal)
SMELTERS = [
    ("包头演示铅冶炼厂（演示）", "150200", "lead"),
    ("赤峰演示铅冶炼厂（演示）", "150400", "lead"),
    ("巴彦淖尔演示铅冶炼厂（演示）", "150800", "lead"),
    ("包头演示镁冶炼厂（演示）", "150200", "magnesium"),
    ("乌海演示镁冶炼厂（演示）", "150300", "magnesium"),
    ("鄂尔多斯演示镁冶炼厂（演示）", "150600", "magnesium"),
]


def _metal(fac) -> str:
    """The report metal of a facility, whatever language its minerals are written in."""
    codes = [m.code for m in map(minerals.resolve, fac.metals) if m is not None]
    return next((METAL[c] for c in codes if c in METAL), "other")


def _enterprise(name: str, division: str, rng):
    found = services.records("enterprise").filter(name=name).first()
    if found:
        return found
    body = "91" + division + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return services.create(
        LOADER,
        "enterprise",
        {"name": name, "division": division, "ownership": "unknown", "credit_code": make_credit_code(body)},
        generated=True,
        source=GENERATED,
    )


def _demo_enterprise():
    """The enterprise of the demo user `qiye`, so that it has a line to report on."""
    user = get_user_model().objects.filter(username="qiye").select_related("kz_profile").first()
    if user is not None and getattr(user, "kz_profile", None) and user.kz_profile.enterprise_id:
        return user.kz_profile.enterprise
    right = services.records("right").filter(division__code__startswith="1502").order_by("pk").first()
    return right.holder if right else None


def al_lines(rng) -> list[tuple[object, float]]:
    out = []
    own = _demo_enterprise()
    for i, (name, div, cap, ptype, year, util) in enumerate(AL_LINES):
        ent = (
            own if (i == 0 and own is not None) else _enterprise(name.replace("（演示）", "有限公司（演示）"), div, rng)
        )
        fac = services.records("facility").filter(name=name).first() or services.create(
            LOADER,
            "facility",
            {
                "name": name,
                "kind": "al_line",
                "division": div,
                "enterprise": ent.pk,
                "metals": ["铝"],
                "status": "operating",
                "project_type": ptype,
                "capacity": cap,
                "capacity_unit": "10^4 t/a",
                "commissioned": year,
                "process": "预焙槽 prebaked cells",
            },
            generated=True,
            source=GENERATED,
        )
        out.append((fac, util))
    return out


def smelters(rng) -> None:
    for name, div, metal in SMELTERS:
        if not services.records("facility").filter(name=name).exists():
            ent = _enterprise(name.replace("（演示）", "有限公司（演示）"), div, rng)
            services.create(
                LOADER,
                "facility",
                {
                    "name": name,
                    "kind": "smelter",
                    "division": div,
                    "enterprise": ent.pk,
                    "metals": [minerals.resolve(metal).zh],
                    "status": "operating",
                },
                generated=True,
                source=GENERATED,
            )


def _monthly(fac, metal: str, cap_t: float, util: float, rng) -> list[Report]:
    rows = []
    growth = rng.choice([0.0, 0.0, 0.05, 0.1])  # some plants expand their rated capacity each year
    recycled = {"cu": rng.uniform(0.1, 0.4), "pb": rng.uniform(0.2, 0.5), "al": rng.uniform(0.0, 0.05)}.get(metal, 0.0)
    processed = rng.uniform(0.4, 0.95)  # share of the metal taken into processing downstream on site
    for period in MONTHS:
        if fac.project_type == "new" and period < f"{fac.commissioned}-04":
            continue  # a new line starts in April of its first year
        year_cap = round(cap_t * (1 + growth) ** (int(period[:4]) - 2015))
        output = round(year_cap / 12 * min(util * rng.uniform(0.95, 1.05), 1.0))
        kwh_t = {"al": rng.uniform(12900, 13500)}.get(metal, rng.uniform(300, 900))
        kgce_t = {
            "cu": rng.uniform(260, 330),
            "pb": rng.uniform(290, 340),
            "zn": rng.uniform(820, 940),
            "al": rng.uniform(1700, 1900),
        }.get(metal, rng.uniform(200, 600))
        values = {
            "output": output,
            "capacity": year_cap,
            "operating_capacity": round(year_cap * rng.uniform(0.85, 1.0)),
            "recycled_output": round(output * recycled * rng.uniform(0.9, 1.1)) if recycled else None,
            "primary_metal_used": round(output * (1 - recycled) * min(processed * rng.uniform(0.95, 1.05), 1.0)),
            "electricity": round(output * kwh_t / 1e4, 1),
            "energy_tce": round(output * kgce_t / 1000, 1),
            "so2": round(output * rng.uniform(0.0005, 0.002), 2),
        }
        rows.append(
            Report(
                facility=fac,
                enterprise_id=fac.enterprise_id,
                division_id=fac.division_id,
                report_type="monthly_production",
                period=period,
                metal=metal,
                values=values,
                status="accepted",
                is_generated=True,
                source=GENERATED,
                updated_by=LOADER.username,
            )
        )
    return rows


def _annual(fac, metal: str, rng) -> list[Report]:
    rows, bond = [], round(rng.uniform(200, 2000), 1)
    base = {k: rng.uniform(5, 400) for k in ("pb", "cd", "hg", "as", "cr")}
    drift = rng.uniform(-0.06, 0.05)
    skill = rng.uniform(-6, 4)
    mine = _mine_class(rng) if fac.kind == "mine" else None
    for year in YEARS:
        t = year - YEARS[0]
        metals = {k: round(v * (1 + drift) ** t * rng.uniform(0.9, 1.1), 1) for k, v in base.items()}
        dep, ret = round(rng.uniform(0, 300), 1), round(rng.uniform(0, 150), 1)
        ret = min(ret, bond + dep)
        closing = round(bond + dep - ret, 1)
        damaged = round(rng.uniform(2, 40), 1)
        values = {
            "output": round(rng.uniform(2e4, 8e5)),
            "so2": round(rng.uniform(10, 800), 1),
            **metals,
            "heavy_metals_total": round(sum(metals.values()), 1),
            "land_damaged": damaged,
            "land_restored": round(damaged * rng.uniform(0.6, 1.2), 1),
            "bond_opening": bond,
            "bond_deposited": dep,
            "bond_returned": ret,
            "bond_closing": closing,
        }
        if mine:  # the three rates improve a little each year
            values.update(
                mining_recovery=round(min(99, 79 + skill + 0.6 * t + rng.uniform(-3, 3)), 1),
                processing_recovery=round(min(99, 75 + skill + 0.5 * t + rng.uniform(-3, 3)), 1),
                comprehensive_utilisation=round(min(99, 53 + skill + 0.7 * t + rng.uniform(-5, 5)), 1),
                **_mine_status(mine, year),
            )
        bond = closing
        rows.append(
            Report(
                facility=fac,
                enterprise_id=fac.enterprise_id,
                division_id=fac.division_id,
                report_type="annual_resources_environment",
                period=str(year),
                metal=metal,
                values=values,
                status="accepted",
                is_generated=True,
                source=GENERATED,
                updated_by=LOADER.username,
            )
        )
    return rows


def _mine_class(rng) -> dict:
    """A generated scale class, capacity (t/a) and the years the mine joins the green-mine lists."""
    scale = rng.choices(["large", "medium", "small"], weights=[1, 2, 7])[0]
    low, high = {"large": (1e6, 4e6), "medium": (3e5, 1e6), "small": (2e4, 3e5)}[scale]
    provincial = (
        rng.choice([2014, 2016, 2017, 2018, 2019, None, None])
        if scale != "small"
        else rng.choice([2017, 2019, None, None, None, None])
    )
    national = provincial + rng.choice([1, 2, 3, 9, 9]) if provincial else None
    return {
        "scale": scale,
        "capacity": round(rng.uniform(low, high), -3),
        "provincial": provincial,
        "national": national,
    }


def _mine_status(mine: dict, year: int) -> dict:
    level = (
        "national"
        if mine["national"] and year >= mine["national"]
        else "provincial"
        if mine["provincial"] and year >= mine["provincial"]
        else "none"
    )
    return {"mine_scale": mine["scale"], "mine_capacity": mine["capacity"], "green_mine": level}


def _ledger(lines) -> None:
    by_name = {f.name: f for f, _ in lines}
    im, qh = by_name[AL_LINES[1][0]].enterprise_id, by_name[AL_LINES[4][0]].enterprise_id
    new = next(f for f, _ in lines if f.project_type == "new")
    ledger.retire(
        LOADER,
        code="ZH-150000-2016-001",
        amount=250000,
        holder=im,
        request_id="demo-retire-1",
        document_ref="（演示）退出产能确认文件1号",
        generated=True,
    )
    ledger.retire(
        LOADER,
        code="ZH-630000-2017-001",
        amount=200000,
        holder=qh,
        request_id="demo-retire-2",
        document_ref="（演示）退出产能确认文件2号",
        generated=True,
    )
    ledger.move(
        LOADER,
        kind="transfer",
        quota="ZH-630000-2017-001",
        amount=150000,
        holder=qh,
        to_holder=im,
        request_id="demo-transfer-1",
        document_ref="（演示）跨省指标转让协议",
        generated=True,
    )
    # the new project is covered for 400 000 of its 450 000 t/a: an early warning follows
    for i, (code, amount) in enumerate((("ZH-150000-2016-001", 250000), ("ZH-630000-2017-001", 150000))):
        ledger.move(
            LOADER,
            kind="consume",
            quota=code,
            amount=amount,
            holder=im,
            project=new.pk,
            request_id=f"demo-consume-{i}",
            document_ref="（演示）产能置换方案",
            generated=True,
        )


def load_demo(seed: int = 2019) -> dict:
    rng = random.Random(seed)
    with transaction.atomic():
        lines = al_lines(rng)
        smelters(rng)
        reports, standards = [], []
        for fac, util in lines:
            reports += _monthly(fac, "al", float(fac.capacity) * 1e4, util, rng)
        others = (
            services.records("facility")
            .filter(division__code__regex=r"^(15|63|54)")
            .exclude(metals__icontains="coal")
            .exclude(metals__icontains="煤")
            .exclude(kind="al_line")
            .order_by("pk")
        )
        for fac in others:
            metal = _metal(fac)
            reports += _annual(fac, metal, rng)
            if fac.kind in ("smelter", "refinery"):
                reports += _monthly(fac, metal, rng.choice([5e4, 1e5, 2e5]), rng.uniform(0.7, 0.95), rng)
            if fac.kind == "mine":
                standards.append(
                    RateStandard(
                        facility=fac,
                        mining_recovery=85.0,
                        processing_recovery=80.0,
                        comprehensive_utilisation=60.0 if metal != "other" else None,
                        is_generated=True,
                        source=GENERATED,
                    )
                )
        Report.objects.bulk_create(reports)
        RateStandard.objects.bulk_create(standards, ignore_conflicts=True)
        audit.record(LOADER, "import", "report", "*", None, {"count": len(reports), "source": GENERATED})
        _ledger(lines)
    found = warnings.evaluate(LOADER)
    release = warnings.publish(LOADER, "2019")
    return {
        "reports": len(reports),
        "rate_standards": len(standards),
        "al_lines": len(lines),
        "warnings": found["found"],
        "release": release.number,
    }
