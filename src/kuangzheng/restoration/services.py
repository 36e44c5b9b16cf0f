"""Restoration plans, their documents and phases, and phase acceptance (M45, M48, M53): the one way
in for them. The fund ledger is in fund.py, the responsibility ledger in responsibility.py."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kuangzheng import attachments
from kuangzheng.access.actor import Actor
from kuangzheng.audit import service as audit
from kuangzheng.errors import FieldProblem, Forbidden, InvalidInput, NotFound, StaleVersion
from kuangzheng.registry import services as registry

from . import config, notice, scope
from .core import phases
from .models import Acceptance, Phase, Plan, PlanDocument


def _bad(field, zh, en) -> InvalidInput:
    return InvalidInput([FieldProblem(field, zh, en)])


def _year(raw, field, problems) -> int | None:
    try:
        y = int(str(raw).strip())
    except (TypeError, ValueError):
        problems.append(FieldProblem(field, "须为年份（如 2024）", "must be a year (e.g. 2024)"))
        return None
    if not 1949 <= y <= 2100:
        problems.append(FieldProblem(field, "年份须在 1949–2100 之间", "the year must lie between 1949 and 2100"))
        return None
    return y


def _text(data, field, zh, en, problems, most=200, required=True) -> str:
    v = data.get(field, "")
    if v is None:
        v = ""
    if not isinstance(v, str):
        problems.append(FieldProblem(field, f"{zh}须为文本", f"{en} must be text"))
        return ""
    v = v.strip()
    if required and not v:
        problems.append(FieldProblem(field, f"须填写{zh}", f"{en} is required"))
    if len(v) > most:
        problems.append(FieldProblem(field, f"{zh}不能超过 {most} 字", f"{en} is longer than {most} characters"))
    return v


def _right_for(actor: Actor, right_pk):
    try:
        r = registry.scoped(actor, "right").get(pk=int(right_pk))
    except (registry.entity("right").model.DoesNotExist, TypeError, ValueError):
        raise _bad(
            "right", "矿业权不存在或不在您的权限范围内", "mining right not found or outside your scope"
        ) from None
    if r.kind != "mining":
        raise _bad("right", "只有采矿权编制治理恢复方案", "restoration plans belong to mining rights")
    if not scope.may_edit(actor, r.division_id, r.holder_id):
        raise Forbidden(
            "只有采矿权人或辖区监管人员可提交方案", "Only the right holder or staff in scope may submit a plan"
        )
    return r


def plan_dict(p: Plan, actor: Actor | None = None) -> dict:
    full = actor is None or scope.sees_full(actor, p.division_id, p.enterprise_id)
    d = {
        "id": p.pk,
        "right": p.right_id,
        "licence_no": p.right.licence_no,
        "mine": p.right.name,
        "enterprise": p.enterprise_id,
        "enterprise_name": p.enterprise.name,
        "division": p.division_id,
        "title": p.title,
        "development_plan_ref": p.development_plan_ref,
        "first_year": p.first_year,
        "last_year": p.last_year,
        "state": p.state,
        "state_zh": phases.PLAN_STATES[p.state],
        "notice_ends_on": p.notice_ends_on.isoformat() if p.notice_ends_on else None,
        "is_generated": p.is_generated,
        "version": p.version,
        "phases": [phase_dict(ph, full) for ph in p.phases.order_by("seq")],
    }
    if full:
        d["responsibility_letter_ref"] = p.responsibility_letter_ref
        d["documents"] = [
            {"id": doc.pk, "filename": doc.filename, "size": doc.size, "sha256": doc.sha256}
            for doc in p.documents.order_by("pk")
        ]
    return d


def phase_dict(ph: Phase, full: bool = True) -> dict:
    d = {
        "id": ph.pk,
        "plan": ph.plan_id,
        "seq": ph.seq,
        "start_year": ph.start_year,
        "end_year": ph.end_year,
        "state": ph.state,
        "state_zh": phases.PHASE_STATES[ph.state],
        "planned": ph.planned,
        "actual": ph.actual,
        "cost_estimate": f"{ph.cost_estimate_cents / 100:.2f}",
        "accepted_on": ph.accepted_on.isoformat() if ph.accepted_on else None,
        "version": ph.version,
    }
    if full:
        d["acceptances"] = [
            {"passed": a.passed, "failures": a.failures, "note": a.note, "at": a.at.isoformat() if a.at else None}
            for a in ph.acceptances.order_by("pk")
        ]
    return d


def plans(actor: Actor):
    return scope.plans(actor, Plan.objects.select_related("right", "enterprise"))


def get_plan(actor: Actor, pk) -> Plan:
    return scope.one(plans(actor), pk, "治理恢复方案", "restoration plan")


def get_phase(actor: Actor, pk) -> Phase:
    try:
        ph = Phase.objects.select_related("plan").get(pk=int(pk))
    except (Phase.DoesNotExist, TypeError, ValueError):
        raise NotFound("分期治理", "phase") from None
    get_plan(actor, ph.plan_id)  # in scope, or 404
    return ph


def create_plan(actor: Actor, data: dict, *, generated: bool = False, source: str = "") -> Plan:
    """A plan for a mining right, with one phase per cycle over its years (cycle from the catalogue)."""
    if not isinstance(data, dict):
        raise _bad("body", "须提交对象", "send an object")
    r = _right_for(actor, data.get("right"))
    problems: list[FieldProblem] = []
    title = _text(data, "title", "方案名称", "title", problems)
    dev = _text(data, "development_plan_ref", "开发利用方案文号", "development plan reference", problems, 120, False)
    letter = _text(data, "responsibility_letter_ref", "治理责任书编号", "responsibility letter", problems, 120, False)
    first = _year(data.get("first_year"), "first_year", problems)
    last = _year(data.get("last_year"), "last_year", problems)
    if first and last and last < first:
        problems.append(FieldProblem("last_year", "终止年度不能早于起始年度", "the last year cannot precede the first"))
    if first and last and last - first > 60:
        problems.append(FieldProblem("last_year", "方案期限过长（超过 60 年）", "the plan spans more than 60 years"))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        p = Plan.objects.create(
            right_id=r.pk,
            enterprise_id=r.holder_id,
            division_id=r.division_id,
            title=title,
            development_plan_ref=dev,
            responsibility_letter_ref=letter,
            first_year=first,
            last_year=last,
            created_by=actor.username,
            is_generated=generated,
            source=source,
        )
        for i, (a, b) in enumerate(phases.cycles(first, last, config.cycle_years()), start=1):
            Phase.objects.create(plan=p, seq=i, start_year=a, end_year=b)
        audit.record(actor, "create", "restoration_plan", p.pk, None, _snap(p))
    return p


def _snap(p: Plan) -> dict:
    return {
        "right": p.right_id,
        "title": p.title,
        "state": p.state,
        "years": [p.first_year, p.last_year],
        "letter": p.responsibility_letter_ref,
    }


def attach(actor: Actor, pk, filename: str, content: bytes) -> PlanDocument:
    """The plan document: PDF only (by its bytes, not its name), within the upload limit."""
    p = get_plan(actor, pk)
    if not scope.may_edit(actor, p.division_id, p.enterprise_id):
        raise Forbidden("只有采矿权人或辖区监管人员可上传方案文本", "Only the holder or staff in scope may upload")
    if p.state != "drafted":
        raise _bad("state", "方案已进入审查，不能再更换文本", "the plan is under review; its document is fixed")
    with transaction.atomic():
        doc = attachments.store(
            PlanDocument, actor.username, filename, content, config.document_types(), default_name="plan.pdf", plan=p
        )
        audit.record(actor, "attach", "restoration_plan", p.pk, None, {"sha256": doc.sha256, "size": doc.size})
    return doc


def document(actor: Actor, pk, doc_pk) -> PlanDocument:
    p = get_plan(actor, pk)
    if not scope.sees_full(actor, p.division_id, p.enterprise_id):
        raise NotFound("方案文本", "plan document")
    return scope.one(p.documents.all(), doc_pk, "方案文本", "plan document")


def _check_version(obj, version):
    try:
        given = int(version)
    except (TypeError, ValueError):
        raise _bad("version", "须提供所编辑记录的版本号", "give the version you edited") from None
    if given != obj.version:
        raise StaleVersion(obj.version, given)
    return given


def _conditional_save(model, obj, given: int, **fields) -> None:
    n = model.objects.filter(pk=obj.pk, version=given).update(version=given + 1, **fields)
    if n != 1:
        raise StaleVersion(model.objects.get(pk=obj.pk).version, given)
    for k, v in fields.items():
        setattr(obj, k, v)
    obj.version = given + 1


def act(actor: Actor, pk, action: str, version, *, notice_days: int = 30, today: dt.date | None = None) -> Plan:
    """Staff move a plan on: joint review (needs its document), public notice (on the board), approval."""
    actor.require_staff()
    p = get_plan(actor, pk)
    if not actor.covers_division(p.division_id):
        raise NotFound("治理恢复方案", "restoration plan")
    given = _check_version(p, version)
    dst, prob = phases.move_plan(p.state, action)
    if prob:
        raise scope.problems([prob])
    if action == "review" and not p.documents.exists():
        raise _bad("documents", "须先上传方案文本", "upload the plan document first")
    today = today or dt.date.today()
    with transaction.atomic():
        before = _snap(p)
        fields = {"state": dst}
        if action == "publish":
            fields["notice_ends_on"] = today + dt.timedelta(days=int(notice_days))
        _conditional_save(Plan, p, given, **fields)
        if action == "publish":
            notice.publish_plan(actor, p)
        audit.record(actor, action, "restoration_plan", p.pk, before, _snap(p))
    return p


def plan_phase(actor: Actor, pk, data: dict) -> Phase:
    """The holder (or staff) sets a planned phase's planned areas and cost estimate."""
    ph = get_phase(actor, pk)
    p = ph.plan
    if not scope.may_edit(actor, p.division_id, p.enterprise_id):
        raise Forbidden()
    if ph.state != "planned":
        raise _bad("state", "只有计划中的分期可修改计划", "only a planned phase can be re-planned")
    given = _check_version(ph, data.get("version"))
    areas, probs = phases.clean_areas(data.get("planned"), "planned")
    cents = None
    if "cost_estimate" in data:
        from .core.ledger import to_cents

        cents, cp = to_cents(data["cost_estimate"], "cost_estimate")
        if cp:
            probs.append(cp)
    if probs:
        raise scope.problems(probs)
    with transaction.atomic():
        fields = {"planned": areas}
        if cents is not None:
            fields["cost_estimate_cents"] = cents
        _conditional_save(Phase, ph, given, **fields)
        audit.record(actor, "plan_phase", "restoration_phase", ph.pk, None, phase_dict(ph, False))
    return ph


