"""Reports the daily job watches: M15 start/finish work reports and (M19) yearly exploration investment,
filed by the holder for its own exploration rights (or by staff in scope)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction

from kuangzheng.access.actor import Actor
from kuangzheng.audit import service as audit
from kuangzheng.errors import Forbidden
from kuangzheng.registry import services as registry

from .models import InvestmentReport, WorkReport
from .scope import problem


def _own_exploration_right(actor: Actor, right_pk):
    right = registry.get(actor, "right", right_pk)
    if not (
        registry.sees_full(actor, "right", right) and (actor.is_enterprise or actor.covers_division(right.division_id))
    ):
        raise Forbidden("只有权利人或辖区监管人员可以报送", "Only the holder or staff in scope may file this")
    if right.kind != "exploration":
        raise problem("right", "只有探矿权报送此项", "only exploration rights file this")
    return right


def file_work_report(actor: Actor, right_pk, kind: str, on) -> WorkReport:
    right = _own_exploration_right(actor, right_pk)
    if kind not in ("start", "finish"):
        raise problem("kind", "报告类型须为 start（开工）或 finish（收工）", "kind must be start or finish")
    try:
        day = on if isinstance(on, dt.date) else dt.date.fromisoformat(str(on))
    except ValueError:
        raise problem("date", "日期格式应为 YYYY-MM-DD", "the date must be YYYY-MM-DD") from None
    with transaction.atomic():
        rep = WorkReport.objects.create(right_id=right.pk, kind=kind, reported_on=day, filed_by=actor.username)
        audit.record(
            actor, "work-report", "supervision.workreport", rep.pk, None, {"right": right.pk, "kind": kind, "date": day}
        )
    return rep


def file_investment(actor: Actor, right_pk, year, amount) -> InvestmentReport:
    right = _own_exploration_right(actor, right_pk)
    if not isinstance(year, int) or not (right.valid_from.year <= year <= right.valid_to.year):
        raise problem("year", "年度须在探矿权有效期内", "the year must lie within the right's validity")
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise problem("amount_yuan", "投入金额须为数字（元）", "the amount must be a number (yuan)") from None
    if not value.is_finite() or value < 0:
        raise problem("amount_yuan", "投入金额须为非负数（元）", "the amount must not be negative (yuan)")
    with transaction.atomic():
        rep, _ = InvestmentReport.objects.update_or_create(
            right_id=right.pk, year=year, defaults={"amount_yuan": value, "filed_by": actor.username}
        )
        audit.record(
            actor,
            "investment",
            "supervision.investmentreport",
            rep.pk,
            None,
            {"right": right.pk, "year": year, "amount_yuan": str(value)},
        )
    return rep
