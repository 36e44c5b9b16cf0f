"""Publishing the plan-implementation report (M74, seed 003:「建立规划批准前的公示和批准后的公告制度，
接受社会对规划实施的监督」): a regulator covering the plan's jurisdiction publishes a year's report;
a notice (kind `plan_report_publication`) goes on the board in the same transaction, linking to
that year's report page, and both are audited. A publication withdrawn (a figure found wrong)
stays on the board, marked, with the reason; the year may then be published again.

The report page itself is computed from the catalogue and the accepted reports (plan.py); the
publication freezes the targets' counts by status as the public read them that moment."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from kuangzheng.access.actor import Actor
from kuangzheng.audit import service as audit
from kuangzheng.errors import FieldProblem, InvalidInput, NotFound
from kuangzheng.notices import services as notices

from . import targets
from .models import PlanPublication
from .scope import require_division

KIND = "plan_report_publication"
FIRST_YEAR = 2000  # no plan of the catalogue is evaluated before this year


def source(p: PlanPublication) -> str:
    return f"monitoring.PlanPublication:{p.pk}"


def as_dict(p: PlanPublication) -> dict:
    return {
        "id": p.pk,
        "year": p.year,
        "division": p.division,
        "counts": p.counts,
        "url": report_url(p.year),
        "published_by": p.published_by,
        "published_at": p.published_at.isoformat(),
        "withdrawn": p.withdrawn_at is not None,
        "withdrawn_at": p.withdrawn_at.isoformat() if p.withdrawn_at else None,
        "withdraw_reason_zh": p.withdraw_reason_zh,
        "withdraw_reason_en": p.withdraw_reason_en,
    }


def report_url(year: int) -> str:
    return f"/monitoring/plan/?year={year}"


def _year(raw) -> int:
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        year = None
    last = dt.date.today().year
    if year is None or not FIRST_YEAR <= year <= last:
        raise InvalidInput(
            [
                FieldProblem(
                    "year",
                    f"评估年度应为 {FIRST_YEAR}–{last} 之间的年份",
                    f"the year evaluated must be a year from {FIRST_YEAR} to {last}",
                )
            ]
        )
    return year


def publish(actor: Actor, year) -> PlanPublication:
    """Publish `year`'s plan-implementation report for the jurisdiction (staff covering it)."""
    actor.require_staff()
    division = settings.PROVINCE_PREFIX
    require_division(actor, division)  # the plan is the jurisdiction's: a prefecture does not publish it
    year = _year(year)
    counts: dict[str, int] = {}
    for row in targets.evaluate_all(year, None):  # as the public reads it
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    if not counts:
        raise InvalidInput(
            [FieldProblem("year", "该年度没有可评估的规划指标", "no plan target is evaluated for that year")]
        )
    summary_zh = "；".join(f"{targets.STATUS_ZH.get(k, k)} {v} 项" for k, v in sorted(counts.items()))
    summary_en = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in sorted(counts.items()))
    try:
        with transaction.atomic():
            p = PlanPublication.objects.create(year=year, division=division, counts=counts, published_by=actor.username)
            audit.record(actor, "publish", "plan-report", p.pk, None, {"year": year, "counts": counts})
            notices.publish(
                actor,
                kind=KIND,
                source=source(p),
                division=division,
                title_zh=f"{year}年度矿产资源规划实施情况评估报告",
                title_en=f"Mineral resources plan: implementation report for {year}",
                body_zh=f"规划指标 {sum(counts.values())} 项：{summary_zh}。",
                body_en=f"{sum(counts.values())} plan targets: {summary_en}.",
                url=report_url(year),
            )
    except IntegrityError:
        raise InvalidInput(
            [
                FieldProblem(
                    "year",
                    f"{year}年度报告已发布；如需更正，请先撤回",
                    f"the report for {year} is already published; withdraw it first to correct it",
                )
            ]
        ) from None
    return p


def withdraw(actor: Actor, pk, reason_zh: str, reason_en: str = "") -> PlanPublication:
    """Withdraw a publication and its notice (both kept, marked, with the reason)."""
    actor.require_staff()
    with transaction.atomic():
        try:
            p = PlanPublication.objects.select_for_update().get(pk=int(pk), withdrawn_at=None)
        except (PlanPublication.DoesNotExist, TypeError, ValueError):
            raise NotFound("规划实施报告发布", "plan report publication") from None
        require_division(actor, p.division)
        before = as_dict(p)
        notices.withdraw(actor, source=source(p), reason_zh=reason_zh, reason_en=reason_en)  # checks the reason
        p.withdrawn_at, p.withdrawn_by = timezone.now(), actor.username
        p.withdraw_reason_zh, p.withdraw_reason_en = reason_zh.strip(), (reason_en or "").strip()
        p.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason_zh", "withdraw_reason_en"])
        audit.record(actor, "withdraw", "plan-report", p.pk, before, as_dict(p))
    return p


def publications():
    """Every publication, newest first, withdrawn ones included (public)."""
    return PlanPublication.objects.all()
