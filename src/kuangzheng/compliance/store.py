"""Storing a sweep's results fast, in bounded memory.

A national sweep yields hundreds of thousands of result rows. They are built column-wise from the
engine's evaluations (the outcome filter, the scope filter, the counts and the conversion of fact
columns to plain values are array operations; the catalogue-entry lists are built once per distinct
combination) and written in chunks: COPY on PostgreSQL, one prepared `executemany` on SQLite. No
model instance is made per row.

The stored row is exactly what `engine.row_facts` gives for it (tests compare every row), so a stored
verdict renders as the engine renders it (with the wording the run keeps, `engine.wording`) — with one
exception said here: a non-finite number (a ratio
to a zero area) is stored as null, because PostgreSQL's jsonb has no Infinity; it renders as "—".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from django.db import connection

from kuangzheng.compliance.core import engine

from .models import SweepResult

CHUNK = 20_000  # rows built and written at a time: memory stays bounded whatever the sweep's size
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # one encoder, not one per row
COLUMNS = (
    "run_id",
    "rule",
    "subject_kind",
    "subject_id",
    "subject_name",
    "division_code",
    "enterprise_id",
    "outcome",
    "reason",
    "facts",
    "entries",
)


@dataclass
class Labels:
    """What a stored row says about its subject besides the verdict, as columns: names (≤ 200 chars),
    division codes and owning enterprise ids (-1: none), aligned with `ids`."""

    ids: np.ndarray
    name: np.ndarray
    division: np.ndarray
    owner: np.ndarray

    @classmethod
    def of(cls, ids, names, divisions, owners) -> Labels:
        return cls(
            np.asarray(ids, dtype=np.int64),
            np.array([str(x or "")[:200] for x in names], dtype=object),
            np.array([str(x or "") for x in divisions], dtype=str),
            np.array([-1 if x is None else int(x) for x in owners], dtype=np.int64),
        )

    def rows_of(self, ids: np.ndarray) -> np.ndarray:
        """Position of each id in these labels (-1: unknown)."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) == len(self.ids) and np.array_equal(ids, self.ids):
            return np.arange(len(ids))
        order = np.argsort(self.ids, kind="stable")
        pos = np.searchsorted(self.ids, ids, sorter=order).clip(0, max(len(order) - 1, 0))
        found = (self.ids[order[pos]] == ids) if len(order) else np.zeros(len(ids), dtype=bool)
        return np.where(found, order[pos] if len(order) else -1, -1)


def plain_column(arr, j: np.ndarray) -> list:
    """arr[j] as the plain values `engine.row_facts` stores (numbers, text, booleans, None for NaN),
    converted per column; dtypes other than numbers, booleans and text go element by element."""
    if isinstance(arr, np.ndarray) and arr.dtype.kind in "biuUf":
        sub = arr[j]
        out = sub.tolist()
        if sub.dtype.kind == "f":
            for p in np.flatnonzero(~np.isfinite(sub)):
                out[p] = None
        return out
    out = [engine.plain_value(arr[int(x)]) for x in j]
    return [None if isinstance(v, float) and not np.isfinite(v) else v for v in out]


def _entry_lists(ev: engine.Evaluation, j: np.ndarray) -> list[str]:
    """The catalogue entries of each row as JSON text, built once per distinct combination."""
    if not ev.result.entries or not len(j):
        return ["[]"] * len(j)
    codes = np.stack([np.asarray(col)[j] for col in ev.result.entries], axis=1)
    combos, inverse = np.unique(codes, axis=0, return_inverse=True)
    table = ev.batch.entry_table
    texts = [_JSON(list(dict.fromkeys(table[int(c)] for c in combo if c >= 0))) for combo in combos]
    return [texts[k] for k in inverse.reshape(-1)]


