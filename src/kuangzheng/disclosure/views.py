"""The OGC API – Features endpoints (Part 1 core, GeoJSON, HTML, OpenAPI 3.0; Part 2 CRS by
reference). Handlers translate HTTP to `layers` and back; scopes come from `registry.services`."""

from __future__ import annotations

import datetime as dt
import functools

import orjson
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from kuangzheng.access.actor import Actor
from kuangzheng.access.http import actor_of, language
from kuangzheng.errors import InvalidInput, ServiceError, unknown_field

from . import filtering, layers, notices_layer, openapi, pages  # noqa: F401 (notices_layer registers its collection)
from .core import conformance, query
from .core import crs as crs_core
from .core.links import GEOJSON, HTML, JSON, OPENAPI, link, paging, with_params
from .core.negotiation import choose

QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
SCHEMA = "application/schema+json"
JSON_SCHEMA_TYPES = {"int": "integer", "float": "number"}
ITEMS_PARAMS = {"f", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "filter", "filter-lang"}


def _body(data, type_: str, status: int = 200, headers: dict | None = None) -> HttpResponse:
    resp = HttpResponse(orjson.dumps(data, default=str), content_type=type_, status=status)
    for k, v in (headers or {}).items():
        resp[k] = v
    return resp


def endpoint(view):
    """GET/HEAD only; service errors become the OGC exception document with zh + en wording."""

    @require_safe
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ServiceError as exc:
            doc = {"code": type(exc).__name__, "description": exc.en, **exc.as_dict()}
            return _body(doc, JSON, status=exc.status)

    return wrapped


def _root(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("ogcapi-landing")).rstrip("/")


def _params(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET[k] for k in request.GET}


def _refuse_unknown(params: dict, known: set[str]) -> None:
    unknown = sorted(set(params) - known)
    if unknown:
        raise InvalidInput([unknown_field(k, k, known) for k in unknown])


def _html(request: HttpRequest, name: str, context: dict) -> HttpResponse:
    lang = language(request)
    return HttpResponse(
        pages.render(name, {"lang": lang, "root": _root(request), **context}), content_type="text/html; charset=utf-8"
    )


def _title(lay: layers.Layer, lang: str) -> str:
    return lay.en if lang == "en" else lay.zh


@endpoint
def landing(request: HttpRequest) -> HttpResponse:
    root = _root(request)
    fmt = choose(request.GET.get("f"), request.headers.get("Accept"))
    links = [
        link(f"{root}/?f=json", "self" if fmt == "json" else "alternate", JSON, "this document"),
        link(f"{root}/?f=html", "self" if fmt == "html" else "alternate", HTML, "this document as HTML"),
        link(f"{root}/api", "service-desc", OPENAPI, "the API definition (OpenAPI 3.0)"),
        link(f"{root}/conformance", "conformance", JSON, "conformance classes"),
        link(f"{root}/collections", "data", JSON, "feature collections"),
    ]
    title = "矿政公开图层 Kuangzheng public layers"
    if fmt == "html":
        return _html(request, "landing", {"title": title, "links": links})
    return _body({"title": title, "description": "OGC API – Features (Part 1, Part 2 CRS)", "links": links}, JSON)


@endpoint
def conformance_classes(request: HttpRequest) -> HttpResponse:
    if choose(request.GET.get("f"), request.headers.get("Accept")) == "html":
        return _html(request, "conformance", {"classes": conformance.CLASSES, "links": []})
    return _body({"conformsTo": conformance.CLASSES}, JSON)


@endpoint
def api_definition(request: HttpRequest) -> HttpResponse:
    return _body(openapi.document(_root(request)), OPENAPI)


def _collection(root: str, lay: layers.Layer, lang: str) -> dict:
    ext = layers.extent(lay)
    items = f"{root}/collections/{lay.id}/items"
    out = {
        "id": lay.id,
        "title": _title(lay, lang),
        "description": lay.description_en if lang == "en" else lay.description_zh,
        "itemType": "feature",
        "links": [
            link(f"{root}/collections/{lay.id}?f=json", "self", JSON, lay.en),
            link(f"{root}/collections/{lay.id}?f=html", "alternate", HTML, lay.en),
            link(f"{items}?f=json", "items", GEOJSON, f"{lay.en} (GeoJSON)"),
            link(f"{items}?f=html", "items", HTML, f"{lay.en} (HTML)"),
            link(f"{root}/collections/{lay.id}/queryables", QUERYABLES_REL, SCHEMA, "queryables"),
        ],
        "extent": {"spatial": {"bbox": [ext["bbox"] or [-180, -90, 180, 90]], "crs": crs_core.CRS84}},
        "crs": layers.offered_crs(lay),
        "storageCrs": crs_core.STORAGE,
    }
    if ext["interval"]:
        out["extent"]["temporal"] = {
            "interval": [ext["interval"]],
            "trs": "http://www.opengis.net/def/uri/ISO-8601/0/Gregorian",
        }
    return out


@endpoint
def collections(request: HttpRequest) -> HttpResponse:
    root, lang = _root(request), language(request)
    fmt = choose(request.GET.get("f"), request.headers.get("Accept"))
    listed = [_collection(root, lay, lang) for lay in layers.LAYERS.values()]
    links = [
        link(f"{root}/collections?f=json", "self" if fmt == "json" else "alternate", JSON, "collections"),
        link(f"{root}/collections?f=html", "self" if fmt == "html" else "alternate", HTML, "collections as HTML"),
    ]
    if fmt == "html":
        return _html(request, "collections", {"collections": listed, "links": links})
    return _body({"links": links, "collections": listed, "crs": [crs_core.CRS84, crs_core.STORAGE]}, JSON)


