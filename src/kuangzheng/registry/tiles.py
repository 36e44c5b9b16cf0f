"""Mapbox Vector Tiles of the map's layers (zones, rights, facilities) as one viewer may see them.

A tile holds the records of `services.scoped` whose bounding box meets it (with a buffer), each with
its id and the public field the map styles it by (`kind`): names and the rest come from the API when
a feature is clicked or listed, so tiles stay small (names would be most of a low-zoom tile's bytes)
and every viewer's tile holds public fields only; what differs between viewers is which records. PostgreSQL with PostGIS encodes it
(`ST_AsMVTGeom` + `ST_AsMVT`); the embedded database through `mapbox-vector-tile`, after the same
steps in numpy/GEOS (to tile pixels, clip to the buffer, simplify below a pixel). Tiles are kept per
(viewer's scope view, tile, data version) like the GeoJSON pages, so a write makes new keys. The
opening view's tiles are also built ahead by a background job when the data version changes
(registry/tilewarm.py) into a store on disk under the same key, so the first visitor after a change
(in this process or another: a restarted server, `kz worker`'s job) finds them built.

Below RIGHT_POINT_ZOOM a right is drawn as the centre of its bounding box: a right of a few km² is a
pixel or two there, and a point costs neither the boundary's parsing nor its clipping. Points that
fall within half a pixel of each other (one POINT_CELL) are drawn once: the map looks the same, and a
province-wide tile holds a fraction of the points.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import NamedTuple

import mapbox_vector_tile
import numpy as np
import shapely
from django.conf import settings
from django.db import connection

from kuangzheng.access.actor import Actor
from kuangzheng.errors import NotFound

from . import services
from .core import mvt
from .geojson import data_version, viewer

EXTENT = 4096  # tile units per tile side (the MVT default)
BUFFER = 64  # tile units drawn beyond each edge, so strokes do not stop at tile seams
MAX_ZOOM = 18
RIGHT_POINT_ZOOM = 9
POINT_CELL = 8  # tile units (half a pixel): of points falling in one cell, the one with the lowest id is kept
CACHE_BYTES = 64 * 1024 * 1024
R = 6378137.0  # spherical (web) Mercator, the tile grid every web map uses
ORIGIN = math.pi * R
LAYERS = ("zones", "rights", "facilities")  # drawing order: zones beneath, facilities on top
ENTITY = {"zones": "zone", "rights": "right", "facilities": "facility"}
# what the map styles by; only fields the specification marks public, whoever asks
FIELDS = {n: tuple(f.name for f in services.entity(n).specs if f.name == "kind" and f.public) for n in ENTITY.values()}

_tiles: OrderedDict[tuple, bytes] = OrderedDict()
_size = 0
_lock = threading.Lock()


def check(z: int, x: int, y: int) -> None:
    if not (0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z):
        raise NotFound("瓦片", "tile")


def tile(actor: Actor, z: int, x: int, y: int, division: str = "") -> bytes:
    """The tile z/x/y with every layer, from the cache (or the store) when the data has not changed."""
    check(z, x, y)
    key = (viewer(actor), z, x, y, division, data_version())
    with _lock:
        if key in _tiles:
            _tiles.move_to_end(key)
            return _tiles[key]
    stored = _stored(key)
    if stored.exists():
        body = stored.read_bytes()
    else:
        body = _build_once(key, lambda: _build(actor, z, x, y, division, key[-1]))
    _remember(key, body)
    return body


_in_flight: dict[tuple, threading.Event] = {}


def _build_once(key: tuple, build) -> bytes:
    """Build the tile of `key` unless another thread is building it (the job that builds the opening
    view ahead, or another visitor): then wait for that build and take its result. Under the GIL two
    builds of one tile take twice the CPU, and both visitors would wait for both."""
    with _lock:
        running = _in_flight.get(key)
        if running is None:
            _in_flight[key] = threading.Event()
    if running is not None:
        running.wait()
        with _lock:
            if key in _tiles:
                return _tiles[key]
        return build()  # the other build failed or its tile was evicted already: build it here
    try:
        body = build()
        _remember(key, body)
        return body
    finally:
        with _lock:
            _in_flight.pop(key).set()


def _build(actor: Actor, z: int, x: int, y: int, division: str, version: tuple) -> bytes:
    """The tile's layers at `version` (asked once per tile: each ask is a query)."""
    return b"".join(
        _encode(actor, name, z, x, y, division, version) for name in LAYERS
    )  # an MVT: its layers, concatenated


