"""Applications: the one way in. Scopes: an enterprise files and sees its own applications; a
regulator handles those its division decides (and reads those located in its division); the public
sees notices only. Every write is audited in its transaction; every action carries the version the
actor loaded (a concurrent action makes it match no row: 409, nothing written)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from kuangzheng import attachments
from kuangzheng.access.actor import Actor
from kuangzheng.audit import service as audit
from kuangzheng.errors import FieldProblem, Forbidden, InvalidInput, NotFound, StaleVersion
from kuangzheng.registry import geometry
from kuangzheng.registry import services as registry

from . import announce, checks, notify, register
from .core import clock, kinds, machine, routing
from .models import Application, Attachment, LicenceSerial, Objection, ReviewTask, Step

EDITABLE = ("draft", "more_requested", "review_more_requested")
NEEDS_REASON = {"refuse_acceptance", "request_more", "request_more_in_review", "refuse", "approve"}


def today() -> dt.date:
    return timezone.localdate()


def _problem(field: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput([FieldProblem(field, zh, en)])


# ---------------------------------------------------------------- reading


def scoped(actor: Actor) -> QuerySet:
    qs = Application.objects.select_related("applicant")
    if actor.is_admin:
        return qs
    if actor.is_regulator:
        p = actor.scope_prefix
        return qs.filter(Q(competent_division__startswith=p) | Q(division__startswith=p)).exclude(status="draft")
    if actor.is_enterprise and actor.enterprise_id:
        return qs.filter(applicant_id=actor.enterprise_id)
    return qs.none()


def get(actor: Actor, pk) -> Application:
    try:
        return scoped(actor).get(pk=int(pk))
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound("申请", "application") from None


def handles(actor: Actor, app: Application) -> bool:
    """Whether the actor may take the authority's actions on this application (分级审批)."""
    return actor.is_admin or (actor.is_regulator and actor.covers_division(app.competent_division))


def is_applicant(actor: Actor, app: Application) -> bool:
    return actor.is_enterprise and actor.enterprise_id == app.applicant_id


def queue(actor: Actor, *, status: str = "", kind: str = "", division: str = "", overdue: bool = False) -> list:
    qs = scoped(actor)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if division:
        qs = qs.filter(competent_division__startswith=division.rstrip("0") or division)
    rows = list(qs.order_by("filed_at", "pk"))
    if overdue:
        rows = [a for a in rows if any(c.overdue and c.running for c in clocks(a))]
    return rows


def history(app: Application) -> list[tuple[str, str, dt.date]]:
    return [(s.action, s.state, s.on) for s in app.steps.all()]


def clocks(app: Application, on: dt.date | None = None) -> list[clock.ClockState]:
    return clock.clocks(history(app), on or today())


def serialize(actor: Actor, app: Application, full: bool = True) -> dict:
    k = kinds.kind(app.kind)
    d = {
        "id": app.pk,
        "kind": app.kind,
        "kind_zh": k["zh"],
        "kind_en": k["en"],
        "status": app.status,
        "status_zh": machine.states()[app.status]["zh"],
        "version": app.version,
        "applicant": {"id": app.applicant_id, "name": app.applicant.name},
        "division": app.division,
        "competent_division": app.competent_division,
        "competent_level": app.competent_level,
        "licence_no": app.licence_no,
        "name": app.record.get("name", ""),
        "area_km2": app.area_km2,
        "filed_at": app.filed_at.isoformat() if app.filed_at else None,
        "notice_until": app.notice_until.isoformat() if app.notice_until else None,
        "registered_licence_no": app.registered_licence_no,
        "clocks": [c.as_dict() for c in clocks(app)],
    }
    if full:
        by = "applicant" if is_applicant(actor, app) else ("regulator" if handles(actor, app) else None)
        d.update(
            record=app.record,
            context=app.context,
            corner_points=app.corner_points,
            boundary=geometry.to_geojson(app.boundary),
            checks=app.checks,
            overrides=app.overrides,
            decision_reason=app.decision_reason,
            next_actions=[a for a in machine.allowed(app.status) if by and machine.actions()[a]["by"] == by],
            steps=[
                {
                    "seq": s.seq,
                    "action": s.action,
                    "state": s.state,
                    "on": s.on.isoformat(),
                    "actor": s.actor,
                    "reason": s.reason,
                }
                for s in app.steps.all()
            ],
            tasks=[
                {"role": t.role, "done": t.done, "opinion": t.opinion, "reviewer": t.reviewer} for t in app.tasks.all()
            ],
            objections=[_objection(o) for o in app.objections.order_by("pk")],
            attachments=[
                {
                    "id": a.pk,
                    "item": a.item,
                    "filename": a.filename,
                    "content_type": a.content_type,
                    "size": a.size,
                    "sha256": a.sha256,
                }
                for a in app.attachments.order_by("pk")
            ],
        )
    return d


