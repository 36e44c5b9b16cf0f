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

from django.db import transaction

from kuangzheng import jsonin, uploads
from kuangzheng.errors import FieldProblem, InvalidInput, ServiceError

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
            row["boundary"] = f.geometry.wkt
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


def import_rows(actor, name: str, rows: list[dict], progress=None) -> dict:
    ent = services.entity(name)
    key = ent.natural_key
    problems: list[FieldProblem] = []
    todo, unchanged, seen = [], 0, set()
    for i, row in enumerate(rows, 1):
        data, event = _split_event(name, row)
        k = "" if data.get(key) is None else str(data[key]).strip()  # null is absent, not the key "None"
        if k and ent.model.objects.filter(**{key: k}).exists():
            unchanged += 1
            continue
        if k and k in seen:
            problems.append(FieldProblem(key, f"文件内重复的{k}", f"{k} occurs twice in the file", row=i))
            continue
        seen.add(k)
        try:
            services.validate_new(actor, name, data)
            if name == "right" and not event:
                raise InvalidInput(
                    [
                        FieldProblem(
                            "event_kind",
                            "缺少首个事项（applied 或 granted）",
                            "the first event (applied or granted) is missing",
                        )
                    ]
                )
        except InvalidInput as exc:
            problems += [FieldProblem(p.field, p.zh, p.en, row=i) for p in exc.problems]
            continue
        todo.append((i, data, event))
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        for i, data, event in todo:
            try:
                services.create(actor, name, data, first_event=event)
            except ServiceError as exc:  # e.g. a life-cycle problem in the event: roll everything back
                found = exc.problems if isinstance(exc, InvalidInput) else [FieldProblem("*", exc.zh, exc.en)]
                raise ImportRejected([FieldProblem(p.field, p.zh, p.en, row=i) for p in found]) from exc
            if progress:
                progress()
    return {"created": len(todo), "unchanged": unchanged}


def export_records(actor, name: str) -> list[dict]:
    out = []
    for obj in services.search(actor, name):
        rec = services.serialize(actor, name, obj)
        if name in ("right", "zone") and obj.boundary:
            rec["boundary"] = geometry.load(obj.boundary).wkt
        out.append(rec)
    return out


def export_layer(actor, name: str, path: Path, fmt: str | None = None) -> Path:
    """Write records with their geometry (rights and zones: boundaries; facilities: points) as a
    geo layer file through the geometry core."""
    from shapely.geometry import Point

    from kuangzheng.geo.layers import write_layer

    records = []
    for obj in services.search(actor, name):
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


def export_text(actor, name: str, fmt: str) -> str:
    rows = export_records(actor, name)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1)
    buf = io.StringIO()
    cols = list(dict.fromkeys(k for r in rows for k in r))
    w = csv.DictWriter(buf, fieldnames=cols)
    w.writeheader()
    for r in rows:
        w.writerow(
            {
                k: (
                    "、".join(v)
                    if isinstance(v, list)
                    else json.dumps(v, ensure_ascii=False)
                    if isinstance(v, dict)
                    else v
                )
                for k, v in r.items()
            }
        )
    return buf.getvalue()
