"""Import and export of registry records as JSON or CSV. Imports are all-or-nothing: every row is
validated first and every bad row reported; only a clean file is written, in one transaction. A row
whose natural key (credit code, licence number, zone code, external id) exists already is skipped,
so importing the same file twice creates no duplicates."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from pathlib import Path

from django.db import IntegrityError

from kuangzheng import bulkinsert, jsonin, uploads
from kuangzheng.errors import FieldProblem, InvalidInput, ServiceError
from kuangzheng.exports import inert

from . import geometry, services

EVENT_COLUMNS = ("event_kind", "event_date", "event_document_ref", "event_reason")


class ImportRejected(Exception):
    def __init__(self, problems: list[FieldProblem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


LAYER_SUFFIXES = {".geojson", ".gpkg", ".shp", ".kml", ".txt"}


def read_rows(path: Path) -> list[dict]:
    """Rows from JSON, CSV (a `boundary` column may hold WKT) or a geo layer file (GeoJSON,
    GeoPackage, Shapefile, KML, corner-point text), whose geometry becomes the `boundary`. A file
    that cannot be read raises ImportRejected naming the file (or the row) and the reason."""
    too_big = uploads.size_problem(path.stat().st_size, "file", "import_bytes")
    if too_big:
        raise ImportRejected([too_big])
    if path.suffix.lower() in LAYER_SUFFIXES or _is_feature_collection(path):
        with bulkinsert.gc_paused():  # a row per feature: see gc_paused
            return _layer_rows(path)
    text = _decode(path.read_bytes())
    if path.suffix.lower() == ".json":
        try:
            data = jsonin.loads(text, "file")
        except InvalidInput as exc:
            raise ImportRejected([_by_row(p) for p in exc.problems]) from None
        return _objects(data if isinstance(data, list) else [data])
    return [{k: v for k, v in r.items() if k is not None} for r in csv.DictReader(io.StringIO(text))]


def _decode(raw: bytes) -> str:
    """The text of a file in UTF-8, UTF-16 with a byte-order mark, or GBK (Chinese CSVs from Excel)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    if b"\x00" in raw[:4096]:
        raise ImportRejected(
            [
                FieldProblem(
                    "file",
                    "文件含有空字节，疑为无字节序标记的 UTF-16；请另存为 UTF-8 或 GBK",
                    "the file holds NUL bytes, probably UTF-16 without a byte-order mark; save it as UTF-8 or GBK",
                )
            ]
        )
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ImportRejected(
        [FieldProblem("file", "无法按 UTF-8 或 GBK 解码文件", "the file cannot be decoded as UTF-8 or GBK")]
    )


def _by_row(p: FieldProblem) -> FieldProblem:
    """`[3].attrs.x` (a place in a JSON list of rows) as row 4, field `attrs.x`."""
    m = re.match(r"^\[(\d+)\]\.?(.*)$", p.field)
    return FieldProblem(m.group(2) or "*", p.zh, p.en, row=int(m.group(1)) + 1) if m else p


def _objects(items: list) -> list[dict]:
    """JSON rows must be objects; each one that is not is reported with its row."""
    bad = [
        FieldProblem(
            "*", f"应为 JSON 对象，实为 {type(v).__name__}", f"must be a JSON object, not {type(v).__name__}", row=i
        )
        for i, v in enumerate(items, 1)
        if not isinstance(v, dict)
    ]
    if bad:
        raise ImportRejected(bad)
    return items


def _is_feature_collection(path: Path) -> bool:
    if path.suffix.lower() != ".json":
        return False
    head = path.read_text(encoding="utf-8-sig", errors="replace")[:2000]
    return '"FeatureCollection"' in head


def _layer_rows(path: Path) -> list[dict]:
    from kuangzheng.geo.layers import read_layer
    from kuangzheng.geo.problems import GeoError

    try:
        features, problems = read_layer(path, format="geojson" if path.suffix.lower() == ".json" else None)
    except GeoError as exc:
        raise ImportRejected([FieldProblem("file", p.zh, p.en, row=p.row) for p in exc.problems]) from exc
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ImportRejected([FieldProblem("boundary", p.zh, p.en, row=p.row) for p in errors])
    rows = []
    for f in features:
        row = {k: v for k, v in f.properties.items() if v is not None and k != "id"}
        if f.geometry is not None:
            row["boundary"] = f.geometry  # a shapely geometry: the cleaner checks it without reparsing
        rows.append(row)
    return rows


