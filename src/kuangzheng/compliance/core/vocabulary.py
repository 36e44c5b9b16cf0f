"""The words rules are written in, so that a rule reads like the clause it implements.

A rule is a function over a batch of subjects (numpy columns). It names the rows the clause concerns,
reads the catalogue's requirement for each row (`b.param`, `b.entry`, `b.binds`), and gives each row a
reason with `select` — OpenFisca's formula style: each reason beside its condition, the first that holds
wins — then returns the facts it used and the entries it cites. Each reason is declared once with the
outcome it means (`passes`, `warns`, `fails`, `missing`, `not_applicable`); the shared ones
(`not_subject`, `not_in_force`, `pass`, `fail`, `missing`, `principle`) need no declaration:

    @rule("al.capacity_replacement", "facility", "M27", (…), reads=(…), params=(REPLACEMENT,),
          reasons={"short": fails("置换退出产能…少于新增产能…", "retired capacity … is less than …")})
    def capacity_replacement(b):
        \"\"\"(the clause, quoted from the catalogue)\"\"\"
        project = of_kind(b, "al_line") & is_project(b)
        replacement = b.param(REPLACEMENT, where=project)
        new, retired = b.num("capacity"), b.num("replacement_retired")
        return Result(
            select(
                (~project, "not_subject"),
                (~replacement.found, "not_in_force"),
                (np.isnan(new) | np.isnan(retired), "missing"),
                (retired >= new, "pass"),
                default="short",
            ),
            facts={"replacement_retired": (retired, "10^4 t/a"), "capacity": (new, "10^4 t/a")},
            entries=[replacement.entry],
        )
"""

from __future__ import annotations

import functools

import numpy as np

from kuangzheng.policy.catalogue import to_base

from .engine import (
    Batch,
    Lookup,
    Result,
    compare,
    const,
    fails,
    missing,
    not_applicable,
    passes,
    rule,
    select,
    threshold_result,
    warns,
)

__all__ = [
    "Batch",
    "Lookup",
    "AREA_PLACES",
    "FEN",
    "Result",
    "compare",
    "const",
    "fails",
    "flag_result",
    "floors_held",
    "in_window",
    "is_project",
    "missing",
    "not_applicable",
    "of_kind",
    "passes",
    "quantity",
    "registered",
    "rule",
    "select",
    "threshold_result",
    "warns",
]

PROJECT_TYPES = ("new", "retrofit", "expansion")


def of_kind(batch: Batch, *kinds: str) -> np.ndarray:
    return batch.isin("kind", kinds)


def is_project(batch: Batch) -> np.ndarray:
    """New, retrofitted or expanded capacity (a project under review), as opposed to an existing line."""
    return batch.isin("project_type", PROJECT_TYPES)


def in_window(dates: np.ndarray, start, end) -> np.ndarray:
    """start <= date < end (NaT is never inside)."""
    d = np.asarray(dates, dtype="datetime64[D]")
    return (d >= np.datetime64(start, "D")) & (d < np.datetime64(end, "D"))


def flag_result(
    batch: Batch, applies: np.ndarray, bound: np.ndarray, broken: np.ndarray, fact: str, *entry_ids: str
) -> Result:
    """A yes/no fact where 1 means the requirement is broken: fail on 1, pass on 0, missing on -1."""
    reason = select(
        (~applies, "not_subject"),
        (~bound, "not_in_force"),
        (broken == 1, "fail"),
        (broken == 0, "pass"),
        default="missing",
    )
    return Result(
        reason,
        facts={fact: (np.where(broken < 0, None, broken == 1).astype(object), None)},
        entries=[batch.cite(e, applies & bound) for e in entry_ids],
    )


def floors_held(
    batch: Batch, values: np.ndarray, by_metal: dict[str, tuple[np.ndarray, str]], unit: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Lookup, dict[str, Lookup]]:
    """For a subject of several metals whose floors differ (one plant, one capacity): each metal's floor
    (read with its comparison) on the rows of that metal; then (meets every floor that binds, meets
    none, some floor binds, the highest floor per row, the floors by metal)."""
    floors = {metal: batch.param(name, unit, rows) for metal, (rows, name) in by_metal.items()}
    n = len(values)
    meets_all, meets_none, bound = np.ones(n, dtype=bool), np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
    top = Lookup.empty(n)
    for floor in floors.values():
        ok = floor.met_by(values)
        meets_all &= ~floor.found | ok
        meets_none &= ~floor.found | ~ok
        bound |= floor.found
        higher = floor.found & (np.isnan(top.value) | (floor.value > top.value))
        for col in ("value", "op", "entry", "principle"):
            getattr(top, col)[higher] = getattr(floor, col)[higher]
        top.ops |= floor.ops
    known = ~np.isnan(values)
    return meets_all & bound & known, meets_none & bound & known, bound, top, floors


@functools.lru_cache(maxsize=256)
def _factors(recorded: str, unit: str) -> tuple[float, float]:
    """(multiply, divide) taking a value in `recorded` to `unit` (the catalogue's units table); NaN when
    no unit is recorded or the two measure different things (t/d is not t/a: no seed gives working days)."""
    if not recorded:
        return np.nan, 1.0
    a, base_a = to_base(1.0, recorded)
    c, base_c = to_base(1.0, unit)
    return (a, c) if base_a == base_c else (np.nan, 1.0)


def quantity(batch: Batch, column: str, unit_column: str, unit: str) -> np.ndarray:
    """A quantity column expressed in `unit`, each row converted from the unit recorded beside it
    (`unit_column`): every comparison of a recorded quantity goes through its units. NaN where the unit
    is not recorded or cannot be expressed in `unit`."""
    units = batch.coded(unit_column)
    mul, div = np.array([_factors(str(u), unit) for u in units.categories], dtype=float).T.reshape(2, -1)
    # multiply first, then divide: 200000 t/a is exactly 20 × 10^4 t/a (× 0.0001 would not be)
    return batch.num(column) * mul[units.codes] / div[units.codes]


# The precision figures are registered in: money to the fen, areas to 1e-4 km² (the registry's area).
FEN = 2
AREA_PLACES = 4


def registered(values: np.ndarray, places: int) -> tuple[np.ndarray, np.ndarray]:
    """(values as whole numbers of their registered step — fen, 1e-4 km² —, known): computed limits are
    compared on these integers, so a figure exactly at a limit cannot land on the wrong side through
    floating-point error (3333.00 yuan over 0.3333 km² is exactly 10000 yuan/km²)."""
    v = np.asarray(values, dtype=float)
    known = np.isfinite(v)
    out = np.zeros(len(v), dtype=np.int64)
    out[known] = np.rint(v[known] * 10**places).astype(np.int64)
    return out, known
