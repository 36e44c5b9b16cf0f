"""Validation of corner-point boundaries; every problem names its block and point."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

from .area import ellipsoidal_area_km2
from .boundary import block_polygons, distinct_points, ring_plane, ring_zones
from .cornerpoints import Boundary, Ring, parse
from .crs import gk_to_lonlat
from .problems import ERROR, WARNING, GeoError, Problem, errors

MAX_POINTS = 1000
AREA_KEYS = ("面积", "area_km2", "面积(km2)", "面积（平方公里）")


@dataclass
class Validation:
    """Outcome of validating one boundary: problems, and geometry/area when they could be built."""

    boundary: Boundary | None
    problems: list[Problem] = field(default_factory=list)
    geometry: object | None = None  # shapely (Multi)Polygon in EPSG:4490
    area_km2: float | None = None

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def _p(code, zh, en, ring: Ring | None = None, point=None, severity=ERROR):
    return Problem(
        code,
        zh,
        en,
        severity,
        ring.block if ring else None,
        point.label if point else None,
        point.line if point else (ring.line if ring else None),
    )


def _ring_shape(ring: Ring, close_rings: str) -> list[Problem]:
    """Closure, duplicate consecutive points and the three-point minimum; may close the ring."""
    out = []
    pts = ring.points
    for a, b in zip(pts, pts[1:]):
        if (a.x, a.y) == (b.x, b.y):
            out.append(
                _p(
                    "duplicate_point",
                    f"点{b.label}与前一点{a.label}重复",
                    f"point {b.label} repeats the previous point {a.label}",
                    ring,
                    b,
                )
            )
    if distinct_points(ring) < 3:
        out.append(
            _p(
                "too_few_points",
                f"该圈只有{distinct_points(ring)}个不同的点，至少需要3个",
                f"ring has {distinct_points(ring)} distinct points, at least 3 are needed",
                ring,
            )
        )
        return out
    if (pts[0].x, pts[0].y) != (pts[-1].x, pts[-1].y):
        if close_rings == "refuse":
            out.append(
                _p(
                    "ring_not_closed",
                    f"圈未闭合：末点{pts[-1].label}不等于首点{pts[0].label}",
                    f"ring not closed: last point {pts[-1].label} differs from first {pts[0].label}",
                    ring,
                    pts[-1],
                )
            )
        else:
            ring.points = pts + [copy.copy(pts[0])]
            out.append(
                _p(
                    "ring_not_closed",
                    f"圈未闭合，已补首点{pts[0].label}闭合",
                    f"ring not closed; closed by repeating point {pts[0].label}",
                    ring,
                    pts[-1],
                    WARNING,
                )
            )
    return out


def _self_intersections(ring: Ring, plane: np.ndarray) -> list[Problem]:
    """Edges of one ring that cross or touch edges other than their neighbours."""
    # a repeated point is reported as such, not as a crossing: drop repeats first
    keep_pt = np.r_[True, np.any(plane[1:] != plane[:-1], axis=1)]
    plane, pts = plane[keep_pt], [p for p, k in zip(ring.points, keep_pt) if k]
    edges = shapely.linestrings(np.stack([plane[:-1], plane[1:]], axis=1))
    n = len(edges)
    left, right = shapely.STRtree(edges).query(edges, predicate="intersects")
    keep = (left < right) & ((right - left) % n > 1) & ((left - right) % n > 1)
    out = []
    for i, j in zip(left[keep], right[keep]):
        a, b = pts[i], pts[j]
        out.append(
            _p(
                "self_intersection",
                f"边{a.label}-{pts[i + 1].label}与边{b.label}-{pts[j + 1].label}相交（自相交）",
                f"edge {a.label}-{pts[i + 1].label} intersects edge {b.label}-{pts[j + 1].label} (self-intersection)",
                ring,
                a,
            )
        )
    return out


def _zone_longitudes(ring: Ring, zones, tolerance_deg: float) -> list[Problem]:
    out = []
    for p, z in zip(ring.points, zones):
        lon, _ = gk_to_lonlat(z, p.y, p.x)
        if abs(float(lon) - z.central_meridian) > z.width / 2 + tolerance_deg:
            out.append(
                _p(
                    "zone_longitude",
                    f"点经度{float(lon):.4f}°不在{z.label()}（中央经线{z.central_meridian:g}°）范围内",
                    f"longitude {float(lon):.4f} lies outside {z.label()} (central meridian {z.central_meridian:g})",
                    ring,
                    p,
                )
            )
    return out


def _outside(ring: Ring, zones, jurisdiction) -> list[Problem]:
    region = shapely.box(*jurisdiction) if isinstance(jurisdiction, (tuple, list)) else jurisdiction
    plane = ring_plane(ring, zones)
    lon, lat = gk_to_lonlat(zones[0], plane[:, 0], plane[:, 1])
    inside = shapely.covers(region, shapely.points(lon, lat))
    return [
        _p(
            "outside_jurisdiction",
            f"点{p.label}（{lo:.5f}, {la:.5f}）在辖区范围之外",
            f"point {p.label} ({lo:.5f}, {la:.5f}) is outside the jurisdiction",
            ring,
            p,
        )
        for p, lo, la, ok in zip(ring.points, lon, lat, inside)
        if not ok
    ]


def _holes_inside(b: Boundary, zones) -> list[Problem]:
    shells = {
        r.block: Polygon(ring_plane(r, z)) for r, z in zip(b.rings, zones) if not r.hole and distinct_points(r) >= 3
    }
    out = []
    for ring, z in zip(b.rings, zones):
        if ring.hole and distinct_points(ring) >= 3:
            shell = shells.get(ring.block)
            hole = Polygon(ring_plane(ring, z))
            if shell is None or not shell.contains(hole):
                out.append(
                    _p(
                        "hole_outside_shell",
                        f"扣除圈（首点{ring.points[0].label}）不在区块{ring.block}的外圈之内",
                        f"excluded ring (first point {ring.points[0].label}) is not inside the shell of "
                        f"block {ring.block}",
                        ring,
                        ring.points[0],
                    )
                )
    return out


def stated_area(b: Boundary) -> float | None:
    for key in AREA_KEYS:
        value = b.metadata.get(key, "").strip()
        m = re.match(r"[+-]?\d+(\.\d+)?", value)
        if m:
            return float(m.group())
    return None


def validate(
    b: Boundary,
    *,
    close_rings: str = "warn",
    jurisdiction=None,
    stated_area_km2: float | None = None,
    area_tolerance: float = 0.001,
    max_points: int = MAX_POINTS,
    allow_mixed_zones: bool | None = None,
    zone_tolerance_deg: float = 0.5,
) -> Validation:
    """Check a boundary and build its EPSG:4490 geometry and official area (km², 4 decimals).

    close_rings: "warn" closes an open ring and warns; "refuse" reports it as an error.
    jurisdiction: shapely geometry in EPSG:4490 or a (min_lon, min_lat, max_lon, max_lat) bbox.
    stated_area_km2 (default: the file's 面积) must agree within ``area_tolerance`` (relative,
    at least 0.0001 km²). The boundary is copied; the result's ``boundary`` has rings closed."""
    if close_rings not in ("warn", "refuse"):
        raise ValueError("close_rings 只能是 'warn' 或 'refuse' / close_rings must be 'warn' or 'refuse'")
    b = copy.deepcopy(b)
    problems: list[Problem] = []
    if b.point_count() > max_points:
        problems.append(
            Problem(
                "too_many_points",
                f"拐点共{b.point_count()}个，超过上限{max_points}",
                f"{b.point_count()} corner points exceed the limit of {max_points}",
            )
        )
    for ring in b.rings:
        problems += _ring_shape(ring, close_rings)
    zones, zone_problems = ring_zones(b, allow_mixed_zones)
    problems += zone_problems
    if any(z is None for rz in zones for z in rz) or len(zones) != len(b.rings):
        return Validation(b, problems)
    for ring, rz in zip(b.rings, zones):
        if distinct_points(ring) >= 3:
            problems += _self_intersections(ring, ring_plane(ring, rz))
        problems += _zone_longitudes(ring, rz, zone_tolerance_deg)
        if jurisdiction is not None:
            problems += _outside(ring, rz, jurisdiction)
    problems += _holes_inside(b, zones)
    # the geometry keeps the corner points only (it round-trips to the same corner points); the
    # official area integrates the GK-straight edges, densified
    corners = block_polygons(b, zones, densify_m=None)
    if not corners:
        return Validation(b, problems)
    parts = [g for poly in corners.values() for g in getattr(poly, "geoms", [poly])]  # blocks in order
    geometry = MultiPolygon(parts) if len(parts) > 1 else parts[0]
    area = round(float(sum(ellipsoidal_area_km2(p) for p in block_polygons(b, zones).values())), 4)
    stated = stated_area_km2 if stated_area_km2 is not None else stated_area(b)
    if stated is not None and abs(stated - area) > max(1e-4, area_tolerance * area):
        problems.append(
            Problem(
                "area_mismatch",
                f"申报面积{stated:.4f}平方公里与计算面积{area:.4f}平方公里不符",
                f"stated area {stated:.4f} km² disagrees with computed area {area:.4f} km²",
            )
        )
    return Validation(b, problems, geometry, area)


def check_text(data: bytes | str, **options) -> Validation:
    """Parse and validate corner-point text; parse errors come back as problems, not exceptions."""
    try:
        b = parse(data)
    except GeoError as exc:
        return Validation(None, exc.problems)
    return validate(b, **options)
