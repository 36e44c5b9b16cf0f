"""The policy catalogue: one YAML file per seed, one entry per checkable fact, each with its citation.

`load_catalogue()` reads `catalogue/*.yaml` into immutable `Entry` objects (cached). An entry that
cannot be built (wrong types, missing fields) is left out and reported in `Catalogue.problems`, so
that one bad line in one file does not take the whole catalogue down; `validate.check()` reports
those together with every semantic problem. The schema is documented in docs/policy-catalogue.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CATALOGUE_DIR = HERE / "catalogue"
SEEDS_DIR = HERE / "seeds"
UNITS_FILE = HERE / "units.yaml"

JURISDICTIONS_FILE = HERE / "jurisdictions.yaml"
# code -> {zh, en, prefix}: the one list of jurisdictions (jurisdictions.yaml)
JURISDICTION_INFO = {j["code"]: j for j in yaml.safe_load(JURISDICTIONS_FILE.read_text("utf-8"))}
JURISDICTIONS = tuple(JURISDICTION_INFO)
PROVINCES = {j["prefix"]: code for code, j in JURISDICTION_INFO.items() if j["prefix"]}  # GB/T 2260 prefix -> code
KINDS = ("access_threshold", "fee", "target", "ratio_target", "deadline", "list", "zoning", "baseline", "forecast")
COMPARISONS = (">=", "<=", ">", "<", "=", "~", "range", "in")
ENTRY_FIELDS = (
    "id",
    "param",
    "description_zh",
    "description_en",
    "jurisdiction",
    "applies_to",
    "kind",
    "comparison",
    "value",
    "unit",
    "effective",
    "effective_inferred",
    "until",
    "deadline",
    "year",
    "base_year",
    "principle",
    "growth",
    "sum_of",
    "quote",
    "note",
)
REQUIRED_FIELDS = ("id", "description_zh", "description_en", "applies_to", "kind", "comparison", "value", "quote")
FILE_FIELDS = (
    "doc",
    "title_zh",
    "title_en",
    "jurisdiction",
    "issued",
    "issued_inferred",
    "default_effective",
    "entries",
    "ambiguities",
)
ID_RE = re.compile(r"^[0-9]{3}\.[a-z0-9_.-]+$")
NAME_RE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_-]+)*$")
MAX_QUOTE = 120
# libyaml when present: the catalogue is several hundred entries and is parsed at start-up
YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PolicyError(ValueError):
    """A catalogue or lookup error, worded in Chinese and English."""

    status = 400

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en

    def as_dict(self) -> dict:
        return {"error": type(self).__name__, "message_zh": self.zh, "message_en": self.en}


class ParameterNotFound(PolicyError):
    status = 404


@dataclass(frozen=True)
class Problem:
    """One defect of the catalogue: where it is and why, in both languages."""

    file: str
    entry: str | None
    field: str
    zh: str
    en: str

    def text(self) -> str:
        where = f"{self.file}" + (f" [{self.entry}]" if self.entry else "") + f" {self.field}"
        return f"{where}: {self.zh} / {self.en}"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "entry": self.entry,
            "field": self.field,
            "message_zh": self.zh,
            "message_en": self.en,
        }


@dataclass(frozen=True)
class Growth:
    from_id: str | None
    to_id: str | None


@dataclass(frozen=True)
class Entry:
    id: str
    doc: str  # the seed file name the quote comes from
    file: str  # the catalogue file the entry is written in
    description_zh: str
    description_en: str
    jurisdiction: str
    applies_to: str
    kind: str
    comparison: str
    value: Any  # float | int | (lo, hi) | tuple[str, ...]
    quote: str
    effective: dt.date
    unit: str | None = None
    param: str | None = None
    effective_inferred: str | None = None
    until: dt.date | None = None
    deadline: dt.date | None = None
    year: int | None = None
    base_year: int | None = None
    principle: bool = False
    growth: Growth | None = None
    sum_of: tuple[str, ...] = ()
    note: str | None = None

    def applies_on(self, on: dt.date) -> bool:
        """Entries apply from `effective` (inclusive) until `until` (exclusive)."""
        return self.effective <= on and (self.until is None or on < self.until)

    def as_dict(self) -> dict:
        """Plain JSON-able form: the export contract (see docs/policy-catalogue.md)."""
        d: dict[str, Any] = {}
        for name in (
            "id",
            "doc",
            "param",
            "description_zh",
            "description_en",
            "jurisdiction",
            "applies_to",
            "kind",
            "comparison",
            "value",
            "unit",
            "effective",
            "effective_inferred",
            "until",
            "deadline",
            "year",
            "base_year",
            "principle",
            "growth",
            "sum_of",
            "quote",
            "note",
        ):
            v = getattr(self, name)
            if isinstance(v, dt.date):
                v = v.isoformat()
            elif isinstance(v, tuple):
                v = list(v)
            elif isinstance(v, Growth):
                v = {"from": v.from_id, "to": v.to_id}
            d[name] = v
        return d


@dataclass(frozen=True)
class DocInfo:
    """A catalogue file's header: the seed it cites and the dates it assumes."""

    file: str
    doc: str
    title_zh: str
    title_en: str
    jurisdiction: str
    issued: dt.date | None
    issued_inferred: str | None
    default_effective: dt.date


