"""REST endpoints of supervision (mounted at /api/v1/supervision). Scopes live in the services; these
only read the caller and pass on."""

from __future__ import annotations

from ninja import Body, File, Router
from ninja.files import UploadedFile

from kuangzheng import attachments
from kuangzheng.access.http import actor_of

from . import alerts, enforcement, plans, reports, zombies
from .scope import problem

router = Router(tags=["监管执法 supervision"])


@router.get("/plans", summary="Inspection plans: published and drawn ones are public; drafts for staff in scope")
def list_plans(request):
    return [plans.describe(p) for p in plans.plans(actor_of(request))[:500]]


@router.post("/plans", summary="Create a plan: pools, ratio or count, recusal, the seed's source (staff)")
def create_plan(request, payload: dict = Body(...)):
    return plans.describe(plans.create(actor_of(request, write=True), payload))


@router.get("/plans/{pk}", summary="One plan")
def get_plan(request, pk: int):
    return plans.describe(plans.get(actor_of(request), pk))


@router.post("/plans/{pk}/publish", summary="Freeze the pools and announce their SHA-256 and the seed's source")
def publish_plan(request, pk: int, payload: dict = Body(...)):
    return plans.describe(plans.publish(actor_of(request, write=True), pk, payload.get("version")))


@router.post("/plans/{pk}/draw", summary="Draw with the seed from the announced source")
def draw_plan(request, pk: int, payload: dict = Body(...)):
    return plans.describe(
        plans.run_draw(actor_of(request, write=True), pk, payload.get("seed"), payload.get("version"))
    )


@router.get("/plans/{pk}/result", summary="The published result file (everything needed to re-draw)")
def plan_result(request, pk: int):
    return plans.result(actor_of(request), pk)


@router.post("/verify", summary="Recompute a published draw from its result file alone (anyone)")
def verify(request, payload: dict = Body(...)):
    problems = plans.verify(payload)
    return {"verified": not problems, "problems": problems}


@router.get("/cases", summary="Cases: staff in scope, an enterprise its own, the public closed ones")
def list_cases(request, state: str = ""):
    actor = actor_of(request)
    qs = enforcement.cases(actor)
    if state:
        qs = qs.filter(state=state)
    return [enforcement.describe(actor, c) for c in qs[:500]]


@router.post("/findings", summary="Record a finding (on an inspection or an enterprise); it opens a case (staff)")
def record_finding(request, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    if payload.get("sweep_run") is not None:
        case = enforcement.finding_from_verdict(
            actor, payload.get("sweep_run"), payload.get("sweep_result"), str(payload.get("description") or "")
        )
    else:
        case = enforcement.record_finding(actor, payload)
    return enforcement.describe(actor, case)


@router.post("/findings/{pk}/attachments", summary="A photo or document on a finding (PDF, PNG, JPEG; staff)")
def attach_to_finding(request, pk: int, file: UploadedFile = File(...)):
    att = enforcement.attach(
        actor_of(request, write=True), finding=pk, filename=file.name, content=attachments.read(file)
    )
    return {"id": att.pk, "filename": att.filename, "sha256": att.sha256}


@router.post("/orders/{pk}/attachments", summary="Evidence on an order's answer (the enterprise or staff)")
def attach_to_order(request, pk: int, file: UploadedFile = File(...)):
    att = enforcement.attach(
        actor_of(request, write=True), order=pk, filename=file.name, content=attachments.read(file)
    )
    return {"id": att.pk, "filename": att.filename, "sha256": att.sha256}


@router.get("/attachments/{pk}", summary="Download an attachment (staff in scope, the case's enterprise)")
def download(request, pk: int):
    return attachments.response(enforcement.attachment(actor_of(request), pk))


@router.get("/cases/{pk}", summary="One case (steps, orders and evidence for who sees it in full)")
def get_case(request, pk: int):
    actor = actor_of(request)
    return enforcement.describe(actor, enforcement.get(actor, pk))


@router.post("/cases/{pk}/actions", summary="Move a case: {action, version, deadline?, text?, note?}")
def act(request, pk: int, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    action = payload.get("action")
    if not isinstance(action, str):
        raise problem("action", "请指明操作", "name the action")
    return enforcement.describe(actor, enforcement.act(actor, pk, action, payload))


@router.get("/alerts", summary="The caller's alert inbox (staff: their division; an enterprise: its own)")
def list_alerts(request, open: bool = True):
    rows = alerts.inbox(actor_of(request), open_only=open)[:1000]
    return [
        {
            "key": a.key,
            "kind": a.kind,
            "source": a.source,
            "division": a.division,
            "due": a.due,
            "text_zh": a.text_zh,
            "text_en": a.text_en,
            "raised_on": a.raised_on,
            "resolved_on": a.resolved_on,
        }
        for a in rows
    ]


@router.get("/dashboard", summary="Open alerts and cases by division and kind (staff in scope)")
def dashboard(request):
    return alerts.dashboard(actor_of(request))


@router.get("/zombies", summary="Zombie exploration rights in scope with their evidence (staff)")
def list_zombies(request, on: str = ""):
    import datetime as dt

    actor = actor_of(request)
    actor.require_staff()
    try:
        day = dt.date.fromisoformat(on) if on else dt.date.today()
    except ValueError:
        raise problem("on", "日期格式应为 YYYY-MM-DD", "the date must be YYYY-MM-DD") from None
    return zombies.detect(day, "" if actor.is_admin else actor.scope_prefix)


@router.post("/zombies/{right}/case", summary="Open a clean-up case for a zombie exploration right (staff in scope)")
def open_zombie_case(request, right: int):
    import datetime as dt

    actor = actor_of(request, write=True)
    found = [z for z in zombies.detect(dt.date.today()) if z["right"] == right]
    case = enforcement.open_zombie_case(actor, right, found[0]["evidence"] if found else [])
    return enforcement.describe(actor, case)


@router.post("/rights/{pk}/work-reports", summary="File a start or completion report (M15): {kind, date}")
def work_report(request, pk: int, payload: dict = Body(...)):
    rep = reports.file_work_report(actor_of(request, write=True), pk, payload.get("kind"), payload.get("date"))
    return {"id": rep.pk, "kind": rep.kind, "date": rep.reported_on}


@router.post("/rights/{pk}/investments", summary="File a year's exploration investment (yuan): {year, amount_yuan}")
def investment(request, pk: int, payload: dict = Body(...)):
    rep = reports.file_investment(actor_of(request, write=True), pk, payload.get("year"), payload.get("amount_yuan"))
    return {"id": rep.pk, "year": rep.year, "amount_yuan": str(rep.amount_yuan)}
