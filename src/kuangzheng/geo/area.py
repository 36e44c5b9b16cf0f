"""Ellipsoidal areas on CGCS2000, the way mineral-right areas are reported.

Method (see docs/geo.md): the boundary as registered is a polygon of straight edges in the
Gauss–Krüger plane. Each edge is densified in that plane (default every 50 m), the points are
inverse-projected to CGCS2000 geodetic coordinates, and the area is integrated on the ellipsoid.
The integration maps (lon, lat) to the ellipsoidal Lambert cylindrical equal-area projection
(x = a·λ, y = a·q(φ)/2, the authalic function q) and takes the planar area there: that projection
preserves area exactly, and meridian and parallel edges are straight in it, so graticule-aligned
blocks need no densification. The same projection is used by both spatial-index backends, so an
overlap area from PostGIS (ST_Transform to the same PROJ string) equals the embedded one.
"""

from __future__ import annotations

import numpy as np
import shapely

from .crs import Zone, gk_to_lonlat, lonlat_to_gk, zone_for_longitude

A = 6378137.0  # CGCS2000 semi-major axis (m)
INV_F = 298.257222101  # CGCS2000 inverse flattening (GRS80 differs only in GM)
_E2 = (2 - 1 / INV_F) / INV_F
_E = np.sqrt(_E2)
EQUAL_AREA_PROJ = "+proj=cea +lon_0=0 +lat_ts=0 +ellps=GRS80 +units=m +no_defs"
DENSIFY_M = 50.0


def _q(lat_deg):
    s = np.sin(np.radians(lat_deg))
    return (1 - _E2) * (s / (1 - _E2 * s * s) - np.log((1 - _E * s) / (1 + _E * s)) / (2 * _E))


def lonlat_to_equal_area(coords: np.ndarray) -> np.ndarray:
    """(lon, lat) degrees → metres in the ellipsoidal cylindrical equal-area projection."""
    return np.column_stack([A * np.radians(coords[:, 0]), A * _q(coords[:, 1]) / 2])


def ellipsoidal_area_km2(geoms):
    """Area in km² of geometries in EPSG:4490 (scalar or array), edges straight in lon/lat."""
    projected = shapely.transform(geoms, lonlat_to_equal_area)
    return shapely.area(projected) / 1e6


def gk_to_lonlat_geometry(geom, zone: Zone, densify_m: float | None = DENSIFY_M):
    """A GK-plane geometry (x = easting, y = northing) as EPSG:4490, edges densified first so
    that straight GK edges stay (almost exactly) straight after the inverse projection."""
    if densify_m:
        geom = shapely.segmentize(geom, densify_m)

    def inverse(coords):
        lon, lat = gk_to_lonlat(zone, coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geom, inverse)


def official_area_km2(geom_gk, zone: Zone, densify_m: float = DENSIFY_M) -> float:
    """Official area (km², 4 decimals) of a boundary given in the GK plane of ``zone``."""
    return round(float(ellipsoidal_area_km2(gk_to_lonlat_geometry(geom_gk, zone, densify_m))), 4)


def official_area_lonlat_km2(geom, densify_m: float = DENSIFY_M) -> float:
    """Official area (km², 4 decimals) of a boundary given by its corner points in lon/lat (GeoJSON,
    WKT, the registry's stored boundaries), which carry no zone: edges along a meridian or a parallel
    are graticule edges (exploration blocks); every other edge is taken as straight in the
    Gauss–Krüger plane of the 3° zone containing the boundary's centroid (where mining rights are
    registered), densified there as corner-point text is. For a corner-point file drawn in that zone
    this is the area ``official_area_km2`` gives. One boundary is a batch of one of
    ``official_areas_lonlat_km2``, so a single create and a bulk import store the same figure."""
    return float(official_areas_lonlat_km2(np.array([geom], dtype=object), densify_m)[0])


def official_areas_lonlat_km2(geoms, densify_m: float = DENSIFY_M) -> np.ndarray:
    """``official_area_lonlat_km2`` of many boundaries at once (NaN where there is none): the rings
    of all boundaries in one 3° zone are projected, densified and inverse-projected together."""
    geoms = np.asarray(geoms, dtype=object)
    out = np.full(len(geoms), np.nan)
    present = np.flatnonzero(shapely.is_geometry(geoms))
    if not present.size:
        return out
    numbers = np.floor(shapely.get_x(shapely.centroid(geoms[present])) / 3 + 0.5).astype(int)
    for number in np.unique(numbers):
        members = present[numbers == number]
        parts, part_of = shapely.get_parts(geoms[members], return_index=True)
        rings, ring_part = shapely.get_rings(parts, return_index=True)
        coords, ring_of = shapely.get_coordinates(rings, return_index=True)
        zone = zone_for_longitude(number * 3.0, 3)
        dense, dense_ring = _densify_gk_straight(coords, ring_of, zone, densify_m)
        polygons = shapely.polygons(shapely.linearrings(dense, indices=dense_ring), indices=ring_part)
        part_areas = ellipsoidal_area_km2(polygons)
        out[members] = np.bincount(part_of, weights=part_areas, minlength=len(members))
    return np.round(out, 4)


def _densify_gk_straight(coords: np.ndarray, ring_of: np.ndarray, zone: Zone, densify_m: float):
    """Closed lon/lat rings (stacked, ``ring_of`` naming each point's ring) with every edge that is
    not a meridian or a parallel densified straight in the GK plane of ``zone``; meridian and parallel
    edges are kept (they are straight in the equal-area map already), corners exactly as given."""
    e, n = lonlat_to_gk(zone, coords[:, 0], coords[:, 1])
    start = np.flatnonzero(ring_of[:-1] == ring_of[1:])  # an edge runs from point i to i + 1 of one ring
    d = coords[start + 1] - coords[start]
    graticule = (np.abs(d[:, 0]) < 1e-12) | (np.abs(d[:, 1]) < 1e-12)
    length = np.hypot(e[start + 1] - e[start], n[start + 1] - n[start])
    steps = np.where(graticule, 1, np.maximum(1, np.ceil(length / densify_m))).astype(int)
    edge = np.repeat(start, steps)
    t = np.arange(len(edge)) - np.repeat(np.cumsum(steps) - steps, steps)
    t = t / np.repeat(steps, steps)
    lon, lat = gk_to_lonlat(zone, e[edge] + t * (e[edge + 1] - e[edge]), n[edge] + t * (n[edge + 1] - n[edge]))
    corner = t == 0
    lon[corner], lat[corner] = coords[edge[corner], 0], coords[edge[corner], 1]
    last = np.flatnonzero(np.r_[ring_of[1:] != ring_of[:-1], True])  # each ring's closing point
    points = np.concatenate([np.column_stack([lon, lat]), coords[last]])
    rings = np.concatenate([ring_of[edge], ring_of[last]])
    order = np.argsort(rings, kind="stable")
    return points[order], rings[order]


def planar_area_km2(geom_gk) -> float:
    """Plain GK-plane area (km²) — NOT the official area; kept to show the difference."""
    return float(shapely.area(geom_gk)) / 1e6
