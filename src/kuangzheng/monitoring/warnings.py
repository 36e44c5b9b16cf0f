"""Early warnings: evaluate the rules over the indicators, keep each warning with its history,
acknowledge it, and publish releases (产能监测预警信息) for the public."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kuangzheng.access.actor import SYSTEM_ACTOR, Actor
from kuangzheng.audit import service as audit
from kuangzheng.errors import FieldProblem, InvalidInput, NotFound
from kuangzheng.monitoring.core import early_warning
from kuangzheng.notices import services as notices

from . import disclosure, measures
from .config import warning_rules
from .models import Release, WarningRecord
from .scope import require_division, scope_divisions

FIELDS = (
    "rule_id",
    "citation_id",
    "severity",
    "indicator",
    "division",
    "metal",
    "period",
    "value",
    "threshold",
    "unit",
    "comparison",
    "message_zh",
    "message_en",
)


def compute() -> list[early_warning.EarlyWarning]:
    """Every warning the rules raise now, per province and per prefecture, monthly and annual."""
    tables = []
    for level in ("province", "prefecture"):
        tables += measures.monthly_tables(level) + measures.monthly_tables(level, annual=True)
        tables += measures.annual_tables(level) + measures.replacement_table(level)
    watched = {r.indicator for r in warning_rules()}
    tables = [t for t in tables if t.indicator in watched]
    return early_warning.evaluate(warning_rules(), early_warning.stack(tables))


def evaluate(actor: Actor) -> dict:
    """Store the current warnings in the actor's scope: new ones created, gone ones made inactive."""
    actor.require_staff()
    found = [w for w in compute() if actor.covers_division(w.division)]
    keys = set()
    created = 0
    with transaction.atomic():
        for w in found:
            values = {f: getattr(w, f) for f in FIELDS}
            key = dict(rule_id=w.rule_id, division=w.division, metal=w.metal, period=w.period)
            keys.add(tuple(key.values()))
            rec, new = WarningRecord.objects.update_or_create(**key, defaults={**values, "active": True})
            created += new
        own = {r.id for r in warning_rules()}  # warnings raised by other domains are theirs to resolve
        gone = [
            r
            for r in scope_divisions(actor, WarningRecord.objects.filter(active=True, rule_id__in=own))
            if (r.rule_id, r.division, r.metal, r.period) not in keys
        ]
        for r in gone:
            r.active = False
            r.save(update_fields=["active", "last_seen"])
        audit.record(
            actor, "evaluate", "warning", "*", None, {"found": len(found), "new": created, "resolved": len(gone)}
        )
    return {"found": len(found), "new": created, "resolved": len(gone)}


def sync_external(prefix: str, found: list[dict]) -> dict:
    """Warnings another domain computes (online-monitoring alarms): `found` are the ones that hold
    now, as dicts of FIELDS with rule ids starting with `prefix`; they are stored active, and the
    active ones of that prefix not found any more become inactive. Audited when anything changed."""
    keys, created = set(), 0
    with transaction.atomic():
        for w in found:
            if not w["rule_id"].startswith(prefix):
                raise ValueError(f"rule id {w['rule_id']!r} outside {prefix!r}")
            key = {k: w[k] for k in ("rule_id", "division", "metal", "period")}
            keys.add(tuple(key.values()))
            values = {f: w[f] for f in FIELDS if f not in key}
            _, new = WarningRecord.objects.update_or_create(**key, defaults={**values, "active": True})
            created += new
        gone = [
            r
            for r in WarningRecord.objects.filter(active=True, rule_id__startswith=prefix)
            if (r.rule_id, r.division, r.metal, r.period) not in keys
        ]
        for r in gone:
            r.active = False
            r.save(update_fields=["active", "last_seen"])
        if created or gone:
            audit.record(SYSTEM_ACTOR, "sync", "warning", prefix, None, {"new": created, "resolved": len(gone)})
    return {"active": len(found), "new": created, "resolved": len(gone)}


