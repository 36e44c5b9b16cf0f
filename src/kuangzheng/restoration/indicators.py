"""Restoration indicators (the dashboard, the reports, the public pages): the yearly area balance,
the restoration rate of historical damage, fund coverage and green mines against the seed's targets.

Shown on the restoration dashboard; feed.py hands the same figures to monitoring's dashboard and
plan targets through monitoring's registration protocol (monitoring/outside.py), since monitoring
sits below this domain and may not read it. The catalogue targets these figures answer are also
shown here (``targets``), citing the same entries.

A phase's actual areas cover its cycle; for the yearly balance they are spread evenly over the
phase's years (phases report per cycle, not per year)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Sum

from kuangzheng.access.actor import Actor
from kuangzheng.policy.catalogue import load_catalogue

from . import config, green, scope
from .core import balance, phases
from .core.ledger import yuan
from .models import FundAccount, GreenMine, Phase, Plan, Posting, Problem

TARGETS = {
    "green_national": "003.target.national_green_mines",
    "legacy_area": "003.target.restoration_area.legacy",
    "producing_area": "003.target.restoration_area.producing",
    "reclamation_area": "003.target.land_reclamation_area",
}


def _prefix(actor: Actor | None, division: str | None) -> str:
    """The division prefix the figures cover: the asked division inside the actor's scope."""
    from kuangzheng.access.actor import division_prefix

    want = division_prefix(division) if division else ""
    if actor is not None and actor.is_regulator and not want.startswith(actor.scope_prefix):
        want = actor.scope_prefix
    return want


def yearly_areas(prefix: str = "") -> dict[int, dict]:
    """{year: {damaged, occupied, restored, reclaimed}} in ha, from reported and accepted phases."""
    out: dict[int, dict] = defaultdict(lambda: dict.fromkeys(phases.MEASURES, 0.0))
    qs = Phase.objects.filter(state__in=("reported", "accepted"), plan__division__code__startswith=prefix)
    for ph in qs.only("actual", "start_year", "end_year"):
        years = range(ph.start_year, ph.end_year + 1)
        for m in phases.MEASURES:
            share = phases.total(ph.actual, m) / len(years)
            for y in years:
                out[y][m] += share
    return {y: {m: round(v, 4) for m, v in row.items()} for y, row in sorted(out.items())}


def balances(prefix: str = "") -> list[dict]:
    band = config.balance_band()
    rows = []
    for y, a in yearly_areas(prefix).items():
        b = balance.judge(y, a["damaged"], a["reclaimed"], band)
        o = balance.judge(y, a["occupied"], a["restored"], band)
        rows.append(
            {
                "year": y,
                **a,
                "reclaim_ratio": b.ratio,
                "reclaim_verdict": b.verdict,
                "reclaim_verdict_zh": balance.VERDICT_ZH[b.verdict],
                "restore_ratio": o.ratio,
                "restore_verdict": o.verdict,
                "restore_verdict_zh": balance.VERDICT_ZH[o.verdict],
            }
        )
    return rows


def historical(prefix: str = "") -> dict:
    qs = Problem.objects.filter(classification="old", division__code__startswith=prefix)
    agg = qs.aggregate(area=Sum("area_ha"), restored=Sum("restored_ha"))
    area, restored = float(agg["area"] or 0), float(agg["restored"] or 0)
    return {
        "problems": qs.count(),
        "area_ha": round(area, 4),
        "restored_ha": round(restored, 4),
        "rate": balance.rate(restored, area),
    }


def fund_coverage(prefix: str = "") -> dict:
    accs = FundAccount.objects.filter(division__code__startswith=prefix)
    fund_cents = int(accs.aggregate(s=Sum("fund_cents"))["s"] or 0)
    outstanding = Phase.objects.filter(plan__division__code__startswith=prefix).exclude(state="accepted")
    cost = int(outstanding.aggregate(s=Sum("cost_estimate_cents"))["s"] or 0)
    return {
        "accounts": accs.count(),
        "fund": str(yuan(fund_cents)),
        "outstanding_cost": str(yuan(cost)),
        "coverage": balance.coverage(fund_cents, cost),
    }


def green_counts(prefix: str = "") -> dict:
    qs = GreenMine.objects.filter(state="listed", division__code__startswith=prefix)
    return {lv: qs.filter(level=lv).count() for lv in green.levels()}


