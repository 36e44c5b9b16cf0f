"""REST endpoints of applications and approvals (mounted at /api/v1/applications). Handlers only
translate HTTP to the services; roles, scopes, validation and audit happen there."""

from __future__ import annotations

from ninja import Body, File, Form, Router
from ninja.files import UploadedFile

from kuangzheng import attachments
from kuangzheng.access.http import actor_of

from . import services
from .core import kinds, machine

router = Router(tags=["审批 applications"])


@router.get("/kinds", summary="Kinds of application and their required items (public)")
def list_kinds(request):
    return kinds.kinds()


@router.get("/workflow", summary="The approval path: states, actions, clocks (public)")
def workflow(request):
    return machine.workflow()


@router.get("/notices", summary="Applications in public notice (公示) and registered after one (public)")
def list_notices(request):
    return [services.public_notice(a) for a in services.notices()]


@router.post("/notices/{pk}/objections", summary="Object to an application in notice (anyone)")
def object_to(request, pk: int, payload: dict = Body(...)):
    o = services.object_to(actor_of(request, write=True), pk, payload.get("text"), payload.get("contact", ""))
    return {"id": o.pk, "submitted_at": o.submitted_at.isoformat()}


@router.get("", summary="Applications in the caller's scope (filters: status, kind, division, overdue)")
def list_applications(request, status: str = "", kind: str = "", division: str = "", overdue: bool = False):
    actor = actor_of(request)
    rows = services.queue(actor, status=status, kind=kind, division=division, overdue=overdue)
    return [services.serialize(actor, a, full=False) for a in rows]


@router.post("", summary="Create a draft application (enterprise users)")
def create(request, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    return services.serialize(actor, services.create(actor, payload))


@router.get("/inbox", summary="The caller's notifications about applications")
def inbox(request):
    from . import notify

    return notify.inbox(actor_of(request))


@router.get("/report", summary="Counts per status and working days per stage (staff)")
def report(request):
    return services.report(actor_of(request))


@router.get("/{pk}", summary="One application: checks, history, tasks, objections, clocks")
def get_application(request, pk: int):
    actor = actor_of(request)
    return services.serialize(actor, services.get(actor, pk))


@router.patch("/{pk}", summary="Change a draft or the material asked for (applicant; carries the version)")
def edit(request, pk: int, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    data = {k: v for k, v in payload.items() if k != "version"}
    return services.serialize(actor, services.edit(actor, pk, data, payload.get("version")))


@router.post("/{pk}/actions/{action}", summary="Take an action of the approval path (carries the version)")
def act(request, pk: int, action: str, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    return services.serialize(actor, services.act(actor, pk, action, payload))


@router.post("/{pk}/reviews/{role}", summary="Submit a review opinion (approving authority)")
def review(request, pk: int, role: str, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    app = services.review(actor, pk, role, payload.get("opinion"), payload.get("version"))
    return services.serialize(actor, app)


@router.post("/{pk}/overrides", summary="Override a blocking check with a written reason (approving authority)")
def override(request, pk: int, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    app = services.override(actor, pk, payload.get("key"), payload.get("reason"), payload.get("version"))
    return services.serialize(actor, app)


@router.post("/{pk}/objections/{objection_pk}/answer", summary="Answer an objection (approving authority)")
def answer(request, pk: int, objection_pk: int, payload: dict = Body(...)):
    o = services.answer(actor_of(request, write=True), pk, objection_pk, payload.get("answer"))
    return {"id": o.pk, "answer": o.answer}


@router.post("/{pk}/attachments", summary="Upload a document for an item (applicant; PDF, PNG, JPEG)")
def attach(request, pk: int, item: str = Form(...), file: UploadedFile = File(...)):
    actor = actor_of(request, write=True)
    a = services.attach(actor, pk, item, file.name, attachments.read(file))
    return {"id": a.pk, "item": a.item, "size": a.size, "sha256": a.sha256, "content_type": a.content_type}


@router.get("/{pk}/attachments/{att_pk}", summary="Download a document (who may see the application)")
def download(request, pk: int, att_pk: int):
    return attachments.response(services.attachment(actor_of(request), pk, att_pk))