def warnings(actor: Actor, *, active: bool | None = None, period: str = ""):
    qs = scope_divisions(actor, WarningRecord.objects.all())
    if active is not None:
        qs = qs.filter(active=active)
    if period:
        qs = qs.filter(period__startswith=period)
    return qs


def serialize(w: WarningRecord) -> dict:
    d = {f: getattr(w, f) for f in FIELDS}
    d.update(
        id=w.pk,
        active=w.active,
        first_seen=w.first_seen.isoformat(),
        last_seen=w.last_seen.isoformat(),
        acknowledged_by=w.acknowledged_by,
        ack_note=w.ack_note,
        acknowledged_at=w.acknowledged_at.isoformat() if w.acknowledged_at else None,
    )
    return d


def acknowledge(actor: Actor, pk, note: str = "") -> WarningRecord:
    try:
        w = warnings(actor).get(pk=pk)
    except (WarningRecord.DoesNotExist, ValueError):
        raise NotFound("预警", "warning") from None
    with transaction.atomic():
        before = serialize(w)
        w.acknowledged_by, w.acknowledged_at, w.ack_note = actor.username, timezone.now(), note.strip()[:500]
        w.save(update_fields=["acknowledged_by", "acknowledged_at", "ack_note"])
        audit.record(actor, "acknowledge", "warning", w.pk, before, serialize(w))
    return w


def publish(actor: Actor, period: str, division: str = "") -> Release:
    """Freeze the active warnings of a period (in a division) into a public release."""
    actor.require_staff()
    division = division or (actor.division_code or "")
    if not period.strip():
        raise InvalidInput([FieldProblem("period", "须指定发布的期间", "the period to publish is required")])
    if division:
        require_division(actor, division)
    qs = warnings(actor, active=True, period=period.strip())
    if division:
        from kuangzheng.access.actor import division_prefix

        qs = qs.filter(division__startswith=division_prefix(division))
    # public from now on: a value the disclosure rule withholds is not frozen into it
    items = disclosure.release_items([{k: v for k, v in serialize(w).items() if k in FIELDS} for w in qs])
    with transaction.atomic():
        n = Release.objects.count() + 1
        rel = Release.objects.create(
            number=f"KZ-YJ-{period.strip()}-{n:04d}",
            period=period.strip(),
            division=division,
            title_zh=f"{period.strip()} 产能监测预警信息",
            title_en=f"Capacity monitoring and early-warning release, {period.strip()}",
            items=items,
            published_by=actor.username,
        )
        audit.record(actor, "publish", "release", rel.pk, None, {"number": rel.number, "items": len(items)})
        notices.publish(
            actor,
            kind="warning_release",
            source=f"monitoring.Release:{rel.pk}",
            division=division or settings.PROVINCE_PREFIX,
            title_zh=f"{rel.title_zh}（{rel.number}）",
            title_en=f"{rel.title_en} ({rel.number})",
            body_zh=f"本期发布预警 {len(items)} 条，期间 {rel.period}。",
            body_en=f"{len(items)} warnings for {rel.period}.",
            url=f"/monitoring/releases/{rel.pk}/",
        )
    return rel


def release_dicts(releases) -> list[dict]:
    """Releases as the public reads them; items of releases frozen before the disclosure rule
    covered them go through it again."""
    releases = list(releases)
    published = disclosure.Published.current() if any(r.items for r in releases) else None
    return [release_dict(r, published) for r in releases]


def release_dict(r: Release, published: disclosure.Published | None = None) -> dict:
    return {
        "id": r.pk,
        "number": r.number,
        "period": r.period,
        "division": r.division,
        "title_zh": r.title_zh,
        "title_en": r.title_en,
        "items": disclosure.release_items(r.items, published),
        "published_by": r.published_by,
        "published_at": r.published_at.isoformat(),
    }