def map_features(actor: Actor, app: Application) -> dict | None:
    """The parcel and the conflicts the actor may see, as a GeoJSON FeatureCollection (None without a parcel)."""
    if app.boundary is None:
        return None

    def feature(blob, role, label, overlap=None):
        return {
            "type": "Feature",
            "geometry": geometry.to_geojson(blob),
            "properties": {"role": role, "label": label, "overlap_km2": overlap},
        }

    found = (app.checks or {}).get("conflicts", {})
    feats = [feature(app.boundary, "parcel", app.record.get("name") or f"#{app.pk}")]
    area = {c["key"]: c["overlap_km2"] for rows in found.values() for c in rows}
    lic = [c["licence_no"] for c in found.get("rights", [])]
    for r in registry.scoped(actor, "right").filter(licence_no__in=lic).exclude(boundary=None):
        feats.append(feature(r.boundary, "right", f"{r.licence_no} {r.name}", area.get(f"right:{r.licence_no}")))
    codes = [c["code"] for c in found.get("zones", [])]
    for z in registry.scoped(actor, "zone").filter(code__in=codes).exclude(boundary=None):
        feats.append(feature(z.boundary, "zone", f"{z.code} {z.name}", area.get(f"zone:{z.code}")))
    ids = [c["id"] for c in found.get("applications", [])]
    for o in scoped(actor).filter(pk__in=ids).exclude(boundary=None):
        feats.append(
            feature(o.boundary, "application", f"#{o.pk} {o.record.get('name', '')}", area.get(f"application:{o.pk}"))
        )
    return {"type": "FeatureCollection", "features": feats}


def _objection(o: Objection) -> dict:
    return {
        "id": o.pk,
        "text": o.text,
        "submitted_at": o.submitted_at.isoformat(),
        "answer": o.answer,
        "answered_at": o.answered_at.isoformat() if o.answered_at else None,
    }


def snapshot(app: Application) -> dict:
    return {
        "kind": app.kind,
        "status": app.status,
        "version": app.version,
        "applicant": app.applicant_id,
        "record": app.record,
        "corner_points": app.corner_points,
        "blocking": (app.checks or {}).get("blocking", []),
        "overrides": app.overrides,
        "registered_licence_no": app.registered_licence_no,
    }


# ---------------------------------------------------------------- drafting


def _clean_draft(actor: Actor, data: dict, app: Application | None) -> dict:
    if not isinstance(data, dict):
        raise _problem("(document)", "应为 JSON 对象", "must be a JSON object")
    known = {"kind", "licence_no", "record", "context", "corner_points", "boundary"}
    from kuangzheng.errors import unknown_field

    probs = [unknown_field(k, k, known) for k in data if k not in known]
    kind = data.get("kind", app.kind if app else None)
    if app and "kind" in data and data["kind"] != app.kind:
        probs.append(FieldProblem("kind", "申请类型提交后不能更改", "the kind cannot change once created"))
    if kinds.kind(kind) is None:
        probs.append(kinds.unknown_kind(kind))
    record = data.get("record", app.record if app else {})
    if not isinstance(record, dict):
        probs.append(FieldProblem("record", "应为 JSON 对象", "must be a JSON object"))
        record = {}
    context = data.get("context", app.context if app else {}) or {}
    if not isinstance(context, dict):
        probs.append(FieldProblem("context", "应为 JSON 对象", "must be a JSON object"))
    out = {
        "kind": kind,
        "record": record,
        "context": context,
        "licence_no": str(data.get("licence_no", app.licence_no if app else "") or ""),
    }
    if "corner_points" in data or "boundary" in data or app is None:
        geom, p = checks.parcel(data.get("corner_points") or "", data.get("boundary"))
        if p:
            probs.append(p)
        out["geometry"] = geom
        out["corner_points"] = str(data.get("corner_points") or "")
    division = str(record.get("division") or "")
    if out["licence_no"] and kinds.kind(kind) and kinds.kind(kind)["existing_right"]:
        right = registry.scoped(actor, "right").filter(licence_no=out["licence_no"]).first()
        if right is None or (actor.is_enterprise and right.holder_id != actor.enterprise_id):
            probs.append(
                FieldProblem("licence_no", "您名下没有此许可证号的矿业权", "you hold no right with this licence number")
            )
        else:
            division = division or right.division_id
            out["right_kind_existing"] = right.kind
    out["division"] = division
    if probs:
        raise InvalidInput(probs)
    return out


