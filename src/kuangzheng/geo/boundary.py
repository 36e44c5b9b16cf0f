"""From corner points to geometry and back: zones, GK polygons, EPSG:4490 geometry, official area."""

from __future__ import annotations

import re

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

from .area import DENSIFY_M, ellipsoidal_area_km2, gk_to_lonlat_geometry
from .cornerpoints import Boundary, CornerPoint, Ring
from .crs import (
    Zone,
    gk_to_lonlat,
    lonlat_to_gk,
    zone_for_longitude,
    zone_from_central_meridian,
    zone_from_number,
    zone_of_easting,
)
from .problems import GeoError, Problem

CM_KEYS = ("中央经线", "中央子午线", "central_meridian")
WIDTH_KEYS = ("带宽", "投影带", "分带", "zone_width")
ZONE_KEYS = ("带号", "zone")
MIXED_KEYS = ("跨带", "mixed_zones")


def _meta(b: Boundary, keys) -> str | None:
    for k in keys:
        if b.metadata.get(k, "").strip():
            return b.metadata[k].strip()
    return None


def stated_zone(b: Boundary) -> Zone | None:
    """The zone stated in the metadata (central meridian, or zone number), unprefixed."""
    width_text = _meta(b, WIDTH_KEYS)
    width = None
    if width_text:
        width = 6 if "6" in width_text else 3 if "3" in width_text else None
    cm = _meta(b, CM_KEYS)
    if cm:
        value = re.match(r"[+-]?\d+(\.\d+)?", cm)
        if not value:
            raise ValueError(f"中央经线“{cm}”不是数字 / central meridian '{cm}' is not a number")
        return zone_from_central_meridian(float(value.group()), width)
    zone = _meta(b, ZONE_KEYS)
    if zone:
        return zone_from_number(int(zone), prefixed=False)
    return None


def ring_zones(b: Boundary, allow_mixed_zones: bool | None = None) -> tuple[list[list[Zone]], list[Problem]]:
    """The zone of every point, per ring, and the problems that make a zone unknown or mixed.

    A prefixed easting carries its zone; an unprefixed one needs a stated central meridian.
    Mixed zones inside one block are refused unless ``allow_mixed_zones`` (or metadata 跨带=是)."""
    problems: list[Problem] = []
    if allow_mixed_zones is None:
        allow_mixed_zones = (_meta(b, MIXED_KEYS) or "").lower() in ("是", "1", "true", "yes")
    try:
        stated = stated_zone(b)
    except ValueError as exc:
        return [], [Problem("bad_zone", *str(exc).split(" / ", 1))]
    out: list[list[Zone]] = []
    block_zones: dict[int, set[int]] = {}
    for ring in b.rings:
        zones = []
        for p in ring.points:
            number = zone_of_easting(p.y)
            try:
                zone = zone_from_number(number) if number is not None else stated
            except ValueError as exc:
                problems.append(
                    Problem("bad_zone", *str(exc).split(" / ", 1), block=ring.block, point=p.label, row=p.line)
                )
                zone = None
            if zone is None and number is None:
                problems.append(
                    Problem(
                        "no_zone",
                        "Y坐标无带号且未说明中央经线，无法确定投影带",
                        "easting has no zone prefix and no central meridian is stated",
                        block=ring.block,
                        point=p.label,
                        row=p.line,
                    )
                )
            elif zone and stated and number is not None and zone.central_meridian != stated.central_meridian:
                problems.append(
                    Problem(
                        "zone_conflict",
                        f"带号{number}与说明的中央经线{stated.central_meridian:g}°不符",
                        f"zone prefix {number} contradicts the stated central meridian {stated.central_meridian:g}",
                        block=ring.block,
                        point=p.label,
                        row=p.line,
                    )
                )
            zones.append(zone)
            if zone:
                block_zones.setdefault(ring.block, set()).add(zone.number)
        out.append(zones)
    for block, numbers in block_zones.items():
        if len(numbers) > 1 and not allow_mixed_zones:
            problems.append(
                Problem(
                    "mixed_zones",
                    f"同一区块内混用投影带{sorted(numbers)}，未说明跨带",
                    f"mixed zones {sorted(numbers)} inside one block and mixed zones not stated",
                    block=block,
                )
            )
    return out, problems


def _ring_lonlat(ring: Ring, zones: list[Zone], densify_m: float | None) -> np.ndarray:
    """A ring's points in lon/lat. Edges are straight in the GK plane of the ring's first point
    (a ring stated to cross zones is re-projected into that zone first), densified there."""
    ring_gk = shapely.LinearRing(ring_plane(ring, zones))
    return shapely.get_coordinates(gk_to_lonlat_geometry(ring_gk, zones[0], densify_m))


