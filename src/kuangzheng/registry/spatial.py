"""The registry's spatial queries, through the geometry core's index: the embedded STRtree on
SQLite, pushed down to PostGIS when the database is PostgreSQL with PostGIS."""

from __future__ import annotations

from django.db import connection

from kuangzheng.access.actor import Actor
from kuangzheng.geo.index import STRtreeIndex

from . import geometry, services
from .models import MineralRight, Zone

TABLES = {"right": ("registry_mineralright", MineralRight), "zone": ("registry_zone", Zone)}


def has_postgis() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cur:
        cur.execute("select 1 from pg_extension where extname = 'postgis'")
        return cur.fetchone() is not None


def registry_index(layers=("right", "zone")):
    """An index over whole registry layers (named 'right', 'zone'): PostGIS or STRtree."""
    if has_postgis():
        from kuangzheng.geo.postgis import PostGISIndex, Table

        connection.ensure_connection()
        return PostGISIndex(connection.connection, {n: Table(TABLES[n][0]) for n in layers})
    idx = STRtreeIndex()
    for n in layers:
        rows = list(TABLES[n][1].objects.exclude(boundary=None).values_list("id", "boundary"))
        idx.add_layer(n, [r[0] for r in rows], [bytes(r[1]) for r in rows])
    return idx


def conflicts(actor: Actor, right_pk) -> dict:
    """Rights and zones whose interiors overlap this right, with the overlap area and shares —
    what a reviewer checks before granting or changing a right. Only records the actor may see."""
    right = services.get(actor, "right", right_pk)
    geom = geometry.load(right.boundary)
    if geom is None:
        return {"rights": [], "zones": []}
    x0, y0, x1, y1 = geom.bounds
    bbox = f"{x0},{y0},{x1},{y1}"
    out = {}
    for name in ("right", "zone"):
        cands = [
            o
            for o in services.search(actor, name, bbox=bbox)
            if o.boundary and not (name == "right" and o.pk == right.pk)
        ]
        if not cands:
            out[name + "s"] = []
            continue
        idx = STRtreeIndex(
            {"this": ([right.pk], [geom]), "other": ([o.pk for o in cands], [bytes(o.boundary) for o in cands])}
        )
        by_id = {o.pk: o for o in cands}
        rows = []
        for p in idx.overlaps("this", "other").records():
            o = by_id[p["right"]]
            rows.append(
                {
                    "id": o.pk,
                    "code": o.licence_no if name == "right" else o.code,
                    "name": o.name,
                    "kind": o.kind,
                    "overlap_km2": round(p["area_km2"], 4),
                    "share_of_this": round(p["share_left"], 4),
                    "share_of_other": round(p["share_right"], 4),
                }
            )
        out[name + "s"] = sorted(rows, key=lambda r: -r["overlap_km2"])
    return out


NEIGHBOURS_MAX = 200  # rights drawn around one right: enough for a crowded district, cheap to send


def map_context(actor: Actor, right) -> dict:
    """What a right's page map shows around it: the boundary of its division (the nearest level that
    has one) and the other rights near it that the actor may see (within the right's extent, widened
    by half of it on every side), by licence number, name and kind."""
    geom = geometry.load(right.boundary)
    level = right.division
    while level is not None and not level.boundary:
        level = level.parent
    division = {"name": level.name_zh, "geometry": geometry.to_geojson(level.boundary)} if level else None
    out = {"division": division, "neighbours": []}
    if geom is None:
        return out
    x0, y0, x1, y1 = geom.bounds
    dx, dy = max((x1 - x0) / 2, 0.01), max((y1 - y0) / 2, 0.01)
    bbox = f"{x0 - dx},{y0 - dy},{x1 + dx},{y1 + dy}"
    near = services.search(actor, "right", bbox=bbox).exclude(pk=right.pk).exclude(boundary=None)
    out["neighbours"] = [
        {"licence_no": r.licence_no, "name": r.name, "kind": r.kind, "geometry": geometry.to_geojson(r.boundary)}
        for r in near[:NEIGHBOURS_MAX]
    ]
    return out
