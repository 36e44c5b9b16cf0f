"""Boundaries as the registry stores them: WKB in EPSG:4490 plus a bounding box and the official area.

Parsing accepts GeoJSON (dict or text) or WKT in longitude/latitude order. The official area comes
from the geometry core so that the registry and `kz geo area` always agree.
"""

from __future__ import annotations

import json

import shapely
from shapely import wkb, wkt
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

from kuangzheng import limits
from kuangzheng.errors import FieldProblem
from kuangzheng.geo import area as geo_area

CHINA_BBOX = (73.0, 3.0, 136.0, 54.0)  # lon/lat envelope of the PRC and its seas


def ellipsoidal_area_km2(geom) -> float:
    """The official area (km², 4 decimals) on the CGCS2000 ellipsoid, by the geometry core's method."""
    return round(float(geo_area.ellipsoidal_area_km2(geom)), 4)


def parse(value, field: str = "boundary"):
    """Return (shapely geometry or None, problem or None)."""
    if value in (None, "", {}):
        return None, None
    try:
        if isinstance(value, (bytes, memoryview)):
            geom = wkb.loads(bytes(value))
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
    if geom.is_empty:
        return None, FieldProblem(field, "边界为空", "the boundary is empty")
    vertices, most = shapely.get_num_coordinates(geom), limits.get("vertices")
    if vertices > most:  # checked before validity and area, whose cost grows with the vertices
        var = limits.variable("vertices")
        return None, FieldProblem(
            field,
            f"边界有 {vertices} 个顶点，超过上限 {most}（由 {var} 设置）",
            f"the boundary has {vertices} vertices, more than the limit of {most} (set by {var})",
        )
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return None, FieldProblem(
            field,
            f"边界应为面（Polygon/MultiPolygon），实为 {geom.geom_type}",
            f"the boundary must be a Polygon or MultiPolygon, not {geom.geom_type}",
        )
    if not geom.is_valid:
        why = explain_validity(geom)
        return None, FieldProblem(field, f"边界几何无效：{why}", f"the boundary is not a valid geometry: {why}")
    x0, y0, x1, y1 = geom.bounds
    if x0 < CHINA_BBOX[0] or y0 < CHINA_BBOX[1] or x1 > CHINA_BBOX[2] or y1 > CHINA_BBOX[3]:
        return None, FieldProblem(
            field,
            "坐标超出中国范围（应为 CGCS2000 经纬度，经度在前）",
            "coordinates outside China (expected CGCS2000 longitude/latitude, longitude first)",
        )
    return geom, None


def columns(geom) -> dict:
    """The stored columns for a geometry (or all None)."""
    if geom is None:
        return {"boundary": None, "min_lon": None, "min_lat": None, "max_lon": None, "max_lat": None}
    x0, y0, x1, y1 = geom.bounds
    return {"boundary": shapely.to_wkb(geom), "min_lon": x0, "min_lat": y0, "max_lon": x1, "max_lat": y1}


def load(blob):
    return wkb.loads(bytes(blob)) if blob else None


def to_geojson(blob):
    g = load(blob)
    return mapping(g) if g is not None else None