def _split_event(name: str, row: dict) -> tuple[dict, dict | None]:
    row = {k: v for k, v in row.items() if not (isinstance(v, str) and v.strip() == "" and k not in EVENT_COLUMNS)}
    if name != "right":
        return row, None
    event = row.pop("event", None) or {}
    for col in EVENT_COLUMNS:
        if col in row:
            event[col.removeprefix("event_")] = row.pop(col)
    return row, event or None


def _natural_key(data: dict, key: str) -> str:
    """The row's natural key as text; a null is absent, not the key "None"."""
    return "" if data.get(key) is None else str(data[key]).strip()


def import_rows(actor, name: str, rows: list[dict], progress=None, source: str = "") -> dict:
    """Import rows all or nothing: every row is cleaned and checked first (every problem reported,
    nothing written), then the records are written as one import batch in short transactions
    (`services.create_many`). Rows whose natural key is registered already are skipped."""
    with bulkinsert.gc_paused():
        return _import_rows(actor, name, rows, progress, source)


def _import_rows(actor, name: str, rows: list[dict], progress, source: str) -> dict:
    services.recover_stale_imports(actor)
    ent = services.entity(name)
    key = ent.natural_key
    split = [(i, *_split_event(name, row)) for i, row in enumerate(rows, 1)]
    keyed = {_natural_key(data, key) for _, data, _ in split} - {""}
    taken = services.existing_keys(name, sorted(keyed))
    todo = [(i, data, event) for i, data, event in split if _natural_key(data, key) not in taken]
    busy = [
        FieldProblem(key, f"{k} 正由另一批导入（第{b}批）写入", f"{k} is being imported by batch {b}", row=i)
        for i, data, _ in split
        if (b := taken.get(k := _natural_key(data, key))) is not None
    ]
    try:
        prepared = services.prepare_many(actor, name, todo)
    except InvalidInput as exc:
        raise ImportRejected(sorted(busy + exc.problems, key=lambda p: p.row or 0)) from None
    if busy:
        raise ImportRejected(busy)
    try:
        batch = services.create_many(prepared, source=source, progress=progress)
    except ServiceError as exc:  # e.g. a concurrent insert of the same key: everything was rolled back
        found = exc.problems if isinstance(exc, InvalidInput) else [FieldProblem("*", exc.zh, exc.en)]
        raise ImportRejected(found) from exc
    except IntegrityError as exc:
        raise ImportRejected(
            [FieldProblem(key, f"写入时发生冲突，已全部撤回：{exc}", f"conflict while writing, all rolled back: {exc}")]
        ) from exc
    return {"created": batch.written, "unchanged": len(split) - len(todo), "batch": batch.pk}


def export_records(actor, name: str, division: str = "") -> list[dict]:
    out = []
    for obj in services.search(actor, name, division=division):
        rec = services.serialize(actor, name, obj)
        if name in ("right", "zone") and obj.boundary:
            rec["boundary"] = geometry.load(obj.boundary).wkt
        out.append(rec)
    return out


def export_layer(actor, name: str, path: Path, fmt: str | None = None, division: str = "") -> Path:
    """Write records with their geometry (rights and zones: boundaries; facilities: points) as a
    geo layer file through the geometry core."""
    from shapely.geometry import Point

    from kuangzheng.geo.layers import write_layer

    records = []
    for obj in services.search(actor, name, division=division):
        props = {
            k: (
                "、".join(v) if isinstance(v, list) else json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v
            )
            for k, v in services.serialize(actor, name, obj).items()
            if k != "bbox"
        }
        geom = (
            Point(obj.lon, obj.lat)
            if name == "facility" and obj.lon is not None
            else geometry.load(getattr(obj, "boundary", None))
        )
        records.append((props, geom))
    return write_layer(records, path, fmt)


def export_text(actor, name: str, fmt: str, division: str = "") -> str:
    rows = export_records(actor, name, division)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1)
    buf = io.StringIO()
    cols = list(dict.fromkeys(k for r in rows for k in r))
    w = csv.DictWriter(buf, fieldnames=cols)
    w.writeheader()
    for r in rows:
        w.writerow(
            {
                k: inert(
                    "、".join(map(str, v))  # minerals, and the bounding box's numbers
                    if isinstance(v, list)
                    else json.dumps(v, ensure_ascii=False)
                    if isinstance(v, dict)
                    else v
                )
                for k, v in r.items()
            }
        )
    return buf.getvalue()
