"""Open data: bulk downloads of every public layer (mineral rights, zones, facilities) of the
deployment's jurisdiction, as the public sees them (public fields of public records only).

Each layer is written as a GeoPackage and GeoJSON (through the registry's layer export, EPSG:4490),
CSV (the registry's text export: every cell through `exports.inert`) and, for the layers with
boundaries, a zip of corner-point text files (one per record, the format boundaries are filed in);
each with a data dictionary, and the set with its licence and the date and data version it was built
from. A build goes into a new folder and a pointer file is swapped in last, so a download never sees
half a build. `regenerate` is a background job (django-tasks): the open-data page enqueues it when the
data version (the audit head and running imports, as for the map) differs from the built one.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import threading
import zipfile
from pathlib import Path

from django.conf import settings
from django_tasks import task

from kuangzheng.access.actor import PUBLIC_ACTOR
from kuangzheng.geo.layers import write_layer
from kuangzheng.registry import geometry, services, transfer
from kuangzheng.registry.geojson import data_version

LAYERS = {"rights": "right", "zones": "zone", "facilities": "facility"}
TITLES = {
    "rights": ("矿业权", "Mineral rights"),
    "zones": ("规划分区", "Planning zones"),
    "facilities": ("生产设施", "Facilities"),
}
FORMATS = {  # suffix: (zh, en)
    "gpkg": ("GeoPackage", "GeoPackage"),
    "geojson": ("GeoJSON", "GeoJSON"),
    "csv": ("CSV（边界为 WKT）", "CSV (boundaries as WKT)"),
    "cornerpoints.zip": ("拐点坐标文本（zip）", "Corner-point text (zip)"),
}
# columns the export adds beside the specification's fields
EXTRA = {
    "id": ("编号", "record id", "integer"),
    "full_view": ("是否完整视图", "full view (always false here: the public view)", "boolean"),
    "is_generated": ("演示生成", "generated demonstration record", "boolean"),
    "source": ("来源", "source", "text"),
    "area_km2": ("面积(km²，CGCS2000 椭球)", "area (km², CGCS2000 ellipsoid)", "float"),
    "bbox": ("外包框(经纬度)", "bounding box (lon/lat)", "text"),
    "status": ("状态", "status", "choice"),
    "holder_name": ("权利人名称", "holder's name", "text"),
    "enterprise_name": ("企业名称", "enterprise's name", "text"),
    "mineral_names": ("矿种名称", "mineral names (zh, en)", "json"),
    "division_name": ("行政区划名称", "division name", "text"),
    "boundary": ("边界(WKT, EPSG:4490)", "boundary (WKT, EPSG:4490)", "geometry"),
}
POINTER = "current.json"
_building = threading.Lock()


def root() -> Path:
    return Path(settings.DATA_DIR) / "opendata"


def version() -> str:
    """The data version as text (changes with every audited write and import batch)."""
    return json.dumps(data_version(), default=str)


def manifest() -> dict | None:
    """The current build's manifest, or None before the first build."""
    try:
        return json.loads((root() / POINTER).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def file_path(name: str) -> Path | None:
    """A file of the current build by its published name, None when there is no such file."""
    m = manifest()
    names = {f["name"] for layer in (m or {}).get("layers", {}).values() for f in layer["files"]}
    return root() / m["folder"] / name if m and name in names else None


def division() -> str:
    prefix = settings.PROVINCE_PREFIX
    return prefix + "0000" if prefix else ""


def licence() -> dict:
    return {"name": settings.OPEN_DATA_LICENCE, "url": settings.OPEN_DATA_LICENCE_URL}


def dictionary(entity: str, columns: list[str]) -> list[dict]:
    """The data dictionary of a layer's columns: each field's name, Chinese and English label, type."""
    spec = {f.name: (f.zh, f.en, f.type) for f in services.entity(entity).specs}
    rows = []
    for c in columns:
        zh, en, kind = spec.get(c) or EXTRA.get(c) or (c, c, "text")
        rows.append({"field": c, "zh": zh, "en": en, "type": kind})
    return rows


def ensure_fresh() -> bool:
    """Enqueue a rebuild when the data changed since the last build; True when one was enqueued."""
    m, v = manifest(), version()
    if m is not None and m["version"] == v:
        return False
    regenerate.enqueue(v)
    return True


@task()
def regenerate(wanted: str = "") -> str:
    """Build the open-data files unless a build of this data version exists; returns the folder."""
    with _building:
        m = manifest()
        if m is not None and wanted and m["version"] == wanted:
            return m["folder"]
        return build()["folder"]


def build() -> dict:
    base = root()
    base.mkdir(parents=True, exist_ok=True)
    v, when = version(), dt.datetime.now(dt.UTC)
    folder = Path(tempfile.mkdtemp(prefix=when.strftime("%Y%m%dT%H%M%S-"), dir=base))
    layers = {}
    for layer, entity in LAYERS.items():
        layers[layer] = _layer(folder, layer, entity)
    m = {
        "version": v,
        "generated_at": when.isoformat(timespec="seconds"),
        "jurisdiction": settings.JURISDICTION,
        "division": division(),
        "licence": licence(),
        "crs": "EPSG:4490",
        "folder": folder.name,
        "layers": layers,
    }
    (folder / "manifest.json").write_text(json.dumps(m, ensure_ascii=False, indent=1), "utf-8")
    pointer = base / (POINTER + ".tmp")
    pointer.write_text(json.dumps(m, ensure_ascii=False), "utf-8")
    os.replace(pointer, base / POINTER)  # the swap: readers see the old build or the new one
    for old in base.iterdir():  # keep this build and the one before (a download may be under way)
        if old.is_dir() and old.name not in (folder.name, *_previous(base, folder.name)):
            shutil.rmtree(old, ignore_errors=True)
    return m


def _previous(base: Path, current: str) -> list[str]:
    dirs = sorted((d.name for d in base.iterdir() if d.is_dir() and d.name != current), reverse=True)
    return dirs[:1]


def _layer(folder: Path, layer: str, entity: str) -> dict:
    where = division()
    records = services.search(PUBLIC_ACTOR, entity, division=where)
    count = records.count()
    csv_text = transfer.export_text(PUBLIC_ACTOR, entity, "csv", division=where)
    columns = next(csv.reader(io.StringIO(csv_text)), [])
    (folder / f"{layer}.csv").write_text(csv_text, "utf-8-sig")  # with a BOM: Excel reads it as UTF-8
    files = [f"{layer}.csv"]
    if count:
        for suffix in ("gpkg", "geojson"):
            transfer.export_layer(PUBLIC_ACTOR, entity, folder / f"{layer}.{suffix}", suffix, division=where)
            files.append(f"{layer}.{suffix}")
    if entity != "facility" and count:
        _cornerpoints(folder / f"{layer}.cornerpoints.zip", entity, records)
        files.append(f"{layer}.cornerpoints.zip")
    return {
        "count": count,
        "files": [_described(folder / name) for name in files],
        "dictionary": dictionary(entity, columns),
    }


def _described(path: Path) -> dict:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    suffix = path.name.split(".", 1)[1]
    return {"name": path.name, "format": suffix, "bytes": path.stat().st_size, "sha256": digest}


def _cornerpoints(path: Path, entity: str, records) -> None:
    """One corner-point text file per boundary, named by the record's key, in one zip."""
    key = services.entity(entity).natural_key
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for obj in records.exclude(boundary=None):
            props = {k: v for k, v in services.serialize(PUBLIC_ACTOR, entity, obj).items() if isinstance(v, str)}
            name = re.sub(r"[^0-9A-Za-z_-]", "_", str(getattr(obj, key)))[:60] or "record"
            out = Path(tmp) / f"{obj.pk}-{name}.txt"
            write_layer([(props, geometry.load(obj.boundary))], out, "txt")
            zf.write(out, out.name)
            out.unlink()
