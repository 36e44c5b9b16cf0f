"""Notifications: every action on an application leaves an inbox message for the other party, and
an e-mail through Django's mail framework (console backend by default, SMTP by setting), sent only
once the action's transaction has committed, so a mail failure never undoes a decision."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from kuangzheng.access.actor import Actor, division_prefix
from kuangzheng.access.models import Profile

from .core import machine
from .models import Application, Message


def _regulator_emails(division: str) -> list[str]:
    rows = Profile.objects.filter(role="regulator").exclude(user__email="").values_list("division_id", "user__email")
    return [email for code, email in rows if code and division.startswith(division_prefix(code))]


def _enterprise_emails(enterprise_id: int) -> list[str]:
    rows = Profile.objects.filter(role="enterprise", enterprise_id=enterprise_id).exclude(user__email="")
    return list(rows.values_list("user__email", flat=True))


def action_taken(app: Application, action: str, by: str, reason: str = "") -> None:
    """Tell the party that did not act: the applicant of the authority's actions, the authority of the applicant's."""
    a = machine.actions()[action]
    state = machine.states()[app.status]
    name = app.record.get("name") or app.licence_no or f"#{app.pk}"
    zh = f"申请「{name}」（#{app.pk}）：{a['zh']}，当前状态：{state['zh']}" + (f"。理由：{reason}" if reason else "")
    en = f"Application '{name}' (#{app.pk}): {a['en']}; now {state['en']}" + (f". Reason: {reason}" if reason else "")
    if by == machine.APPLICANT:
        audience, emails = f"division:{app.competent_division}", _regulator_emails(app.competent_division)
    else:
        audience, emails = f"enterprise:{app.applicant_id}", _enterprise_emails(app.applicant_id)
    Message.objects.create(audience=audience, application=app, action=action, text_zh=zh, text_en=en)
    if emails:
        transaction.on_commit(
            lambda: send_mail(f"[矿政] {zh[:60]}", f"{zh}\n\n{en}\n", None, emails, fail_silently=True)
        )


def inbox(actor: Actor, limit: int = 200) -> list[dict]:
    if actor.is_enterprise and actor.enterprise_id:
        qs = Message.objects.filter(audience=f"enterprise:{actor.enterprise_id}")
    elif actor.is_regulator:
        qs = Message.objects.filter(audience__startswith=f"division:{actor.scope_prefix}")
    elif actor.is_admin:
        qs = Message.objects.all()
    else:
        qs = Message.objects.none()
    qs = qs.filter(~Q(application__status="draft")) if not actor.is_enterprise else qs
    return [
        {
            "id": m.pk,
            "application": m.application_id,
            "action": m.action,
            "text_zh": m.text_zh,
            "text_en": m.text_en,
            "at": m.created_at.isoformat(),
        }
        for m in qs.order_by("-pk")[:limit]
    ]
