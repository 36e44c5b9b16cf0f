"""The compliance and eligibility engine (pure: no Django).

A *batch* is a set of subjects of one kind (facility, right, zone) held as numpy columns; one subject
is a batch of one, so the on-demand check and the registry sweep run the same rule code. A *rule*
is a function over a batch that gives every row a reason at once (`select`; a stable string key held
as a small code), with the facts it used (as columns) and the catalogue entries it cites (as columns
of entry codes); each reason it declares has one outcome, which the engine fills in. The words rules
are written in are in `vocabulary.py`. Verdict objects — facts with units, citations with quotes,
explanations in Chinese and English, and a trace — are built only for the rows someone looks at or
stores (`verdict`, `render`), worded by today's rules or by the wording a sweep run kept (`wording`).

Outcomes: not applicable, pass, warning, fail, missing data. Missing data is never a pass or a
fail. "In principle" (原则上) conditions give warnings, not failures. Every number and list comes
from the policy catalogue through `kuangzheng.policy.lookup`, as of the batch's date.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import hashlib
import importlib.metadata
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kuangzheng.policy import catalogue as catalogue_module
from kuangzheng.policy.catalogue import Catalogue, Entry, ParameterNotFound, load_catalogue, to_base
from kuangzheng.policy.lookup import param as lookup_param

from . import schema

NA, PASS, WARN, FAIL, MISSING = 0, 1, 2, 3, 4
OUTCOMES = ("not_applicable", "pass", "warning", "fail", "missing_data")
OUTCOME_ZH = ("不适用", "通过", "警示", "不通过", "数据缺失")
OUTCOME_CODE = {name: i for i, name in enumerate(OUTCOMES)}

# GB/T 2260 province prefix -> catalogue jurisdiction (policy/jurisdictions.yaml); anywhere else only
# national policy applies.
PROVINCES = catalogue_module.PROVINCES

# Reasons are stable string keys (stored with every verdict, and what its wording is found by). Inside a
# batch they are small integer codes, interned here for the process: the keys every rule shares first.
REASON_KEYS: list[str] = ["not_subject", "pass", "fail", "missing", "not_in_force", "principle", "not_live"]
_REASON_CODE = {key: code for code, key in enumerate(REASON_KEYS)}
R_NOT_SUBJECT, R_PASS, R_FAIL, R_MISSING, R_NOT_IN_FORCE, R_PRINCIPLE, R_NOT_LIVE = range(7)


def reason_code(key: str) -> int:
    """The code standing for reason `key` in result columns (the same key, the same code)."""
    if key not in _REASON_CODE:
        _REASON_CODE[key] = len(REASON_KEYS)
        REASON_KEYS.append(key)
    return _REASON_CODE[key]


def reason_codes(*keys: str) -> tuple[int, ...]:
    return tuple(reason_code(k) for k in keys)


_KEY_ARRAY: list = [np.array([], dtype=str)]


def reason_keys(codes: np.ndarray) -> np.ndarray:
    """Reason codes as their string keys."""
    if len(_KEY_ARRAY[0]) != len(REASON_KEYS):
        _KEY_ARRAY[0] = np.array(REASON_KEYS, dtype=object)
    return _KEY_ARRAY[0][np.asarray(codes, dtype=np.intp)]


COMMON_OUTCOMES = {
    "not_subject": NA,
    "pass": PASS,
    "fail": FAIL,
    "missing": MISSING,
    "not_in_force": NA,
    "principle": WARN,
    "not_live": NA,
}
COMMON_REASONS = {
    "not_subject": ("该规则不适用于此对象", "the rule does not apply to this subject"),
    "pass": (
        "{label}为 {value} {unit}，满足 {op} {threshold} {unit} 的要求",
        "{label_en} is {value} {unit}, meeting the requirement {op} {threshold} {unit}",
    ),
    "fail": (
        "{label}为 {value} {unit}，不满足 {op} {threshold} {unit} 的要求",
        "{label_en} is {value} {unit}, failing the requirement {op} {threshold} {unit}",
    ),
    "missing": ("缺少{label}数据，无法判断", "{label_en} is not recorded, so the rule cannot be decided"),
    "not_in_force": (
        "{as_of} 在该辖区（{jurisdiction}）没有有效的政策条款",
        "no policy provision applies in this jurisdiction ({jurisdiction}) on {as_of}",
    ),
    "principle": (
        "{label}为 {value} {unit}，未达到“原则上”{op} {threshold} {unit} 的要求（警示，非否决）",
        "{label_en} is {value} {unit}, short of the 'in principle' requirement {op} {threshold} {unit}"
        " (a warning, not a failure)",
    ),
    "not_live": (
        "对象已关闭、注销或失效，不再审查",
        "the subject is closed, cancelled or no longer valid; not reviewed",
    ),
}


JURISDICTION_NAMES = np.array(["national", *PROVINCES.values()])  # index 0: national
_BY_PREFIX = np.zeros(100, dtype=np.int8)
for _i, _p in enumerate(PROVINCES, 1):
    _BY_PREFIX[int(_p)] = _i


def jurisdiction_codes(division_codes) -> np.ndarray:
    """Index into JURISDICTION_NAMES of each division code (arithmetic on the codes, no string work)."""
    codes = np.ascontiguousarray(np.asarray(division_codes, dtype=str))
    width = codes.dtype.itemsize // 4
    if not len(codes) or width < 2:
        return np.zeros(len(codes), dtype=np.int8)
    # the first two characters as digits, read from the UCS-4 code points directly
    digits = codes.view(np.uint32).reshape(len(codes), width)[:, :2].astype(np.int64) - 48
    ok = ((digits >= 0) & (digits <= 9)).all(axis=1)  # blank or malformed codes: national policy only
    return np.where(ok, _BY_PREFIX[np.clip(digits[:, 0] * 10 + digits[:, 1], 0, 99)], 0).astype(np.int8)


def jurisdictions(division_codes) -> np.ndarray:
    """Catalogue jurisdiction of each division code."""
    return JURISDICTION_NAMES[jurisdiction_codes(division_codes)]


class Coded:
    """A text column kept dictionary-encoded: the distinct values once, a small integer per row.

    Rules ask of kinds, states, units and project types "is it one of these?" many times per sweep;
    on codes that is one gather from a table of the (few) distinct values, instead of a string
    comparison per row. Indexing with an integer gives the text; with an array, the rows as Coded."""

    __slots__ = ("categories", "codes")

    def __init__(self, categories: np.ndarray, codes: np.ndarray):
        self.categories, self.codes = categories, codes

    @classmethod
    def encode(cls, values) -> Coded:
        if isinstance(values, Coded):
            return values
        if isinstance(values, np.ndarray):
            categories, codes = np.unique(values.astype(str), return_inverse=True)
            return cls(categories, codes.astype(np.int16))
        table: dict[str, int] = {}  # records: one dict lookup per row, in first-seen order
        codes = np.fromiter((table.setdefault("" if v is None else str(v), len(table)) for v in values), dtype=np.int16)
        return cls(np.array(list(table), dtype=str) if table else np.array([""], dtype=str), codes)

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, idx):
        if isinstance(idx, (int, np.integer)):
            return str(self.categories[self.codes[idx]])
        return Coded(self.categories, self.codes[idx])

    def isin(self, values) -> np.ndarray:
        return np.isin(self.categories, values)[self.codes]

    def decode(self) -> np.ndarray:
        return self.categories[self.codes]

    def __array__(self, dtype=None, copy=None):
        out = self.decode()
        return out if dtype is None else out.astype(dtype)

    def tolist(self) -> list[str]:
        return self.decode().tolist()


class _Slice(Mapping):
    """The columns of some rows of a batch, sliced when first read (a rule reads few of them)."""

    def __init__(self, cols: Mapping, idx: np.ndarray):
        self._cols, self._idx, self._done = cols, idx, {}

    def __getitem__(self, name):
        if name not in self._done:
            self._done[name] = self._cols[name][self._idx]
        return self._done[name]

    def __setitem__(self, name, value):
        self._done[name] = value

    def __contains__(self, name):
        return name in self._done or name in self._cols

    def __iter__(self):
        return iter(set(self._cols) | set(self._done))

    def __len__(self):
        return len(set(self._cols) | set(self._done))

    def get(self, name, default=None):
        return self[name] if name in self else default


@dataclass
class Batch:
    """Subjects of one kind as columns. Missing numbers are NaN, missing text '', unknown flags -1."""

    kind: str  # facility | right | zone
    ids: np.ndarray
    cols: dict[str, np.ndarray]
    as_of: dt.date
    catalogue: Catalogue | None = None
    _cache: dict = field(default_factory=dict, repr=False)
    reading: Rule | None = field(default=None, repr=False)  # the rule being evaluated: it reads what it declares

    def __len__(self) -> int:
        return len(self.ids)

    def _read(self, name: str):
        """The column `name` (None when absent), after checking that the rule being evaluated declared it."""
        if self.reading is not None and name not in self.reading.reads:
            raise UndeclaredRead(f"rule {self.reading.id} reads column {name!r} but does not declare it (reads=…)")
        return self.cols.get(name)

    def num(self, name: str) -> np.ndarray:
        v = self._read(name)
        return np.full(len(self), np.nan) if v is None else np.asarray(v, dtype=float)

    def text(self, name: str) -> np.ndarray:
        v = self._read(name)
        if isinstance(v, Coded):
            key = ("text", name)
            if key not in self._cache:
                self._cache[key] = v.decode()
            return self._cache[key]
        return np.full(len(self), "", dtype="<U1") if v is None else np.asarray(v, dtype=str)

    def coded(self, name: str) -> Coded:
        """A text column as codes (encoded once; batches from `batch.finish` come encoded)."""
        v = self._read(name)
        if isinstance(v, Coded):
            return v
        key = ("coded", name)
        if key not in self._cache:
            self._cache[key] = (
                Coded(np.array([""]), np.zeros(len(self), dtype=np.int16))
                if v is None
                else Coded.encode(np.asarray(v, dtype=str))
            )
        return self._cache[key]

    def flag(self, name: str) -> np.ndarray:
        v = self._read(name)
        return np.full(len(self), -1, dtype=np.int8) if v is None else np.asarray(v, dtype=np.int8)

    def date(self, name: str) -> np.ndarray:
        v = self._read(name)
        return (
            np.full(len(self), np.datetime64("NaT"), dtype="datetime64[D]")
            if v is None
            else np.asarray(v, dtype="datetime64[D]")
        )

    def mask(self, name: str) -> np.ndarray:
        v = self._read(name)
        return np.zeros(len(self), dtype=np.uint64) if v is None else np.asarray(v, dtype=np.uint64)

    @property
    def jurisdiction(self) -> np.ndarray:
        if "jurisdiction" not in self._cache:
            j = self.cols.get("jurisdiction")
            if j is not None:
                self._cache["jurisdiction"] = np.asarray(j, dtype=str)
            else:  # spelt out from the codes only if asked
                names, codes = self.jur_codes
                self._cache["jurisdiction"] = names[codes]
        return self._cache["jurisdiction"]

    @property
    def jur_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """(names, code per row): the jurisdictions as small integers, for fast grouping."""
        if "jur_codes" not in self._cache:
            j = self.cols.get("jurisdiction")
            if j is not None:
                names, codes = np.unique(np.asarray(j, dtype=str), return_inverse=True)
                self._cache["jur_codes"] = (names, codes.astype(np.int8))
            else:  # from the distinct division codes, spread to the rows
                division = self.coded("division")
                self._cache["jur_codes"] = (JURISDICTION_NAMES, jurisdiction_codes(division.categories)[division.codes])
        return self._cache["jur_codes"]

    def jur_mask(self, j: int) -> np.ndarray:
        key = ("jur", j)
        if key not in self._cache:
            self._cache[key] = self.jur_codes[1] == j
        return self._cache[key]

    def isin(self, name: str, values: tuple) -> np.ndarray:
        """text column `name` in `values` (cached: several rules ask the same question)."""
        key = ("isin", name, values)
        v = self._read(name)
        if key not in self._cache:
            self._cache[key] = v.isin(values) if isinstance(v, Coded) else np.isin(self.text(name), values)
        return self._cache[key]

    def eq(self, name: str, value: str) -> np.ndarray:
        """text column `name` == `value`."""
        return self.isin(name, (value,))

    def check_entry(self, entry_id: str) -> None:
        """The rule being evaluated cites catalogue entry `entry_id` by id: it must have declared it."""
        if self.reading is not None and entry_id not in self.reading.entries:
            raise UndeclaredRead(f"rule {self.reading.id} reads entry {entry_id!r} but does not declare it (entries=…)")

    def check_param(self, name: str) -> None:
        """The rule being evaluated looks parameter `name` up: it must have declared it."""
        if self.reading is not None and name not in self.reading.params:
            raise UndeclaredRead(f"rule {self.reading.id} reads parameter {name!r} but does not declare it (params=…)")

    @property
    def entry_table(self) -> list[str]:
        return self._cache.setdefault("entry_table", [])

    def entry_code(self, entry_id: str) -> int:
        """A small integer standing for a catalogue entry id in this batch's result columns."""
        index = self._cache.setdefault("entry_index", {})
        if entry_id not in index:
            index[entry_id] = len(self.entry_table)
            self.entry_table.append(entry_id)
        return index[entry_id]

    def entry_column(self, entry_id: str, where: np.ndarray) -> np.ndarray:
        self.check_entry(entry_id)
        return np.where(where, np.int16(self.entry_code(entry_id)), np.int16(-1))

    def subset(self, idx: np.ndarray) -> Batch:
        """The rows `idx` as a batch of their own, sharing the entry table (so entry codes agree)."""
        sub = Batch(self.kind, self.ids[idx], _Slice(self.cols, idx), self.as_of, self.catalogue)
        names, codes = self.jur_codes
        sub._cache.update(
            jur_codes=(names, codes[idx]),
            catalogue=self.cat(),
            entry_table=self.entry_table,
            entry_index=self._cache.setdefault("entry_index", {}),
        )
        return sub

    @property
    def today(self) -> np.datetime64:
        return np.datetime64(self.as_of, "D")

    # -- the catalogue, as a rule reads it

    def param(self, names, unit: str | None = None, where: np.ndarray | None = None) -> Lookup:
        """The value of a catalogue parameter on each row (its jurisdiction, the batch's date), in `unit`;
        `names` may map several parameter names to the rows each one is for. See `resolve`."""
        return resolve(self, names, unit, where)

    def entry(self, entry_id: str) -> Entry:
        """A catalogue entry the rule reads by id."""
        self.check_entry(entry_id)
        return self.cat().get(entry_id)

    def binds(self, entry_id: str) -> np.ndarray:
        """Rows an entry binds: its jurisdiction (national binds everywhere), on the batch's date."""
        e = self.entry(entry_id)
        if not e.applies_on(self.as_of):
            return np.zeros(len(self), dtype=bool)
        if e.jurisdiction == "national":
            return np.ones(len(self), dtype=bool)
        names = list(self.jur_codes[0])
        return self.jur_mask(names.index(e.jurisdiction)) if e.jurisdiction in names else np.zeros(len(self), bool)

    def cite(self, entry_id: str, where: np.ndarray) -> np.ndarray:
        """A column citing entry `entry_id` on the rows `where` (for the verdicts' citations)."""
        return self.entry_column(entry_id, where)

    def result_of(self, rule_id: str) -> Result:
        """Another rule's verdicts on these rows (evaluated once per batch, under its own declarations):
        a rule that builds on another's verdict reads it here."""
        key = ("result", rule_id)
        if key not in self._cache:
            r = RULES[(self.kind, rule_id)]
            reading, self.reading = self.reading, r
            try:
                res = r.fn(self)
                res.outcome = r.outcome_of(res.reason)
            finally:
                self.reading = reading
            self._cache[key] = res
        return self._cache[key]

    def cat(self) -> Catalogue:
        """The catalogue (loaded once per batch: loading checks the files' dates)."""
        if "catalogue" not in self._cache:
            self._cache["catalogue"] = self.catalogue or load_catalogue()
        return self._cache["catalogue"]