def targets(prefix: str = "") -> list[dict]:
    """The catalogue targets these figures answer, with progress (region-wide figures only)."""
    cat = load_catalogue()
    old = Problem.objects.filter(classification="old", division__code__startswith=prefix)
    legacy_km2 = float(old.aggregate(s=Sum("restored_ha"))["s"] or 0) / 100
    producing_km2 = sum(a["restored"] + a["reclaimed"] for a in yearly_areas(prefix).values()) / 100
    actual = {
        "green_national": green_counts(prefix)["national"],
        "legacy_area": round(legacy_km2, 4),
        "producing_area": round(producing_km2, 4),
        "reclamation_area": round(legacy_km2, 4),
    }
    out = []
    for key, entry_id in TARGETS.items():
        e = cat.get(entry_id)
        out.append(
            {
                "key": key,
                "entry": entry_id,
                "description_zh": e.description_zh,
                "target": e.value,
                "unit": e.unit,
                "year": e.year,
                "actual": actual[key],
                "progress": round(100 * actual[key] / float(e.value), 1) if e.value else None,
                "quote": e.quote,
            }
        )
    return out


def fund_totals(prefix: str = "") -> list[dict]:
    """Per year: deposited / returned / carried over / spent (yuan), the seed's style."""
    rows: dict[int, dict] = defaultdict(
        lambda: {"deposited": 0, "returned": 0, "carried_over": 0, "spent": 0, "provided": 0}
    )
    key = {
        "deposit": "deposited",
        "bond_deposit": "deposited",
        "refund": "returned",
        "carry_over": "carried_over",
        "spend": "spent",
        "provision": "provided",
    }
    for r in (
        Posting.objects.filter(account__division__code__startswith=prefix)
        .values("year", "kind")
        .annotate(s=Sum("cents"))
    ):
        rows[r["year"]][key[r["kind"]]] += int(r["s"])
    return [{"year": y, **{k: str(yuan(v)) for k, v in row.items()}} for y, row in sorted(rows.items())]


MIN_ENTERPRISES = 3  # the disclosure rule: public aggregates need three distinct enterprises


def summary(actor: Actor | None = None, division: str | None = None) -> dict:
    """The figures for staff (their scope), or for the public (actor None): then the balance and the
    fund figures are withheld unless at least three enterprises contribute to them."""
    prefix = _prefix(actor, division)
    out = _summary(prefix)
    if actor is None:
        reporting = Plan.objects.filter(phases__state__in=("reported", "accepted")).values("enterprise").distinct()
        if reporting.count() < MIN_ENTERPRISES:
            out.update(balance=[], withheld=True)
        if FundAccount.objects.values("enterprise").distinct().count() < MIN_ENTERPRISES:
            out.update(fund=None, fund_totals=[], withheld=True)
    return out


def _summary(prefix: str) -> dict:
    return {
        "withheld": False,
        "division_prefix": prefix,
        "balance": balances(prefix),
        "balance_reading_zh": config.config()["balance"]["reading_zh"],
        "balance_reading_en": config.config()["balance"]["reading_en"],
        "historical": historical(prefix),
        "fund": fund_coverage(prefix),
        "fund_totals": fund_totals(prefix),
        "green": green_counts(prefix),
        "targets": targets(prefix),
        "plans": Plan.objects.filter(division__code__startswith=prefix).count(),
        "generated": Plan.objects.filter(division__code__startswith=prefix, is_generated=True).exists(),
    }


def mine_page(right_pk) -> dict:
    """The public figures of one mine (2017 fund reform: provisions, spending, plan progress public)."""
    acc = FundAccount.objects.filter(right_id=right_pk).first()
    totals = {"provided": "0.00", "deposited": "0.00", "spent": "0.00", "fund": "0.00"}
    if acc is not None:
        agg = {
            r["kind"]: int(r["s"]) for r in Posting.objects.filter(account=acc).values("kind").annotate(s=Sum("cents"))
        }
        totals = {
            "provided": str(yuan(agg.get("provision", 0))),
            "deposited": str(yuan(agg.get("deposit", 0) + agg.get("bond_deposit", 0))),
            "spent": str(yuan(agg.get("spend", 0))),
            "fund": str(yuan(acc.fund_cents)),
        }
    plans = Plan.objects.filter(right_id=right_pk, state__in=scope.PUBLIC_PLAN_STATES)
    progress = []
    for p in plans:
        ph = list(p.phases.all())
        progress.append(
            {
                "plan": p.pk,
                "title": p.title,
                "state_zh": phases.PLAN_STATES[p.state],
                "phases": len(ph),
                "accepted": sum(1 for x in ph if x.state == "accepted"),
                "reclaimed_ha": round(sum(phases.total(x.actual, "reclaimed") for x in ph if x.state == "accepted"), 4),
            }
        )
    return {"right": right_pk, "fund": totals, "plans": progress}
