"""Batches from plain records (dicts) or columns: the one entry to the engine for the registry sweep,
the what-if check, the tests and the benchmark. Column names follow the registry's fields; the
derived columns (jurisdiction, minerals masks, live, project type of rights, since) are made here."""

from __future__ import annotations

import datetime as dt

import numpy as np

from kuangzheng.registry.core import projects

from . import minerals as mn
from . import schema
from .engine import Batch, Coded

# text columns with few distinct values, kept dictionary-encoded (engine.Coded)
CATEGORIES = tuple(
    dict.fromkeys(
        name
        for kind in schema.KINDS
        for name in schema.of_type(kind, "text")
        if name not in schema.FREE_TEXT and name != "jurisdiction"
    )
)
LIVE_RIGHT_STATES = ("applied", "valid", "suspended")


def _num(v):
    if v is None or v == "":
        return np.nan
    return float(v)


def _flag(v):
    return -1 if v is None or v == "" or (not isinstance(v, bool) and v == -1) else int(bool(v))


def _date(v):
    if v in (None, ""):
        return np.datetime64("NaT")
    return np.datetime64(v.isoformat() if isinstance(v, dt.date) else str(v)[:10], "D")


def from_records(kind: str, records: list[dict], as_of: dt.date, catalogue=None) -> Batch:
    """A batch of `kind` ('facility', 'right' or 'zone') from record dicts, one column per field of the
    subject schema (`schema.columns`) that some record has; absent fields are missing."""
    present = set().union(*(r.keys() for r in records)) if records else set()
    cols: dict[str, np.ndarray] = {}
    for name, typ in schema.columns(kind).items():
        if name not in present or typ == "mask" or name == "minerals":
            continue
        values = [r.get(name) for r in records]
        if typ == "number":
            cols[name] = np.array([_num(v) for v in values], dtype=float)
        elif typ == "text":
            text = [str(v or "") for v in values]
            cols[name] = Coded.encode(text) if name in CATEGORIES else np.array(text, dtype=str)
        elif typ == "flag":
            cols[name] = np.array([_flag(v) for v in values], dtype=np.int8)
        elif typ == "date":
            cols[name] = np.array([_date(v) for v in values], dtype="datetime64[D]")
    names = "metals" if kind == "facility" else "minerals"
    lists = [r.get(names) or [] for r in records]
    cols["minerals"] = Coded.encode(["、".join(str(x) for x in v) for v in lists])
    cols["metals_mask"] = mn.masks(mn.joined(lists))
    if kind == "facility" and "commissioned" in present and "since" not in present:
        cols["since"] = commissioned_dates([_num(r.get("commissioned")) for r in records])
    ids = np.array([r.get("id", i) for i, r in enumerate(records)])
    return finish(kind, ids, cols, as_of, catalogue)


def finish(kind: str, ids, cols: dict, as_of: dt.date, catalogue=None) -> Batch:
    """Derived columns: live, the project type of rights (an application is new), `since`; categorical
    text columns dictionary-encoded."""
    n = len(ids)
    for name in CATEGORIES:
        if name in cols:
            cols[name] = Coded.encode(cols[name])
    status = cols.get("status")
    if kind == "facility" and "project_type" in cols:
        cols["project_type"] = _project_types(cols["project_type"], status, n)
    if kind == "facility":
        cols.setdefault(
            "live", (~status.isin(("closed",))).astype(np.int8) if status is not None else np.ones(n, np.int8)
        )
    elif kind == "right":
        if status is not None:
            cols.setdefault("live", status.isin(LIVE_RIGHT_STATES).astype(np.int8))
            cols.setdefault(
                "project_type", Coded(np.array(["existing", "new"]), status.isin(("applied",)).astype(np.int16))
            )
        if "since" not in cols and "valid_from" in cols:
            cols["since"] = cols["valid_from"]
    return Batch(kind, np.asarray(ids), cols, as_of, catalogue)


def _project_types(types: Coded, status: Coded | None, n: int) -> Coded:
    """Facilities' project types, derived from the status where not recorded (`projects.project_type_of`,
    the one rule for the registry and the what-if check)."""
    states = status.decode() if status is not None else np.full(n, "operating")
    derived = [projects.project_type_of(t, s) for t, s in zip(types.decode().tolist(), states.tolist())]
    return Coded.encode(np.array(derived, dtype=str))


def commissioned_dates(years) -> np.ndarray:
    """Commissioning years as 1 January of the year (NaT when unknown)."""
    y = np.asarray(years, dtype=float)
    out = np.full(len(y), np.datetime64("NaT"), dtype="datetime64[D]")
    ok = ~np.isnan(y)
    out[ok] = (y[ok].astype(int) - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    return out
