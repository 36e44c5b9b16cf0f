"""Findings, cases, orders and answers: the one way to move a case (core/cases.py is the machine).
Every step is a `Step` row and an audit entry in the same transaction; closure publishes a notice,
reopening withdraws it; a zombie case's closure cancels the right through registry.services."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Max, Q

from kuangzheng import attachments, bulkinsert
from kuangzheng.access.actor import SYSTEM_ACTOR, Actor
from kuangzheng.audit import service as audit
from kuangzheng.errors import FieldProblem, Forbidden, InvalidInput, NotFound
from kuangzheng.policy.catalogue import load_catalogue
from kuangzheng.registry import services as registry

from . import listing, publicity
from .core import cases as machine
from .models import Attachment, Case, Finding, Inspection, Order, Step
from .scope import check_version, one, problem, require_staff_in, staff_filter

ATTACHMENT_TYPES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}


def today() -> dt.date:
    return dt.date.today()


# ---------------------------------------------------------------- reading


def cases(actor: Actor):
    """Staff: their division's cases; an enterprise: its own; the public: closed cases (announced)."""
    qs = Case.objects.order_by("-pk")
    if actor.is_admin or actor.is_regulator:
        return staff_filter(actor, qs)
    if actor.is_enterprise:
        return qs.filter(Q(enterprise_id=actor.enterprise_id) | Q(state="closed"))
    return qs.filter(state="closed")


def get(actor: Actor, pk) -> Case:
    return one(cases(actor), pk, "案件", "case")


def finding(actor: Actor, pk) -> Finding:
    """A finding the caller may see as staff (other domains cite findings: restoration's problems)."""
    return one(staff_filter(actor, Finding.objects.all()), pk, "检查发现", "finding")


def sees_full(actor: Actor, case: Case) -> bool:
    return actor.covers_division(case.division) or (actor.is_enterprise and actor.enterprise_id == case.enterprise_id)


def describe(actor: Actor, case: Case) -> dict:
    out = {
        "id": case.pk,
        "kind": case.kind,
        "state": case.state,
        "state_zh": machine.STATES[case.state][0],
        "state_en": machine.STATES[case.state][1],
        "division": case.division,
        "enterprise": case.enterprise_name,
        "subject": case.subject_name,
        "opened_on": case.opened_on,
        "ended_on": case.ended_on,
        "version": case.version,
    }
    if not sees_full(actor, case):
        return out
    by = machine.ENTERPRISE if actor.is_enterprise else machine.REGULATOR
    return out | {
        "evidence": case.evidence,
        "finding": _finding_dict(case.finding) if case.finding else None,
        "allowed": machine.allowed(case.state, by),
        "steps": [
            {
                "seq": s.seq,
                "action": s.action,
                "from": s.before,
                "to": s.after,
                "by": s.actor,
                "on": s.on,
                "note": s.note,
            }
            for s in case.steps.order_by("seq")
        ],
        "orders": [
            {
                "id": o.pk,
                "kind": o.kind,
                "issued_on": o.issued_on,
                "deadline": o.deadline,
                "text": o.text,
                "answered_on": o.answered_on,
                "answer": o.answer,
                "late": o.late,
                "verified": o.verified,
                "attachments": [{"id": a.pk, "filename": a.filename, "size": a.size} for a in o.attachments.all()],
            }
            for o in case.orders.order_by("pk")
        ],
    }


def _finding_dict(f: Finding) -> dict:
    return {
        "id": f.pk,
        "entry": f.entry,
        "rule": f.rule,
        "verdict": f.verdict,
        "source": f.source,
        "description": f.description,
        "attachments": [{"id": a.pk, "filename": a.filename, "size": a.size} for a in f.attachments.all()],
    }


# ---------------------------------------------------------------- findings


def _holder(enterprise_id) -> tuple[str, str]:
    ent = registry.records("enterprise").filter(pk=enterprise_id).values_list("name", "division_id").first()
    if ent is None:
        raise problem("enterprise", "企业不存在", "no such enterprise")
    return ent