def _columns(clean: dict) -> dict:
    k = kinds.kind(clean["kind"])
    cols = {
        "kind": clean["kind"],
        "record": clean["record"],
        "context": clean["context"],
        "licence_no": clean["licence_no"],
        "division": clean["division"],
        "right_kind": k.get("right_kind", ""),
    }
    if "geometry" in clean:
        geom = clean["geometry"]
        cols.update(geometry.columns(geom), corner_points=clean["corner_points"])
        cols["area_km2"] = checks.area_km2(geom) if geom is not None else None
    if clean["division"]:
        minerals = clean["record"].get("minerals") or []
        cols["competent_division"], cols["competent_level"], _ = routing.competent(
            clean["kind"], clean["division"], minerals
        )
    return cols


def create(actor: Actor, data: dict) -> Application:
    """A draft application of the actor's enterprise."""
    if not (actor.is_enterprise and actor.enterprise_id):
        raise Forbidden("只有企业用户可以提出申请", "Only enterprise users file applications")
    clean = _clean_draft(actor, data, None)
    with transaction.atomic():
        app = Application.objects.create(applicant_id=actor.enterprise_id, filed_by=actor.username, **_columns(clean))
        _recheck(actor, app)
        app.refresh_from_db()
        audit.record(actor, "create", "application", app.pk, None, snapshot(app))
    return app


def _recheck(actor: Actor, app: Application) -> None:
    """Run the automatic checks on a draft or on material being corrected and record them on the
    application, so the applicant sees a conflict (and its end) before filing or supplying."""
    Application.objects.filter(pk=app.pk).update(checks=checks.run(actor, app, today(), draft=True))


def edit(actor: Actor, pk, data: dict, version) -> Application:
    """Change a draft, or the material while 补正 is asked for (fields, corner points, context); the
    checks run again on the changed application, in the same transaction, and the edit is audited."""
    app = get(actor, pk)
    if not is_applicant(actor, app):
        raise Forbidden("只有申请人可以修改申请", "Only the applicant may change the application")
    if app.status not in EDITABLE:
        raise _problem(
            "status",
            "只有草稿或补正中的申请可以修改",
            "only drafts and applications asked for more material can change",
        )
    clean = _clean_draft(actor, data, app)
    return _write(actor, app, _version(version), _columns(clean), "edit", lambda a: _recheck(actor, a))


def _version(version) -> int:
    try:
        return int(version)
    except (TypeError, ValueError):
        raise _problem(
            "version",
            "缺少版本号（用于防止覆盖他人修改）",
            "the version you loaded is required (it prevents lost updates)",
        ) from None


def _write(actor: Actor, app: Application, version: int, columns: dict, action: str, after=None) -> Application:
    """Conditional update on the version; `after(app)` runs in the same transaction."""
    with transaction.atomic():
        before = snapshot(app)
        n = Application.objects.filter(pk=app.pk, version=version).update(
            **columns, version=version + 1, updated_at=timezone.now()
        )
        if n == 0:
            current = Application.objects.filter(pk=app.pk).values_list("version", flat=True).first()
            raise StaleVersion(current, version)
        app = Application.objects.select_related("applicant").get(pk=app.pk)
        if after:
            after(app)
            app = Application.objects.select_related("applicant").get(pk=app.pk)
        audit.record(actor, action, "application", app.pk, before, snapshot(app))
    return app


# ---------------------------------------------------------------- attachments