@dataclass
class Result:
    """What a rule returns: each row's reason (as codes; `select` makes them), the facts it used (as
    columns) and the catalogue entries it cites (columns of entry codes, -1 where none). The outcome
    follows from the reason — every reason a rule declares has one outcome — and the engine fills it in."""

    reason: np.ndarray
    facts: dict[str, tuple[np.ndarray, str | None]] = field(default_factory=dict)
    entries: list[np.ndarray] = field(default_factory=list)
    outcome: np.ndarray | None = None

    @classmethod
    def empty(cls, n: int) -> Result:
        return cls(np.zeros(n, dtype=np.int16), outcome=np.zeros(n, dtype=np.int8))

    def gave(self, key: str) -> np.ndarray:
        """Rows given reason `key`."""
        return self.reason == reason_code(key)

    @property
    def decided(self) -> np.ndarray:
        """Rows with a pass, a warning or a fail (neither not applicable nor missing data)."""
        return np.isin(self.outcome, (PASS, WARN, FAIL))


def select(*cases: tuple, default: str) -> np.ndarray:
    """Each row's reason: the one written beside the first condition that holds on the row, else
    `default` — OpenFisca's `select`, with each reason next to its condition. Conditions may be arrays
    or single booleans. Computed without branches (a case number per row, then one table read): on
    masks that mix True and False at random, boolean-index assignment is many times slower."""
    n = max((len(c) for c, _ in cases if np.ndim(c)), default=0)
    case = np.full(n, len(cases), dtype=np.int8)
    for i in range(len(cases) - 1, -1, -1):
        holds = np.broadcast_to(np.asarray(cases[i][0], dtype=bool), (n,))
        case ^= (case ^ np.int8(i)) & -holds.astype(np.int8)
    return np.array([*(reason_code(k) for _, k in cases), reason_code(default)], dtype=np.int16).take(case)


