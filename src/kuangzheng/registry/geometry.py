"""Boundaries as the registry stores them: WKB in EPSG:4490 plus a bounding box and the official area.

Parsing accepts GeoJSON (dict or text) or WKT in longitude/latitude order. The official area comes
from the geometry core so that the registry, imports and `kz geo area` always agree.
"""

from __future__ import annotations

import json

import numpy as np
import orjson
import shapely
from shapely import wkb, wkt
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from kuangzheng import limits
from kuangzheng.errors import FieldProblem
from kuangzheng.geo import area as geo_area

CHINA_BBOX = (73.0, 3.0, 136.0, 54.0)  # lon/lat envelope of the PRC and its seas


def ellipsoidal_area_km2(geom) -> float:
    """The official area (km², 4 decimals) on the CGCS2000 ellipsoid, by the geometry core's method:
    graticule edges as they are, other edges straight in the Gauss–Krüger plane (docs/geo.md)."""
    return geo_area.official_area_lonlat_km2(geom)


def parse(value, field: str = "boundary"):
    """Return (shapely geometry or None, problem or None)."""
    if value is None or (isinstance(value, (str, dict)) and not value):
        return None, None
    try:
        if isinstance(value, BaseGeometry):
            geom = value
        elif isinstance(value, (bytes, memoryview)):
            geom = wkb.loads(bytes(value))
        elif isinstance(value, dict) and value.get("type") == "FeatureCollection":
            features = value.get("features") or []
            if len(features) != 1:  # one boundary per record: which feature is meant would be a guess
                return None, FieldProblem(
                    field,
                    f"要素集合（FeatureCollection）应恰含 1 个要素（一个边界），实有 {len(features)} 个",
                    f"a FeatureCollection must hold exactly 1 feature (one boundary), not {len(features)}",
                )
            return parse(features[0], field)
        elif isinstance(value, dict):
            geom = shape(value.get("geometry", value) if value.get("type") == "Feature" else value)
        elif isinstance(value, str) and value.lstrip().startswith("{"):
            return parse(json.loads(value), field)
        else:
            geom = wkt.loads(str(value))
    except Exception as exc:  # shapely/json raise several types for malformed text
        return None, FieldProblem(
            field,
            f"无法解析边界（应为 GeoJSON 或 WKT）：{exc}",
            f"cannot parse the boundary (expected GeoJSON or WKT): {exc}",
        )
    problem = _check(geom, field)
    return (None, problem) if problem else (geom, None)


def _check(geom, field: str) -> FieldProblem | None:
    if geom.is_empty:
        return FieldProblem(field, "边界为空", "the boundary is empty")
    vertices, most = shapely.get_num_coordinates(geom), limits.get("vertices")
    if vertices > most:  # checked before validity and area, whose cost grows with the vertices
        var = limits.variable("vertices")
        return FieldProblem(
            field,
            f"边界有 {vertices} 个顶点，超过上限 {most}（由 {var} 设置）",
            f"the boundary has {vertices} vertices, more than the limit of {most} (set by {var})",
        )
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return FieldProblem(
            field,
            f"边界应为面（Polygon/MultiPolygon），实为 {geom.geom_type}",
            f"the boundary must be a Polygon or MultiPolygon, not {geom.geom_type}",
        )
    if not geom.is_valid:
        why = explain_validity(geom)
        return FieldProblem(field, f"边界几何无效：{why}", f"the boundary is not a valid geometry: {why}")
    x0, y0, x1, y1 = geom.bounds
    if x0 < CHINA_BBOX[0] or y0 < CHINA_BBOX[1] or x1 > CHINA_BBOX[2] or y1 > CHINA_BBOX[3]:
        return FieldProblem(
            field,
            "坐标超出中国范围（应为 CGCS2000 经纬度，经度在前）",
            "coordinates outside China (expected CGCS2000 longitude/latitude, longitude first)",
        )
    return None