def report_phase(actor: Actor, pk, data: dict, today: dt.date | None = None) -> Phase:
    """The holder reports a phase's work done with its actual areas (again after a failed acceptance)."""
    ph = get_phase(actor, pk)
    p = ph.plan
    if not scope.may_edit(actor, p.division_id, p.enterprise_id):
        raise Forbidden()
    if p.state != "approved":
        raise _bad("plan", "方案批准后才能报告分期治理", "phases are reported once the plan is approved")
    if ph.state != "planned":
        raise _bad("state", "该分期已报告或已验收", "this phase is already reported or accepted")
    given = _check_version(ph, data.get("version"))
    areas, probs = phases.clean_areas(data.get("actual"), "actual")
    if not probs and not areas:
        probs.append(phases.Problem("actual", "须填写实际面积", "give the actual areas"))
    if probs:
        raise scope.problems(probs)
    with transaction.atomic():
        _conditional_save(Phase, ph, given, actual=areas, state="reported", reported_on=today or dt.date.today())
        audit.record(actor, "report_phase", "restoration_phase", ph.pk, None, phase_dict(ph, False))
    return ph


def accept_phase(actor: Actor, pk, data: dict, today: dt.date | None = None) -> Acceptance:
    """Staff inspect a reported phase with the M53 checklist. Every inspection is kept; a failed
    item blocks acceptance and returns the phase to the holder for correction."""
    actor.require_staff()
    ph = get_phase(actor, pk)
    if not actor.covers_division(ph.plan.division_id):
        raise NotFound("分期治理", "phase")
    if ph.state != "reported":
        raise _bad("state", "只有已报告完成的分期可以验收", "only a reported phase can be inspected")
    given = _check_version(ph, data.get("version"))
    checklist = data.get("checklist")
    missing, failed = phases.checklist_failures(checklist)
    if missing:
        raise scope.problems(missing)
    note = str(data.get("note") or "")[:500]
    with transaction.atomic():
        acc = Acceptance.objects.create(
            phase=ph,
            checklist=checklist,
            passed=not failed,
            failures=[{"field": f.field, "message_zh": f.zh, "message_en": f.en} for f in failed],
            note=note,
            inspector=actor.username,
        )
        if failed:
            _conditional_save(Phase, ph, given, state="planned")
        else:
            _conditional_save(Phase, ph, given, state="accepted", accepted_on=today or dt.date.today())
        audit.record(
            actor, "accept" if not failed else "reject", "restoration_phase", ph.pk, None, {"failures": acc.failures}
        )
    return acc