@dataclass(frozen=True)
class Reason:
    """A reason a rule can give: the outcome it means, and its wording (format fields are fact names)."""

    outcome: int
    zh: str
    en: str


def passes(zh: str, en: str) -> Reason:
    return Reason(PASS, zh, en)


def warns(zh: str, en: str) -> Reason:
    return Reason(WARN, zh, en)


def fails(zh: str, en: str) -> Reason:
    return Reason(FAIL, zh, en)


def missing(zh: str, en: str) -> Reason:
    return Reason(MISSING, zh, en)


def not_applicable(zh: str, en: str) -> Reason:
    return Reason(NA, zh, en)


class RuleDeclarationError(Exception):
    """A rule declares a column the subject schema does not have, or a catalogue parameter or entry the
    catalogue does not have: raised when the rule is registered, i.e. when the rules are imported."""


class UndeclaredRead(Exception):
    """A rule read a column, parameter or entry it did not declare (raised while it is evaluated)."""


@dataclass(frozen=True)
class Rule:
    id: str
    subject: str
    mechanism: str
    title_zh: str
    title_en: str
    fn: Callable[[Batch], Result]
    reasons: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)  # fact name -> (zh, en)
    derive: Callable[[dict], dict] | None = None  # facts -> extra text facts (codes spelt out for people)
    applies: Callable[[Batch], np.ndarray] | None = None  # rows the rule can concern; the rest are n/a
    reads: frozenset = frozenset()  # the columns it reads (subject schema, `schema.py`)
    params: tuple = ()  # the catalogue parameters it looks up by name
    entries: tuple = ()  # the catalogue entries it reads by id
    outcomes: dict = field(default_factory=dict)  # reason key -> outcome (the shared reasons' included)

    def reason_text(self, key: str) -> tuple[str, str]:
        return self.reasons.get(key) or COMMON_REASONS.get(key) or ("", "")

    def outcome_table(self) -> np.ndarray:
        """Outcome by reason code (UNDECLARED where the rule declares no such reason)."""
        key = (self.subject, self.id, len(REASON_KEYS))
        if key not in _OUTCOME_TABLES:
            table = np.full(len(REASON_KEYS), UNDECLARED, dtype=np.int8)
            for reason, outcome in self.outcomes.items():
                table[reason_code(reason)] = outcome
            _OUTCOME_TABLES[key] = table
        return _OUTCOME_TABLES[key]

    def outcome_of(self, reason: np.ndarray) -> np.ndarray:
        out = self.outcome_table().take(reason)
        if len(out) and out.max() == UNDECLARED:
            key = REASON_KEYS[int(reason[np.argmax(out == UNDECLARED)])]
            raise UndeclaredRead(f"rule {self.id} gives reason {key!r} but does not declare it (reasons=…)")
        return out


