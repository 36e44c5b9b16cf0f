"""GeoJSON pages of spatial records for the map, serialised once per data version and viewer.

A page is keyed by (entity, what the viewer may see, the filters, the page, the data version). The
data version is the audit chain's head, sequence and hash (every registry write is audited), plus
the import batches still running (their records become visible when they finish), so any change
that could alter a page makes a new key; nothing is invalidated by hand. "What the viewer may see"
is the role with its division scope or enterprise, the inputs of `services.scoped` and
`services.sees_full`, so each scope view has its own entries and the public ones hold public
fields only.

On a miss, geometries go from WKB to GeoJSON text in one vectorised call (GEOS) and the page is
assembled as text; on a hit, serving costs two one-row queries.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

import shapely
from django.core.paginator import Paginator

from kuangzheng.access.actor import Actor
from kuangzheng.audit import service as audit

from . import bulk, services

MAX_PAGES = 64  # cached pages (a full page of 1,000 rights is about 1 MB)
_pages: OrderedDict[tuple, bytes] = OrderedDict()
_lock = threading.Lock()
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def viewer(actor: Actor) -> tuple:
    """What decides which records and fields an actor sees."""
    if actor.is_admin:
        return ("admin",)
    if actor.is_regulator:
        return ("regulator", actor.scope_prefix)
    if actor.is_enterprise:
        return ("enterprise", actor.enterprise_id)
    return ("public",)


def data_version() -> tuple:
    """Changes with every audited write and every import batch that starts or finishes."""
    return (audit.head(), tuple(bulk.pending_batches()))


def page(actor: Actor, name: str, filters: dict, number: int, size: int) -> bytes:
    """One page of a FeatureCollection as UTF-8 JSON, from the cache when the data has not changed."""
    key = (
        name,
        viewer(actor),
        tuple(sorted(filters.items())),
        number,
        size,
        data_version(),
    )
    with _lock:
        if key in _pages:
            _pages.move_to_end(key)
            return _pages[key]
    body = _build(actor, name, filters, number, size)
    with _lock:
        _pages[key] = body
        while len(_pages) > MAX_PAGES:
            _pages.popitem(last=False)
    return body


def _build(actor: Actor, name: str, filters: dict, number: int, size: int) -> bytes:
    paginator = Paginator(services.search(actor, name, **filters), size)
    objs = list(paginator.page(max(1, min(number, paginator.num_pages or 1))).object_list)
    if name == "facility":
        geometry = [_dumps(services.feature(actor, name, o)["geometry"]) for o in objs]
    else:
        wkb = [bytes(o.boundary) if o.boundary else None for o in objs]
        geometry = [g if g is not None else "null" for g in shapely.to_geojson(shapely.from_wkb(wkb)).tolist()]
    features = ",".join(
        f'{{"type":"Feature","id":{o.pk},"geometry":{g},"properties":{_dumps(services.serialize(actor, name, o))}}}'
        for o, g in zip(objs, geometry)
    )
    return f'{{"type":"FeatureCollection","numberMatched":{paginator.count},"features":[{features}]}}'.encode()
