"""Inserting many rows of one model fast: ids reserved up front, one prepared `executemany` on SQLite,
`COPY … FROM STDIN` on PostgreSQL. `bulk_create` spends ~90 % of an import's write time compiling
SQL per value; this writes the same columns with the values converted once per column type.

Call it inside a transaction. On SQLite the write lock is held from BEGIN (IMMEDIATE), so reading
the sequence and writing ids cannot race another writer; on PostgreSQL ids come from the sequence.
"""

from __future__ import annotations

import functools
import json

from django.db import connection


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


def _converter(field):
    """A function turning a Python value into what the driver stores for this field."""
    kind = field.get_internal_type()
    if kind == "JSONField":
        if connection.vendor == "postgresql":
            dumps = lambda v: json.dumps(v, cls=field.encoder, ensure_ascii=False)
        else:
            dumps = lambda v: connection.ops.adapt_json_value(v, field.encoder)
        return lambda v: str(v) if isinstance(v, JSONText) else dumps(v)
    if kind == "DateTimeField":  # a chunk's rows share their timestamps, and dates repeat
        return functools.lru_cache(maxsize=4096)(connection.ops.adapt_datetimefield_value)
    if kind == "DateField":
        return functools.lru_cache(maxsize=4096)(connection.ops.adapt_datefield_value)
    if kind == "DecimalField":
        return lambda v: None if v is None else round(float(v), field.decimal_places)
    return None


def insert(model, rows: list[dict]) -> None:
    """Insert `rows` (dicts keyed by column attname, each with its primary key) into `model`'s table."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if f.attname in rows[0]]
    columns = [f.column for f in fields]
    convert = [_converter(f) for f in fields]
    names = [f.attname for f in fields]
    values = [
        tuple(v if c is None or v is None else c(v) for v, c in zip((r[n] for n in names), convert)) for r in rows
    ]
    table = model._meta.db_table
    quoted = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with connection.wrap_database_errors, cur.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in values:  # the raw cursor: errors wrapped as Django's (IntegrityError, …)
                    copy.write_row(row)
        else:
            cur.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join(["%s"] * len(columns))})', values)
