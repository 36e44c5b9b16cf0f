"""REST endpoints of online monitoring (mounted at /api/v1/hj212). Handlers only translate HTTP to
the services; roles, scopes, validation and audit happen there."""

from __future__ import annotations

from ninja import Body, Router

from kuangzheng.access.http import actor_of

from . import alarms, findings, services
from .core import codes

router = Router(tags=["在线监控 online monitoring (HJ 212)"])


@router.get("/codes", summary="HJ 212-2017 pollutant codes with their units (public)")
def list_codes(request, medium: str = ""):
    return [p.as_dict() for p in codes.table().values() if not medium or p.medium == medium]


@router.get("/points", summary="Monitoring points in the caller's scope, with state and limits")
def list_points(request):
    return services.points(actor_of(request))


@router.post("/points", summary="Register a monitoring point on a facility (staff in scope)")
def create_point(request, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    return services.serialize(actor, services.register_point(actor, payload))


@router.get("/points/{pk}", summary="One monitoring point")
def get_point(request, pk: int):
    actor = actor_of(request)
    return services.serialize(actor, services.get(actor, pk))


@router.patch("/points/{pk}", summary="Change a point (staff in scope; carries the version read)")
def update_point(request, pk: int, payload: dict = Body(...)):
    actor = actor_of(request, write=True)
    return services.serialize(actor, services.update_point(actor, pk, payload, payload.get("version")))


@router.post("/points/{pk}/limits", summary="Set a pollutant's limit with its source (staff in scope)")
def set_limit(request, pk: int, payload: dict = Body(...)):
    return services.limit_dict(services.set_limit(actor_of(request, write=True), pk, payload))


@router.get("/points/{pk}/series", summary="Values of a point over the last hours (kind: rtd|min|hour|day)")
def series(request, pk: int, code: str = "", kind: str = "rtd", hours: int = 6):
    return services.series(actor_of(request), pk, code, kind, hours)


@router.get("/alarms", summary="Alarms of the points the caller sees in full (open ones unless open=false)")
def list_alarms(request, open: bool = True, point: int | None = None):
    return services.alarms(actor_of(request), open_only=open, point=point)


@router.post("/alarms/{pk}/finding", summary="Open a supervision finding from an alarm (staff in scope)")
def open_finding(request, pk: int, payload: dict = Body(default=None)):
    case = findings.open_finding(actor_of(request, write=True), pk, (payload or {}).get("note", ""))
    return {"case": case.pk, "url": f"/supervision/cases/{case.pk}/"}


@router.post("/alarms/evaluate", summary="Evaluate the alarms now (staff)")
def evaluate(request):
    actor_of(request, write=True).require_staff()
    return alarms.evaluate()


@router.get("/capture", summary="Data capture rates (yesterday, today so far) of the points in scope")
def capture(request):
    points = list(services.scoped(actor_of(request)))
    rates = alarms.capture_rates(points)
    return [{"point": p.pk, "name": p.name, **rates[p.pk]} for p in points]