def attach(actor: Actor, pk, item: str, filename: str, content: bytes) -> Attachment:
    app = get(actor, pk)
    if not is_applicant(actor, app):
        raise Forbidden("只有申请人可以上传材料", "Only the applicant may upload material")
    if app.status not in EDITABLE:
        raise _problem(
            "status", "只有草稿或补正中的申请可以上传材料", "material is uploaded to drafts or when more is asked for"
        )
    docs = kinds.kind(app.kind)["documents"]
    probs = []
    if item not in docs:
        probs.append(
            FieldProblem(
                "item",
                f"本类申请没有材料项「{item}」（可选：{'、'.join(docs)}）",
                f"this kind has no item '{item}' (one of {', '.join(docs)})",
            )
        )
    with transaction.atomic():
        att = attachments.store(
            Attachment,
            actor.username,
            filename,
            content,
            kinds.attachment_types(),
            default_name=item,
            problems=probs,
            application=app,
            item=item,
        )
        audit.record(
            actor, "attach", "application", app.pk, None, {"item": item, "sha256": att.sha256, "size": att.size}
        )
    return att


def attachment(actor: Actor, pk, att_pk) -> Attachment:
    app = get(actor, pk)
    try:
        return app.attachments.get(pk=int(att_pk))
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise NotFound("材料", "attachment") from None


# ---------------------------------------------------------------- actions


def act(actor: Actor, pk, action: str, data: dict | None = None) -> Application:
    """Take one action of the approval path (workflow.yaml). `data` carries `version` and, where the
    action needs them, `reason` and `notice_days`."""
    data = dict(data or {})
    app = get(actor, pk)
    if is_applicant(actor, app):
        by = machine.APPLICANT
    elif handles(actor, app):
        by = machine.REGULATOR
    else:
        raise Forbidden(
            "您不是此申请的申请人，也不是其审批机关", "You are neither the applicant nor the approving authority"
        )
    version = _version(data.get("version"))
    if version != app.version:  # someone acted since this actor loaded it: 409 before anything else
        raise StaleVersion(app.version, version)
    step = machine.check(app.status, action, by)
    if isinstance(step, FieldProblem):
        raise InvalidInput([step])
    reason = str(data.get("reason") or "").strip()
    if action in NEEDS_REASON and not reason:
        raise _problem("reason", "请写明理由", "a reason is required")
    on = today()
    columns = {"status": step.target}
    prepare = PREPARE.get(action)
    if prepare:
        columns.update(prepare(actor, app, data, on))

    def after(a: Application) -> None:
        Step.objects.create(
            application=a,
            seq=a.steps.count() + 1,
            action=action,
            state=step.target,
            on=on,
            actor=actor.username,
            reason=reason,
        )
        if action == "start_review":
            for role in machine.review_roles(kinds.kind(a.kind)):
                ReviewTask.objects.create(application=a, role=role)
        if action == "register":
            register.apply(actor, a, on, next_serial)
            a.refresh_from_db()
        if action in announce.ACTIONS:
            announce.on_action(actor, a, action, reason)
        notify.action_taken(a, action, by, reason)

    return _write(actor, app, version, columns, f"action:{action}", after)


def _prepare_file(actor: Actor, app: Application, data: dict, on: dt.date) -> dict:
    present = set(app.attachments.values_list("item", flat=True))
    probs = kinds.missing_items(
        app.kind, app.record, parcel=app.boundary is not None, right=bool(app.licence_no), documents=present
    )
    if probs:
        raise InvalidInput(probs)
    app.filed_at = app.filed_at or timezone.now()
    return {"filed_at": app.filed_at, "checks": checks.run(actor, app, on)}


def _prepare_supply(actor: Actor, app: Application, data: dict, on: dt.date) -> dict:
    return {"checks": checks.run(actor, app, on)}


def _prepare_approve(actor: Actor, app: Application, data: dict, on: dt.date) -> dict:
    probs = [
        FieldProblem(f"tasks.{t.role}", "审查意见尚未提交", "the review opinion is not in yet")
        for t in app.tasks.filter(done=False)
    ]
    probs += [
        FieldProblem(
            f"checks.{key}",
            "阻断性审查结果须先由审查人书面说明理由后放行",
            "a blocking check must be overridden with a written reason first",
        )
        for key in (app.checks or {}).get("blocking", [])
        if key not in app.overrides
    ]
    if probs:
        raise InvalidInput(probs)
    return {"decision_reason": str(data.get("reason"))}