RULES: dict[tuple[str, str], Rule] = {}  # (subject kind, rule id) -> rule
UNDECLARED = 127
_OUTCOME_TABLES: dict = {}
ALWAYS_READ = ("division", "jurisdiction", "live")  # the engine reads these for every rule


def _nearest(name: str, known) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_declaration(
    rule_id: str, kinds: tuple[str, ...], reads, params, entries, catalogue: Catalogue | None = None
) -> None:
    """Every declared column is in the schema of one of the rule's subject kinds, every parameter and
    entry is in the catalogue; otherwise RuleDeclarationError naming each unknown name."""
    cat = catalogue or load_catalogue()
    columns = set().union(*(schema.columns(k) for k in kinds))
    names = {e.param for e in cat.entries if e.param}
    problems = [
        f"column {c!r} is not in the {'/'.join(kinds)} schema{_nearest(c, columns)}" for c in reads if c not in columns
    ]
    problems += [f"parameter {p!r} is not in the catalogue{_nearest(p, names)}" for p in params if p not in names]
    problems += [f"entry {e!r} is not in the catalogue{_nearest(e, cat.by_id)}" for e in entries if e not in cat.by_id]
    if problems:
        raise RuleDeclarationError(f"rule {rule_id}: " + "; ".join(problems))


def rule(
    id: str,
    subject: str | tuple[str, ...],
    mechanism: str,
    title: tuple[str, str],
    reasons: dict | None = None,
    labels: dict | None = None,
    derive: Callable[[dict], dict] | None = None,
    applies: Callable[[Batch], np.ndarray] | None = None,
    *,
    reads: tuple[str, ...],
    params: tuple[str, ...] = (),
    entries: tuple[str, ...] = (),
):
    """Register a rule function `fn(batch) -> Result` for one or several subject kinds. `reads`, `params`
    and `entries` declare the columns, catalogue parameters and catalogue entries it reads: checked
    here (RuleDeclarationError) and while it runs (UndeclaredRead). With `applies`, the engine hands
    the rule only the rows it can concern (a cheap first cut, e.g. by kind)."""
    kinds = (subject,) if isinstance(subject, str) else tuple(subject)
    check_declaration(id, kinds, reads, params, entries)
    outcomes = dict(COMMON_OUTCOMES)
    texts = {}
    for key, said in (reasons or {}).items():
        if isinstance(said, Reason):
            if outcomes.get(key, said.outcome) != said.outcome:
                raise RuleDeclarationError(f"rule {id}: the shared reason {key!r} means {OUTCOMES[outcomes[key]]}")
            outcomes[key], texts[key] = said.outcome, (said.zh, said.en)
        elif key in COMMON_OUTCOMES:  # the shared reason, reworded for this rule
            texts[key] = tuple(said)
        else:
            raise RuleDeclarationError(f"rule {id}: reason {key!r} needs an outcome (passes, fails, warns …)")
    reason_codes(*outcomes)  # every declared reason has its code before any table is built

    def wrap(fn):
        for kind in kinds:
            RULES[(kind, id)] = Rule(
                id,
                kind,
                mechanism,
                title[0],
                title[1],
                fn,
                texts,
                labels or {},
                derive,
                applies,
                frozenset(reads) | frozenset(ALWAYS_READ),
                tuple(params),
                tuple(entries),
                outcomes,
            )
        return fn

    return wrap