# ---------------------------------------------------------------- for other domains

PRECONDITION_ENTRY = "003.geoenv.new_mine_licence_requirements"
_PRECONDITIONS = (
    ("plan", "提交矿山地质环境保护与治理恢复方案并经审查", "restoration plan submitted and reviewed"),
    ("deposit", "缴存矿山地质环境治理保证金（基金）", "restoration bond (fund) deposited"),
    ("letter", "签订矿山地质环境治理责任书", "restoration responsibility letter signed"),
    ("reclamation", "方案分期落实土地复垦义务", "the plan's phases take on the land-reclamation obligation"),
)


def licence_preconditions(*, right=None, licence_no: str = "") -> list[dict]:
    """M46's four licence preconditions for a mining right (by pk or licence number), each a
    verdict-like dict: item, outcome pass|fail (not_checked for a right not registered yet), reason
    zh/en, the catalogue entry it rests on. Empty for an exploration right."""
    from .models import FundAccount, Posting

    r = None
    if right is not None:
        r = registry.records("right").filter(pk=getattr(right, "pk", right)).first()
    elif licence_no:
        r = registry.records("right").filter(licence_no=str(licence_no)).first()
    if r is None:  # a new right has no register entry yet: nothing to look the plan up by
        return [
            {
                "item": key,
                "outcome": "not_checked",
                "zh": zh,
                "en": en,
                "reason_zh": f"该采矿权尚未登记，须人工核对：{zh}",
                "reason_en": f"the right is not registered yet; check by hand: {en}",
                "entry": PRECONDITION_ENTRY,
                "plan": None,
            }
            for key, zh, en in _PRECONDITIONS
        ]
    if r.kind != "mining":
        return []  # exploration rights carry no restoration plan
    plans = Plan.objects.filter(right_id=r.pk)
    reviewed = plans.exclude(state="drafted").order_by("-pk").first()
    acc = FundAccount.objects.filter(right_id=r.pk).first()
    paid = acc is not None and Posting.objects.filter(account=acc, kind__in=("deposit", "bond_deposit")).exists()
    reclaim = reviewed is not None and any(
        phases.total(ph.planned, "reclaimed") > 0 or phases.total(ph.planned, "restored") > 0
        for ph in reviewed.phases.all()
    )
    met = {
        "plan": reviewed is not None,
        "deposit": paid,
        "letter": reviewed is not None and bool(reviewed.responsibility_letter_ref),
        "reclamation": reclaim,
    }
    out = []
    for key, zh, en in _PRECONDITIONS:
        ok = met[key]
        out.append(
            {
                "item": key,
                "outcome": "pass" if ok else "fail",
                "zh": zh,
                "en": en,
                "reason_zh": ("已满足：" if ok else "未满足：") + zh,
                "reason_en": ("met: " if ok else "not met: ") + en,
                "entry": PRECONDITION_ENTRY,
                "plan": reviewed.pk if reviewed else None,
            }
        )
    return out


def green_mine_level(right_or_enterprise) -> str | None:
    """The preference flag (M54): the highest green-mine level listed for a mining right or an
    enterprise ("national" | "region" | "city"), or None. Readable by applications and allocation."""
    from . import green

    model = getattr(right_or_enterprise, "_meta", None)
    if model is not None and model.model_name == "enterprise":
        return green.level_of(enterprise=right_or_enterprise)
    return green.level_of(right=right_or_enterprise)


def record_letter(actor: Actor, pk, ref: str, version) -> Plan:
    """Staff record the responsibility letter signed with the holder (M46)."""
    actor.require_staff()
    p = get_plan(actor, pk)
    if not actor.covers_division(p.division_id):
        raise NotFound("治理恢复方案", "restoration plan")
    ref = str(ref or "").strip()
    if not ref or len(ref) > 120:
        raise _bad(
            "responsibility_letter_ref",
            "须填写责任书编号（最多 120 字）",
            "give the letter's reference (≤ 120 characters)",
        )
    given = _check_version(p, version)
    with transaction.atomic():
        before = _snap(p)
        _conditional_save(Plan, p, given, responsibility_letter_ref=ref)
        audit.record(actor, "letter", "restoration_plan", p.pk, before, _snap(p))
    return p
