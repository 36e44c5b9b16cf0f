"""The registry's REST routes: enterprises, facilities, rights and zones (list, GeoJSON, detail,
history, create, change, life-cycle events, conflicts) and the divisions. Handlers only translate
HTTP to `registry.services` and back: roles, scopes, validation and audit all happen there."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from ninja import Body, Router
from ninja.errors import HttpError
from ninja.responses import Response

from kuangzheng.access.http import actor_of
from kuangzheng.registry import geojson, services, tiles


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
    def list_(
        request,
        q: str = "",
        division: str = "",
        kind: str = "",
        status: str = "",
        mineral: str = "",
        holder: str = "",
        bbox: str = "",
        page: int = 1,
        size: int = 50,
        format: str = "json",
    ):
        actor = actor_of(request)
        if format == "geojson":
            if name == "enterprise":
                raise HttpError(400, "enterprises have no geometry")
            filters = dict(q=q, division=division, kind=kind, status=status, mineral=mineral, holder=holder, bbox=bbox)
            body = geojson.page(actor, name, filters, page, max(1, min(size, 1000)))  # cached per data version
            return HttpResponse(body, content_type="application/json")
        qs = services.search(
            actor, name, q=q, division=division, kind=kind, status=status, mineral=mineral, holder=holder, bbox=bbox
        )
        paginator, pg = _page(qs, page, size)
        return {
            "count": paginator.count,
            "page": pg.number,
            "pages": paginator.num_pages,
            "results": [services.serialize(actor, name, o) for o in pg.object_list],
        }

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

    @router.post(
        "",
        operation_id=f"create_{name}",
        summary=f"Create a {ent.en}",
        openapi_extra={"responses": {"201": {"description": "Created"}}},
        description=f"Fields: {fields_doc}."
        + (" Also `event`: {kind: applied|granted, date, reason, document_ref}." if name == "right" else ""),
    )
    def create(request, payload: dict = Body(...)):
        actor = actor_of(request, write=True)
        data = dict(payload)
        event = data.pop("event", None) if name == "right" else None
        obj = services.create(actor, name, data, first_event=event)
        return Response(services.serialize(actor, name, obj), status=201)

    @router.patch(
        "/{pk}",
        operation_id=f"update_{name}",
        summary=f"Change a {ent.en}",
        description="Send the fields to change and `version` (the version you read).",
    )
    def update(request, pk: int, payload: dict = Body(...)):
        actor = actor_of(request, write=True)
        data = dict(payload)
        version = data.pop("version", None)
        return services.serialize(actor, name, services.update(actor, name, pk, data, version))

    if name == "right":

        @router.post(
            "/{pk}/events",
            operation_id="add_right_event",
            summary="Record a life-cycle event",
            description="`kind`, `date`, `reason`, `document_ref`, `version`; renewed needs `valid_to`, "
            "transferred `holder`, reduced `boundary`, merged `into`.",
        )
        def add_event(request, pk: int, payload: dict = Body(...)):
            actor = actor_of(request, write=True)
            data = dict(payload)
            version = data.pop("version", None)
            right = services.add_event(actor, pk, data, version)
            out = services.serialize(actor, name, right)
            out["events"] = services.events(actor, right)
            return out

        @router.get(
            "/{pk}/conflicts",
            operation_id="right_conflicts",
            summary="Rights and zones overlapping this right (area km², shares)",
        )
        def conflicts(request, pk: int):
            from kuangzheng.registry import spatial

            return spatial.conflicts(actor_of(request), pk)

    return router


routers: dict[str, Router] = {}
for _name, _path in [("enterprise", "enterprises"), ("facility", "facilities"), ("right", "rights"), ("zone", "zones")]:
    routers[f"/{_path}"] = _routes(_name)


divisions = Router(tags=["行政区划 divisions"])


@divisions.get("", summary="Administrative divisions (GB/T 2260)")
def list_divisions(request, level: str = "", parent: str = "", format: str = "json"):
    qs = services.divisions(level, parent)
    if format == "geojson":
        from kuangzheng.registry import geometry

        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": d.code,
                    "geometry": geometry.to_geojson(d.boundary),
                    "properties": {"code": d.code, "name_zh": d.name_zh, "name_en": d.name_en, "level": d.level},
                }
                for d in qs
            ],
        }
    return [
        {"code": d.code, "name_zh": d.name_zh, "name_en": d.name_en, "level": d.level, "parent": d.parent_id}
        for d in qs
    ]


maps = Router(tags=["地图 map"])


@maps.get("/tiles/{z}/{x}/{y}.mvt", summary="A Mapbox Vector Tile of zones, rights and facilities (public fields)")
def map_tile(request, z: int, x: int, y: int, division: str = ""):
    body = tiles.tile(actor_of(request), z, x, y, division)
    return HttpResponse(body, content_type="application/vnd.mapbox-vector-tile")


@maps.get("/view", summary="Per map layer: the count in a bounding box (or the jurisdiction) and the nearest records")
def map_view(request, bbox: str = "", division: str = "", size: int = 20):
    return tiles.in_view(actor_of(request), bbox, division, size)


@maps.get("/at", summary="The features of each map layer under a point at a zoom (for popups)")
def map_at(request, lon: float, lat: float, z: int, division: str = ""):
    return tiles.features_at(actor_of(request), lon, lat, z, division)
