"""The REST API (OpenAPI at /api/v1/openapi.json, Swagger UI at /api/v1/docs).

Handlers only translate HTTP to the registry's service functions and back: roles, scopes,
validation and audit all happen there. Authentication: the portal's session (unsafe methods then
need the CSRF token) or HTTP Basic for scripts; without either, a caller is the public.
"""

from __future__ import annotations

import base64

from django.contrib.auth import authenticate
from django.core.paginator import Paginator
from django.http import HttpRequest, JsonResponse
from ninja import Body, NinjaAPI, Router
from ninja.errors import HttpError
from ninja.utils import check_csrf

from kuangzheng.access.actor import Actor, actor_for_user
from kuangzheng.audit import service as audit
from kuangzheng.errors import Forbidden, ServiceError
from kuangzheng.registry import services

api = NinjaAPI(title="矿政 Kuangzheng API", version="1", description=(
    "Registry of divisions, enterprises, facilities, mineral rights and zones. Every write is checked "
    "against the caller's role and division scope, validated (errors name the field, in Chinese and "
    "English) and recorded in the hash-chained audit log. Writes to existing records carry the "
    "`version` the caller read; a stale version is refused with 409."), urls_namespace="api")


@api.exception_handler(ServiceError)
def service_error(request, exc: ServiceError):
    return JsonResponse(exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False})


def actor_of(request: HttpRequest, write: bool = False) -> Actor:
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            username, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            raise HttpError(401, "malformed Basic credentials") from None
        user = authenticate(request, username=username, password=password)
        if user is None:
            raise HttpError(401, "用户名或密码错误 / wrong username or password")
        return actor_for_user(user)
    if write and request.user.is_authenticated:
        csrf_error = check_csrf(request)
        if csrf_error:
            raise Forbidden("缺少或错误的 CSRF 令牌", "CSRF token missing or incorrect")
    return actor_for_user(request.user)


def _page(qs, page: int, size: int):
    size = max(1, min(size, 1000))
    p = Paginator(qs, size)
    num = max(1, min(page, p.num_pages or 1))
    return p, p.page(num)


def _routes(name: str) -> Router:
    ent = services.entity(name)
    router = Router(tags=[f"{ent.zh} {ent.en}"])
    fields_doc = ", ".join(f"`{f.name}` ({f.en}{', required' if f.required else ''})" for f in ent.specs)

    @router.get("", operation_id=f"list_{name}", summary=f"List {ent.en} records (filters, paging, GeoJSON)")
    def list_(request, q: str = "", division: str = "", kind: str = "", status: str = "", mineral: str = "",
              holder: str = "", bbox: str = "", page: int = 1, size: int = 50, format: str = "json"):
        actor = actor_of(request)
        qs = services.search(actor, name, q=q, division=division, kind=kind, status=status, mineral=mineral,
                             holder=holder, bbox=bbox)
        paginator, pg = _page(qs, page, size)
        if format == "geojson":
            if name == "enterprise":
                raise HttpError(400, "enterprises have no geometry")
            return {"type": "FeatureCollection", "numberMatched": paginator.count,
                    "features": [services.feature(actor, name, o) for o in pg.object_list]}
        return {"count": paginator.count, "page": pg.number, "pages": paginator.num_pages,
                "results": [services.serialize(actor, name, o) for o in pg.object_list]}

    @router.get("/{pk}", operation_id=f"get_{name}", summary=f"One {ent.en}")
    def detail(request, pk: int):
        actor = actor_of(request)
        obj = services.get(actor, name, pk)
        out = services.serialize(actor, name, obj, with_boundary=True)
        if name == "right":
            out["events"] = services.events(actor, obj)
        return out

    @router.get("/{pk}/history", operation_id=f"history_{name}", summary=f"Audit history of one {ent.en}")
    def history(request, pk: int):
        actor = actor_of(request)
        return services.history(actor, name, services.get(actor, name, pk))

    @router.post("", operation_id=f"create_{name}", summary=f"Create a {ent.en}",
                 description=f"Fields: {fields_doc}." + (
                     " Also `event`: {kind: applied|granted, date, reason, document_ref}." if name == "right" else ""))
    def create(request, payload: dict = Body(...)):
        actor = actor_of(request, write=True)
        data = dict(payload)
        event = data.pop("event", None) if name == "right" else None
        obj = services.create(actor, name, data, first_event=event)
        return api.create_response(request, services.serialize(actor, name, obj), status=201)

    @router.patch("/{pk}", operation_id=f"update_{name}", summary=f"Change a {ent.en}",
                  description="Send the fields to change and `version` (the version you read).")
    def update(request, pk: int, payload: dict = Body(...)):
        actor = actor_of(request, write=True)
        data = dict(payload)
        version = data.pop("version", None)
        return services.serialize(actor, name, services.update(actor, name, pk, data, version))

    if name == "right":
        @router.post("/{pk}/events", operation_id="add_right_event", summary="Record a life-cycle event",
                     description="`kind`, `date`, `reason`, `document_ref`, `version`; renewed needs `valid_to`, "
                                 "transferred `holder`, reduced `boundary`, merged `into`.")
        def add_event(request, pk: int, payload: dict = Body(...)):
            actor = actor_of(request, write=True)
            data = dict(payload)
            version = data.pop("version", None)
            right = services.add_event(actor, pk, data, version)
            out = services.serialize(actor, name, right)
            out["events"] = services.events(actor, right)
            return out

        @router.get("/{pk}/conflicts", operation_id="right_conflicts",
                    summary="Rights and zones overlapping this right (area km², shares)")
        def conflicts(request, pk: int):
            from kuangzheng.registry import spatial

            return spatial.conflicts(actor_of(request), pk)

    return router


for _name, _path in [("enterprise", "enterprises"), ("facility", "facilities"), ("right", "rights"),
                     ("zone", "zones")]:
    api.add_router(f"/{_path}", _routes(_name))


@api.get("/divisions", tags=["行政区划 divisions"], summary="Administrative divisions (GB/T 2260)")
def list_divisions(request, level: str = "", parent: str = "", format: str = "json"):
    qs = services.divisions(level, parent)
    if format == "geojson":
        from kuangzheng.registry import geometry

        return {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": d.code, "geometry": geometry.to_geojson(d.boundary),
             "properties": {"code": d.code, "name_zh": d.name_zh, "name_en": d.name_en, "level": d.level}}
            for d in qs]}
    return [{"code": d.code, "name_zh": d.name_zh, "name_en": d.name_en, "level": d.level, "parent": d.parent_id}
            for d in qs]


@api.get("/audit/verify", tags=["审计 audit"], summary="Verify the audit hash chain (administrators)")
def verify_audit(request):
    actor_of(request).require_admin()
    r = audit.verify()
    return {"ok": r.ok, "checked": r.checked, "problems": r.problems}


@api.get("/me", tags=["用户 me"], summary="Who the API thinks you are")
def me(request):
    a = actor_of(request)
    return {"username": a.username, "role": a.role, "division": a.division_code, "enterprise": a.enterprise_id}
api.add_router("/policy", __import__("kuangzheng.api.policy", fromlist=["router"]).router)
api.add_router("/monitoring", __import__("kuangzheng.monitoring.api", fromlist=["router"]).router)
api.add_router("/compliance", __import__("kuangzheng.compliance.api", fromlist=["router"]).router)
