"""The policy catalogue over HTTP. The catalogue is public law: every endpoint is open to everyone."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from ninja import Router
from ninja.errors import HttpError

from kuangzheng.policy import consistency, export, lookup, validate
from kuangzheng.policy.catalogue import PolicyError, load_catalogue, quote_context

router = Router(tags=["政策目录 policy catalogue"])
CONTENT_TYPES = {"json": "application/json", "csv": "text/csv", "yaml": "application/yaml"}


@router.get("/entries", operation_id="policy_entries", summary="Catalogue entries (export contract), filtered")
def entries(request, doc: str = "", jurisdiction: str = "", kind: str = "", q: str = ""):
    return [e.as_dict() for e in load_catalogue().search(doc, jurisdiction, kind, q)]


@router.get("/entries/{entry_id}", operation_id="policy_entry", summary="One entry with its quote in context")
def entry(request, entry_id: str):
    try:
        e = load_catalogue().get(entry_id)
    except PolicyError as exc:
        raise HttpError(404, str(exc)) from None
    return {**e.as_dict(), "context": quote_context(e)}


@router.get("/export", operation_id="policy_export", summary="The whole catalogue as JSON, CSV or YAML")
def export_(request, format: str = "json"):
    if format not in CONTENT_TYPES:
        raise HttpError(400, "format must be json, csv or yaml / 格式须为 json、csv 或 yaml")
    resp = HttpResponse(export.dumps(format), content_type=f"{CONTENT_TYPES[format]}; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="kuangzheng-policy-catalogue.{format}"'
    return resp


@router.get("/check", operation_id="policy_check", summary="Validate the shipped catalogue against the seeds")
def check(request):
    problems = validate.check()
    return {"ok": not problems, "entries": len(load_catalogue().entries), "problems": [p.as_dict() for p in problems]}


@router.get("/consistency", operation_id="policy_consistency", summary="Stated growth rates recomputed")
def consistency_(request):
    return consistency.report().as_dict()


@router.get("/param", operation_id="policy_param", summary="The value of a parameter in a jurisdiction on a date")
def param(request, name: str, jurisdiction: str = "national", on: str = ""):
    try:
        day = dt.date.fromisoformat(on) if on else None
    except ValueError:
        raise HttpError(400, "on: 日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD") from None
    try:
        return lookup.param(name, jurisdiction, day).as_dict()
    except PolicyError as exc:
        raise HttpError(404, str(exc)) from None
