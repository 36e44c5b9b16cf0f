"""The one way onto the public notice board. Domains publish and withdraw through here, inside their
own transaction, so a notice exists exactly when the decision it announces does; every step is audited.

    notices.publish(actor, kind="supervision_closure", source="supervision.Case:42", division="150202",
                    title_zh=…, title_en=…, body_zh=…, body_en=…, url="/supervision/cases/42/")
    notices.withdraw(actor, source="supervision.Case:42", reason_zh=…, reason_en=…)

Only staff whose division covers the notice's division (or the system) publish and withdraw. Text is
plain text: every page, feed and export escapes it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kuangzheng.access.actor import Actor, division_prefix
from kuangzheng.audit import service as audit
from kuangzheng.errors import FieldProblem, Forbidden, InvalidInput, NotFound

from .core import rules
from .core.kinds import kinds
from .models import Notice

PAGE_MAX = 500


def _may_publish(actor: Actor, division: str) -> None:
    actor.require_staff()
    if not actor.covers_division(division):
        raise Forbidden("只能发布本辖区的公告", "Notices are published only for one's own division")


def snapshot(n: Notice) -> dict:
    return {
        "kind": n.kind,
        "source": n.source,
        "division": n.division,
        "title_zh": n.title_zh,
        "title_en": n.title_en,
        "url": n.url,
        "ends_on": n.ends_on.isoformat() if n.ends_on else None,
        "withdrawn": n.withdrawn_at is not None,
        "withdraw_reason_zh": n.withdraw_reason_zh,
    }


def publish(
    actor: Actor,
    *,
    kind: str,
    source: str,
    division: str,
    title_zh: str,
    title_en: str,
    body_zh: str,
    body_en: str,
    url: str = "",
    ends_on: dt.date | None = None,
    location: tuple[float, float] | None = None,
) -> Notice:
    probs = rules.problems(
        kind=kind,
        source=source,
        division=division,
        title_zh=title_zh,
        title_en=title_en,
        body_zh=body_zh,
        body_en=body_en,
        url=url,
        location=location,
    )
    if probs:
        raise InvalidInput(probs)
    _may_publish(actor, division)
    lon, lat = (float(v) for v in location) if location is not None else (None, None)
    with transaction.atomic():
        n = Notice.objects.create(
            kind=kind,
            source=source,
            division=division,
            title_zh=title_zh.strip(),
            title_en=title_en.strip(),
            body_zh=body_zh.strip(),
            body_en=body_en.strip(),
            url=url or "",
            ends_on=ends_on,
            lon=lon,
            lat=lat,
            published_at=timezone.now(),
            published_by=actor.username,
        )
        audit.record(actor, "publish", "notice", n.pk, None, snapshot(n))
    return n


def withdraw(actor: Actor, *, source: str, reason_zh: str, reason_en: str = "") -> int:
    """Withdraw every current notice of `source` (a case reopened, a decision revoked). The notices stay
    on the board, marked withdrawn with the reason. Returns how many were withdrawn."""
    if not str(reason_zh or "").strip():
        raise InvalidInput([FieldProblem("reason_zh", "请写明撤回理由", "a reason for withdrawing is required")])
    with transaction.atomic():
        withdrawn = 0
        for n in Notice.objects.select_for_update().filter(source=source, withdrawn_at=None):
            _may_publish(actor, n.division)
            before = snapshot(n)
            n.withdrawn_at = timezone.now()
            n.withdrawn_by = actor.username
            n.withdraw_reason_zh = reason_zh.strip()
            n.withdraw_reason_en = (reason_en or "").strip()
            n.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason_zh", "withdraw_reason_en"])
            audit.record(actor, "withdraw", "notice", n.pk, before, snapshot(n))
            withdrawn += 1
    return withdrawn


def current(source: str) -> list[Notice]:
    """The source's notices that are on the board and not withdrawn."""
    return list(Notice.objects.filter(source=source, withdrawn_at=None))


def board(*, kind: str | None = None, division: str | None = None, limit: int | None = None) -> QuerySet:
    """Every notice, newest first, withdrawn ones included (marked): the board is public."""
    rows = Notice.objects.all()
    if kind:
        if kind not in kinds():
            raise InvalidInput([FieldProblem("kind", f"未知的公告类别「{kind}」", f"unknown kind of notice {kind!r}")])
        rows = rows.filter(kind=kind)
    if division:
        if not rules.DIVISION.match(division):
            raise InvalidInput(
                [FieldProblem("division", "行政区划代码须为2、4或6位数字", "the division code has 2, 4 or 6 digits")]
            )
        rows = rows.filter(division__startswith=division_prefix(division) if len(division) == 6 else division)
    return rows[: min(limit, PAGE_MAX)] if limit else rows


def get(pk) -> Notice:
    try:
        return Notice.objects.get(pk=int(pk))
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise NotFound("公告", "notice") from None


def as_dict(n: Notice) -> dict:
    k = kinds()[n.kind]
    return {
        "id": n.pk,
        "kind": n.kind,
        "kind_zh": k["zh"],
        "kind_en": k["en"],
        "source": n.source,
        "division": n.division,
        "title_zh": n.title_zh,
        "title_en": n.title_en,
        "body_zh": n.body_zh,
        "body_en": n.body_en,
        "url": n.url,
        "ends_on": n.ends_on.isoformat() if n.ends_on else None,
        "location": [n.lon, n.lat] if n.lon is not None else None,
        "published_at": n.published_at.isoformat(),
        "withdrawn_at": n.withdrawn_at.isoformat() if n.withdrawn_at else None,
        "withdraw_reason_zh": n.withdraw_reason_zh,
        "withdraw_reason_en": n.withdraw_reason_en or n.withdraw_reason_zh,
    }
