"""REST endpoints of restoration (mounted at /api/v1/restoration). Handlers only translate HTTP to
the services; roles, scopes, validation and audit happen there."""

from __future__ import annotations

import base64
import binascii

from ninja import Body, Router

from kuangzheng import attachments
from kuangzheng.access.http import actor_of
from kuangzheng.errors import FieldProblem, InvalidInput

from . import fund, green, indicators, responsibility, services

router = Router(tags=["矿山地质环境治理恢复 restoration"])


@router.get("/plans", summary="Restoration plans the caller sees (the public: those published)")
def list_plans(request):
    actor = actor_of(request)
    return [services.plan_dict(p, actor) for p in services.plans(actor)[:500]]


@router.post("/plans", summary="Submit a restoration plan for a mining right (holder or staff in scope)")
def create_plan(request, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    return services.plan_dict(services.create_plan(actor, payload), actor)


@router.get("/plans/{pk}", summary="One plan with its phases")
def get_plan(request, pk: int):
    actor = actor_of(request)
    return services.plan_dict(services.get_plan(actor, pk), actor)


@router.post("/plans/{pk}/document", summary="Upload the plan document (PDF, base64 in `content`)")
def upload(request, pk: int, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    try:
        content = base64.b64decode(str(payload.get("content", "")), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput([FieldProblem("content", "须为 base64 编码的文件", "must be the file in base64")]) from None
    doc = services.attach(actor, pk, str(payload.get("filename", "plan.pdf")), content)
    return {"id": doc.pk, "sha256": doc.sha256, "size": doc.size}


@router.get("/plans/{pk}/documents/{doc_pk}", summary="Download the plan document (the holder, staff in scope)")
def download(request, pk: int, doc_pk: int):
    return attachments.response(services.document(actor_of(request), pk, doc_pk))


@router.post("/plans/{pk}/actions", summary="review | publish | approve (staff in scope; carries `version`)")
def act(request, pk: int, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    p = services.act(actor, pk, str(payload.get("action", "")), payload.get("version"))
    return services.plan_dict(p, actor)


@router.post("/plans/{pk}/letter", summary="Record the signed responsibility letter (staff in scope)")
def letter(request, pk: int, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    p = services.record_letter(actor, pk, payload.get("responsibility_letter_ref"), payload.get("version"))
    return services.plan_dict(p, actor)


@router.patch("/phases/{pk}", summary="Plan a phase: planned areas by land use, cost estimate")
def plan_phase(request, pk: int, payload: dict = Body(...)):
    return services.phase_dict(services.plan_phase(actor_of(request, write=True), pk, payload))


@router.post("/phases/{pk}/report", summary="Report a phase done with its actual areas (holder)")
def report_phase(request, pk: int, payload: dict = Body(...)):
    return services.phase_dict(services.report_phase(actor_of(request, write=True), pk, payload))


@router.post("/phases/{pk}/acceptance", summary="Inspect a phase with the M53 checklist (staff in scope)")
def accept_phase(request, pk: int, payload: dict = Body(...)):
    acc = services.accept_phase(actor_of(request, write=True), pk, payload)
    return {"passed": acc.passed, "failures": acc.failures, "phase": services.phase_dict(acc.phase)}


@router.get("/funds/{right}", summary="A mine's fund account: balances, totals, postings (holder or staff)")
def fund_state(request, right: int):
    return fund.state(fund.account_for(actor_of(request), right))


@router.post("/funds/{right}/postings", summary="Post to a mine's fund (yuan as text; request_id required)")
def post(request, right: int, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    p = fund.post(
        actor,
        right=right,
        kind=str(payload.get("kind", "")),
        amount=payload.get("amount"),
        request_id=str(payload.get("request_id", "")),
        source=str(payload.get("source", "")),
        phase=payload.get("phase"),
        year=payload.get("year") if isinstance(payload.get("year"), int) else None,
        note=str(payload.get("note", "")),
    )
    return fund.posting_dict(p)


@router.post("/funds/{right}/conversion", summary="Convert the legacy bond into the fund (staff)")
def convert(request, right: int, payload: dict = Body(...)):
    return fund.convert_bond(
        actor_of(request, write=True),
        right=right,
        party_exists=payload.get("party_exists") is True,
        request_id=str(payload.get("request_id", "")) or f"convert:{right}",
    )


@router.get("/problems", summary="The responsibility ledger of the caller's division (staff)")
def list_problems(request):
    actor = actor_of(request)
    actor.require_staff()
    return [responsibility.problem_dict(p) for p in responsibility.problems(actor)[:2000]]


@router.post("/problems", summary="Record a geo-environment problem (classified new/old)")
def create_problem(request, payload: dict = Body(...)):
    return responsibility.problem_dict(responsibility.record_problem(actor_of(request, write=True), payload))


@router.post("/problems/{pk}/restored", summary="Record the area restored so far (staff)")
def restored(request, pk: int, payload: dict = Body(...)):
    p = responsibility.record_restored(actor_of(request, write=True), pk, payload.get("restored_ha"))
    return responsibility.problem_dict(p)


@router.get("/projects", summary="Government restoration projects of the caller's division (staff)")
def list_projects(request):
    actor = actor_of(request)
    actor.require_staff()
    return [responsibility.project_dict(g) for g in responsibility.projects(actor)[:2000]]


@router.post("/projects", summary="A government project restoring old problems, with funding and mode")
def create_project(request, payload: dict = Body(...)):
    return responsibility.project_dict(responsibility.create_project(actor_of(request, write=True), payload))


@router.get("/green", summary="The three green-mine lists (public)")
def green_lists(request):
    return green.lists()


@router.post("/green", summary="Apply for a green-mine level (holder or staff)")
def green_apply(request, payload: dict = Body(...)):
    return green.green_dict(green.apply(actor_of(request, write=True), payload))


@router.post("/green/{pk}/evaluation", summary="Score the evaluation sheet (staff in scope)")
def green_evaluate(request, pk: int, payload: dict = Body(...)):
    return green.green_dict(green.evaluate(actor_of(request, write=True), pk, payload.get("scores")))


@router.get("/indicators", summary="Area balance, historical restoration rate, fund coverage, green mines")
def summary(request, division: str = ""):
    actor = actor_of(request)
    if not (actor.is_admin or actor.is_regulator):
        return indicators.summary(None, "")  # the public and enterprises: the region's figures
    return indicators.summary(actor, division or None)


@router.get("/mines/{right}", summary="A mine's public figures: fund provisions, spending, plan progress")
def mine(request, right: int):
    from kuangzheng.registry import services as registry

    registry.get(actor_of(request), "right", right)  # in the caller's view, or 404
    return indicators.mine_page(right)


@router.get("/preconditions", summary="M46 licence preconditions of a mining right (staff)")
def preconditions(request, licence_no: str = ""):
    actor_of(request).require_staff()
    return services.licence_preconditions(licence_no=licence_no)
