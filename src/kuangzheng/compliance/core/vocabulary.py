"""Helpers the rule modules share: subject selection, entries by id, flags as outcomes."""

from __future__ import annotations

import numpy as np

from kuangzheng.policy.catalogue import Entry

from .engine import (
    FAIL,
    MISSING,
    NA,
    PASS,
    R_FAIL,
    R_MISSING,
    R_NOT_IN_FORCE,
    R_PASS,
    Batch,
    Lookup,
    Result,
    compare,
    resolve,
)

PROJECT_TYPES = ("new", "retrofit", "expansion")


def of_kind(batch: Batch, *kinds: str) -> np.ndarray:
    return batch.isin("kind", kinds)


def is_project(batch: Batch) -> np.ndarray:
    """New, retrofitted or expanded capacity (a project under review), as opposed to an existing line."""
    return batch.isin("project_type", PROJECT_TYPES)


def in_force(res: Result, applies: np.ndarray, bound: np.ndarray) -> np.ndarray:
    """Rows the rule concerns where no provision binds are not applicable; returns the rows it decides."""
    res.set(applies & ~bound, NA, R_NOT_IN_FORCE)
    return applies & bound


def entry(batch: Batch, entry_id: str) -> Entry:
    batch.check_entry(entry_id)
    return batch.cat().get(entry_id)


def entry_rows(batch: Batch, entry_id: str, on=None) -> np.ndarray:
    """Rows an entry (read by id) binds: its jurisdiction (national binds everywhere) and its dates."""
    e = entry(batch, entry_id)
    if not e.applies_on(on or batch.as_of):
        return np.zeros(len(batch), dtype=bool)
    if e.jurisdiction == "national":
        return np.ones(len(batch), dtype=bool)
    names = list(batch.jur_codes[0])
    return batch.jur_mask(names.index(e.jurisdiction)) if e.jurisdiction in names else np.zeros(len(batch), dtype=bool)


def entry_col(batch: Batch, entry_id: str, where: np.ndarray) -> np.ndarray:
    return batch.entry_column(entry_id, where)


def flag_result(
    batch: Batch, applies: np.ndarray, bound: np.ndarray, bad_flag: np.ndarray, fact: str, *entry_ids: str
) -> Result:
    """A yes/no fact where 1 means the requirement is broken: fail on 1, pass on 0, missing on -1."""
    res = Result.empty(len(batch))
    live = in_force(res, applies, bound)
    res.set(live & (bad_flag == 0), PASS, R_PASS)
    res.set(live & (bad_flag == 1), FAIL, R_FAIL)
    res.set(live & (bad_flag < 0), MISSING, R_MISSING)
    res.facts[fact] = (np.where(bad_flag < 0, None, bad_flag == 1).astype(object), None)
    res.entries += [entry_col(batch, e, live) for e in entry_ids]
    return res


def in_window(dates: np.ndarray, start, end) -> np.ndarray:
    """start <= date < end (NaT is never inside)."""
    d = np.asarray(dates, dtype="datetime64[D]")
    return (d >= np.datetime64(start, "D")) & (d < np.datetime64(end, "D"))


def floor_lookups(b: Batch, by_metal: dict[str, tuple[np.ndarray, str]], unit: str) -> dict[str, Lookup]:
    """Each metal's floor (read with its comparison) on the rows of that metal."""
    return {metal: resolve(b, name, unit, rows) for metal, (rows, name) in by_metal.items()}


def held_to_all(values: np.ndarray, lks: dict[str, Lookup]) -> tuple[np.ndarray, np.ndarray, np.ndarray, Lookup]:
    """(meets every floor that binds, meets none, some floor binds, the highest floor per row): for a
    subject of several metals whose floors differ."""
    n = len(values)
    meets_all, meets_none, bound = np.ones(n, dtype=bool), np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
    top = Lookup.empty(n)
    for lk in lks.values():
        ok = compare(values, lk.op, lk.value, lk.ops)
        meets_all &= ~lk.found | ok
        meets_none &= ~lk.found | ~ok
        bound |= lk.found
        higher = lk.found & (np.isnan(top.value) | (lk.value > top.value))
        for col in ("value", "op", "entry", "principle"):
            getattr(top, col)[higher] = getattr(lk, col)[higher]
        top.ops |= lk.ops
    known = ~np.isnan(values)
    return meets_all & bound & known, meets_none & bound & known, bound, top
