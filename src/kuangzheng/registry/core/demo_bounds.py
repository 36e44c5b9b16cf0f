"""Stand-in boundaries for generated demo rights, drawn the way real ones are registered.

Mining rights are corner-point polygons in the Gauss–Krüger plane of their 3° zone (whole metres),
converted to CGCS2000 with the geometry core; exploration rights are blocks of whole minutes of
latitude and longitude. `Layout` places them so that no two overlap unless the demo asks for it.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import Polygon, box

from kuangzheng.geo.area import gk_to_lonlat_geometry
from kuangzheng.geo.crs import lonlat_to_gk, zone_for_longitude


def mining_polygon(lon: float, lat: float, area_km2: float, rng, max_radius_km: float | None = None) -> Polygon:
    """A corner-point parcel of about `area_km2` around (lon, lat): a rectangle in the GK plane,
    turned by a small angle and sometimes with one corner cut away (as parcels follow old
    boundaries), its corners rounded to whole metres, then inverse-projected (corners only: the
    registry takes the edges as straight in this zone). With `max_radius_km` every corner stays
    within that distance of the mine, so parcels of mines twice that far apart cannot overlap."""
    zone = zone_for_longitude(lon, 3)
    e0, n0 = (float(v) for v in lonlat_to_gk(zone, lon, lat))
    aspect = rng.uniform(0.5, 2.0)
    if max_radius_km is not None:  # the rectangle's half-diagonal within the radius
        area_km2 = min(area_km2, 4 * max_radius_km**2 * aspect / (1 + aspect**2))
    w = math.sqrt(area_km2 * 1e6 * aspect)
    h = area_km2 * 1e6 / w
    corners = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    if rng.random() < 0.4:  # an L-shaped parcel: one corner notched
        i = rng.randrange(4)
        (x, y), (px, py), (nx, ny) = corners[i], corners[i - 1], corners[(i + 1) % 4]
        c = rng.uniform(0.2, 0.4)
        ax, ay, cx, cy = x + c * (px - x), y + c * (py - y), x + c * (nx - x), y + c * (ny - y)
        corners[i : i + 1] = [(ax, ay), (ax + cx - x, ay + cy - y), (cx, cy)]
    a = math.radians(rng.uniform(-12, 12))
    pts = [
        (round(e0 + x * math.cos(a) - y * math.sin(a)), round(n0 + x * math.sin(a) + y * math.cos(a)))
        for x, y in corners
    ]
    return gk_to_lonlat_geometry(Polygon(pts), zone, densify_m=None)


def minute_block(lon: float, lat: float, cols: int, rows: int) -> Polygon:
    """A block of `cols` × `rows` whole minutes whose south-west corner is the minute cell at (lon, lat)."""
    x0 = math.floor(lon * 60) / 60
    y0 = math.floor(lat * 60) / 60
    return box(x0, y0, x0 + cols / 60, y0 + rows / 60)


class Layout:
    """The boundaries placed so far; `free` says whether a new one would overlap any of them
    (but those in `allowed`)."""

    def __init__(self):
        self.geoms: list = []

    def free(self, geom, tolerance_deg: float = 1e-7, allowed=()) -> bool:
        inner = geom.buffer(-tolerance_deg)  # touching along an edge is not an overlap
        return not any(
            g.intersects(inner) for g in self.geoms if _bbox_hit(g, geom) and not any(g is a for a in allowed)
        )

    def add(self, geom) -> None:
        self.geoms.append(geom)


def _bbox_hit(a, b) -> bool:
    ax0, ay0, ax1, ay1 = a.bounds
    bx0, by0, bx1, by1 = b.bounds
    return ax0 <= bx1 and bx0 <= ax1 and ay0 <= by1 and by0 <= ay1


def place_mining(
    layout: Layout, lon: float, lat: float, area_km2: float, rng, max_radius_km: float | None = None, tries: int = 8
) -> Polygon | None:
    """A mining parcel around the mine that overlaps nothing placed: smaller each try, None if even
    the smallest would, or if another mine stands within 100 m (the same site listed twice)."""
    if max_radius_km is not None and max_radius_km < 0.045:
        return None
    for i in range(tries):
        geom = mining_polygon(lon, lat, area_km2 * 0.6**i, rng, max_radius_km)
        if layout.free(geom):
            return geom
    return None


def room(points: list[tuple[float, float]], share: float = 0.45) -> list[float]:
    """For each (lon, lat), `share` of the distance (km) to the nearest other point farther than
    100 m: the radius its parcel may fill without reaching a neighbour's (two parcels each within
    0.45 of the gap)."""
    xy = np.asarray(points, dtype=float)
    kx = 111.32 * np.cos(np.radians(xy[:, 1].mean())) if len(xy) else 111.32
    km = np.column_stack([xy[:, 0] * kx, xy[:, 1] * 110.57]) if len(xy) else np.zeros((0, 2))
    out = []
    for i in range(len(km)):
        d = np.hypot(*(km - km[i]).T)
        d[d < 0.1] = np.inf  # sites listed twice at one point: the first placed takes the site
        out.append(float(share * d.min()) if np.isfinite(d.min()) else 10.0)
    return out


def place_exploration(layout: Layout, lon: float, lat: float, rng, tries: int = 24) -> Polygon | None:
    """A whole-minute exploration block near the mine (its periphery), overlapping nothing placed."""
    for _ in range(tries):
        cols, rows = rng.randint(2, 6), rng.randint(2, 5)
        dx, dy = rng.choice([-1, 1]) * rng.uniform(2, 6) / 60, rng.choice([-1, 1]) * rng.uniform(1, 5) / 60
        geom = minute_block(lon + dx, lat + dy, cols, rows)
        if layout.free(geom):
            return geom
    return None


def carve(geom, holes: list, margin_deg: float = 0.002):
    """`geom` with the given boundaries (and a small margin) cut out: a zone drawn around the rights."""
    if not holes:
        return geom
    out = shapely.difference(geom, shapely.union_all([h.buffer(margin_deg) for h in holes]))
    parts = [p for p in getattr(out, "geoms", [out]) if p.area > 0]
    return max(parts, key=lambda p: p.area) if parts else None


def on_minute_grid(geom) -> bool:
    """Whether every corner lies on whole minutes (within a micro-degree)."""
    xy = np.asarray(geom.exterior.coords) * 60
    return bool(np.all(np.abs(xy - np.round(xy)) < 6e-5))