def load_rules() -> dict[tuple[str, str], Rule]:
    """Every registered rule (importing the rule modules registers them)."""
    from . import rules as _rules  # noqa: F401

    return RULES


def rules_reading(entry: Entry) -> list[tuple[Rule, list[str]]]:
    """The rules that read a catalogue entry — by its id, or by its parameter — with their subject kinds:
    from a clause to its code."""
    found: dict[str, tuple[Rule, list[str]]] = {}
    for (kind, rule_id), r in load_rules().items():
        if entry.id in r.entries or (entry.param and entry.param in r.params):
            found.setdefault(rule_id, (r, []))[1].append(kind)
    return list(found.values())


def get_rule(kind: str, rule_id: str) -> Rule:
    return load_rules()[(kind, rule_id)]


# ------------------------------------------------------------------ catalogue access, column-wise


OP_CODES = {">=": 1, ">": 2, "<=": 3, "<": 4, "=": 5}
OP_SYMBOLS = np.array(["", ">=", ">", "<=", "<", "="])


@dataclass
class Lookup:
    """Thresholds resolved per row: value (in the unit asked for), comparison code (OP_CODES), entry
    code (Batch.entry_code; -1 where nothing binds), principle flag."""

    value: np.ndarray
    op: np.ndarray
    entry: np.ndarray
    principle: np.ndarray
    ops: set = field(default_factory=set)  # the comparison codes that occur

    @classmethod
    def empty(cls, n: int) -> Lookup:
        """Nothing binds on any of n rows (yet)."""
        return cls(
            np.full(n, np.nan), np.zeros(n, dtype=np.int8), np.full(n, -1, dtype=np.int16), np.zeros(n, dtype=bool)
        )

    @property
    def found(self) -> np.ndarray:
        return self.entry >= 0

    @property
    def symbols(self) -> np.ndarray:
        return OP_SYMBOLS[self.op]

    def met_by(self, values: np.ndarray) -> np.ndarray:
        """values meet the requirement on each row, by the entry's own comparison (False where unknown)."""
        return compare(values, self.op, self.value, self.ops)