def record_finding(actor: Actor, data: dict) -> Case:
    """A finding (on a drawn inspection or on its own), tied to a catalogue entry or compliance rule
    where one applies; it opens a case."""
    data = dict(data or {})
    probs = []
    inspection = None
    if data.get("inspection"):
        inspection = one(staff_filter(actor, Inspection.objects.all()), data["inspection"], "检查", "inspection")
        enterprise_id, division = inspection.enterprise_id, inspection.division
    else:
        enterprise_id = data.get("enterprise")
        if not isinstance(enterprise_id, int):
            raise problem("enterprise", "请指明企业", "name the enterprise")
        division = None
    name, ent_division = _holder(enterprise_id)
    division = division or ent_division
    require_staff_in(actor, division)
    description = str(data.get("description") or "").strip()
    if not description:
        probs.append(FieldProblem("description", "请描述发现的问题", "describe the finding"))
    entry = str(data.get("entry") or "").strip()
    if entry and entry not in load_catalogue().by_id:
        probs.append(FieldProblem("entry", f"政策目录中没有条目 {entry}", f"no catalogue entry {entry}"))
    source = str(data.get("source") or "").strip()[:80]
    earlier = Finding.objects.filter(source=source).first() if source else None
    if earlier is not None:  # one finding per piece of evidence: a second click opens no second case
        probs.append(
            FieldProblem(
                "source", f"已据此记录问题（问题 {earlier.pk}）", f"a finding already cites it (finding {earlier.pk})"
            )
        )
    if probs:
        raise InvalidInput(probs)
    on = _date(data.get("on"), "on") if data.get("on") else today()
    with transaction.atomic():
        if inspection is not None and inspection.inspected_on is None:
            inspection.inspected_on = on
            inspection.save(update_fields=["inspected_on"])
        finding = Finding.objects.create(
            inspection=inspection,
            enterprise_id=enterprise_id,
            division=division,
            subject=inspection.subject if inspection else str(data.get("subject") or ""),
            entry=entry,
            rule=str(data.get("rule") or ""),
            verdict=str(data.get("verdict") or ""),
            source=source,
            description=description,
            recorded_by=actor.username,
        )
        audit.record(actor, "finding", "supervision.finding", finding.pk, None, _finding_dict(finding))
        case = _open(actor, "finding", division, enterprise_id, name, finding.subject, on, finding=finding)
    return case


def finding_from_verdict(actor: Actor, run_id, result_pk, description: str = "") -> Case:
    """A failing compliance verdict opens a finding tied to its rule and catalogue entries."""
    from kuangzheng.compliance import services as compliance

    run = compliance.get_run(actor, run_id)
    row = compliance.result(actor, run, result_pk)
    verdict = compliance.render_row(row, run.as_of, run)
    if verdict.get("outcome") != "fail":
        raise problem("verdict", "只有不符合的结论可以立案", "only a failing verdict opens a finding")
    entries = [e if isinstance(e, str) else e.get("id", "") for e in row.entries]
    return record_finding(
        actor,
        {
            "enterprise": row.enterprise_id,
            "subject": f"{row.subject_kind}:{row.subject_id}",
            "rule": row.rule,
            "entry": entries[0] if entries else "",
            "verdict": f"compliance.SweepResult:{row.pk}",
            "description": description or verdict.get("explanation_zh") or verdict.get("explanation") or row.rule,
        },
    )


def _open(
    actor, kind, division, enterprise_id, enterprise_name, subject, on, *, finding=None, right_id=None, evidence=None
):
    case = Case.objects.create(
        kind=kind,
        finding=finding,
        right_id=right_id,
        subject_name=subject,
        enterprise_id=enterprise_id,
        enterprise_name=enterprise_name,
        division=division,
        evidence=evidence or [],
        opened_on=on,
    )
    audit.record(actor, "open", "supervision.case", case.pk, None, _snap(case))
    return case