def _prepare_refuse(actor: Actor, app: Application, data: dict, on: dt.date) -> dict:
    return {"decision_reason": str(data.get("reason"))}


def _prepare_publish(actor: Actor, app: Application, data: dict, on: dt.date) -> dict:
    try:
        days = int(data.get("notice_days"))
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 60:
        raise _problem("notice_days", "请填写公示期（1–60个工作日）", "give the notice period (1–60 working days)")
    return {"notice_until": clock.add_working_days(on, days)}


def _prepare_register(actor: Actor, app: Application, data: dict, on: dt.date) -> dict:
    probs = []
    if app.notice_until and on <= app.notice_until:
        probs.append(
            FieldProblem(
                "notice_until",
                f"公示期至 {app.notice_until} 止，期满后方可登记",
                f"the notice runs until {app.notice_until}; register after it",
            )
        )
    if app.objections.filter(answered_at=None).exists():
        probs.append(FieldProblem("objections", "尚有异议未答复", "some objections have no answer yet"))
    if probs:
        raise InvalidInput(probs)
    return {}


PREPARE = {
    "file": _prepare_file,
    "supply": _prepare_supply,
    "supply_in_review": _prepare_supply,
    "approve": _prepare_approve,
    "refuse": _prepare_refuse,
    "publish": _prepare_publish,
    "register": _prepare_register,
}


def next_serial(series: str) -> int:
    """The next serial of a series, inside the caller's transaction: the UPDATE row-locks the
    series (PostgreSQL) or holds the write lock (SQLite) until commit; a first serial races on the
    unique constraint and retries."""
    for _ in range(5):
        if LicenceSerial.objects.filter(series=series).update(last=F("last") + 1):
            return LicenceSerial.objects.get(series=series).last
        try:
            with transaction.atomic():
                LicenceSerial.objects.create(series=series, last=1)
            return 1
        except IntegrityError:
            continue
    raise RuntimeError(f"could not number series {series}")


# ---------------------------------------------------------------- review, overrides, objections


def review(actor: Actor, pk, role: str, opinion: str, version) -> Application:
    app = get(actor, pk)
    if not handles(actor, app):
        raise Forbidden("仅审批机关可提交审查意见", "Only the approving authority submits review opinions")
    if app.status != "under_review":
        raise _problem("status", "申请不在审查中", "the application is not under review")
    task = app.tasks.filter(role=role).first()
    if task is None:
        raise _problem("role", f"没有「{role}」审查任务", f"no review task '{role}'")
    if not str(opinion or "").strip():
        raise _problem("opinion", "请填写审查意见", "the opinion is required")

    def after(a):
        ReviewTask.objects.filter(pk=task.pk).update(
            done=True, opinion=str(opinion).strip(), reviewer=actor.username, done_at=timezone.now()
        )

    return _write(actor, app, _version(version), {}, f"review:{role}", after)


def override(actor: Actor, pk, key: str, reason: str, version) -> Application:
    app = get(actor, pk)
    if not handles(actor, app):
        raise Forbidden("仅审批机关可放行阻断性审查结果", "Only the approving authority overrides a blocking check")
    if key not in (app.checks or {}).get("blocking", []):
        raise _problem(
            "key", f"「{key}」不是本申请的阻断性审查结果", f"'{key}' is not a blocking check of this application"
        )
    if not str(reason or "").strip():
        raise _problem("reason", "放行须书面说明理由", "an override needs a written reason")
    overrides = {
        **app.overrides,
        key: {"by": actor.username, "reason": str(reason).strip(), "at": timezone.now().isoformat()},
    }
    return _write(actor, app, _version(version), {"overrides": overrides}, "override")


def notices() -> QuerySet:
    """Applications in public notice (公示) and those registered after one (公告)."""
    return (
        Application.objects.select_related("applicant")
        .filter(status__in=("in_notice", "registered"))
        .exclude(notice_until=None)
        .order_by("-notice_until")
    )


def notice(pk) -> Application:
    try:
        return notices().get(pk=int(pk))
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound("公示", "notice") from None


