"""Plan adjustments (规划调整) under M74 (seed 003:「建立规划批准前的公示和批准后的公告制度，接受社会对规划
实施的监督」): a regulator covering the plan's jurisdiction puts an adjustment (planning zones or
blocks added or changed) on the notice board for public comment until a date it sets (the seeds set
no period), approves it only once that publicity has run, and the approval is announced; an
adjustment may be withdrawn before approval. Every step writes the record, its notice and the audit
entry in one transaction."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kuangzheng.access.actor import Actor
from kuangzheng.audit import service as audit
from kuangzheng.errors import FieldProblem, InvalidInput, NotFound, StaleVersion
from kuangzheng.notices import services as notices
from kuangzheng.registry import services as registry

from .models import PlanAdjustment
from .scope import require_division

PUBLICITY_KIND, APPROVAL_KIND = "plan_adjustment_publicity", "plan_adjustment_approval"


def source(a: PlanAdjustment) -> str:
    return f"monitoring.PlanAdjustment:{a.pk}"


def url(a: PlanAdjustment) -> str:
    return f"/api/v1/monitoring/plan/adjustments/{a.pk}"


def as_dict(a: PlanAdjustment) -> dict:
    return {
        "id": a.pk,
        "division": a.division,
        "title_zh": a.title_zh,
        "title_en": a.title_en,
        "summary_zh": a.summary_zh,
        "summary_en": a.summary_en,
        "zones": a.zones,
        "publicity_ends_on": a.publicity_ends_on.isoformat(),
        "state": a.state,
        "version": a.version,
        "approval_no": a.approval_no,
        "approved_on": a.approved_on.isoformat() if a.approved_on else None,
        "withdraw_reason_zh": a.withdraw_reason_zh,
        "created_at": a.created_at.isoformat(),
    }


def _text(raw: dict, name: str, zh: str, en: str, problems: list, limit: int, required: bool = True) -> str:
    value = str(raw.get(name) or "").strip()
    if required and not value:
        problems.append(FieldProblem(name, f"请填写{zh}", f"the {en} is required"))
    elif len(value) > limit:
        problems.append(FieldProblem(name, f"{zh}不超过 {limit} 字", f"the {en} has at most {limit} characters"))
    return value


def _clean(raw: dict, today: dt.date) -> tuple[dict, list[FieldProblem]]:
    problems: list[FieldProblem] = []
    out = {
        "title_zh": _text(raw, "title_zh", "调整事项", "title", problems, 200),
        "title_en": _text(raw, "title_en", "英文标题", "English title", problems, 200, required=False),
        "summary_zh": _text(raw, "summary_zh", "调整内容", "summary", problems, 5000),
        "summary_en": _text(raw, "summary_en", "英文内容", "English summary", problems, 5000, required=False),
    }
    zones = raw.get("zones") or []
    if not isinstance(zones, list) or not all(isinstance(z, str) for z in zones) or len(zones) > 200:
        problems.append(FieldProblem("zones", "涉及区块应为编号列表", "zones must be a list of zone codes"))
        zones = []
    known = set(registry.records("zone").filter(code__in=zones).values_list("code", flat=True))
    if set(zones) - known:
        missing = "、".join(sorted(set(zones) - known))[:200]
        problems.append(FieldProblem("zones", f"未登记的规划区块：{missing}", f"zones not registered: {missing}"))
    out["zones"] = zones
    try:
        ends = dt.date.fromisoformat(str(raw.get("publicity_ends_on") or ""))
    except ValueError:
        ends = None
    if ends is None or ends <= today:
        problems.append(
            FieldProblem("publicity_ends_on", "公示截止日应为今天之后的日期", "the publicity must end after today")
        )
    out["publicity_ends_on"] = ends
    return out, problems


def propose(actor: Actor, raw: dict, today: dt.date | None = None) -> PlanAdjustment:
    """Put an adjustment on the board for comment (公示), until ``publicity_ends_on``."""
    actor.require_staff()
    division = settings.PROVINCE_PREFIX
    require_division(actor, division)  # the plan is the jurisdiction's
    fields, problems = _clean(raw, today or timezone.localdate())
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        a = PlanAdjustment.objects.create(division=division, created_by=actor.username, **fields)
        audit.record(actor, "propose", "plan-adjustment", a.pk, None, as_dict(a))
        notices.publish(
            actor,
            kind=PUBLICITY_KIND,
            source=source(a),
            division=division,
            title_zh=f"规划调整公示：{a.title_zh}",
            title_en=f"Plan adjustment for comment: {a.title_en or a.title_zh}",
            body_zh=f"{a.summary_zh}\n涉及区块：{'、'.join(a.zones) or '无'}\n公示截止：{a.publicity_ends_on}",
            body_en=f"{a.summary_en or a.summary_zh}\nZones: {', '.join(a.zones) or 'none'}\n"
            f"Comments until {a.publicity_ends_on}",
            url=url(a),
            ends_on=a.publicity_ends_on,
        )
    return a


def _open(actor: Actor, pk, version) -> PlanAdjustment:
    actor.require_staff()
    try:
        a = PlanAdjustment.objects.select_for_update().get(pk=int(pk))
    except (PlanAdjustment.DoesNotExist, TypeError, ValueError):
        raise NotFound("规划调整", "plan adjustment") from None
    require_division(actor, a.division)
    if version is not None and str(version) != str(a.version):
        raise StaleVersion(a.version, version)
    if a.state != PlanAdjustment.PUBLICITY:
        raise InvalidInput(
            [FieldProblem("state", "该调整已批准或已撤回", "the adjustment is already approved or withdrawn")]
        )
    return a


def approve(actor: Actor, pk, approval_no: str, *, version=None, today: dt.date | None = None) -> PlanAdjustment:
    """Approve after the publicity has run (公示 before approval), and announce it (公告)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        a = _open(actor, pk, version)
        if today <= a.publicity_ends_on:
            raise InvalidInput(
                [
                    FieldProblem(
                        "publicity_ends_on",
                        f"公示期至 {a.publicity_ends_on}，期满后方可批准",
                        f"the publicity runs until {a.publicity_ends_on}: approve after it",
                    )
                ]
            )
        if not str(approval_no or "").strip():
            raise InvalidInput([FieldProblem("approval_no", "请填写批准文号", "the approval number is required")])
        before = as_dict(a)
        a.state, a.approval_no, a.approved_on = PlanAdjustment.APPROVED, approval_no.strip()[:120], today
        a.closed_by, a.version = actor.username, a.version + 1
        a.save()
        audit.record(actor, "approve", "plan-adjustment", a.pk, before, as_dict(a))
        notices.publish(
            actor,
            kind=APPROVAL_KIND,
            source=source(a),
            division=a.division,
            title_zh=f"规划调整公告：{a.title_zh}",
            title_en=f"Plan adjustment approved: {a.title_en or a.title_zh}",
            body_zh=f"{a.summary_zh}\n涉及区块：{'、'.join(a.zones) or '无'}\n批准文号：{a.approval_no}，{today}",
            body_en=f"{a.summary_en or a.summary_zh}\nZones: {', '.join(a.zones) or 'none'}\n"
            f"Approved as {a.approval_no} on {today}",
            url=url(a),
        )
    return a


def withdraw(actor: Actor, pk, reason_zh: str, reason_en: str = "", *, version=None) -> PlanAdjustment:
    """Withdraw an adjustment still in publicity; its notice stays on the board, marked."""
    with transaction.atomic():
        a = _open(actor, pk, version)
        before = as_dict(a)
        notices.withdraw(actor, source=source(a), reason_zh=reason_zh, reason_en=reason_en)  # checks the reason
        a.state, a.withdraw_reason_zh = PlanAdjustment.WITHDRAWN, reason_zh.strip()
        a.closed_by, a.version = actor.username, a.version + 1
        a.save()
        audit.record(actor, "withdraw", "plan-adjustment", a.pk, before, as_dict(a))
    return a


def adjustments():
    """Every adjustment, newest first (public: each was on the board)."""
    return PlanAdjustment.objects.all()


def get(pk) -> PlanAdjustment:
    try:
        return PlanAdjustment.objects.get(pk=int(pk))
    except (PlanAdjustment.DoesNotExist, TypeError, ValueError):
        raise NotFound("规划调整", "plan adjustment") from None