def _remember(key: tuple, body: bytes) -> None:
    global _size
    with _lock:
        if key not in _tiles:
            _tiles[key] = body
            _size += len(body)
        while _size > CACHE_BYTES and _tiles:
            _size -= len(_tiles.popitem(last=False)[1])


# ---------------------------------------------------------------- the store of tiles built ahead


def store_root() -> Path:
    return Path(settings.DATA_DIR) / "tiles"


def version_folder(version: tuple) -> Path:
    """One folder per data version (pruned as a whole), holding one per scope view and division."""
    return store_root() / hashlib.sha256(repr(version).encode()).hexdigest()[:32]


def _folder(view: tuple, division: str, version: tuple) -> Path:
    """A key never names another viewer's tiles nor another version's."""
    return version_folder(version) / hashlib.sha256(repr((view, division)).encode()).hexdigest()[:32]


def _stored(key: tuple) -> Path:
    view, z, x, y, division, version = key
    return _folder(view, division, version) / f"{z}-{x}-{y}.mvt"


def stored(actor: Actor, z: int, x: int, y: int, division: str, version: tuple) -> bool:
    return _stored((viewer(actor), z, x, y, division, version)).exists()


def store(actor: Actor, z: int, x: int, y: int, division: str, version: tuple) -> None:
    """Build the tile as `actor` sees it at `version` and write it to the store (atomically: a reader
    sees the whole tile or none). Nothing is written when the data changed while it was built."""
    key = (viewer(actor), z, x, y, division, version)
    body = _build_once(key, lambda: _build(actor, z, x, y, division, version))
    if data_version() != version:
        return
    path = _stored(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(fd, "wb") as f:
        f.write(body)
    os.replace(tmp, path)
    _remember(key, body)


def lonlat_bounds(z: int, x: int, y: int, margin: float = 0.0) -> tuple[float, float, float, float]:
    """The tile's (min_lon, min_lat, max_lon, max_lat), widened by `margin` tile widths on each side."""
    size = 2 * ORIGIN / 2**z
    x0, x1 = -ORIGIN + (x - margin) * size, -ORIGIN + (x + 1 + margin) * size
    y1, y0 = ORIGIN - (y - margin) * size, ORIGIN - (y + 1 + margin) * size
    lon = lambda m: max(-180.0, min(180.0, math.degrees(m / R)))  # noqa: E731
    lat = lambda m: math.degrees(2 * math.atan(math.exp(m / R)) - math.pi / 2)  # noqa: E731
    return lon(x0), lat(y0), lon(x1), lat(y1)


def _records(actor: Actor, name: str, z: int, x: int, y: int, division: str):
    x0, y0, x1, y1 = lonlat_bounds(z, x, y, BUFFER / EXTENT)
    return services.search(actor, name, division=division, bbox=f"{x0},{y0},{x1},{y1}").select_related(None)


def _as_points(name: str, z: int) -> bool:
    return name == "facility" or (name == "right" and z < RIGHT_POINT_ZOOM)


def _encode(actor: Actor, name: str, z: int, x: int, y: int, division: str, version: tuple) -> bytes:
    if connection.vendor == "postgresql" and _has_postgis():
        return _encode_postgis(_records(actor, ENTITY[name], z, x, y, division), name, ENTITY[name], z, x, y)
    return _encode_python(actor, name, z, x, y, division, version)


# ---------------------------------------------------------------- the embedded database
# SQLite has no spatial index here, and a bounding-box filter over the four box columns scans most of
# the table (~0.2 s at 100,000 rights, for every tile). So each scope view's boxes are read once per
# data version into numpy arrays; a tile selects its records from them in memory (microseconds) and
# reads only their boundaries, by id, from the database.

INDEXES = 16  # (viewer, division, layer) box indexes kept
# layers whose boundaries the index keeps (parsed), so a tile reads none from the database: the zones
# are few (5,000 in a province) and drawn as polygons at every zoom; rights are read by id, and only
# from RIGHT_POINT_ZOOM on
KEPT_BOUNDARIES = {"zone"}
_indexes: OrderedDict[tuple, tuple] = OrderedDict()
_building = threading.Lock()


class Index(NamedTuple):
    """The records one viewer sees of one layer, by id: kinds as codes into `kind_names` (-1: none),
    boxes (n, 4) (a facility's is its point), boundaries (shapely, lon/lat) for KEPT_BOUNDARIES."""

    ids: np.ndarray
    kind_codes: np.ndarray
    kind_names: list
    boxes: np.ndarray
    boundaries: np.ndarray | None


def _index(actor: Actor, entity: str, division: str, version: tuple | None = None) -> Index:
    """The viewer's index of the layer at `version` (now by default), from the cache when built."""
    key = (viewer(actor), division, entity, data_version() if version is None else version)
    with _lock:
        if key in _indexes:
            _indexes.move_to_end(key)
            return _indexes[key]
    with _building:  # the first tiles of a new version arrive together: one of them builds, the rest wait
        with _lock:
            if key in _indexes:
                return _indexes[key]
        return _build_index(actor, entity, division, key)


def _build_index(actor: Actor, entity: str, division: str, key: tuple) -> Index:
    view, _, _, version = key
    saved = _folder(view, division, version) / f"index-{entity}.npz"
    index = _read_index(saved) if saved.exists() else _query_index(actor, entity, division)
    with _lock:
        _indexes[key] = index
        while len(_indexes) > INDEXES:
            _indexes.popitem(last=False)
    return index


def save_index(actor: Actor, entity: str, division: str, version: tuple) -> None:
    """Write the viewer's index of the layer at `version` beside its stored tiles (the build-ahead job
    does), so a new server process reads it (milliseconds) instead of querying every record (~0.5 s
    of CPU at 100,000 rights). Written atomically; nothing when the data changed meanwhile. No
    pickles: arrays, the kinds' names as text, boundaries as WKB bytes and their offsets."""
    index = _index(actor, entity, division, version)
    if data_version() != version:
        return
    wkb = [] if index.boundaries is None else shapely.to_wkb(index.boundaries).tolist()
    folder = _folder(viewer(actor), division, version)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(fd, "wb") as f:
        np.savez(
            f,
            ids=index.ids,
            kind_codes=index.kind_codes,
            kind_names=np.array(index.kind_names, dtype=str),
            boxes=index.boxes,
            has_boundaries=np.array(index.boundaries is not None),
            wkb=np.frombuffer(b"".join(wkb), dtype=np.uint8),
            wkb_ends=np.cumsum([len(b) for b in wkb], dtype=np.int64),
        )
    os.replace(tmp, folder / f"index-{entity}.npz")


def _read_index(path: Path) -> Index:
    with np.load(path, allow_pickle=False) as saved:
        boundaries = None
        if bool(saved["has_boundaries"]):
            data, ends = saved["wkb"].tobytes(), saved["wkb_ends"]
            starts = np.r_[0, ends[:-1]]
            boundaries = shapely.from_wkb([data[a:b] for a, b in zip(starts.tolist(), ends.tolist())])
        return Index(saved["ids"], saved["kind_codes"], saved["kind_names"].tolist(), saved["boxes"], boundaries)


def _query_index(actor: Actor, entity: str, division: str) -> Index:
    qs = services.search(actor, entity, division=division).select_related(None).order_by()
    box = ("lon", "lat", "lon", "lat") if entity == "facility" else ("min_lon", "min_lat", "max_lon", "max_lat")
    # by id (the table's own order on SQLite: no sort), whichever way the database would answer
    rows = list(qs.exclude(**{box[0]: None}).order_by("id").values_list("id", "kind", *box))
    columns = list(zip(*rows)) or [()] * 6  # column by column: no Python loop over the rows
    names: dict[str, int] = {}
    codes = [names.setdefault(k, len(names)) if k else -1 for k in columns[1]]
    ids = np.array(columns[0], dtype=np.int64)
    boundaries = shapely.from_wkb(_boundaries(actor, entity, ids)) if entity in KEPT_BOUNDARIES else None
    boxes = np.column_stack([np.array(c, dtype=float) for c in columns[2:]]).reshape(-1, 4)
    return Index(ids, np.array(codes, dtype=np.int64), list(names), boxes, boundaries)


def _to_pixels(z: int, x: int, y: int):
    """lon/lat (n, 2) -> tile units, y down."""
    size = 2 * ORIGIN / 2**z
    left, top = -ORIGIN + x * size, ORIGIN - y * size

    def transform(coords: np.ndarray) -> np.ndarray:
        lat = np.clip(np.radians(coords[:, 1]), -1.4844, 1.4844)  # web Mercator's ±85.05°
        mx, my = R * np.radians(coords[:, 0]), R * np.log(np.tan(np.pi / 4 + lat / 2))
        return np.column_stack(((mx - left) / size * EXTENT, (top - my) / size * EXTENT))

    return transform


def _boundaries(actor: Actor, entity: str, ids: np.ndarray) -> list:
    """WKB of the given (already scoped) records, in the order of `ids`, read in chunks of ids."""
    found: dict[int, bytes] = {}
    qs = services.scoped(actor, entity)
    if len(ids) > 5000:  # most of the layer: one pass over it beats thousands of lookups by id
        wanted = set(ids.tolist())
        found.update((pk, bytes(b)) for pk, b in qs.values_list("id", "boundary") if pk in wanted and b)
        return [found.get(int(pk)) for pk in ids]
    for i in range(0, len(ids), 900):
        found.update(
            (pk, bytes(b)) for pk, b in qs.filter(pk__in=ids[i : i + 900].tolist()).values_list("id", "boundary")
        )
    return [found.get(int(pk)) for pk in ids]


def _encode_python(
    actor: Actor, layer: str, z: int, x: int, y: int, division: str, version: tuple | None = None
) -> bytes:
    entity = ENTITY[layer]
    index = _index(actor, entity, division, version)
    boxes = index.boxes
    x0, y0, x1, y1 = lonlat_bounds(z, x, y, BUFFER / EXTENT)
    inside = np.flatnonzero((boxes[:, 2] >= x0) & (boxes[:, 0] <= x1) & (boxes[:, 3] >= y0) & (boxes[:, 1] <= y1))
    ids, boxes = index.ids[inside], boxes[inside]
    if not len(ids):
        return b""
    transform = _to_pixels(z, x, y)
    codes = index.kind_codes[inside] if FIELDS[entity] else np.full(len(ids), -1)
    kinds = mvt.Kinds(codes, index.kind_names)
    if _as_points(entity, z):
        centres = np.rint(
            transform(np.column_stack(((boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2)))
        )
        drawn = np.flatnonzero(((centres >= -BUFFER) & (centres <= EXTENT + BUFFER)).all(axis=1))
        cell = np.floor(centres[drawn] / POINT_CELL).astype(np.int64) + 2 * EXTENT  # non-negative
        _, first = np.unique(cell[:, 0] * (4 * EXTENT) + cell[:, 1], return_index=True)  # lowest id kept
        first = drawn[np.sort(first)]
        return mvt.encode_points(layer, ids[first], mvt.Kinds(codes[first], index.kind_names), centres[first], EXTENT)
    if index.boundaries is not None:
        geoms = index.boundaries[inside]
    else:
        geoms = shapely.from_wkb(_boundaries(actor, entity, ids))
    geoms = shapely.transform(geoms, transform)
    geoms = shapely.clip_by_rect(geoms, -BUFFER, -BUFFER, EXTENT + BUFFER, EXTENT + BUFFER)
    geoms = shapely.simplify(geoms, 1.0, preserve_topology=True)  # a tile unit is 1/16 of a pixel
    # MVT: an exterior ring has a positive surveyor's area in tile units (clockwise on screen, y down)
    geoms = shapely.orient_polygons(geoms, exterior_cw=False)
    drawn = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    ids, kinds, geoms = ids[drawn], mvt.Kinds(kinds.codes[drawn], kinds.names), geoms[drawn]
    polygonal = np.isin(shapely.get_type_id(geoms), (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON))
    if polygonal.all():
        return mvt.encode_polygons(layer, ids, kinds, geoms, EXTENT)
    # clipping left something other than a polygon (rare): the general encoder, which skips collections
    names = [index.kind_names[c] if c >= 0 else None for c in kinds.codes]
    features = [
        {"geometry": g, "properties": {"kind": k} if k else {}, "id": int(pk)} for pk, k, g in zip(ids, names, geoms)
    ]
    return mapbox_vector_tile.encode(
        [{"name": layer, "features": features}],
        default_options={"extents": EXTENT, "y_coord_down": True, "check_winding_order": False},
    )


# ---------------------------------------------------------------- PostgreSQL with PostGIS


def _has_postgis() -> bool:
    with connection.cursor() as cur:
        cur.execute("select 1 from pg_extension where extname = 'postgis'")
        return cur.fetchone() is not None


def _encode_postgis(qs, layer: str, entity: str, z: int, x: int, y: int) -> bytes:
    fields = FIELDS[entity]
    if entity == "facility":
        qs, geom = qs.exclude(lon=None), "ST_SetSRID(ST_MakePoint(q.lon, q.lat), 4490)"
        extra = ("lon", "lat")
    elif _as_points(entity, z):
        qs, geom = (
            qs.exclude(min_lon=None),
            "ST_SetSRID(ST_MakePoint((q.min_lon + q.max_lon) / 2, (q.min_lat + q.max_lat) / 2), 4490)",
        )
        extra = ("min_lon", "min_lat", "max_lon", "max_lat")
    else:
        qs, geom = qs.exclude(boundary=None), "ST_GeomFromWKB(q.boundary, 4490)"
        extra = ("boundary",)
    inner, params = qs.values("id", *fields, *extra).query.sql_with_params()
    columns = ", ".join(f"q.{f}" for f in ("id", *fields))
    rows = (
        f"select {columns}, ST_AsMVTGeom(ST_Transform({geom}, 3857), ST_TileEnvelope(%s, %s, %s), {EXTENT}, {BUFFER}, true)"
        f" as geom from ({inner}) q"
    )
    if _as_points(entity, z):  # one point per cell, the lowest id, as on the embedded database
        cell = f"floor(ST_X(r.geom) / {POINT_CELL}), floor(ST_Y(r.geom) / {POINT_CELL})"
        rows = f"select distinct on ({cell}) r.* from ({rows}) r where r.geom is not null order by {cell}, r.id"
    sql = f"select ST_AsMVT(t, %s, {EXTENT}, 'geom', 'id') from ({rows}) t where t.geom is not null"
    with connection.cursor() as cur:
        cur.execute(sql, [layer, z, x, y, *params])
        return bytes(cur.fetchone()[0] or b"")


# ---------------------------------------------------------------- what is under a click

PICK_PIXELS = 4  # how near a click must be to a feature, in screen pixels
PICK_MOST = 10  # features of one layer listed in a popup


def features_at(actor: Actor, lon: float, lat: float, z: int, division: str = "") -> dict[str, list[dict]]:
    """The features of each layer within PICK_PIXELS of (lon, lat) at zoom z, as the viewer may see them
    (`services.serialize`: public fields for the public), nearest first."""
    if not (math.isfinite(lon) and math.isfinite(lat)) or not 0 <= z <= MAX_ZOOM:
        raise NotFound("位置", "location")
    tol = PICK_PIXELS * 360.0 / (256 * 2**z)
    box = f"{lon - tol},{lat - tol},{lon + tol},{lat + tol}"
    here, out = shapely.Point(lon, lat), {}
    for layer in LAYERS:
        entity = ENTITY[layer]
        objs = list(services.search(actor, entity, division=division, bbox=box)[:1000])
        if entity == "facility":
            geoms = [shapely.Point(o.lon, o.lat) if o.lon is not None else None for o in objs]
        else:
            geoms = list(shapely.from_wkb([bytes(o.boundary) if o.boundary else None for o in objs]))
        near = sorted(
            ((g.distance(here), o) for g, o in zip(geoms, objs) if g is not None and g.distance(here) <= tol),
            key=lambda d: d[0],
        )
        out[layer] = [services.serialize(actor, entity, o) for _, o in near[:PICK_MOST]]
    return out


# ---------------------------------------------------------------- what is in view

LIST_MOST = 50


def in_view(actor: Actor, bbox: str = "", division: str = "", size: int = 20) -> dict[str, dict]:
    """Per layer: how many records the viewer sees whose box meets `bbox` (all of the jurisdiction
    without one), and the `size` of them nearest the box's centre, as `services.serialize` gives them."""
    size = max(0, min(size, LIST_MOST))
    box = services.parse_bbox(bbox) if bbox else None
    out = {}
    for layer in LAYERS:
        entity = ENTITY[layer]
        index = _index(actor, entity, division)
        ids, boxes = index.ids, index.boxes
        if box is not None:
            x0, y0, x1, y1 = box
            inside = (boxes[:, 2] >= x0) & (boxes[:, 0] <= x1) & (boxes[:, 3] >= y0) & (boxes[:, 1] <= y1)
            ids, boxes = ids[inside], boxes[inside]
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        else:
            cx, cy = (boxes[:, 0].mean(), boxes[:, 1].mean()) if len(ids) else (0.0, 0.0)
        distance = np.hypot((boxes[:, 0] + boxes[:, 2]) / 2 - cx, (boxes[:, 1] + boxes[:, 3]) / 2 - cy)
        nearest = ids[np.argsort(distance, kind="stable")[:size]].tolist()
        objs = services.search(actor, entity).filter(pk__in=nearest).in_bulk() if nearest else {}
        rows = [services.serialize(actor, entity, objs[pk]) for pk in nearest if pk in objs]
        out[layer] = {"count": int(len(ids)), "results": rows}
    return out
