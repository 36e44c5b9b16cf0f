"""Geometry core (pure: no Django): corner-point text, CGCS2000 zones, official area,
validation, the spatial index service and layer files. See docs/geo.md."""

from .area import ellipsoidal_area_km2, official_area_km2, official_area_lonlat_km2, planar_area_km2
from .boundary import from_lonlat, official_area, to_lonlat
from .cornerpoints import Boundary, CornerPoint, Ring, parse, write
from .crs import Zone, gk_to_lonlat, lonlat_to_gk, zone_from_central_meridian, zone_from_number
from .index import Pairs, SpatialIndex, STRtreeIndex
from .layers import Feature, read_layer, write_layer
from .problems import GeoError, Problem
from .validate import Validation, check_text, validate

__all__ = [
    "Boundary",
    "CornerPoint",
    "Feature",
    "GeoError",
    "Pairs",
    "Problem",
    "Ring",
    "STRtreeIndex",
    "SpatialIndex",
    "Validation",
    "Zone",
    "check_text",
    "ellipsoidal_area_km2",
    "official_area_lonlat_km2",
    "from_lonlat",
    "gk_to_lonlat",
    "lonlat_to_gk",
    "official_area",
    "official_area_km2",
    "parse",
    "planar_area_km2",
    "read_layer",
    "to_lonlat",
    "validate",
    "write",
    "write_layer",
    "zone_from_central_meridian",
    "zone_from_number",
]
