"""Links of the Features API: absolute URLs with the request's other parameters kept."""

from __future__ import annotations

from urllib.parse import urlencode

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"


def link(href: str, rel: str, type_: str, title: str = "") -> dict:
    out = {"href": href, "rel": rel, "type": type_}
    if title:
        out["title"] = title
    return out


def with_params(url: str, params: dict[str, str], **changes) -> str:
    """`url` with the request's parameters, some replaced (None drops one)."""
    merged = {**params, **{k.replace("_", "-") if k == "bbox_crs" else k: v for k, v in changes.items()}}
    query = urlencode([(k, v) for k, v in merged.items() if v is not None])
    return f"{url}?{query}" if query else url


def paging(
    url: str, params: dict[str, str], offset: int, limit: int, returned: int, matched: int, type_: str
) -> list[dict]:
    """`next` while features remain after this page, `prev` after the first page."""
    out = []
    if offset + returned < matched:
        out.append(
            link(with_params(url, params, offset=str(offset + limit), limit=str(limit)), "next", type_, "next page")
        )
    if offset > 0:
        out.append(
            link(
                with_params(url, params, offset=str(max(0, offset - limit)), limit=str(limit)),
                "prev",
                type_,
                "previous page",
            )
        )
    return out
