"""Restoration's figures for monitoring (monitoring/outside.py): registered from the AppConfig, so
the monitoring dashboard, the plan targets and the plan-evaluation report show them beside the
actuals of accepted enterprise reports.

Per year and division: the area balance of producing mines (damaged, reclaimed, their ratio and the
verdict of 基本平衡 read as configured), the area restored at producing mines (restored + reclaimed,
as the restoration dashboard counts it), the area of legacy (old) damage restored by government
projects, the restoration rate of historical damage, fund coverage (the current balances, reported
for the latest year with postings only: balances are not kept per year) and the listed green mines
by level.

A legacy problem's restored area is counted in the year of its (first) government project, or the
year it was recorded when no project restores it. Areas and fund figures come from enterprises'
plans and accounts, so they carry their number of enterprises for the disclosure rule; legacy
restoration (government projects) and the green-mine lists (published) name no enterprise's figures.
"""

from __future__ import annotations

from django.db.models import Max, Min, Sum

from kuangzheng.access.actor import division_prefix
from kuangzheng.monitoring import outside

from . import config, green, indicators
from .core import balance
from .models import FundAccount, GreenMine, Phase, Plan, Posting, Problem

SOURCE_ZH = "矿山地质环境治理恢复台账（方案分期、基金账户、责任台账、绿色矿山名录）"
SOURCE_EN = "the restoration records (plan phases, fund accounts, responsibility ledger, green-mine lists)"
PRODUCING = ("003.target.restoration_area.producing",)
LEGACY = ("003.target.restoration_area.legacy", "003.target.land_reclamation_area")
TOTAL = ("003.target.restoration_area",)  # sum_of producing and legacy in the catalogue
GREEN = {"national": ("003.target.national_green_mines",)}
# damaged, reclaimed, their ratio, the area restored and the total that includes it derive from one
# another (the ratio times the damaged area is the reclaimed area; the total minus the public legacy
# area is the producing area): withheld together (monitoring's complementary suppression)
AREAS = "restoration.areas"
REPORTED = ("reported", "accepted")


def _prefix(division: str) -> str:
    return "" if division == outside.NATIONAL else division_prefix(division)


def coverage() -> tuple[list[int], list[str]]:
    years: set[int] = set()
    for start, end in Phase.objects.filter(state__in=REPORTED).values_list("start_year", "end_year"):
        years.update(range(start, end + 1))
    years.update(Posting.objects.values_list("year", flat=True).distinct())
    years.update(d.year for d in GreenMine.objects.filter(state="listed").values_list("listed_on", flat=True) if d)
    years.update(y for y in _legacy_years("").values())
    codes: set[str] = set()
    for model in (Plan, Problem, FundAccount, GreenMine):
        codes.update(model.objects.values_list("division__code", flat=True).distinct())
    return sorted(years), sorted(codes)


def _legacy_years(prefix: str) -> dict[int, int]:
    """{old problem pk: the year its restored area counts in}."""
    qs = Problem.objects.filter(classification="old", division__code__startswith=prefix, restored_ha__gt=0)
    return {
        r["pk"]: r["first_project"] or r["created_at"].year
        for r in qs.annotate(first_project=Min("projects__year")).values("pk", "first_project", "created_at")
    }


def _legacy(prefix: str, year: int) -> tuple[float | None, float | None]:
    """(ha restored in ``year``, restoration rate of historical damage up to ``year`` in %)."""
    years = _legacy_years(prefix)
    restored = dict(Problem.objects.filter(pk__in=list(years)).values_list("pk", "restored_ha"))
    in_year = sum(v for pk, v in restored.items() if years[pk] == year)
    upto = sum(v for pk, v in restored.items() if years[pk] <= year)
    area = Problem.objects.filter(classification="old", division__code__startswith=prefix).aggregate(s=Sum("area_ha"))
    return (round(in_year, 4) if year in years.values() else None), balance.rate(upto, float(area["s"] or 0))


