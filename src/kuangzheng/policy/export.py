"""Export of the catalogue as JSON, CSV or YAML (the contract is in docs/policy-catalogue.md).

Every format carries the same entries with the same field names (Entry.as_dict). JSON and YAML keep
lists and ranges as lists; CSV writes them as JSON text in one cell so a row stays one entry.
"""

from __future__ import annotations

import csv
import io
import json

import yaml

from kuangzheng.exports import inert

from .catalogue import Catalogue, Entry, PolicyError, load_catalogue

FORMATS = ("json", "csv", "yaml")
CSV_COLUMNS = (
    "id",
    "doc",
    "param",
    "jurisdiction",
    "applies_to",
    "kind",
    "comparison",
    "value",
    "unit",
    "effective",
    "until",
    "deadline",
    "year",
    "base_year",
    "principle",
    "description_zh",
    "description_en",
    "quote",
    "effective_inferred",
    "growth",
    "sum_of",
    "note",
)


def rows(entries: list[Entry] | None = None, catalogue: Catalogue | None = None) -> list[dict]:
    if entries is None:
        entries = list((catalogue or load_catalogue()).entries)
    return [e.as_dict() for e in entries]


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def dumps(fmt: str, entries: list[Entry] | None = None, catalogue: Catalogue | None = None) -> str:
    """The entries (default: the whole shipped catalogue) as text in `fmt`."""
    data = rows(entries, catalogue)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if fmt == "yaml":
        return yaml.dump(
            data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True, sort_keys=False, width=200
        )
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for d in data:
            w.writerow([_cell(inert(d.get(c))) for c in CSV_COLUMNS])
        return buf.getvalue()
    raise PolicyError(
        f"导出格式 {fmt!r} 无效，应为 {'、'.join(FORMATS)} 之一",
        f"export format {fmt!r} is invalid; use one of {', '.join(FORMATS)}",
    )