POLYGONAL = (3, 6)  # shapely type ids of Polygon and MultiPolygon


def parse_many(values: list, field: str = "boundary") -> tuple[np.ndarray, dict[int, FieldProblem]]:
    """`parse` over many values at once: the same answers, the checks vectorised. Returns the
    geometries (None where absent or refused) and the problem of each refused position."""
    n = len(values)
    geoms = np.full(n, None, dtype=object)
    problems: dict[int, FieldProblem] = {}
    text = [i for i, v in enumerate(values) if isinstance(v, str) and v.strip() and not v.lstrip().startswith("{")]
    ready = [i for i, v in enumerate(values) if isinstance(v, BaseGeometry)]
    if text:
        geoms[text] = shapely.from_wkt(np.array([values[i] for i in text], dtype=object), on_invalid="ignore")
    if ready:
        geoms[ready] = [values[i] for i in ready]
    for i, v in enumerate(values):  # the rest (GeoJSON, WKB, unparsable text) one by one, with the reason
        if geoms[i] is None and v is not None and v != "" and v != {}:
            geoms[i], p = parse(v, field)
            if p:
                problems[i] = p
    present = np.flatnonzero(shapely.is_geometry(geoms))
    g = geoms[present]
    bounds = shapely.bounds(g)
    inside = (
        (bounds[:, 0] >= CHINA_BBOX[0])
        & (bounds[:, 1] >= CHINA_BBOX[1])
        & (bounds[:, 2] <= CHINA_BBOX[2])
        & (bounds[:, 3] <= CHINA_BBOX[3])
    )
    small = shapely.get_num_coordinates(g) <= limits.get("vertices")  # before validity, whose cost grows with them
    fine = np.isin(shapely.get_type_id(g), POLYGONAL) & ~shapely.is_empty(g) & inside & small
    fine[fine] = shapely.is_valid(g[fine])
    for i in present[~fine]:
        problems[int(i)] = _check(geoms[i], field)
        geoms[i] = None
    return geoms, problems


def areas_km2(geoms: np.ndarray) -> list[float | None]:
    """`ellipsoidal_area_km2` of many geometries at once (None where there is none): the same
    computation as a batch of one, so a bulk import stores exactly the area a single create would."""
    areas = geo_area.official_areas_lonlat_km2(geoms)
    return [None if np.isnan(a) else float(a) for a in areas.tolist()]


def columns(geom) -> dict:
    """The stored columns for a geometry (or all None)."""
    if geom is None:
        return {"boundary": None, "min_lon": None, "min_lat": None, "max_lon": None, "max_lat": None}
    x0, y0, x1, y1 = geom.bounds
    return {"boundary": shapely.to_wkb(geom), "min_lon": x0, "min_lat": y0, "max_lon": x1, "max_lat": y1}


def columns_many(geoms: np.ndarray) -> list[dict]:
    """`columns` of many geometries at once (WKB and bounds vectorised)."""
    blobs = shapely.to_wkb(geoms)
    bounds = shapely.bounds(geoms).tolist()
    return [
        columns(None)
        if blob is None
        else {"boundary": blob, "min_lon": b[0], "min_lat": b[1], "max_lon": b[2], "max_lat": b[3]}
        for blob, b in zip(blobs.tolist(), bounds)
    ]


def load(blob):
    return wkb.loads(bytes(blob)) if blob else None


def to_geojson(blob):
    return to_geojson_many([blob])[0]


def to_geojson_many(blobs) -> list[dict | None]:
    """GeoJSON geometries (dicts) of many stored boundaries, converted together by GEOS."""
    present = [i for i, blob in enumerate(blobs) if blob]
    out: list[dict | None] = [None] * len(blobs)
    if present:
        texts = shapely.to_geojson(shapely.from_wkb([bytes(blobs[i]) for i in present]))
        for i, text in zip(present, texts.tolist(), strict=True):
            out[i] = orjson.loads(text)
    return out
