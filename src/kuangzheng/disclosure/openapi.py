"""The OpenAPI 3.0 definition of the Features API (rel=service-desc), built from the layers."""

from __future__ import annotations

from kuangzheng.access.actor import PUBLIC_ACTOR

from . import layers
from .core import crs as crs_core
from .core.query import DEFAULT_LIMIT, MAX_LIMIT

SCHEMA_TYPES = {"int": "integer", "float": "number", "date": "string", "list": "string", "division": "string"}


def _param(name: str, description: str, schema: dict, style: str | None = None) -> dict:
    out = {"name": name, "in": "query", "required": False, "description": description, "schema": schema}
    if style:
        out.update(style=style, explode=False)
    return out


COMMON = {
    "f": _param("f", "Format: json (default) or html", {"type": "string", "enum": ["json", "html"]}),
}
ITEMS_PARAMS = [
    _param(
        "limit",
        f"Features per page (default {DEFAULT_LIMIT}; above {MAX_LIMIT} the maximum applies)",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    ),
    _param("offset", "Features to skip (the `next` link sets it)", {"type": "integer", "minimum": 0, "default": 0}),
    _param(
        "bbox",
        "Lower and upper corner, in the axis order of bbox-crs (CRS84: lon,lat; EPSG:4490: lat,lon)",
        {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
        "form",
    ),
    _param("bbox-crs", "CRS of bbox (default CRS84)", {"type": "string", "format": "uri"}),
    _param("crs", "CRS of the returned coordinates (default CRS84)", {"type": "string", "format": "uri"}),
    _param("datetime", "Instant or interval (RFC 3339, '..' for an open end)", {"type": "string"}),
    _param(
        "filter",
        "CQL2-text on the queryables: = <> < <= > >=, AND, OR, NOT, LIKE, IN, BETWEEN, IS NULL",
        {"type": "string"},
    ),
    _param("filter-lang", "Only cql2-text", {"type": "string", "enum": ["cql2-text"], "default": "cql2-text"}),
]


def document(base: str) -> dict:
    """`base` is the service's root URL (…/ogcapi)."""
    feature_collection = {"200": {"description": "Features", "content": {"application/geo+json": {}, "text/html": {}}}}
    paths = {
        "/": {
            "get": {
                "operationId": "getLandingPage",
                "summary": "Landing page",
                "parameters": [COMMON["f"]],
                "responses": _ok("Landing page"),
            }
        },
        "/conformance": {
            "get": {
                "operationId": "getConformance",
                "summary": "Conformance classes",
                "parameters": [COMMON["f"]],
                "responses": _ok("Conformance"),
            }
        },
        "/api": {
            "get": {
                "operationId": "getApi",
                "summary": "This definition",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.0",
                        "content": {"application/vnd.oai.openapi+json;version=3.0": {}},
                    }
                },
            }
        },
        "/collections": {
            "get": {
                "operationId": "getCollections",
                "summary": "Collections",
                "parameters": [COMMON["f"]],
                "responses": _ok("Collections"),
            }
        },
    }
    for lay in layers.LAYERS.values():
        props = [
            _param(name, f"{spec['en']} ({spec['zh']}), equal to", {"type": SCHEMA_TYPES.get(spec["type"], "string")})
            for name, spec in layers.queryables(PUBLIC_ACTOR, lay).items()
        ]
        paths[f"/collections/{lay.id}"] = {
            "get": {
                "operationId": f"describe_{lay.id}",
                "summary": f"{lay.en} ({lay.zh})",
                "parameters": [COMMON["f"]],
                "responses": _ok("Collection"),
            }
        }
        paths[f"/collections/{lay.id}/queryables"] = {
            "get": {
                "operationId": f"queryables_{lay.id}",
                "summary": f"Properties of {lay.en} a caller may filter on",
                "responses": {"200": {"description": "JSON Schema", "content": {"application/schema+json": {}}}},
            }
        }
        paths[f"/collections/{lay.id}/items"] = {
            "get": {
                "operationId": f"items_{lay.id}",
                "summary": f"Features of {lay.en}",
                "parameters": [COMMON["f"], *ITEMS_PARAMS, *props],
                "responses": {**feature_collection, **_errors()},
            }
        }
        paths[f"/collections/{lay.id}/items/{{featureId}}"] = {
            "get": {
                "operationId": f"item_{lay.id}",
                "summary": f"One feature of {lay.en}",
                "parameters": [
                    {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}},
                    COMMON["f"],
                    ITEMS_PARAMS[4],
                ],
                "responses": {
                    "200": {"description": "Feature", "content": {"application/geo+json": {}, "text/html": {}}},
                    **_errors(),
                },
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "矿政 Kuangzheng — OGC API – Features",
            "version": "1.0.0",
            "description": "Public layers of the mineral-rights registry. Storage CRS "
            f"{crs_core.STORAGE}; coordinates in each CRS's own axis order.",
            "license": {"name": "Apache-2.0"},
        },
        "servers": [{"url": base}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": paths,
    }


def _ok(what: str) -> dict:
    return {"200": {"description": what, "content": {"application/json": {}, "text/html": {}}}}


def _errors() -> dict:
    return {"400": {"description": "Bad parameter"}, "404": {"description": "Not found or outside your scope"}}
