"""`kz geo …`: area, convert and check for corner-point text and layer files (mounted by kz)."""

from __future__ import annotations

import json
import sys

import click
import shapely
from tqdm import tqdm

from .area import official_area_lonlat_km2
from .layers import Feature, layer_format, read_layer, write_layer
from .problems import ERROR, GeoError, Problem


def _read(path: str, **options) -> tuple[list[Feature], list]:
    try:
        return read_layer(path, **options)
    except GeoError as exc:
        raise click.ClickException(str(exc)) from exc


def _report(problems, out=None) -> int:
    """Print problems one a line; return how many are errors."""
    for p in problems:
        tag = "错误 error" if p.severity == ERROR else "警告 warning"
        click.echo(f"{tag}: {p}", file=out)
    return sum(p.severity == ERROR for p in problems)


def _jurisdiction(path: str | None):
    if not path:
        return None
    feats, _ = _read(path, repair=True)
    return shapely.union_all([f.geometry for f in feats if f.geometry is not None])


@click.group("geo")
def geo():
    """几何工具：面积、格式转换、校验 / Geometry tools: area, convert, check."""


@geo.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="JSON output / 以JSON输出")
def area(file, as_json):
    """官方椭球面积（平方公里，4位小数） / Official ellipsoidal area in km² (4 decimals) of each feature.

    Corner-point text: edges straight in the file's Gauss–Krüger zone (the area the file's check
    computes). Other formats: edges along meridians and parallels as they are, every other edge
    straight in the GK plane of the 3° zone of the feature's centroid — as the registry stores it."""
    feats, problems = _read(file, repair=True)
    rows = []
    for f in tqdm(feats, desc="面积 area", unit="feature", disable=None, file=sys.stderr):
        if f.geometry is None:
            value = None
        elif f.properties.get("area_km2") is not None and file.lower().endswith(".txt"):
            value = f.properties["area_km2"]  # corner-point text: the official area of its own zone
        else:
            value = official_area_lonlat_km2(f.geometry)
        rows.append({"row": f.row, "area_km2": value})
    if as_json:
        click.echo(json.dumps({"features": rows, "problems": [str(p) for p in problems]}, ensure_ascii=False))
        return
    _report(problems, out=sys.stderr)
    for r in rows:
        click.echo(f"{r['row']}\t{'' if r['area_km2'] is None else format(r['area_km2'], '.4f')}")
    click.echo(f"合计 total\t{sum(r['area_km2'] or 0 for r in rows):.4f}")


@geo.command()
@click.argument("src", type=click.Path(exists=True, dir_okay=False))
@click.argument("dst", type=click.Path(dir_okay=False))
@click.option("--to", "fmt", default=None, help="输出格式 output format: geojson gpkg shp kml csv txt")
@click.option("--encoding", default=None, help="输出编码 output encoding (shapefile DBF, corner-point text)")
@click.option(
    "--layout",
    type=click.Choice(["numbered", "keyvalue", "table"]),
    default="numbered",
    help="拐点坐标文本布局 corner-point layout",
)
@click.option("--zone-width", type=click.Choice(["3", "6"]), default="3", help="投影带宽 GK zone width")
@click.option("--repair", is_flag=True, help="修复无效几何 repair invalid geometry (make_valid)")
def convert(src, dst, fmt, encoding, layout, zone_width, repair):
    """格式转换（有错误则不写出） / Convert a layer; nothing is written if any feature has an error."""
    feats, problems = _read(src, repair=repair)
    if _report(problems, out=sys.stderr):
        raise click.ClickException("存在错误，未写出 / errors found, nothing written")
    out_fmt = layer_format(dst, fmt)
    options = {"layout": layout, "width": int(zone_width)} if out_fmt == "txt" else {}
    try:
        write_layer(feats, dst, out_fmt, encoding=encoding, **options)
    except GeoError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已写出{len(feats)}个要素 / wrote {len(feats)} features to {dst}")


@geo.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--jurisdiction",
    type=click.Path(exists=True, dir_okay=False),
    help="辖区边界文件 jurisdiction boundary file (its union is the region)",
)
@click.option("--refuse-open-rings", is_flag=True, help="未闭合的圈视为错误 open rings are errors")
@click.option("--stated-area", type=float, default=None, help="申报面积（平方公里） stated area in km²")
@click.option("--mixed-zones", is_flag=True, default=None, help="允许跨带 allow mixed zones in a block")
def check(file, jurisdiction, refuse_open_rings, stated_area, mixed_zones):
    """校验报告，有错误时退出码为1 / Validation report; exit status 1 when there are errors."""
    region = _jurisdiction(jurisdiction)
    options = {}
    if layer_format(file) == "txt":
        options = {
            "close_rings": "refuse" if refuse_open_rings else "warn",
            "jurisdiction": region,
            "stated_area_km2": stated_area,
            "allow_mixed_zones": mixed_zones,
        }
    feats, problems = _read(file, **options)
    if region is not None and layer_format(file) != "txt":
        for f in tqdm(feats, desc="辖区 jurisdiction", unit="feature", disable=None, file=sys.stderr):
            if f.geometry is not None and not shapely.covers(region, f.geometry):
                problems.append(
                    Problem(
                        "outside_jurisdiction", "要素不在辖区之内", "feature is outside the jurisdiction", row=f.row
                    )
                )
    n_err = _report(problems)
    click.echo(
        f"{len(feats)}个要素，{n_err}个错误，{len(problems) - n_err}个警告 / "
        f"{len(feats)} features, {n_err} errors, {len(problems) - n_err} warnings"
    )
    if n_err:
        sys.exit(1)
