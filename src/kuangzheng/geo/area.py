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

from .crs import Zone, gk_to_lonlat

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


def planar_area_km2(geom_gk) -> float:
    """Plain GK-plane area (km²) — NOT the official area; kept to show the difference."""
    return float(shapely.area(geom_gk)) / 1e6