def public_notice(app: Application) -> dict:
    k = kinds.kind(app.kind)
    return {
        "id": app.pk,
        "kind": app.kind,
        "kind_zh": k["zh"],
        "kind_en": k["en"],
        "status": app.status,
        "name": app.record.get("name", ""),
        "applicant": app.applicant.name,
        "division": app.division,
        "area_km2": app.area_km2,
        "notice_until": app.notice_until.isoformat(),
        "licence_no": app.registered_licence_no,
        "boundary": geometry.to_geojson(app.boundary),
        "objections": [{"text": o.text, "answer": o.answer} for o in app.objections.order_by("pk")],
    }


def object_to(actor: Actor, pk, text: str, contact: str = "") -> Objection:
    """Anyone, the public included, may object while the notice runs."""
    app = notice(pk)
    if app.status != "in_notice" or today() > app.notice_until:
        raise _problem("status", "公示期已结束，不再受理异议", "the notice period is over; objections are closed")
    text = str(text or "").strip()
    if not text or len(text) > 5000:
        raise _problem("text", "请填写异议内容（不超过5000字）", "write the objection (at most 5000 characters)")
    with transaction.atomic():
        o = Objection.objects.create(application=app, text=text, contact=str(contact or "")[:200])
        audit.record(actor, "objection", "application", app.pk, None, {"objection": o.pk, "text": text})
    return o


def answer(actor: Actor, pk, objection_pk, text: str) -> Objection:
    app = get(actor, pk)
    if not handles(actor, app):
        raise Forbidden("仅审批机关可答复异议", "Only the approving authority answers objections")
    o = app.objections.filter(pk=objection_pk).first()
    if o is None:
        raise NotFound("异议", "objection")
    if not str(text or "").strip():
        raise _problem("answer", "请填写答复", "the answer is required")
    with transaction.atomic():
        Objection.objects.filter(pk=o.pk).update(
            answer=str(text).strip(), answered_by=actor.username, answered_at=timezone.now()
        )
        audit.record(
            actor,
            "answer",
            "application",
            app.pk,
            {"objection": o.pk},
            {"objection": o.pk, "answer": str(text).strip()},
        )
    o.refresh_from_db()
    return o


# ---------------------------------------------------------------- reports


def report(actor: Actor) -> dict:
    """Counts per status and kind, and working days spent per stage (median, max) over the scope."""
    import statistics

    actor.require_staff()
    apps = list(scoped(actor).prefetch_related("steps"))
    counts: dict = {}
    spent: dict[str, list[int]] = {}
    for a in apps:
        counts.setdefault(a.status, 0)
        counts[a.status] += 1
        steps = list(a.steps.all())
        for s, nxt in zip(steps, steps[1:] + [None]):
            end = nxt.on if nxt else today()
            if machine.is_terminal(s.state):
                continue
            spent.setdefault(s.state, []).append(clock.working_days_between(s.on, end))
    return {
        "total": len(apps),
        "by_status": counts,
        "working_days_per_stage": {
            k: {"n": len(v), "median": statistics.median(v), "max": max(v)} for k, v in sorted(spent.items())
        },
    }


def import_batch(actor: Actor, docs: list, read_document) -> list[Application]:
    """File a batch of applications (each: the create document plus `documents`: {item: path}),
    all or none; every problem is named with its 1-based row. `read_document(path)` gives bytes."""
    if not isinstance(docs, list):
        raise _problem("(document)", "应为申请列表", "must be a list of applications")
    problems, done = [], []
    with transaction.atomic():
        for row, doc in enumerate(docs, 1):
            try:
                doc = dict(doc) if isinstance(doc, dict) else doc
                files = doc.pop("documents", {}) if isinstance(doc, dict) else {}
                app = create(actor, doc)
                for item, path in (files or {}).items():
                    attach(actor, app.pk, item, str(path), read_document(path))
                done.append(act(actor, app.pk, "file", {"version": app.version}))
            except InvalidInput as exc:
                problems += [FieldProblem(p.field, p.zh, p.en, row=row) for p in exc.problems]
            except OSError as exc:
                problems.append(
                    FieldProblem("documents", f"无法读取材料：{exc}", f"cannot read a document: {exc}", row=row)
                )
        if problems:
            transaction.set_rollback(True)
            raise InvalidInput(problems)
    return done