def open_zombie_case(actor: Actor, right_pk, evidence: list[dict], on: dt.date | None = None) -> Case:
    right = registry.get(actor, "right", right_pk)
    require_staff_in(actor, right.division_id)
    if not evidence:
        raise problem("evidence", "没有僵尸探矿权的证据", "no evidence that this right is a zombie")
    if Case.objects.filter(kind="zombie", right_id=right.pk).exclude(state__in=machine.ENDED).exists():
        raise problem("right", "该探矿权已有未结清理案件", "this right already has an open clean-up case")
    name, _ = _holder(right.holder_id)
    with transaction.atomic():
        return _open(
            actor,
            "zombie",
            right.division_id,
            right.holder_id,
            name,
            right.licence_no,
            on or today(),
            right_id=right.pk,
            evidence=evidence,
        )


# ---------------------------------------------------------------- moving a case


def act(actor: Actor, pk, action: str, data: dict | None = None, on: dt.date | None = None) -> Case:
    """Take one action of the case machine. `data`: `version`; `deadline` (ISO date) where the action
    needs one; `text` (the order or the answer); `note`."""
    data = dict(data or {})
    case = get(actor, pk)
    if actor is SYSTEM_ACTOR:
        by = machine.SYSTEM
    elif actor.is_enterprise and actor.enterprise_id == case.enterprise_id:
        by = machine.ENTERPRISE
    elif actor.covers_division(case.division):
        by = machine.REGULATOR
    else:
        raise Forbidden("您不能处理此案件", "You cannot act on this case")
    check_version(case, data.get("version"))
    step = machine.check(case.state, action, by)
    if isinstance(step, FieldProblem):
        raise InvalidInput([step])
    on = on or today()
    deadline = None
    if step.needs_deadline:
        deadline = _date(data.get("deadline"), "deadline")
        if deadline <= on:
            raise problem("deadline", "整改期限须晚于今天", "the deadline must be after today")
    text = str(data.get("text") or "").strip()
    if action == "answer" and not text:
        raise problem("text", "请写明整改情况", "describe what was rectified")
    with transaction.atomic():
        before = case.state
        _effects(actor, case, action, step, on, deadline, text)
        case.state = step.target
        case.ended_on = on if step.target in machine.ENDED else None
        case.version += 1
        updated = Case.objects.filter(pk=case.pk, version=case.version - 1).update(
            state=case.state, ended_on=case.ended_on, version=case.version
        )
        if not updated:
            from kuangzheng.errors import StaleVersion

            raise StaleVersion(case.version, case.version - 1)
        Step.objects.create(
            case=case,
            seq=case.steps.count() + 1,
            action=action,
            before=before,
            after=case.state,
            actor=actor.username,
            on=on,
            note=str(data.get("note") or "")[:2000],
        )
        audit.record(actor, f"case:{action}", "supervision.case", case.pk, {"state": before}, _snap(case))
        if action == "close":
            publicity.case_closed(actor, case)
            listing.case_closed(actor, case, on)
        elif action == "reopen":
            publicity.case_reopened(actor, case)
            listing.case_reopened(actor, case, on)
    return case


def _effects(actor, case, action, step, on, deadline, text) -> None:
    current = case.orders.filter(answered_on=None).exclude(kind="closure").order_by("-pk").first()
    if step.order:
        Order.objects.create(case=case, kind=step.order, issued_on=on, deadline=deadline, text=text)
    if action == "answer":
        if current is None:
            raise problem("order", "没有待答复的整改通知", "there is no order to answer")
        current.answered_on, current.answer = on, text
        current.late = current.deadline is not None and on > current.deadline
        current.save()
    if action in ("accept", "reject"):
        last = case.orders.exclude(answered_on=None).order_by("-pk").first()
        if last is not None:
            last.verified = "accepted" if action == "accept" else "rejected"
            last.save(update_fields=["verified"])
    if action == "reject":
        Order.objects.create(case=case, kind="rectify", issued_on=on, deadline=deadline, text=text)
    if action == "close" and case.kind == "zombie" and case.right_id:
        right = registry.records("right").get(pk=case.right_id)
        registry.add_event(
            actor,
            right.pk,
            {"kind": "cancelled", "date": on.isoformat(), "reason": "僵尸探矿权清理 zombie exploration right clean-up"},
            right.version,
        )


