"""REST endpoints of monitoring (mounted at /api/v1/monitoring). Handlers only translate HTTP to
the services; roles, scopes, validation and audit happen there."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse, JsonResponse
from ninja import Body, File, Form, Router
from ninja.files import UploadedFile

from kuangzheng.access.http import actor_of
from kuangzheng.monitoring.core.reports import report_types

from . import adjustments, disclosure, ledger, measures, planpub, reports, targets, warnings

router = Router(tags=["监测预警 monitoring"])


def _json(data, status: int) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/report-types", summary="Report types and their fields")
def list_report_types(request):
    return [
        {
            "id": t.id,
            "zh": t.zh,
            "en": t.en,
            "version": t.version,
            "fields": [
                {"key": f.key, "zh": f.zh, "en": f.en, "type": f.type, "unit": f.unit, "required": f.required}
                for f in t.fields
            ],
        }
        for t in report_types().values()
    ]


@router.get("/templates/{report_type}", summary="Excel template of a report type (xlsx)")
def template(request, report_type: str):
    data = reports.template_bytes(actor_of(request), report_type)
    resp = HttpResponse(data, content_type=XLSX)
    resp["Content-Disposition"] = f'attachment; filename="{report_type}.xlsx"'
    return resp


@router.get("/reports", summary="Reports the caller may see (enterprise: its own; regulator: its division)")
def list_reports(request, status: str = "", report_type: str = "", period: str = ""):
    return [
        reports.serialize(r)
        for r in reports.reports(actor_of(request), status=status, report_type=report_type, period=period)[:1000]
    ]


@router.get("/reports/{pk}", summary="One report")
def get_report(request, pk: int):
    return reports.serialize(reports.get(actor_of(request), pk))


@router.post(
    "/uploads",
    summary="Upload a filled template (multipart: report_type, file, submit)",
    description="All rows or none: any error is returned (400) with sheet, row and column; warnings "
    "(probable unit errors) do not block.",
)
def upload(request, report_type: str = Form(...), submit: bool = Form(False), file: UploadedFile = File(...)):
    result = reports.upload(actor_of(request, write=True), report_type, reports.read_upload(file), submit=submit)
    return _json(result, 200 if result["ok"] else 400)


for _action in ("submit", "return", "accept"):

    def _make(action):
        def handler(request, pk: int, payload: dict = Body(default={})):
            actor = actor_of(request, write=True)
            return reports.serialize(
                reports.transition(
                    actor, pk, action, version=payload.get("version"), reason=str(payload.get("reason", ""))
                )
            )

        handler.__name__ = f"report_{action}"
        return handler

    router.post(f"/reports/{{pk}}/{_action}", summary=f"Report workflow: {_action}", operation_id=f"report_{_action}")(
        _make(_action)
    )


@router.get(
    "/indicators",
    summary="Indicators by division, metal and period (public; cells from fewer than 3 "
    "enterprises withheld outside the caller's scope)",
)
def indicators(request, level: str = "province", annual: bool = False):
    level = measures.level_of(level)
    tables = (
        measures.monthly_tables(level, annual=annual)
        + measures.annual_tables(level)
        + measures.replacement_table(level)
    )
    return disclosure.apply(actor_of(request), measures.table_rows(tables), level)


@router.get("/targets", summary="Plan targets with actuals, projection and status (public; disclosure rule applies)")
def plan_targets(request, year: int = 0):
    return targets.evaluate_all(year or dt.date.today().year, actor_of(request))


@router.get("/warnings", summary="Early warnings (staff, in scope)")
def list_warnings(request, active: bool | None = None, period: str = ""):
    return [warnings.serialize(w) for w in warnings.warnings(actor_of(request), active=active, period=period)[:2000]]


@router.post("/warnings/evaluate", summary="Evaluate the warning rules now (staff)")
def evaluate(request):
    return warnings.evaluate(actor_of(request, write=True))


@router.post("/warnings/{pk}/acknowledge", summary="Acknowledge a warning (staff in scope)")
def acknowledge(request, pk: int, payload: dict = Body(default={})):
    return warnings.serialize(warnings.acknowledge(actor_of(request, write=True), pk, str(payload.get("note", ""))))


@router.get("/releases", summary="Published early-warning releases (public)")
def releases(request):
    from .models import Release

    return warnings.release_dicts(Release.objects.all()[:200])


@router.post("/releases", summary="Publish a release for a period (staff)")
def publish(request, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    return _json(
        warnings.release_dict(
            warnings.publish(actor, str(payload.get("period", "")), str(payload.get("division", "")))
        ),
        201,
    )


@router.get("/plan/publications", summary="Published plan-implementation reports, withdrawn ones marked (public)")
def plan_publications(request):
    return [planpub.as_dict(p) for p in planpub.publications()[:200]]


@router.post(
    "/plan/publications", summary="Publish a year's plan-implementation report (staff covering the jurisdiction)"
)
def publish_plan_report(request, payload: dict = Body(...)):
    return _json(planpub.as_dict(planpub.publish(actor_of(request, write=True), payload.get("year"))), 201)


@router.post("/plan/publications/{pk}/withdraw", summary="Withdraw a plan-report publication and its notice (staff)")
def withdraw_plan_report(request, pk: int, payload: dict = Body(...)):
    p = planpub.withdraw(
        actor_of(request, write=True), pk, str(payload.get("reason_zh", "")), str(payload.get("reason_en", ""))
    )
    return planpub.as_dict(p)


@router.get("/plan/adjustments", summary="Plan adjustments: in publicity, approved, withdrawn (public)")
def plan_adjustments(request):
    return [adjustments.as_dict(a) for a in adjustments.adjustments()[:200]]


@router.get("/plan/adjustments/{pk}", summary="One plan adjustment (public)")
def plan_adjustment(request, pk: int):
    return adjustments.as_dict(adjustments.get(pk))


@router.post(
    "/plan/adjustments", summary="Put a plan adjustment on the board for comment (staff covering the jurisdiction)"
)
def propose_plan_adjustment(request, payload: dict = Body(...)):
    return _json(adjustments.as_dict(adjustments.propose(actor_of(request, write=True), payload)), 201)


@router.post("/plan/adjustments/{pk}/approve", summary="Approve a plan adjustment after its publicity, and announce it")
def approve_plan_adjustment(request, pk: int, payload: dict = Body(...)):
    a = adjustments.approve(
        actor_of(request, write=True), pk, str(payload.get("approval_no", "")), version=payload.get("version")
    )
    return adjustments.as_dict(a)


@router.post(
    "/plan/adjustments/{pk}/withdraw", summary="Withdraw a plan adjustment in publicity (its notice stays, marked)"
)
def withdraw_plan_adjustment(request, pk: int, payload: dict = Body(...)):
    a = adjustments.withdraw(
        actor_of(request, write=True),
        pk,
        str(payload.get("reason_zh", "")),
        str(payload.get("reason_en", "")),
        version=payload.get("version"),
    )
    return adjustments.as_dict(a)


@router.get("/ledger", summary="Capacity-replacement ledger: quotas, movements, balance check (public)")
def ledger_state(request):
    return ledger.state()


@router.post("/ledger/retire", summary="Register retired capacity as a quota (staff)")
def retire(request, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    q = ledger.retire(
        actor,
        code=str(payload.get("code", "")),
        amount=payload.get("amount"),
        holder=payload.get("holder"),
        facility=payload.get("facility"),
        document_ref=str(payload.get("document_ref", "")),
    )
    return _json({"quota": q.code, "amount": q.amount}, 201)


@router.post("/ledger/movements", summary="Transfer or consume a quota (staff); request_id makes it idempotent")
def movement(request, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    m = ledger.move(
        actor,
        kind=str(payload.get("kind", "")),
        quota=str(payload.get("quota", "")),
        amount=payload.get("amount"),
        holder=payload.get("holder"),
        to_holder=payload.get("to_holder"),
        project=payload.get("project"),
        request_id=str(payload.get("request_id", "")),
        document_ref=str(payload.get("document_ref", "")),
    )
    return _json(ledger.movement_dict(m), 201)


@router.post("/ledger/replacements", summary="Cover a new project with retired capacity (staff)")
def replacement(request, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    return _json(
        ledger.replace(
            actor,
            project=payload.get("project"),
            quotas=list(payload.get("quotas") or []),
            holder=payload.get("holder"),
            request_id=str(payload.get("request_id", "")),
            document_ref=str(payload.get("document_ref", "")),
        ),
        201,
    )
