"""Reading, validating and writing registry layers through pyogrio (GDAL ships in its wheel).

Formats: GeoJSON, GeoPackage, Shapefile (with .prj and .cpg; DBF text without .cpg is tried as
UTF-8, then GBK), KML, CSV (a WKT column, or longitude/latitude columns) and corner-point text.
``read_layer`` reads the whole file and returns every feature it could read plus every problem,
each naming its 1-based feature row; it never drops a feature silently. The caller (the registry
import) decides to write all or nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyogrio
import pyogrio.raw as ogr
import shapely
from pyproj import CRS

from . import boundary as bd
from .cornerpoints import write as write_cornerpoints
from .crs import to_lonlat_transform
from .problems import ERROR, WARNING, GeoError, Problem
from .validate import check_text

DRIVERS = {
    "geojson": "GeoJSON",
    "gpkg": "GPKG",
    "shp": "ESRI Shapefile",
    "kml": "KML",
    "csv": "CSV",
    "txt": "cornerpoints",
}
SUFFIXES = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".shp": "shp",
    ".kml": "kml",
    ".csv": "csv",
    ".txt": "txt",
}
LON_NAMES = "Longitude,longitude,lon,lng,经度,X_WGS84"
LAT_NAMES = "Latitude,latitude,lat,纬度,Y_WGS84"
WKT_NAMES = "WKT,wkt,geometry,geom,几何"
KML_BOILERPLATE = {
    "description",
    "timestamp",
    "begin",
    "end",
    "altitudeMode",
    "tessellate",
    "extrude",
    "visibility",
    "drawOrder",
    "icon",
    "id",
}
# CGCS2000 and WGS84 agree to a few centimetres: geographic WGS84 input is taken as EPSG:4490.
SAME_AS_4490 = {4490, 4326, 4610}


@dataclass
class Feature:
    """A plain record: ``row`` (1-based in the file), properties, geometry in EPSG:4490 (or None)."""

    row: int
    properties: dict
    geometry: object | None = None


@dataclass
class Options:
    repair: bool = False
    jurisdictions: dict | None = None
    jurisdiction_field: str | None = None
    jurisdiction_severity: str = ERROR
    problems: list[Problem] = field(default_factory=list)


def layer_format(path: str | Path, fmt: str | None = None) -> str:
    fmt = (fmt or SUFFIXES.get(Path(path).suffix.lower(), "")).lower()
    if fmt not in DRIVERS:
        raise GeoError(
            [
                Problem(
                    "format",
                    f"不支持的格式：{Path(path).suffix or fmt}",
                    f"unsupported format: {Path(path).suffix or fmt}; use one of {sorted(DRIVERS)}",
                )
            ]
        )
    return fmt


# ---------------------------------------------------------------- reading


def _read_ogr(path: Path, fmt: str, encoding: str | None, layer):
    kwargs: dict = {"layer": layer}
    if fmt == "csv":
        header = path.read_text(encoding=encoding or "utf-8", errors="replace").split("\n", 1)[0]
        names = {h.strip().strip('"') for h in header.split(",")}
        if names & set(WKT_NAMES.split(",")):
            kwargs.update(GEOM_POSSIBLE_NAMES=WKT_NAMES, KEEP_GEOM_COLUMNS="NO")
        else:
            kwargs.update(X_POSSIBLE_NAMES=LON_NAMES, Y_POSSIBLE_NAMES=LAT_NAMES, KEEP_GEOM_COLUMNS="YES")
    if encoding or fmt not in ("shp", "csv") or path.with_suffix(".cpg").exists():
        return ogr.read(path, encoding=encoding, **kwargs)
    try:  # a DBF without .cpg, or a CSV: UTF-8 if it decodes, else GBK (the common case in China)
        return ogr.read(path, encoding="UTF-8", **kwargs)
    except UnicodeDecodeError:
        return ogr.read(path, encoding="GBK", **kwargs)


def _source_epsg(meta: dict, fmt: str) -> int:
    if not meta.get("crs"):
        return 4490  # CSV lon/lat and corner points carry no CRS: CGCS2000 geographic by convention
    crs = CRS.from_user_input(meta["crs"])
    epsg = crs.to_epsg() or (4490 if crs.is_geographic and crs.ellipsoid.name in ("CGCS2000", "GRS 1980") else None)
    if epsg is None:
        raise GeoError([Problem("crs", f"无法识别的坐标系：{crs.name}", f"unrecognised coordinate system: {crs.name}")])
    return epsg


def _plain(value):
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(value)
    return value


def _check_geometry(f: Feature, opts: Options) -> None:
    g = f.geometry
    row = f.row
    if g is None or shapely.is_empty(g):
        opts.problems.append(Problem("no_geometry", "缺少几何或坐标", "missing geometry or coordinates", row=row))
        f.geometry = None
        return
    xmin, ymin, xmax, ymax = shapely.bounds(g)
    if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
        opts.problems.append(Problem("bad_coordinates", "经纬度超出范围", "longitude/latitude out of range", row=row))
        return
    if not shapely.is_valid(g):
        reason = shapely.is_valid_reason(g)
        if opts.repair:
            f.geometry = shapely.make_valid(g)
            opts.problems.append(
                Problem(
                    "invalid_geometry",
                    f"几何无效（{reason}），已修复",
                    f"invalid geometry ({reason}); repaired with make_valid",
                    WARNING,
                    row=row,
                )
            )
        else:
            opts.problems.append(
                Problem("invalid_geometry", f"几何无效：{reason}", f"invalid geometry: {reason}", row=row)
            )
    if opts.jurisdictions is not None and opts.jurisdiction_field:
        _check_jurisdiction(f, opts)


def _check_jurisdiction(f: Feature, opts: Options) -> None:
    code = f.properties.get(opts.jurisdiction_field)
    code = "" if code is None else str(code).strip()
    region = opts.jurisdictions.get(code)
    if region is None:
        opts.problems.append(
            Problem(
                "unknown_jurisdiction",
                f"{opts.jurisdiction_field}“{code}”不是已知辖区",
                f"{opts.jurisdiction_field} '{code}' is not a known jurisdiction",
                opts.jurisdiction_severity,
                row=f.row,
            )
        )
    elif not shapely.covers(region, f.geometry):
        rp = shapely.point_on_surface(f.geometry)
        opts.problems.append(
            Problem(
                "outside_jurisdiction",
                f"位置（{rp.x:.5f}, {rp.y:.5f}）不在所述辖区{code}之内",
                f"location ({rp.x:.5f}, {rp.y:.5f}) is outside its stated jurisdiction {code}",
                opts.jurisdiction_severity,
                row=f.row,
            )
        )


def _read_cornerpoints(path: Path, opts: Options, validate_options: dict) -> list[Feature]:
    v = check_text(path.read_bytes(), **validate_options)
    opts.problems += v.problems
    if v.boundary is None:
        return []
    props = dict(v.boundary.metadata)
    props["area_km2"] = v.area_km2
    return [Feature(1, props, v.geometry)]


def read_layer(
    path,
    *,
    format: str | None = None,
    encoding: str | None = None,
    layer=None,
    repair: bool = False,
    jurisdictions: dict | None = None,
    jurisdiction_field: str | None = None,
    jurisdiction_severity: str = ERROR,
    **cornerpoint_options,
) -> tuple[list[Feature], list[Problem]]:
    """Read a whole layer file into plain records in EPSG:4490 and report every defect.

    ``jurisdictions`` maps a code (e.g. a 6-digit adcode) to its boundary geometry; with
    ``jurisdiction_field`` each feature must lie inside the region its field names.
    ``repair`` fixes invalid geometry with make_valid (reported as a warning, not an error).
    Extra keyword options go to corner-point validation (close_rings, stated_area_km2, …)."""
    path = Path(path)
    fmt = layer_format(path, format)
    if not path.exists():
        raise GeoError([Problem("no_file", f"文件不存在：{path}", f"file not found: {path}")])
    opts = Options(repair, jurisdictions, jurisdiction_field, jurisdiction_severity)
    if fmt == "txt":
        features = _read_cornerpoints(path, opts, cornerpoint_options)
    else:
        try:
            meta, _, wkb, field_data = _read_ogr(path, fmt, encoding, layer)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise GeoError([Problem("unreadable", f"无法读取文件：{exc}", f"cannot read the file: {exc}")]) from exc
        epsg = _source_epsg(meta, fmt)
        n_rows = len(wkb) if wkb is not None else (len(field_data[0]) if field_data else 0)
        geoms = shapely.from_wkb(wkb) if wkb is not None else np.full(n_rows, None)
        if epsg not in SAME_AS_4490:
            geoms = shapely.transform(geoms, to_lonlat_transform(epsg))
        names = [n for n in meta["fields"] if not (fmt == "kml" and n in KML_BOILERPLATE)]
        columns = [_python_column(d) for n, d in zip(meta["fields"], field_data) if n in names]
        features = [
            Feature(i + 1, dict(zip(names, values)), g)
            for i, (g, values) in enumerate(zip(geoms, zip(*columns) if columns else [()] * len(geoms)))
        ]
        for i in _suspect_geometries(geoms, opts):  # the checks vectorised; each suspect one explained
            _check_geometry(features[i], opts)
    return features, opts.problems


def _python_column(values) -> list:
    """A column as Python values (NaN and NaT as None), converted at once rather than per cell."""
    if values.dtype.kind == "f":
        return [None if v != v else v for v in values.tolist()]
    if values.dtype.kind in "iub":
        return values.tolist()
    return [v if type(v) is str else _plain(v) for v in values.tolist()]  # mostly text: kept as it is


def _suspect_geometries(geoms, opts: Options):
    """Positions that `_check_geometry` has something to say about: missing, empty, out of range,
    invalid — or every position when a jurisdiction is checked too."""
    if opts.jurisdictions is not None and opts.jurisdiction_field:
        return range(len(geoms))
    present = shapely.is_geometry(geoms)
    ok = present.copy()
    ok[present] = ~shapely.is_empty(geoms[present])
    b = shapely.bounds(geoms[ok])
    inside = (b[:, 0] >= -180) & (b[:, 2] <= 180) & (b[:, 1] >= -90) & (b[:, 3] <= 90)
    fine = np.zeros(len(geoms), dtype=bool)
    fine[np.flatnonzero(ok)[inside]] = shapely.is_valid(geoms[ok][inside])
    return np.flatnonzero(~fine).tolist()


# ---------------------------------------------------------------- writing


def _records(records) -> list[Feature]:
    out = []
    for i, r in enumerate(records, 1):
        if isinstance(r, Feature):
            out.append(r)
        elif isinstance(r, dict):
            props = dict(r.get("properties", {k: v for k, v in r.items() if k != "geometry"}))
            out.append(Feature(i, props, r.get("geometry")))
        else:
            props, geom = r
            out.append(Feature(i, dict(props), geom))
    return out


def _column(values: list):
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, (bool, np.bool_)) for v in present):
        return np.array([None if v is None else int(v) for v in values], dtype=object)
    if present and all(isinstance(v, (int, np.integer)) for v in present) and len(present) == len(values):
        return np.array(values, dtype=np.int64)
    if present and all(isinstance(v, (int, float, np.integer, np.floating)) for v in present):
        return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    return np.array([None if v is None else str(v) for v in values], dtype=object)


def _geometry_type(geoms) -> tuple[str, bool]:
    kinds = {shapely.get_type_id(g) for g in geoms if g is not None}
    if kinds <= {0}:
        return "Point", False
    if kinds <= {3, 6}:
        return "MultiPolygon", True
    if kinds <= {1, 5}:
        return "MultiLineString", True
    return "Unknown", False


def write_layer(
    records,
    path,
    format: str | None = None,
    *,
    encoding: str | None = None,
    layer: str | None = None,
    **cornerpoint_options,
) -> Path:
    """Write plain records (Feature, {"properties", "geometry"} or (properties, geometry)) in
    EPSG:4490. Shapefile DBF text is written in ``encoding`` (default UTF-8) with a .cpg beside it;
    KML is written as WGS84 (coordinates unchanged). Corner-point text takes exactly one record;
    ``cornerpoint_options`` go to ``boundary.from_lonlat`` (layout, zone, width, decimals, …)."""
    path = Path(path)
    fmt = layer_format(path, format)
    feats = _records(records)
    if fmt == "txt":
        if len(feats) != 1:
            raise GeoError(
                [
                    Problem(
                        "one_boundary",
                        f"拐点坐标文本每个文件只能写一个边界，收到{len(feats)}个",
                        f"corner-point text holds one boundary per file, got {len(feats)}",
                    )
                ]
            )
        meta = {k: str(v) for k, v in feats[0].properties.items() if v is not None and k != "area_km2"}
        b = bd.from_lonlat(feats[0].geometry, metadata=meta, encoding=encoding or "utf-8", **cornerpoint_options)
        path.write_bytes(write_cornerpoints(b))
        return path
    names = list(dict.fromkeys(k for f in feats for k in f.properties))
    data = [_column([f.properties.get(n) for f in feats]) for n in names]
    geoms = [f.geometry for f in feats]
    gtype, promote = _geometry_type(geoms)
    options: dict = {}
    if fmt == "csv":
        options["layer_options"] = {"GEOMETRY": "AS_WKT"}
    if fmt == "shp":
        encoding = encoding or "UTF-8"
    ogr.write(
        path,
        shapely.to_wkb(np.array(geoms, dtype=object)),
        data,
        names,
        layer=layer,
        driver=DRIVERS[fmt],
        crs="EPSG:4326" if fmt == "kml" else "EPSG:4490",
        encoding=encoding,
        geometry_type=gtype,
        promote_to_multi=promote if fmt in ("shp", "gpkg") else None,
        **options,
    )
    return path
