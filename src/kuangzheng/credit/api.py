"""REST endpoints of the credit lists (mounted at /api/v1/credit). Handlers only translate HTTP to
the services; roles, scopes, validation and audit happen there."""

from __future__ import annotations

import datetime as dt

from ninja import Body, Router

from kuangzheng.access.http import actor_of
from kuangzheng.errors import FieldProblem, InvalidInput

from . import services
from .core import rules

router = Router(tags=["信用 credit lists"])


def _day(value: str, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput([FieldProblem(field, "日期格式应为 YYYY-MM-DD", "the date must be YYYY-MM-DD")]) from None


@router.get("/lists", summary="The lists: reasons, terms, who decides, removal, bars, with sources (public)")
def list_definitions(request):
    return {"lists": rules.lists(), "removal_kinds": rules.removal_kinds(), "annual_filing": rules.filing()}


@router.get("/entries", summary="Entries: the public sees current ones; staff their scope with history")
def list_entries(request, list: str = "", division: str = "", status: str = "", on: str = ""):
    actor = actor_of(request)
    rows = services.entries(actor, list_key=list, division=division, status=status, on=_day(on, "on"))
    return [services.serialize(actor, e) for e in rows[:1000]]


@router.post("/entries", summary="Enter a holder on a list (regulators in scope); propose: true waits for confirmation")
def create_entry(request, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    p = payload
    args = dict(
        detail_zh=p.get("detail_zh", ""),
        detail_en=p.get("detail_en", ""),
        basis=p.get("basis", ""),
        source=p.get("source", ""),
    )
    if p.get("propose"):
        e = services.propose(actor, p.get("list", ""), p.get("enterprise"), p.get("reason", ""), **args)
    else:
        e = services.enter(
            actor, p.get("list", ""), p.get("enterprise"), p.get("reason", ""), entered_on=p.get("entered_on"), **args
        )
    return services.serialize(actor, e)


@router.get("/entries/{pk}", summary="One entry (public if current; its history for staff and the holder)")
def read_entry(request, pk: int):
    actor = actor_of(request)
    return services.serialize(actor, services.get(actor, pk))


@router.post("/entries/{pk}/confirm", summary="Confirm a proposed entry (regulators in scope)")
def confirm_entry(request, pk: int, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    e = services.confirm(actor, pk, version=payload.get("version"), entered_on=payload.get("entered_on"))
    return services.serialize(actor, e)


@router.post("/entries/{pk}/remove", summary="Remove (repair, revoked) or reject (proposal) with a reason (regulators)")
def remove_entry(request, pk: int, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    e = services.remove(
        actor,
        pk,
        payload.get("kind", ""),
        payload.get("reason_zh", ""),
        payload.get("reason_en", ""),
        version=payload.get("version"),
    )
    return services.serialize(actor, e)


@router.post("/entries/{pk}/removal-request", summary="The listed enterprise asks for removal after repair")
def ask_removal(request, pk: int, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    return services.serialize(actor, services.request_removal(actor, pk, payload.get("text", "")))


@router.get("/standing/{enterprise_id}", summary="The lists a holder stands on at a date (public)")
def holder_standing(request, enterprise_id: int, on: str = ""):
    return services.standing(enterprise_id, _day(on, "on"))


@router.get("/filings", summary="Annual information filings (public: 公示)")
def list_filings(request, year: int = 0):
    return [services.filing_dict(f) for f in services.filings(actor_of(request), year or None)[:1000]]


@router.post("/filings", summary="File the enterprise's annual information (enterprise users)")
def file_annual(request, payload: dict = Body(...)):
    return services.filing_dict(services.file_annual(actor_of(request, write=True), payload))
