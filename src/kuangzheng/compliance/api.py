"""REST endpoints of the compliance engine (mounted at /api/v1/compliance). Handlers translate HTTP to
`services`; roles and scopes are decided there."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from ninja import Body, Query, Router

from kuangzheng.compliance.core import engine
from kuangzheng.errors import FieldProblem, InvalidInput

from . import services

router = Router(tags=["合规审查 compliance"])
MAX_PAGE = 1_000_000  # a page number beyond any run's results; the bound keeps the offset a database integer


def _actor(request, write=False):
    from kuangzheng.access.http import actor_of

    return actor_of(request, write=write)


def _as_of(value: str) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput([FieldProblem("as_of", "日期格式应为 YYYY-MM-DD", "a date must be YYYY-MM-DD")]) from None


@router.get("/rules", summary="Every rule of the engine, with its mechanism and subject kind")
def list_rules(request):
    engine.load_rules()

    return [
        {"id": r.id, "subject": r.subject, "mechanism": r.mechanism, "title_zh": r.title_zh, "title_en": r.title_en}
        for r in engine.RULES.values()
    ]


@router.post("/check", summary="What-if check of a subject described in JSON (signed-in users; docs/check-input.md)")
def check(request, payload: dict = Body(...), as_of: str = ""):
    actor = _actor(request, write=True)
    return services.check_whatif(actor, payload, _as_of(as_of) if as_of else None)


@router.get("/subjects/{kind}/{pk}", summary="Verdicts on one registry subject (facility, right or zone)")
def subject_verdicts(request, kind: str, pk: int, as_of: str = ""):
    return services.check_subject(_actor(request), kind, pk, _as_of(as_of))


@router.get("/runs", summary="Sweep runs")
def list_runs(request):
    return [services.run_info(r) for r in services.runs(_actor(request))[:200]]


@router.post("/runs", summary="Start a sweep of the registry (administrators; regulators over their divisions)")
def start_run(request, as_of: str = ""):
    run = services.run_sweep(_actor(request, write=True), _as_of(as_of))
    return services.run_info(run)


@router.get("/runs/{run_id}", summary="A sweep run with counts by rule and outcome (as you may see them)")
def get_run(request, run_id: int):
    actor = _actor(request)
    run = services.get_run(actor, run_id)
    return {**services.run_info(run), "counts": services.summary(actor, run)}


@router.get("/runs/{run_id}/results", summary="A sweep run's verdicts (filters: rule, outcome, kind, q)")
def run_results(
    request,
    run_id: int,
    rule: str = "",
    outcome: str = "",
    kind: str = "",
    q: str = "",
    page: int = Query(1, ge=1, le=MAX_PAGE),
    size: int = 100,
):
    actor = _actor(request)
    run = services.get_run(actor, run_id)
    qs = services.results(actor, run, rule=rule, outcome=outcome, kind=kind, q=q)
    size = max(1, min(size, 1000))
    total = qs.count()
    rows = qs[(page - 1) * size : page * size]
    return {"count": total, "page": page, "results": [services.render_row(r, run.as_of, run) for r in rows]}


@router.get("/runs/{run_id}/diff/{other_id}", summary="What changed from run `run_id` to run `other_id`")
def run_diff(request, run_id: int, other_id: int):
    actor = _actor(request)
    return services.diff(actor, services.get_run(actor, run_id), services.get_run(actor, other_id))


@router.get("/runs/{run_id}/export", summary="Export a run's verdicts as CSV or Excel (filters as for results)")
def run_export(
    request, run_id: int, format: str = "csv", rule: str = "", outcome: str = "", kind: str = "", q: str = ""
):
    actor = _actor(request)
    run = services.get_run(actor, run_id)
    filters = {"rule": rule, "outcome": outcome, "kind": kind, "q": q}
    if format == "xlsx":
        resp = HttpResponse(
            services.export_xlsx(actor, run, **filters),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif format == "csv":
        resp = HttpResponse(services.export_csv(actor, run, **filters), content_type="text/csv; charset=utf-8")
    else:
        raise InvalidInput([FieldProblem("format", "应为 csv 或 xlsx", "must be csv or xlsx")])
    resp["Content-Disposition"] = f'attachment; filename="sweep-{run.pk}.{format}"'
    return resp
