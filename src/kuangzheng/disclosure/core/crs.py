"""Coordinate reference systems offered by the Features API, by their OGC URIs, with axis order.

Coordinates are stored in EPSG:4490 as (longitude, latitude) and served as CRS84 unchanged (the
two datums agree to the metre, and no transformation between them is published). On output every CRS gets its
authority's axis order, as OGC API – Features Part 2 requires: CRS84 is (lon, lat), EPSG:4490 is
(lat, lon), the CGCS2000 Gauss–Krüger zones (EPSG:4513–4533, 3° zones with the zone prefix) are
(northing X, easting Y). pyproj transformers built without ``always_xy`` take and give the
authority order, so the order is decided in one place: here.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from pyproj import CRS, Transformer

from kuangzheng.errors import FieldProblem, InvalidInput
from kuangzheng.geo import crs as geo_crs

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CRS84H = "http://www.opengis.net/def/crs/OGC/0/CRS84h"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/{}"
STORAGE = EPSG_URI.format(geo_crs.GEOGRAPHIC_EPSG)


def epsg_uri(code: int) -> str:
    return EPSG_URI.format(code)


def zones_covering(min_lon: float, max_lon: float) -> list[int]:
    """EPSG codes of the 3° Gauss–Krüger zones (with prefix) that the longitudes span: the zones of
    the large-scale maps mineral rights are drawn on."""
    first = geo_crs.zone_for_longitude(min_lon).number
    last = geo_crs.zone_for_longitude(max_lon).number
    return [geo_crs.zone_from_number(n).epsg for n in range(first, last + 1)]


def offered(min_lon: float | None, max_lon: float | None) -> list[str]:
    """The CRS list of a collection: CRS84, CGCS2000 geographic, and the zones covering its data."""
    out = [CRS84, STORAGE]
    if min_lon is not None and max_lon is not None:
        out += [epsg_uri(code) for code in zones_covering(min_lon, max_lon)]
    return out


def parse(uri: str, allowed: list[str], field: str) -> str:
    """The offered CRS URI named by ``uri`` (also as `[EPSG:4490]`-style safe CURIE); else a 400."""
    text = (uri or "").strip()
    if text.startswith("[") and text.endswith("]") and ":" in text:
        auth, _, code = text[1:-1].partition(":")
        text = CRS84 if (auth.upper(), code) == ("OGC", "CRS84") else EPSG_URI.format(code)
    if text in allowed:
        return text
    raise InvalidInput(
        [
            FieldProblem(
                field,
                f"不支持的坐标参照系「{uri[:120]}」，可用：{'、'.join(allowed)}",
                f"unsupported CRS '{uri[:120]}'; offered: {', '.join(allowed)}",
            )
        ]
    )


@lru_cache(maxsize=64)
def _crs(uri: str) -> CRS:
    if uri == CRS84:
        return CRS.from_user_input("OGC:CRS84")
    return CRS.from_epsg(int(uri.rsplit("/", 1)[1]))


@lru_cache(maxsize=128)
def _transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(_crs(src), _crs(dst))  # authority axis order on both sides


def is_lonlat(uri: str) -> bool:
    return uri == CRS84


def transform_geometries(geoms: list[dict | None], dst: str) -> list[dict | None]:
    """GeoJSON geometries in CRS84 order (as stored) → the same in ``dst``'s axis order, every
    coordinate of every geometry in one vectorised pyproj call."""
    if dst == CRS84:
        return geoms
    flat: list[list[float]] = []

    def collect(coords):
        if coords and isinstance(coords[0], (int, float)):
            flat.append(coords)
        else:
            for c in coords:
                collect(c)

    for g in geoms:
        if g is not None:
            collect(g["coordinates"])
    if not flat:
        return geoms
    xy = np.asarray([(c[0], c[1]) for c in flat], dtype=float)
    if dst == STORAGE:  # the same coordinates, latitude first
        a, b = xy[:, 1], xy[:, 0]
    else:  # from CGCS2000 as stored (the authority order of EPSG:4490 is lat, lon)
        a, b = _transformer(STORAGE, dst).transform(xy[:, 1], xy[:, 0])
    it = iter(zip(a.tolist(), b.tolist()))

    def rebuild(coords):
        if coords and isinstance(coords[0], (int, float)):
            return list(next(it))
        return [rebuild(c) for c in coords]

    return [None if g is None else {"type": g["type"], "coordinates": rebuild(g["coordinates"])} for g in geoms]


def transform_geometry(geom: dict | None, dst: str) -> dict | None:
    return transform_geometries([geom], dst)[0]


def bbox_to_crs84(values: tuple[float, float, float, float], src: str) -> tuple[float, float, float, float]:
    """A bbox given in ``src``'s axis order → (min lon, min lat, max lon, max lat), edges densified so
    that a projected box's curved sides are covered."""
    if src == CRS84:
        return values
    lo1, lo2, hi1, hi2 = values
    if src == STORAGE:
        return lo2, lo1, hi2, hi1
    lat0, lon0, lat1, lon1 = _transformer(src, STORAGE).transform_bounds(lo1, lo2, hi1, hi2, densify_pts=21)
    x0, y0, x1, y1 = lon0, lat0, lon1, lat1
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
        raise InvalidInput([FieldProblem("bbox", "bbox 超出该坐标参照系的范围", "bbox is outside the CRS's area")])
    return x0, y0, x1, y1


def header(uri: str) -> str:
    """The `Content-Crs` header value."""
    return f"<{uri}>"