_ENTRY_CACHE: dict = {}


def entry_for(batch: Batch, name: str, jurisdiction: str) -> Entry | None:
    """The entry governing `name` in a jurisdiction on the batch's date, or None if none applies.
    Cached per catalogue object (the catalogue is reloaded when its files change)."""
    batch.check_param(name)
    cat = batch.cat()
    key = (name, jurisdiction, batch.as_of, id(cat))
    if key not in _ENTRY_CACHE:
        if len(_ENTRY_CACHE) > 20000:
            _ENTRY_CACHE.clear()
        try:
            found = lookup_param(name, jurisdiction, on=batch.as_of, catalogue=cat)
        except ParameterNotFound:
            found = None
        _ENTRY_CACHE[key] = (found, cat)  # holding the catalogue keeps its id from being reused
    return _ENTRY_CACHE[key][0]


def in_unit(e: Entry, unit: str | None) -> float:
    """An entry's numeric value expressed in `unit` (the unit the subject's column is kept in)."""
    if unit is None or unit == e.unit:
        return float(e.value)
    v, base = to_base(e.value, e.unit)
    one, base_u = to_base(1.0, unit)
    if base != base_u:
        raise ValueError(f"unit {unit} cannot express {e.id} ({e.unit})")
    return v / one


def resolve(batch: Batch, names, unit: str | None, where: np.ndarray | None = None) -> Lookup:
    """Look up parameters for each row's jurisdiction. `names` is one parameter name for all rows, or
    {name: row mask}. One catalogue lookup per (name, jurisdiction) pair, then broadcast: no row loop."""
    n = len(batch)
    where = np.ones(n, dtype=bool) if where is None else where
    groups = {names: where} if isinstance(names, str) else {k: v & where for k, v in names.items()}
    for name in groups:  # declared or not, whether or not a row needs it
        batch.check_param(name)
    out = Lookup.empty(n)
    jur_names = batch.jur_codes[0]
    for name, rows in groups.items():
        if not rows.any():
            continue
        for j, jur in enumerate(jur_names):
            e = entry_for(batch, name, str(jur))
            if e is None:
                continue
            sel = rows & batch.jur_mask(j)
            out.value[sel] = in_unit(e, unit) if isinstance(e.value, (int, float)) else np.nan
            out.op[sel] = OP_CODES.get(e.comparison, 0)
            out.entry[sel] = batch.entry_code(e.id)
            out.principle[sel] = e.principle
            out.ops.add(OP_CODES.get(e.comparison, 0))
    return out


_COMPARE = {1: np.greater_equal, 2: np.greater, 3: np.less_equal, 4: np.less, 5: np.isclose}


def compare(values: np.ndarray, op: np.ndarray, threshold: np.ndarray, ops=None) -> np.ndarray:
    """values OP threshold, row by row (op: OP_CODES); False where anything is NaN. `ops`, when known,
    limits the work to the comparisons that occur."""
    out = np.zeros(len(values), dtype=bool)
    with np.errstate(invalid="ignore"):
        for code in ops if ops is not None else _COMPARE:
            if code in _COMPARE:
                out |= (op == code) & _COMPARE[code](values, threshold)
    return out


def const(n: int, value) -> np.ndarray:
    """The same fact for every row, without allocating n copies."""
    return np.broadcast_to(np.asarray(value), (n,))


def threshold_result(
    batch: Batch,
    applies: np.ndarray,
    values: np.ndarray,
    names,
    unit: str | None,
    fact: str,
) -> Result:
    """The common shape of an access threshold: the value meets the catalogue's requirement (its own
    comparison) or not; short of an "in principle" (原则上) requirement is a warning, not a failure."""
    requirement = batch.param(names, unit, applies)
    reason = select(
        (~applies, "not_subject"),
        (~requirement.found, "not_in_force"),
        (np.isnan(values), "missing"),
        (requirement.met_by(values), "pass"),
        (requirement.principle, "principle"),
        default="fail",
    )
    return Result(
        reason,
        facts={fact: (values, unit), "threshold": (requirement.value, unit), "op": (requirement.symbols, None)},
        entries=[requirement.entry],
    )


# ------------------------------------------------------------------ evaluation