def escalate_overdue(on: dt.date, chunk: int = 2000) -> list[int]:
    """The daily job: rectifying or stopped cases whose open order's deadline has passed become overdue.
    The machine's `escalate` in bulk: per chunk one UPDATE (state, version), the steps in one insert and
    the audit entries through `audit.record_many` (the same entries `act` would append one by one)."""
    step = machine.ACTIONS["escalate"]
    ids = sorted(
        set(
            Order.objects.filter(answered_on=None, deadline__lt=on, case__state__in=step.sources).values_list(
                "case_id", flat=True
            )
        )
    )
    done: list[int] = []
    for i in range(0, len(ids), chunk):
        with transaction.atomic():
            rows = list(
                Case.objects.select_for_update()
                .filter(pk__in=ids[i : i + chunk], state__in=step.sources)
                .values_list("pk", "state", "kind", "division", "enterprise_id")
            )
            pks = [r[0] for r in rows]
            Case.objects.filter(pk__in=pks).update(state=step.target, version=F("version") + 1)
            last = dict(
                Step.objects.filter(case_id__in=pks)
                .values("case_id")
                .annotate(m=Max("seq"))
                .values_list("case_id", "m")
            )
            bulkinsert.insert(
                Step,
                [
                    {
                        "id": sid,
                        "case_id": pk,
                        "seq": last.get(pk, 0) + 1,
                        "action": "escalate",
                        "before": state,
                        "after": step.target,
                        "actor": SYSTEM_ACTOR.username,
                        "on": on,
                        "note": "",
                    }
                    for sid, (pk, state, *_) in zip(bulkinsert.reserve_ids(Step, len(rows)), rows)
                ],
            )
            audit.record_many(
                SYSTEM_ACTOR,
                "case:escalate",
                "supervision.case",
                [
                    (pk, {"state": state}, {"state": step.target, "kind": kind, "division": div, "enterprise_id": ent})
                    for pk, state, kind, div, ent in rows
                ],
            )
            done += pks
    return done


def attach(actor: Actor, *, finding=None, order=None, filename: str, content: bytes) -> Attachment:
    """A photo or document: staff on a finding; the enterprise (or staff) on an order's answer. The
    file's kind is read from its first bytes, its size from the upload limit (docs/limits.md)."""
    if finding is not None:
        target = one(staff_filter(actor, Finding.objects.all()), finding, "检查发现", "finding")
        require_staff_in(actor, target.division)
    else:
        target = one(Order.objects.all(), order, "整改通知", "order")
        case = get(actor, target.case_id)
        if not sees_full(actor, case):
            raise NotFound("整改通知", "order")
    with transaction.atomic():
        att = attachments.store(
            Attachment,
            actor.username,
            filename,
            content,
            ATTACHMENT_TYPES,
            finding=target if finding is not None else None,
            order=target if order is not None else None,
        )
        audit.record(
            actor, "attach", "supervision.attachment", att.pk, None, {"filename": att.filename, "sha256": att.sha256}
        )
    return att


def attachment(actor: Actor, pk) -> Attachment:
    """An attachment for whoever its case shows it to (describe: staff of the division, the case's
    enterprise) or, on a finding, staff of the finding's division; everyone else gets 404."""
    att = one(Attachment.objects.select_related("finding", "order__case"), pk, "附件", "attachment")
    if att.finding_id is not None and actor.covers_division(att.finding.division):
        return att
    cases = [att.order.case] if att.order_id is not None else []
    if att.finding_id is not None:
        cases += list(att.finding.cases.all())
    if not any(sees_full(actor, case) for case in cases):
        raise NotFound("附件", "attachment")
    return att


def _date(raw, field: str) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise problem(field, "日期格式应为 YYYY-MM-DD", "the date must be YYYY-MM-DD") from None


def _snap(case: Case) -> dict:
    return {"state": case.state, "kind": case.kind, "division": case.division, "enterprise_id": case.enterprise_id}