@dataclass(frozen=True)
class Catalogue:
    docs: tuple[DocInfo, ...]
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...] = ()  # entries/files that could not be built
    raw: tuple[tuple[str, Any], ...] = field(default=(), repr=False)  # (file name, parsed YAML)
    seeds_dir: Path = SEEDS_DIR

    @functools.cached_property
    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    def get(self, entry_id: str) -> Entry:
        try:
            return self.by_id[entry_id]
        except KeyError:
            raise ParameterNotFound(f"目录中没有条目 {entry_id}", f"no catalogue entry with id {entry_id}") from None

    def filter(self, doc: str | None = None, jurisdiction: str | None = None, kind: str | None = None) -> list[Entry]:
        """Entries of one seed (by file name or its 3-digit code), jurisdiction and/or kind."""
        out = []
        for e in self.entries:
            if doc and not (e.doc == doc or e.doc.startswith(f"{doc}_") or e.file == doc):
                continue
            if jurisdiction and e.jurisdiction != jurisdiction:
                continue
            if kind and e.kind != kind:
                continue
            out.append(e)
        return out

    def search(self, doc: str = "", jurisdiction: str = "", kind: str = "", q: str = "") -> list[Entry]:
        """`filter`, then entries whose id, description, quote or parameter name contain `q`."""
        entries = self.filter(doc or None, jurisdiction or None, kind or None)
        q = q.strip().lower()
        if q:
            entries = [
                e
                for e in entries
                if q in e.id.lower()
                or q in e.description_zh
                or q in e.description_en.lower()
                or q in e.quote
                or q in (e.param or "")
            ]
        return entries

    def seed_text(self, doc: str) -> str:
        return read_seed(doc, self.seeds_dir)


@functools.lru_cache(maxsize=16)
def read_seed(doc: str, seeds_dir: Path = SEEDS_DIR) -> str:
    path = Path(seeds_dir) / doc
    if not path.is_file() or path.parent.resolve() != Path(seeds_dir).resolve():
        raise ParameterNotFound(f"政策原文 {doc} 不存在", f"seed document {doc} not found")
    return path.read_text(encoding="utf-8")


@functools.lru_cache(maxsize=16)
def _squash_index(text: str) -> tuple[tuple[int, ...], str]:
    """The text without whitespace, and each kept character's offset in the original."""
    positions = tuple(i for i, ch in enumerate(text) if not ch.isspace())
    return positions, "".join(text[i] for i in positions)


def locate_quote(quote: str, text: str) -> tuple[int, int] | None:
    """Character offsets [start, end) of `quote` in `text`, whitespace in either ignored.

    The portal highlights text[start:end]; None when the quote does not occur.
    """
    positions, squashed = _squash_index(text)
    needle = "".join(ch for ch in quote if not ch.isspace())
    if not needle:
        return None
    k = squashed.find(needle)
    if k < 0:
        return None
    return positions[k], positions[k + len(needle) - 1] + 1


def locate(entry: Entry, seeds_dir: Path = SEEDS_DIR) -> tuple[int, int] | None:
    """Offsets of an entry's quote in its seed (see `locate_quote`)."""
    return locate_quote(entry.quote, read_seed(entry.doc, seeds_dir))


def quote_context(entry: Entry, chars: int = 60, seeds_dir: Path = SEEDS_DIR) -> dict | None:
    """The quote as it stands in the seed with `chars` characters either side, for highlighting:
    {"start", "end", "before", "quote", "after"}; None when the quote is not found."""
    text = read_seed(entry.doc, seeds_dir)
    span = locate_quote(entry.quote, text)
    if span is None:
        return None
    start, end = span
    return {
        "start": start,
        "end": end,
        "before": text[max(0, start - chars) : start],
        "quote": text[start:end],
        "after": text[end : end + chars],
    }


@functools.lru_cache(maxsize=8)
def load_units(path: Path = UNITS_FILE) -> dict[str, dict]:
    """Unit code -> {code, zh, base, factor} from units.yaml."""
    rows = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=YamlLoader) or []
    return {str(r["code"]): r for r in rows}