@dataclass
class Evaluation:
    """A rule's result over a batch. When the rule ran on some rows only (`rows`), `result` is aligned
    with those rows and `outcome` / `reason` spread it over the whole batch."""

    rule: Rule
    batch: Batch
    result: Result
    rows: np.ndarray | None = None
    dead: np.ndarray | None = None
    _full: tuple | None = None

    def _spread(self) -> tuple[np.ndarray, np.ndarray]:
        if self.rows is None:
            return self.result.outcome, self.result.reason
        if self._full is None:
            outcome = np.zeros(len(self.batch), dtype=np.int8)
            reason = np.zeros(len(self.batch), dtype=np.int16)
            if self.dead is not None:
                reason[self.dead] = R_NOT_LIVE
            outcome[self.rows] = self.result.outcome
            reason[self.rows] = self.result.reason
            self._full = (outcome, reason)
        return self._full

    @property
    def outcome(self) -> np.ndarray:
        return self._spread()[0]

    @property
    def reason(self) -> np.ndarray:
        """Each row's reason as its string key."""
        return reason_keys(self._spread()[1])

    @property
    def reason_codes(self) -> np.ndarray:
        return self._spread()[1]

    def position(self, i: int) -> int:
        """Where batch row i sits in `result` (-1 when the rule did not run on it)."""
        return int(self.positions(np.array([i]))[0])

    def positions(self, rows: np.ndarray) -> np.ndarray:
        """`position` of many batch rows at once."""
        if self.rows is None:
            return rows
        if not len(self.rows):
            return np.full(len(rows), -1)
        pos = np.searchsorted(self.rows, rows).clip(0, len(self.rows) - 1)
        return np.where(self.rows[pos] == rows, pos, -1)

    def counts(self) -> dict[str, int]:
        c = np.bincount(self.outcome, minlength=len(OUTCOMES))
        return {OUTCOMES[i]: int(c[i]) for i in range(len(OUTCOMES))}


def evaluate(batches: dict[str, Batch] | Iterable[Batch], rule_ids: Iterable[str] | None = None) -> list[Evaluation]:
    """Run every applicable rule over every batch, column-wise. Rows whose `live` flag is 0
    (closed facilities, cancelled rights…) are not applicable to any rule."""
    load_rules()
    batches = list(batches.values()) if isinstance(batches, dict) else list(batches)
    wanted = set(rule_ids) if rule_ids is not None else None
    out = []
    for batch in batches:
        dead = batch.flag("live") == 0 if "live" in batch.cols else np.zeros(len(batch), dtype=bool)
        dead_rows = np.flatnonzero(dead)
        for r in RULES.values():
            if r.subject != batch.kind or (wanted is not None and r.id not in wanted):
                continue
            batch.reading = r
            applies, rows, sub = _rows_for(batch, r.applies, dead)
            if sub is None:  # all rows, or most: slicing would cost more than it saves
                res = batch.result_of(r.id)
                if applies is not None:
                    outside = np.flatnonzero(~applies)
                    res.outcome[outside], res.reason[outside] = NA, R_NOT_SUBJECT
                res.outcome[dead_rows], res.reason[dead_rows] = NA, R_NOT_LIVE
                out.append(Evaluation(r, batch, res))
            else:
                res = sub.result_of(r.id) if len(rows) else Result.empty(0)
                out.append(Evaluation(r, batch, res, rows, dead_rows))
            batch.reading = None
    return out


def _rows_for(batch: Batch, applies_fn, dead: np.ndarray):
    """(applies mask, live rows, sub-batch or None) for a rule's first cut; rules with the same cut share
    one sub-batch, so its slices and masks are computed once."""
    if applies_fn is None:
        return None, None, None
    key = ("cut", applies_fn)
    if key not in batch._cache:
        applies = applies_fn(batch)
        rows = np.flatnonzero(applies & ~dead)
        batch._cache[key] = (applies, rows, batch.subset(rows) if 2 * len(rows) <= len(batch) else None)
    return batch._cache[key]


# ------------------------------------------------------------------ verdicts (materialised on demand)


def plain_value(v):
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, (dt.date, np.datetime64)):
        s = str(v)
        return None if s == "NaT" else s[:10]
    return v


def row_facts(ev: Evaluation, i: int) -> tuple[dict, list[str]]:
    """(facts as {name: [value, unit]}, entry ids) of one row: what gets stored for a sweep result."""
    j = ev.position(i)
    if j < 0:
        return {"jurisdiction": [str(ev.batch.jurisdiction[i]), None]}, []
    facts = {name: [plain_value(arr[j]), unit] for name, (arr, unit) in ev.result.facts.items()}
    facts["jurisdiction"] = [str(ev.batch.jurisdiction[i]), None]
    if ev.rule.derive is not None:
        facts.update({k: [v, None] for k, v in ev.rule.derive(facts).items()})
    table = ev.batch.entry_table
    entries = [table[int(col[j])] for col in ev.result.entries if int(col[j]) >= 0]
    return facts, list(dict.fromkeys(entries))


def verdict(ev: Evaluation, i: int) -> dict:
    facts, entries = row_facts(ev, i)
    return render(
        ev.rule.id,
        ev.batch.kind,
        plain_value(ev.batch.ids[i]),
        int(ev.outcome[i]),
        REASON_KEYS[int(ev.reason_codes[i])],
        facts,
        entries,
        ev.batch.as_of,
        ev.batch.catalogue,
    )


class _Fill(dict):
    def __missing__(self, key):
        return "—"


def _fmt(v):
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:g}" if abs(v) < 1e6 else f"{v:.0f}"
    if isinstance(v, (list, tuple)):
        return "、".join(str(x) for x in v) or "—"
    return str(v)


def rule_wording(r: Rule) -> dict:
    """What a rule's verdicts are worded with: title, mechanism, its own reasons, fact labels (JSON)."""
    return {
        "title": [r.title_zh, r.title_en],
        "mechanism": r.mechanism,
        "reasons": {k: list(v) for k, v in r.reasons.items()},
        "labels": {k: list(v) for k, v in r.labels.items()},
    }


