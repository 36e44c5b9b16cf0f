"""Inserting many rows of one model fast: ids reserved up front, one prepared `executemany` on SQLite,
`COPY … FROM STDIN` on PostgreSQL. `bulk_create` spends ~90 % of an import's write time compiling
SQL per value; this writes the same columns with the values converted once per column type.

Call it inside a transaction. On SQLite the write lock is held from BEGIN (IMMEDIATE), so reading
the sequence and writing ids cannot race another writer; on PostgreSQL ids come from the sequence.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import json
import threading

from django.db import connection

_pauses = {"depth": 0, "was_enabled": True}
_pauses_lock = threading.Lock()


@contextlib.contextmanager
def gc_paused():
    """Python's cyclic garbage collector off while a bulk operation builds its rows. It runs every
    few hundred allocations, and its passes walk the young objects — here hundreds of thousands of
    row dicts — again and again: about a quarter of a 100,000-row import's time. The rows hold no
    cycles (reference counting frees them); the collector is back, as it was, when the last paused
    block (nested, or in another thread) ends, and its next pass finds any cycles made meanwhile."""
    with _pauses_lock:
        if _pauses["depth"] == 0:
            _pauses["was_enabled"] = gc.isenabled()
            gc.disable()
        _pauses["depth"] += 1
    try:
        yield
    finally:
        with _pauses_lock:
            _pauses["depth"] -= 1
            if _pauses["depth"] == 0 and _pauses["was_enabled"]:
                gc.enable()


def reserve_ids(model, n: int) -> list[int]:
    """n new primary keys for `model`, never used before (not even by deleted rows)."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, n])
            return [r[0] for r in cur.fetchall()]
        cur.execute(f'SELECT max("{pk}") FROM "{table}"')
        top = cur.fetchone()[0] or 0
        cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])  # AUTOINCREMENT's high mark
        row = cur.fetchone()
        start = max(top, row[0] if row else 0) + 1
        return list(range(start, start + n))


class JSONText(str):
    """A value already encoded as JSON text, stored as it is in a JSON column."""


def exact_key(value):
    """A hashable key that two values share only if every JSON encoder writes them alike: types are
    kept (1, 1.0 and True differ; so do 0.0 and -0.0) and so is the order of lists and dicts. Plain
    JSON values and dates only; anything else raises TypeError."""
    t = type(value)
    if t is float:
        return t, repr(value)
    if t is str or t is int or t is bool or value is None or t is dt.date:
        return t, value
    if t is list:
        return t, tuple(exact_key(v) for v in value)
    if t is dict:
        return t, tuple((exact_key(k), exact_key(v)) for k, v in value.items())
    raise TypeError(t.__name__)


def memoised(convert):
    """`convert` computed once per distinct value (by `exact_key`) in a column of repeating values."""
    memo: dict = {}

    def once(value):
        try:
            key = exact_key(value)
        except TypeError:
            return convert(value)
        try:
            return memo[key]
        except KeyError:
            memo[key] = out = convert(value)
            return out

    return once


def _converter(field):
    """A function turning a Python value into what the driver stores for this field."""
    kind = field.get_internal_type()
    if kind == "JSONField":
        if connection.vendor == "postgresql":
            dumps = lambda v: json.dumps(v, cls=field.encoder, ensure_ascii=False)
        else:
            dumps = lambda v: connection.ops.adapt_json_value(v, field.encoder)
        once = memoised(dumps)  # lists of minerals, empty payloads: a few distinct values
        return lambda v: str(v) if isinstance(v, JSONText) else once(v)
    if kind == "DateTimeField":  # a chunk's rows share their timestamps, and dates repeat
        return functools.lru_cache(maxsize=4096)(connection.ops.adapt_datetimefield_value)
    if kind == "DateField":
        return functools.lru_cache(maxsize=4096)(connection.ops.adapt_datefield_value)
    if kind == "DecimalField":
        return lambda v: None if v is None else round(float(v), field.decimal_places)
    return None


def insert(model, rows: list[dict]) -> None:
    """Insert `rows` (dicts keyed by column attname, each with its primary key) into `model`'s table."""
    if rows:
        insert_columns(model, {name: [r[name] for r in rows] for name in rows[0]})


def insert_columns(model, columns: dict[str, list]) -> None:
    """Insert rows given a column at a time (attname -> one value per row, the primary key included)."""
    fields = [f for f in model._meta.concrete_fields if f.attname in columns]
    if not fields or not columns[fields[0].attname]:
        return
    values = list(zip(*(_convert_column(f, columns[f.attname]) for f in fields)))
    table = model._meta.db_table
    quoted = ", ".join(f'"{f.column}"' for f in fields)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with connection.wrap_database_errors, cur.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in values:  # the raw cursor: errors wrapped as Django's (IntegrityError, …)
                    copy.write_row(row)
        else:
            cur.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join(["%s"] * len(fields))})', values)


def _convert_column(field, values: list) -> list:
    convert = _converter(field)
    if convert is None:
        return values
    return [None if v is None else convert(v) for v in values]