def to_base(value: float, unit: str | None, units: dict[str, dict] | None = None) -> tuple[float, str]:
    """A value in its unit's base (e.g. 10 "10^4 t" -> 100000 "t")."""
    units = units or load_units()
    if unit is None or unit not in units:
        return float(value), unit or "1"
    row = units[unit]
    return float(value) * float(row["factor"]), str(row["base"])


def as_date(v: Any) -> dt.date | None:
    """YAML dates arrive as date objects, quoted ones as strings; both are accepted."""
    if v is None or isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v
    if isinstance(v, str):
        return dt.date.fromisoformat(v.strip())
    raise ValueError(f"not a date: {v!r}")


def _problem(file: str, entry: str | None, fld: str, zh: str, en: str) -> Problem:
    return Problem(file, entry, fld, zh, en)


def _build_entry(raw: dict, info: DocInfo) -> Entry:
    value = raw["value"]
    if isinstance(value, list):
        value = tuple(value)
    growth = raw.get("growth")
    if growth is not None:
        growth = Growth(growth.get("from"), growth.get("to"))
    return Entry(
        id=str(raw["id"]),
        doc=info.doc,
        file=info.file,
        description_zh=raw["description_zh"],
        description_en=raw["description_en"],
        jurisdiction=raw.get("jurisdiction") or info.jurisdiction,
        applies_to=raw["applies_to"],
        kind=raw["kind"],
        comparison=raw["comparison"],
        value=value,
        quote=raw["quote"],
        effective=as_date(raw.get("effective")) or info.default_effective,
        unit=None if raw.get("unit") is None else str(raw["unit"]),
        param=raw.get("param"),
        effective_inferred=raw.get("effective_inferred"),
        until=as_date(raw.get("until")),
        deadline=as_date(raw.get("deadline")),
        year=raw.get("year"),
        base_year=raw.get("base_year"),
        principle=bool(raw.get("principle") or False),
        growth=growth,
        sum_of=tuple(raw.get("sum_of") or ()),
        note=raw.get("note"),
    )


def _build_doc(file: str, data: dict) -> DocInfo:
    return DocInfo(
        file=file,
        doc=data["doc"],
        title_zh=data.get("title_zh", ""),
        title_en=data.get("title_en", ""),
        jurisdiction=data["jurisdiction"],
        issued=as_date(data.get("issued")),
        issued_inferred=data.get("issued_inferred"),
        default_effective=as_date(data["default_effective"]),
    )


def read_files(directory: Path) -> list[tuple[str, Any, Problem | None]]:
    """(file name, parsed YAML or None, parse problem or None) for each catalogue file."""
    out = []
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            out.append((path.name, yaml.load(path.read_text(encoding="utf-8"), Loader=YamlLoader), None))
        except yaml.YAMLError as exc:
            out.append(
                (
                    path.name,
                    None,
                    _problem(path.name, None, "yaml", f"YAML 语法错误：{exc}", f"YAML syntax error: {exc}"),
                )
            )
    return out


def build(directory: Path = CATALOGUE_DIR, seeds_dir: Path = SEEDS_DIR) -> Catalogue:
    """Read a catalogue directory without caching (tests build planted copies with this)."""
    docs, entries, problems, raw = [], [], [], []
    for name, data, parse_problem in read_files(directory):
        if parse_problem:
            problems.append(parse_problem)
            continue
        raw.append((name, data))
        if not isinstance(data, dict):
            problems.append(_problem(name, None, "file", "文件内容应为映射", "file must be a mapping"))
            continue
        try:
            info = _build_doc(name, data)
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(
                _problem(name, None, "header", f"文件头无法读取：{exc!r}", f"file header cannot be read: {exc!r}")
            )
            continue
        docs.append(info)
        for i, item in enumerate(data.get("entries") or []):
            eid = item.get("id") if isinstance(item, dict) else None
            try:
                entries.append(_build_entry(item, info))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                problems.append(
                    _problem(
                        name, eid or f"#{i + 1}", "entry", f"条目无法读取：{exc!r}", f"entry cannot be read: {exc!r}"
                    )
                )
    return Catalogue(tuple(docs), tuple(entries), tuple(problems), tuple(raw), Path(seeds_dir))


@functools.lru_cache(maxsize=4)
def _cached(directory: str, seeds_dir: str, stamp: tuple) -> Catalogue:
    return build(Path(directory), Path(seeds_dir))


def load_catalogue(directory: Path = CATALOGUE_DIR, seeds_dir: Path = SEEDS_DIR) -> Catalogue:
    """The catalogue, cached until one of its files changes (mtime and size are the key)."""
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(Path(directory).glob("*.yaml")))
    return _cached(str(directory), str(seeds_dir), stamp)