def citation(e: Entry) -> dict:
    return {
        "id": e.id,
        "doc": e.doc,
        "param": e.param,
        "comparison": e.comparison,
        "value": list(e.value) if isinstance(e.value, tuple) else e.value,
        "unit": e.unit,
        "effective": e.effective.isoformat(),
        "until": e.until and e.until.isoformat(),
        "deadline": e.deadline and e.deadline.isoformat(),
        "principle": e.principle,
        "quote": e.quote,
    }


def wording(rules: Iterable[Rule], entry_ids: Iterable[str], catalogue: Catalogue | None = None) -> dict:
    """Everything verdicts are rendered with besides their stored facts: the rules' wording, the shared
    reasons' wording and the cited catalogue entries. A sweep run keeps it, so its verdicts render
    with the words they were produced with, whatever the code and the catalogue say later."""
    cat = catalogue or load_catalogue()
    return {
        "common": {k: list(v) for k, v in COMMON_REASONS.items()},
        "rules": {f"{r.subject}:{r.id}": rule_wording(r) for r in sorted(rules, key=lambda r: (r.subject, r.id))},
        "citations": {eid: citation(cat.by_id[eid]) for eid in sorted(set(entry_ids)) if eid in cat.by_id},
    }


def digest(obj) -> str:
    """sha256 of an object's canonical JSON."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_DIGESTS: dict = {}


def catalogue_digest(catalogue: Catalogue | None = None) -> str:
    """The catalogue's content hash (its files as parsed): what a sweep run records it ran with."""
    cat = catalogue or load_catalogue()
    if id(cat) not in _DIGESTS:
        if len(_DIGESTS) > 16:
            _DIGESTS.clear()
        _DIGESTS[id(cat)] = (digest(cat.raw), cat)  # holding the catalogue keeps its id from being reused
    return _DIGESTS[id(cat)][0]


@functools.cache
def code_version() -> str:
    """The package version and a hash of the compliance core's sources (engine, schema, rules…): it
    changes whenever the code that decides verdicts changes."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for p in sorted(here.rglob("*.py")):
        h.update(str(p.relative_to(here)).encode() + b"\0" + p.read_bytes())
    try:
        version = importlib.metadata.version("kuangzheng")
    except importlib.metadata.PackageNotFoundError:
        version = "0"
    return f"{version}+{h.hexdigest()[:12]}"


def render(
    rule_id: str,
    kind: str,
    subject_id,
    outcome: int,
    reason: str,
    facts: dict,
    entry_ids: list[str],
    as_of: dt.date,
    catalogue: Catalogue | None = None,
    words: dict | None = None,
) -> dict:
    """A verdict a regulator can defend: outcome, facts with units, citations, explanation, trace.
    Worded from `words` (a `wording` a run kept) when given, else from today's rule and catalogue."""
    words = words or wording([get_rule(kind, rule_id)], entry_ids, catalogue)
    w = words["rules"][f"{kind}:{rule_id}"]
    values = _Fill({k: _fmt(v[0]) for k, v in facts.items()})
    main = next((k for k in facts if k not in ("threshold", "op", "jurisdiction")), None)
    zh_label, en_label = w["labels"].get(main, (main or "", main or ""))
    values.update(
        label=zh_label,
        label_en=en_label,
        as_of=as_of.isoformat(),
        value=values[main] if main else "—",
        unit=(facts.get(main) or [None, None])[1] or "",
    )
    zh, en = w["reasons"].get(reason) or words["common"].get(reason) or ("", "")
    citations = [words["citations"][eid] for eid in entry_ids if eid in words["citations"]]
    trace = [
        f"rule {rule_id} ({w['mechanism']}) on {kind} {subject_id}, as of {as_of.isoformat()}, "
        f"jurisdiction {values['jurisdiction']}"
    ]
    trace += [
        f"catalogue {c['id']}: {c['param'] or '-'} {c['comparison']} {_fmt(c['value'])} {c['unit'] or ''}"
        f" (effective {c['effective']}{', until ' + c['until'] if c['until'] else ''}"
        f"{', deadline ' + c['deadline'] if c['deadline'] else ''}{', 原则上' if c['principle'] else ''})"
        for c in citations
    ]
    trace += [f"fact {k} = {_fmt(v[0])}{' ' + v[1] if v[1] else ''}" for k, v in facts.items() if k != "jurisdiction"]
    trace.append(f"reason {reason} -> {OUTCOMES[outcome]}")
    return {
        "rule": rule_id,
        "mechanism": w["mechanism"],
        "title": {"zh": w["title"][0], "en": w["title"][1]},
        "subject": {"kind": kind, "id": subject_id},
        "as_of": as_of.isoformat(),
        "outcome": OUTCOMES[outcome],
        "outcome_zh": OUTCOME_ZH[outcome],
        "reason": reason,
        "facts": [{"name": k, "value": v[0], "unit": v[1]} for k, v in facts.items()],
        "citations": citations,
        "explanation": {"zh": zh.format_map(values), "en": en.format_map(values)},
        "trace": trace,
    }


def verdicts(evals: list[Evaluation], include_na: bool = False) -> list[dict]:
    """Every verdict of a (small) evaluation, e.g. a single subject."""
    out = []
    for ev in evals:
        for i in range(len(ev.batch)):
            if include_na or ev.outcome[i] != NA:
                out.append(verdict(ev, i))
    return out