def _facts(ev: engine.Evaluation, rows: np.ndarray, pos: np.ndarray) -> list[str]:
    """Facts of the given batch rows as JSON text ({name: [value, unit]}, as engine.row_facts)."""
    jur = np.asarray(ev.batch.jurisdiction)[rows].tolist()
    have = np.flatnonzero(pos >= 0)
    out = [None] * len(rows) if len(have) == len(rows) else [_JSON({"jurisdiction": [x, None]}) for x in jur]
    if not len(have):
        return out
    j = pos[have]
    names = list(ev.result.facts)
    units = [u for _, u in ev.result.facts.values()]
    cols = [plain_column(arr, j) for arr, _ in ev.result.facts.values()]
    derive = ev.rule.derive
    for k, *values in zip(have.tolist(), *cols):
        facts = {n: [v, u] for n, v, u in zip(names, values, units)}
        facts["jurisdiction"] = [jur[k], None]
        if derive is not None:
            facts.update({n: [v, None] for n, v in derive(facts).items()})
        out[k] = _JSON(facts)
    return out


def _entries(ev: engine.Evaluation, pos: np.ndarray) -> list[str]:
    out = ["[]"] * len(pos)
    have = np.flatnonzero(pos >= 0)
    for k, text in zip(have.tolist(), _entry_lists(ev, pos[have])):
        out[k] = text
    return out


def result_rows(
    run_id: int,
    evals: Iterable[engine.Evaluation],
    labels: dict[str, Labels],
    prefix: str = "",
    counts: dict | None = None,
    chunk: int = CHUNK,
) -> Iterator[list[tuple]]:
    """Chunks of result rows (tuples in COLUMNS order) of the evaluations: rows other than not
    applicable, of subjects whose division starts with `prefix`. `counts` collects rule → outcome → n."""
    where: dict[int, np.ndarray] = {}  # batch -> label row of each of its rows (batches share labels)
    for ev in evals:
        lab = labels.get(ev.batch.kind)
        outcome = np.asarray(ev.outcome)
        hit = np.flatnonzero(outcome != engine.NA)
        if lab is not None and id(ev.batch) not in where:
            where[id(ev.batch)] = lab.rows_of(ev.batch.ids)
        at = where[id(ev.batch)][hit] if lab is not None else np.full(len(hit), -1)
        division = np.where(at >= 0, lab.division[at], "") if lab is not None else np.full(len(hit), "")
        if prefix:
            keep = np.char.startswith(division.astype(str), prefix)
            hit, at, division = hit[keep], at[keep], division[keep]
        if counts is not None and len(hit):
            c = np.bincount(outcome[hit], minlength=len(engine.OUTCOMES))
            by_outcome = counts.setdefault(ev.rule.id, {})  # a rule id can serve several subject kinds
            for o in np.flatnonzero(c):
                by_outcome[engine.OUTCOMES[o]] = by_outcome.get(engine.OUTCOMES[o], 0) + int(c[o])
        reason = ev.reason  # string keys
        for s in range(0, len(hit), chunk):
            rows, a = hit[s : s + chunk], at[s : s + chunk]
            pos = ev.positions(rows)
            name = np.where(a >= 0, lab.name[a], "").tolist() if lab is not None else [""] * len(rows)
            owner = [
                None if o < 0 else o
                for o in (np.where(a >= 0, lab.owner[a], -1).tolist() if lab is not None else [-1] * len(rows))
            ]
            yield list(
                zip(
                    [run_id] * len(rows),
                    [ev.rule.id] * len(rows),
                    [ev.batch.kind] * len(rows),
                    np.asarray(ev.batch.ids)[rows].astype(np.int64).tolist(),
                    name,
                    division[s : s + chunk].tolist(),
                    owner,
                    outcome[rows].astype(int).tolist(),
                    reason[rows].tolist(),
                    _facts(ev, rows, pos),
                    _entries(ev, pos),
                )
            )


def write(chunks: Iterable[list[tuple]]) -> int:
    """Write result rows: COPY on PostgreSQL, one prepared executemany per chunk elsewhere (SQLite).
    Run inside the caller's transaction."""
    table = SweepResult._meta.db_table
    n = 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for rows in chunks:
                    for row in rows:
                        copy.write_row(row)
                    n += len(rows)
        else:
            sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"
            for rows in chunks:
                cur.executemany(sql, rows)
                n += len(rows)
    return n