def ring_plane(ring: Ring, zones: list[Zone]) -> np.ndarray:
    """(easting, northing) of a ring's points, all in the zone of its first point."""
    zone = zones[0]
    e = np.array([p.y for p in ring.points])
    n = np.array([p.x for p in ring.points])
    for i, z in enumerate(zones):
        if z != zone:
            e[i], n[i] = lonlat_to_gk(zone, *gk_to_lonlat(z, e[i], n[i]))
    return np.column_stack([e, n])


def distinct_points(ring: Ring) -> int:
    return len({(p.x, p.y) for p in ring.points})


def block_polygons(b: Boundary, zones: list[list[Zone]], densify_m: float | None = DENSIFY_M) -> dict[int, Polygon]:
    """One polygon (shell with its holes) per block, in EPSG:4490. Rings with < 3 points skipped."""
    shells: dict[int, list] = {}
    holes: dict[int, list] = {}
    for ring, rz in zip(b.rings, zones):
        if distinct_points(ring) < 3 or any(z is None for z in rz):
            continue
        (holes if ring.hole else shells).setdefault(ring.block, []).append(_ring_lonlat(ring, rz, densify_m))
    out = {}
    for block, rings in shells.items():
        polys = [Polygon(r, holes.get(block, []) if i == 0 else []) for i, r in enumerate(rings)]
        out[block] = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    return out


def to_lonlat(b: Boundary, allow_mixed_zones: bool | None = None, densify_m: float | None = DENSIFY_M):
    """The boundary as one (Multi)Polygon in EPSG:4490. Raises GeoError if the zones are unknown."""
    zones, problems = ring_zones(b, allow_mixed_zones)
    if problems:
        raise GeoError(problems)
    polys = list(block_polygons(b, zones, densify_m).values())
    parts = [g for p in polys for g in getattr(p, "geoms", [p])]
    if not parts:
        raise GeoError([Problem("too_few_points", "没有至少3个点的外圈", "no shell ring with at least 3 points")])
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def official_area(b: Boundary, allow_mixed_zones: bool | None = None) -> float:
    """Official area in km² (4 decimals) of a corner-point boundary: ellipsoidal, holes excluded."""
    return round(float(ellipsoidal_area_km2(to_lonlat(b, allow_mixed_zones))), 4)


def from_lonlat(
    geom,
    *,
    zone: Zone | None = None,
    width: int = 3,
    prefixed: bool = True,
    layout: str = "numbered",
    decimals: int = 2,
    elevation: tuple[str, str] | None = None,
    metadata: dict[str, str] | None = None,
    encoding: str = "utf-8",
) -> Boundary:
    """Corner points of an EPSG:4490 (Multi)Polygon, projected into ``zone`` (default: the zone of
    its centroid). Rings are written closed (first point repeated); holes get 类型 -1."""
    zone = zone or zone_for_longitude(shapely.centroid(geom).x, width, prefixed)
    meta = {k: v for k, v in (metadata or {}).items() if k not in CM_KEYS + WIDTH_KEYS + ZONE_KEYS}
    meta.setdefault("坐标系统", "2000国家大地坐标系")
    meta["中央经线"] = f"{zone.central_meridian:g}"  # the zone written, whatever the source stated
    meta["投影带"] = f"{zone.width}度带"
    rings: list[Ring] = []
    label = 0
    for block, poly in enumerate(getattr(geom, "geoms", [geom]), 1):
        for hole, ring in [(False, poly.exterior)] + [(True, r) for r in poly.interiors]:
            e, n = lonlat_to_gk(zone, *np.asarray(ring.coords)[:, :2].T)
            labels = [str(label + i + 1) for i in range(len(n) - 1)]
            label += len(labels)
            labels.append(labels[0])  # the closing point repeats the first
            pts = [CornerPoint(lab, float(x), float(y)) for lab, x, y in zip(labels, n, e)]
            closer = [*(elevation or ("", "")), str(block), "-1" if hole else "1"]
            rings.append(Ring(pts, block, hole, closer, "标高"))
    b = Boundary(rings, layout=layout, metadata=meta, encoding=encoding, decimals=decimals)
    if layout == "table":
        b.columns, b.separator = ["label", "x", "y", "block", "kind"], ","
        b.template = [("kv", k) for k in meta] + [("raw", "点号,X,Y,块号,类型"), ("coords",)]
    elif layout == "keyvalue":
        b.template = [("raw", "[登记项目]")] + [("kv", k) for k in meta] + [("raw", "[拐点坐标]"), ("coords",)]
    b.metadata = meta
    return b
