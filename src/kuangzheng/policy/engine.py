"""The compliance and eligibility engine (pure: no Django).

A *batch* is a set of subjects of one kind (facility, right, zone) held as numpy columns; one subject
is a batch of one, so the on-demand check and the registry sweep run the same rule code. A *rule*
is a function over a batch that returns outcome codes (small integers) for every row at once,
with a reason code per row, the facts it used (as columns) and the catalogue entries it read
(as columns of entry ids). Verdict objects — facts with units, citations with quotes, explanations
in Chinese and English, and a trace — are built only for the rows someone looks at or stores
(`verdict`, `render`).

Outcomes: not applicable, pass, warning, fail, missing data. Missing data is never a pass or a
fail. "In principle" (原则上) conditions give warnings, not failures. Every number and list comes
from the policy catalogue through `kuangzheng.policy.lookup`, as of the batch's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from .catalogue import Catalogue, Entry, ParameterNotFound, load_catalogue, to_base
from .lookup import param as lookup_param

NA, PASS, WARN, FAIL, MISSING = 0, 1, 2, 3, 4
OUTCOMES = ("not_applicable", "pass", "warning", "fail", "missing_data")
OUTCOME_ZH = ("不适用", "通过", "警示", "不通过", "数据缺失")
OUTCOME_CODE = {name: i for i, name in enumerate(OUTCOMES)}

# GB/T 2260 province prefix -> catalogue jurisdiction; anywhere else only national policy applies.
PROVINCES = {"15": "inner_mongolia", "63": "qinghai", "54": "tibet"}

# Reason codes every rule shares; rule-specific reasons start at 10.
R_NOT_SUBJECT, R_PASS, R_FAIL, R_MISSING, R_NOT_IN_FORCE, R_PRINCIPLE, R_NOT_LIVE = 0, 1, 2, 3, 4, 5, 6
COMMON_REASONS = {
    R_NOT_SUBJECT: ("该规则不适用于此对象", "the rule does not apply to this subject"),
    R_PASS: ("{label}为 {value} {unit}，满足 {op} {threshold} {unit} 的要求",
             "{label_en} is {value} {unit}, meeting the requirement {op} {threshold} {unit}"),
    R_FAIL: ("{label}为 {value} {unit}，不满足 {op} {threshold} {unit} 的要求",
             "{label_en} is {value} {unit}, failing the requirement {op} {threshold} {unit}"),
    R_MISSING: ("缺少{label}数据，无法判断", "{label_en} is not recorded, so the rule cannot be decided"),
    R_NOT_IN_FORCE: ("{as_of} 在该辖区（{jurisdiction}）没有有效的政策条款", "no policy provision applies in "
                     "this jurisdiction ({jurisdiction}) on {as_of}"),
    R_PRINCIPLE: ("{label}为 {value} {unit}，未达到“原则上”{op} {threshold} {unit} 的要求（警示，非否决）",
                  "{label_en} is {value} {unit}, short of the 'in principle' requirement {op} {threshold} {unit}"
                  " (a warning, not a failure)"),
    R_NOT_LIVE: ("对象已关闭、注销或失效，不再审查", "the subject is closed, cancelled or no longer valid; not reviewed"),
}


def jurisdictions(division_codes) -> np.ndarray:
    """Catalogue jurisdiction of each division code (vectorised over the unique prefixes)."""
    codes = np.asarray(division_codes, dtype=str)
    if not len(codes):
        return np.zeros(0, dtype="<U16")
    prefixes, inverse = np.unique(np.char.ljust(codes, 2).astype("<U2"), return_inverse=True)
    names = np.array([PROVINCES.get(p, "national") for p in prefixes], dtype="<U16")
    return names[inverse]


@dataclass
class Batch:
    """Subjects of one kind as columns. Missing numbers are NaN, missing text '', unknown flags -1."""

    kind: str                      # facility | right | zone
    ids: np.ndarray
    cols: dict[str, np.ndarray]
    as_of: dt.date
    catalogue: Catalogue | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def num(self, name: str) -> np.ndarray:
        v = self.cols.get(name)
        return np.full(len(self), np.nan) if v is None else np.asarray(v, dtype=float)

    def text(self, name: str) -> np.ndarray:
        v = self.cols.get(name)
        return np.full(len(self), "", dtype="<U1") if v is None else np.asarray(v, dtype=str)

    def flag(self, name: str) -> np.ndarray:
        v = self.cols.get(name)
        return np.full(len(self), -1, dtype=np.int8) if v is None else np.asarray(v, dtype=np.int8)

    def date(self, name: str) -> np.ndarray:
        v = self.cols.get(name)
        return np.full(len(self), np.datetime64("NaT"), dtype="datetime64[D]") if v is None else \
            np.asarray(v, dtype="datetime64[D]")

    def mask(self, name: str) -> np.ndarray:
        v = self.cols.get(name)
        return np.zeros(len(self), dtype=np.uint64) if v is None else np.asarray(v, dtype=np.uint64)

    @property
    def jurisdiction(self) -> np.ndarray:
        if "jurisdiction" not in self._cache:
            j = self.cols.get("jurisdiction")
            self._cache["jurisdiction"] = np.asarray(j, dtype=str) if j is not None else \
                jurisdictions(self.text("division"))
        return self._cache["jurisdiction"]

    @property
    def today(self) -> np.datetime64:
        return np.datetime64(self.as_of, "D")

    def cat(self) -> Catalogue:
        return self.catalogue or load_catalogue()


@dataclass
class Result:
    """What a rule returns: one outcome and one reason per row, plus the columns it used."""

    outcome: np.ndarray
    reason: np.ndarray
    facts: dict[str, tuple[np.ndarray, str | None]] = field(default_factory=dict)
    entries: list[np.ndarray] = field(default_factory=list)

    @classmethod
    def empty(cls, n: int) -> "Result":
        return cls(np.zeros(n, dtype=np.int8), np.zeros(n, dtype=np.int16))

    def set(self, where: np.ndarray, outcome: int, reason: int) -> None:
        """Set outcome and reason where `where` holds (later calls override earlier ones)."""
        self.outcome[where] = outcome
        self.reason[where] = reason


@dataclass(frozen=True)
class Rule:
    id: str
    subject: str
    mechanism: str
    title_zh: str
    title_en: str
    fn: Callable[[Batch], Result]
    reasons: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)   # fact name -> (zh, en)

    def reason_text(self, code: int) -> tuple[str, str]:
        return self.reasons.get(code) or COMMON_REASONS.get(code) or ("", "")


RULES: dict[tuple[str, str], Rule] = {}  # (subject kind, rule id) -> rule


def rule(id: str, subject: str | tuple[str, ...], mechanism: str, title: tuple[str, str], reasons: dict | None = None,
         labels: dict | None = None):
    """Register a rule function `fn(batch) -> Result` for one or several subject kinds."""
    def wrap(fn):
        for kind in (subject,) if isinstance(subject, str) else subject:
            RULES[(kind, id)] = Rule(id, kind, mechanism, title[0], title[1], fn, reasons or {}, labels or {})
        return fn
    return wrap


def get_rule(kind: str, rule_id: str) -> Rule:
    from . import rules as _rules  # noqa: F401  (registers the rule functions)

    return RULES[(kind, rule_id)]


# ------------------------------------------------------------------ catalogue access, column-wise


@dataclass
class Lookup:
    """Thresholds resolved per row: value (in the unit asked for), comparison, entry id, principle."""

    value: np.ndarray
    op: np.ndarray
    entry: np.ndarray
    principle: np.ndarray

    @property
    def found(self) -> np.ndarray:
        return self.entry != ""


_ENTRY_CACHE: dict = {}


def entry_for(batch: Batch, name: str, jurisdiction: str) -> Entry | None:
    """The entry governing `name` in a jurisdiction on the batch's date, or None if none applies.
    Cached per catalogue object (the catalogue is reloaded when its files change)."""
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
    """Look up parameter `names` (one name, or one per row) for each row's jurisdiction.

    One catalogue lookup per distinct (name, jurisdiction) pair, then broadcast: no per-row loop."""
    n = len(batch)
    names = np.broadcast_to(np.asarray(names, dtype=str), (n,))
    where = np.ones(n, dtype=bool) if where is None else where
    out = Lookup(np.full(n, np.nan), np.full(n, "", dtype="<U2"), np.full(n, "", dtype="<U64"),
                 np.zeros(n, dtype=bool))
    if not where.any():
        return out
    keys = np.char.add(np.char.add(names, "|"), batch.jurisdiction)
    uniq, inv = np.unique(keys[where], return_inverse=True)
    idx = np.flatnonzero(where)
    for k, key in enumerate(uniq):
        name, jur = str(key).split("|")
        e = entry_for(batch, name, jur)
        if e is None:
            continue
        rows = idx[inv == k]
        out.value[rows] = in_unit(e, unit) if isinstance(e.value, (int, float)) else np.nan
        out.op[rows] = e.comparison
        out.entry[rows] = e.id
        out.principle[rows] = e.principle
    return out


def list_entry(batch: Batch, name: str, jurisdiction: str = "national") -> Entry | None:
    return entry_for(batch, name, jurisdiction)


def compare(values: np.ndarray, op: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """values OP threshold, row by row (op is one of >=, >, <=, <, =); False where anything is NaN."""
    with np.errstate(invalid="ignore"):
        return np.select([op == ">=", op == ">", op == "<=", op == "<", op == "="],
                         [values >= threshold, values > threshold, values <= threshold, values < threshold,
                          np.isclose(values, threshold)], default=False)


def threshold_result(batch: Batch, applies: np.ndarray, values: np.ndarray, names, unit: str | None,
                     fact: str, principle_warns: bool = True) -> Result:
    """The common shape of an access threshold: pass / fail (warning when 原则上) / missing / not in force."""
    n = len(batch)
    res = Result.empty(n)
    lk = resolve(batch, names, unit, applies)
    ok = compare(values, lk.op, lk.value)
    known = ~np.isnan(values)
    res.set(applies & ~lk.found, NA, R_NOT_IN_FORCE)
    live = applies & lk.found
    res.set(live & ~known, MISSING, R_MISSING)
    res.set(live & known & ok, PASS, R_PASS)
    bad = live & known & ~ok
    soft = lk.principle & principle_warns
    res.set(bad & ~soft, FAIL, R_FAIL)
    res.set(bad & soft, WARN, R_PRINCIPLE)
    res.facts[fact] = (values, unit)
    res.facts["threshold"] = (lk.value, unit)
    res.facts["op"] = (lk.op, None)
    res.entries.append(lk.entry)
    return res


def const_entries(n: int, *ids: str, where: np.ndarray | None = None) -> list[np.ndarray]:
    """Entry-id columns naming the same entries for every row (or the rows in `where`)."""
    cols = []
    for i in ids:
        col = np.full(n, i, dtype="<U64")
        if where is not None:
            col[~where] = ""
        cols.append(col)
    return cols


# ------------------------------------------------------------------ evaluation


@dataclass
class Evaluation:
    rule: Rule
    batch: Batch
    result: Result

    def counts(self) -> dict[str, int]:
        c = np.bincount(self.result.outcome, minlength=len(OUTCOMES))
        return {OUTCOMES[i]: int(c[i]) for i in range(len(OUTCOMES))}


def evaluate(batches: dict[str, Batch] | Iterable[Batch], rule_ids: Iterable[str] | None = None) -> list[Evaluation]:
    """Run every applicable rule over every batch, column-wise. Rows whose `live` flag is 0
    (closed facilities, cancelled rights…) are not applicable to any rule."""
    from . import rules as _rules  # noqa: F401  (registers the rule functions)

    batches = list(batches.values()) if isinstance(batches, dict) else list(batches)
    wanted = set(rule_ids) if rule_ids is not None else None
    out = []
    for batch in batches:
        dead = batch.flag("live") == 0 if "live" in batch.cols else np.zeros(len(batch), dtype=bool)
        for r in RULES.values():
            if r.subject != batch.kind or (wanted is not None and r.id not in wanted):
                continue
            res = r.fn(batch)
            res.set(dead, NA, R_NOT_LIVE)
            out.append(Evaluation(r, batch, res))
    return out


# ------------------------------------------------------------------ verdicts (materialised on demand)


def _plain(v):
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
    facts = {name: [_plain(arr[i]), unit] for name, (arr, unit) in ev.result.facts.items()}
    facts["jurisdiction"] = [str(ev.batch.jurisdiction[i]), None]
    entries = [str(col[i]) for col in ev.result.entries if str(col[i])]
    return facts, list(dict.fromkeys(entries))


def verdict(ev: Evaluation, i: int) -> dict:
    facts, entries = row_facts(ev, i)
    return render(ev.rule.id, ev.batch.kind, _plain(ev.batch.ids[i]), int(ev.result.outcome[i]),
                  int(ev.result.reason[i]), facts, entries, ev.batch.as_of, ev.batch.catalogue)


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


def render(rule_id: str, kind: str, subject_id, outcome: int, reason: int, facts: dict, entry_ids: list[str],
           as_of: dt.date, catalogue: Catalogue | None = None) -> dict:
    """A verdict a regulator can defend: outcome, facts with units, citations, explanation, trace."""
    r = get_rule(kind, rule_id)
    cat = catalogue or load_catalogue()
    values = _Fill({k: _fmt(v[0]) for k, v in facts.items()})
    main = next((k for k in facts if k not in ("threshold", "op", "jurisdiction")), None)
    zh_label, en_label = r.labels.get(main, (main or "", main or ""))
    values.update(label=zh_label, label_en=en_label, as_of=as_of.isoformat(),
                  value=values[main] if main else "—",
                  unit=(facts.get(main) or [None, None])[1] or "")
    zh, en = r.reason_text(reason)
    citations = []
    for eid in entry_ids:
        e = cat.by_id.get(eid)
        if e is None:
            continue
        citations.append({"id": e.id, "doc": e.doc, "param": e.param, "comparison": e.comparison,
                          "value": list(e.value) if isinstance(e.value, tuple) else e.value, "unit": e.unit,
                          "effective": e.effective.isoformat(), "until": e.until and e.until.isoformat(),
                          "deadline": e.deadline and e.deadline.isoformat(), "principle": e.principle,
                          "quote": e.quote})
    trace = [f"rule {r.id} ({r.mechanism}) on {kind} {subject_id}, as of {as_of.isoformat()}, "
             f"jurisdiction {values['jurisdiction']}"]
    trace += [f"catalogue {c['id']}: {c['param'] or '-'} {c['comparison']} {_fmt(c['value'])} {c['unit'] or ''}"
              f" (effective {c['effective']}{', until ' + c['until'] if c['until'] else ''}"
              f"{', deadline ' + c['deadline'] if c['deadline'] else ''}{', 原则上' if c['principle'] else ''})"
              for c in citations]
    trace += [f"fact {k} = {_fmt(v[0])}{' ' + v[1] if v[1] else ''}" for k, v in facts.items() if k != "jurisdiction"]
    trace.append(f"reason {reason} -> {OUTCOMES[outcome]}")
    return {"rule": r.id, "mechanism": r.mechanism, "title": {"zh": r.title_zh, "en": r.title_en},
            "subject": {"kind": kind, "id": subject_id}, "as_of": as_of.isoformat(),
            "outcome": OUTCOMES[outcome], "outcome_zh": OUTCOME_ZH[outcome], "reason": reason,
            "facts": [{"name": k, "value": v[0], "unit": v[1]} for k, v in facts.items()],
            "citations": citations,
            "explanation": {"zh": zh.format_map(values), "en": en.format_map(values)},
            "trace": trace}


def verdicts(evals: list[Evaluation], include_na: bool = False) -> list[dict]:
    """Every verdict of a (small) evaluation, e.g. a single subject."""
    out = []
    for ev in evals:
        for i in range(len(ev.batch)):
            if include_na or ev.result.outcome[i] != NA:
                out.append(verdict(ev, i))
    return out