@endpoint
def collection(request: HttpRequest, cid: str) -> HttpResponse:
    lay = layers.layer(cid)
    doc = _collection(_root(request), lay, language(request))
    if choose(request.GET.get("f"), request.headers.get("Accept")) == "html":
        return _html(request, "collection", {"c": doc, "links": doc["links"]})
    return _body(doc, JSON)


def _output_crs(params: dict, lay: layers.Layer) -> str:
    return crs_core.parse(params["crs"], layers.offered_crs(lay), "crs") if params.get("crs") else crs_core.CRS84


@endpoint
def items(request: HttpRequest, cid: str) -> HttpResponse:
    lay = layers.layer(cid)
    actor: Actor = actor_of(request)
    params = _params(request)
    allowed = layers.queryables(actor, lay)
    _refuse_unknown(params, ITEMS_PARAMS | set(allowed))
    fmt = choose(params.get("f"), request.headers.get("Accept"))
    dst = _output_crs(params, lay)
    limit, offset = query.limit(params.get("limit")), query.offset(params.get("offset"))
    bbox = query.bbox(params.get("bbox"))
    if bbox is not None:
        src = (
            crs_core.parse(params["bbox-crs"], layers.offered_crs(lay), "bbox-crs")
            if params.get("bbox-crs")
            else crs_core.CRS84
        )
        bbox = crs_core.bbox_to_crs84(bbox, src)
    props = {k: v for k, v in params.items() if k in allowed}
    condition = (
        filtering.parse_filter(params["filter"], params.get("filter-lang"), allowed) if params.get("filter") else None
    )
    records, matched = layers.page(
        actor,
        lay,
        offset=offset,
        limit=limit,
        bbox=bbox,
        when=query.datetime(params.get("datetime")),
        properties=props,
        condition=condition,
    )
    feats = layers.features(actor, lay, records, dst)
    url = f"{_root(request)}/collections/{lay.id}/items"
    kept = {k: v for k, v in params.items() if k != "f"}
    type_ = HTML if fmt == "html" else GEOJSON
    nav = paging(url, {**kept, "f": "html" if fmt == "html" else "json"}, offset, limit, len(feats), matched, type_)
    links = [
        link(with_params(url, {**kept, "f": "json"}), "self" if fmt == "json" else "alternate", GEOJSON, "this page"),
        link(
            with_params(url, {**kept, "f": "html"}), "self" if fmt == "html" else "alternate", HTML, "this page as HTML"
        ),
        link(f"{_root(request)}/collections/{lay.id}", "collection", JSON, lay.en),
        *nav,
    ]
    headers = {"Content-Crs": crs_core.header(dst)}
    if fmt == "html":
        resp = _html(
            request,
            "items",
            {
                "features": feats,
                "rows": [(f, f["properties"].get(lay.label)) for f in feats],
                "matched": matched,
                "paging": nav,
                "cid": lay.id,
                "lay_title": _title(lay, language(request)),
                "crs": dst,
                "links": links,
            },
        )
        resp["Content-Crs"] = headers["Content-Crs"]
        return resp
    doc = {
        "type": "FeatureCollection",
        "features": feats,
        "numberMatched": matched,
        "numberReturned": len(feats),
        "timeStamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "links": links,
    }
    return _body(doc, GEOJSON, headers=headers)


@endpoint
def item(request: HttpRequest, cid: str, fid: str) -> HttpResponse:
    lay = layers.layer(cid)
    actor = actor_of(request)
    params = _params(request)
    _refuse_unknown(params, {"f", "crs"})
    fmt = choose(params.get("f"), request.headers.get("Accept"))
    dst = _output_crs(params, lay)
    feat = layers.features(actor, lay, [layers.get(actor, lay, fid)], dst)[0]
    url = f"{_root(request)}/collections/{lay.id}/items/{fid}"
    kept = {k: v for k, v in params.items() if k != "f"}
    feat["links"] = [
        link(
            with_params(url, {**kept, "f": "json"}), "self" if fmt == "json" else "alternate", GEOJSON, "this feature"
        ),
        link(
            with_params(url, {**kept, "f": "html"}),
            "self" if fmt == "html" else "alternate",
            HTML,
            "this feature as HTML",
        ),
        link(f"{_root(request)}/collections/{lay.id}", "collection", JSON, lay.en),
    ]
    headers = {"Content-Crs": crs_core.header(dst)}
    if fmt == "html":
        resp = _html(
            request,
            "item",
            {
                "feature": feat,
                "cid": lay.id,
                "lay_title": _title(lay, language(request)),
                "crs": dst,
                "links": feat["links"],
            },
        )
        resp["Content-Crs"] = headers["Content-Crs"]
        return resp
    return _body(feat, GEOJSON, headers=headers)


@endpoint
def queryables(request: HttpRequest, cid: str) -> HttpResponse:
    """Part 3: the properties this caller may filter on (as query parameters), as a JSON Schema."""
    lay = layers.layer(cid)
    actor = actor_of(request)
    en = language(request) == "en"
    props = {}
    for name, spec in layers.queryables(actor, lay).items():
        schema = {"title": spec["en"] if en else spec["zh"], "type": JSON_SCHEMA_TYPES.get(spec["type"], "string")}
        if spec["type"] == "date":
            schema["format"] = "date"
        if spec["choices"]:
            schema["enum"] = spec["choices"]
        props[name] = schema
    if lay.has_geometry:
        props["geometry"] = {
            "x-ogc-role": "primary-geometry",
            "format": "geometry-point" if lay.point else "geometry-any",
        }
    doc = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{_root(request)}/collections/{lay.id}/queryables",
        "type": "object",
        "title": _title(lay, language(request)),
        "properties": props,
        "additionalProperties": False,
    }
    return _body(doc, SCHEMA)
