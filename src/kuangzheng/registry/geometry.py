"""Boundaries as the registry stores them: WKB in EPSG:4490 plus a bounding box and the official area.

Parsing accepts GeoJSON (dict or text) or WKT in longitude/latitude order. The official area comes
from the geometry core so that the registry, imports and `kz geo area` always agree.
"""

from __future__ import annotations

import json

import shapely
from shapely import wkb, wkt
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

from kuangzheng.errors import FieldProblem
from kuangzheng.geo import area as geo_area

CHINA_BBOX = (73.0, 3.0, 136.0, 54.0)  # lon/lat envelope of the PRC and its seas


def ellipsoidal_area_km2(geom) -> float:
    """The official area (km², 4 decimals) on the CGCS2000 ellipsoid, by the geometry core's method:
    graticule edges as they are, other edges straight in the Gauss–Krüger plane (docs/geo.md)."""
    return geo_area.official_area_lonlat_km2(geom)


def parse(value, field: str = "boundary"):
    """Return (shapely geometry or None, problem or None)."""
    if value in (None, "", {}):
        return None, None
    try:
        if isinstance(value, (bytes, memoryview)):
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
    if geom.is_empty:
        return None, FieldProblem(field, "边界为空", "the boundary is empty")
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
