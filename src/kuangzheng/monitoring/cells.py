"""The dashboard's cells as one viewer may see them, built once per data version.

Building them reads every accepted report, the ledger and the figures registered from outside
(restoration's, a provider call per year and division) and applies the disclosure rule: seconds on a
province's data, for a page the public and every regulator open again and again while nothing
changes. So the cells are kept per (level, what decides the viewer's view, data version, day) and
handed out as copies; any write moves the data version (disclosure.data_version) and the next view
builds them again."""

from __future__ import annotations

import datetime as dt
import threading

from kuangzheng.access.actor import Actor

from . import disclosure, measures, outside

_KEEP = 16  # levels × views in use at once; the oldest goes first
_cells: dict[tuple, list[dict]] = {}
_lock = threading.Lock()


def view_of(actor: Actor) -> tuple:
    """What decides the cells an actor sees: the role, and the division or enterprise it covers."""
    return (actor.role, actor.scope_prefix, actor.enterprise_id)


def visible(actor: Actor, level: str) -> list[dict]:
    """The accepted reports' cells with the disclosure rule applied for ``actor``, then the figures
    registered from outside (outside.py); each a fresh dict the caller may annotate."""
    key = (level, view_of(actor), disclosure.data_version(), dt.date.today())
    with _lock:
        built = _cells.get(key)
    if built is None:
        rows = measures.table_rows(measures.dashboard_tables(level))
        built = disclosure.apply(actor, rows, level) + outside.dashboard_rows(level, actor)
        with _lock:
            _cells[key] = built
            while len(_cells) > _KEEP:
                del _cells[next(iter(_cells))]
    return [dict(r) for r in built]


def forget() -> None:
    with _lock:
        _cells.clear()