def _reporting_enterprises(prefix: str, year: int) -> int:
    return (
        Plan.objects.filter(
            division__code__startswith=prefix,
            phases__state__in=REPORTED,
            phases__start_year__lte=year,
            phases__end_year__gte=year,
        )
        .values("enterprise")
        .distinct()
        .count()
    )


@outside.source("restoration", source_zh=SOURCE_ZH, source_en=SOURCE_EN, coverage=coverage)
def figures(year: int, division: str) -> list[outside.Figure]:
    prefix = _prefix(division)
    out: list[outside.Figure] = []
    areas = indicators.yearly_areas(prefix).get(year)
    n = _reporting_enterprises(prefix, year) if areas else None
    if areas:
        b = balance.judge(year, areas["damaged"], areas["reclaimed"], config.balance_band())
        reading_zh, reading_en = config.config()["balance"]["reading_zh"], config.config()["balance"]["reading_en"]
        out += [
            outside.Figure(
                "restoration.damaged",
                "生产矿山年度损毁土地面积",
                "Land damaged by producing mines in the year",
                areas["damaged"],
                "ha",
                n,
                group=AREAS,
                flow=True,
            ),
            outside.Figure(
                "restoration.reclaimed",
                "生产矿山年度复垦面积",
                "Land reclaimed by producing mines in the year",
                areas["reclaimed"],
                "ha",
                n,
                group=AREAS,
                flow=True,
            ),
            outside.Figure(
                "restoration.reclaim_balance",
                "年复垦面积与年损毁面积之比",
                "Reclaimed over damaged area in the year",
                b.ratio,
                "1",
                n,
                group=AREAS,
                note_zh=f"{balance.VERDICT_ZH[b.verdict]}；{reading_zh}",
                note_en=f"{b.verdict}; {reading_en}",
            ),
            outside.Figure(
                "restoration.producing_restored",
                "生产矿山治理恢复面积",
                "Area restored at producing mines",
                round(areas["restored"] + areas["reclaimed"], 4),  # as indicators.targets counts it
                "ha",
                n,
                group=AREAS,
                measures=PRODUCING,
                flow=True,
            ),
        ]
    legacy_ha, rate = _legacy(prefix, year)
    producing_ha = round(areas["restored"] + areas["reclaimed"], 4) if areas else None
    if producing_ha is not None or legacy_ha is not None:
        out.append(
            outside.Figure(
                "restoration.total_restored",
                "矿山地质环境治理恢复面积（生产矿山与历史遗留）",
                "Mine geo-environment area restored (producing and legacy)",
                round((producing_ha or 0) + (legacy_ha or 0), 4),
                "ha",
                n,
                group=AREAS,
                measures=TOTAL,
                flow=True,
            )
        )
    out.append(
        outside.Figure(
            "restoration.legacy_restored",
            "历史遗留矿山治理恢复面积（政府项目）",
            "Legacy damage restored (government projects)",
            legacy_ha,
            "ha",
            None,
            measures=LEGACY,
            flow=True,
        )
    )
    out.append(
        outside.Figure(
            "restoration.historical_rate",
            "历史遗留矿山地质环境治理率",
            "Restoration rate of historical damage",
            rate,
            "%",
            None,
        )
    )
    if year == Posting.objects.aggregate(y=Max("year"))["y"]:
        fund = indicators.fund_coverage(prefix)
        accounts = FundAccount.objects.filter(division__code__startswith=prefix).values("enterprise").distinct().count()
        out.append(
            outside.Figure(
                "restoration.fund_coverage",
                "基金覆盖率（基金余额/未验收分期估算费用）",
                "Fund coverage (balance / cost of phases not accepted)",
                fund["coverage"],
                "%",
                accounts,
            )
        )
    listed = GreenMine.objects.filter(state="listed", division__code__startswith=prefix, listed_on__year__lte=year)
    for level, name in green.levels().items():
        out.append(
            outside.Figure(
                f"restoration.green_{level}",
                f"{name}绿色矿山数（名录）",
                f"Green mines listed, {level} level",
                float(listed.filter(level=level).count()),
                "count",
                None,
                measures=GREEN.get(level, ()),
            )
        )
    return out
