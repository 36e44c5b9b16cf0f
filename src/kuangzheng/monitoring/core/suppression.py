"""Complementary cell suppression for linked tables of totals (pure).

A published cell computed from fewer than ``threshold`` contributors is withheld (primary
suppression). That alone leaks: a province total minus its public prefecture cells gives the
withheld prefecture back, and the same figure also appears at other levels (prefecture,
province, national) and other periods (months, their year, a restoration cycle of years). So
every additive relation between published cells is an equation ``total = Σ parts``, and the
public cells are known values in that system. A withheld cell is safe only when its value is
NOT determined by the system: no combination of sums and differences of public cells yields it.

Exact test (``determined``): with the withheld cells' columns ``A_S`` of the equations, the value
of withheld cell ``i`` is fixed iff every solution of ``A_S x = 0`` has ``x_i = 0``, i.e. row ``i``
of a basis of the null space of ``A_S`` is zero. The null space comes from one SVD of the
(small) matrix of the equations that touch a withheld cell.

Protection (``protect``) repeats two steps until no withheld cell is determined:
1. in every equation with exactly one withheld cell, withhold one more of its cells (the classic
   rule: "at least one more cell in each affected total");
2. for a cell still determined through several equations together, withhold one more cell of an
   equation that contains it.
The cell chosen is the one that costs the public least: a cell of the lowest level (a
prefecture before a province before the nation), then the fewest contributors, then the smallest
key (deterministic, so every table that shares a cell makes the same choice). Cells the viewer
may see anyway (``visible``: a regulator's own scope) are never chosen. The set only grows, so
the loop ends; in the worst case every non-visible cell of a relation is withheld.

No maintained Python library does this (sdcMicro and τ-Argus, the reference tools, are R and
Java); the heuristic is the hypercube/"singleton" approach of those tools reduced to what these
tables need, with the exact linear test as the stopping rule. What it does not cover: bounds
from signs (a public total of 0 tells that every non-negative part is 0) — ranges, not values.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

Cell = Hashable


@dataclass(frozen=True)
class Relation:
    """``total = Σ parts`` between published cells."""

    total: Cell
    parts: tuple[Cell, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return (self.total, *self.parts)


def linked_relations(
    cells: Iterable[tuple],
    division_parent: Callable[[str, str], tuple[str, str] | None],
    period_parent: Callable[[tuple, str], str | None],
) -> list[Relation]:
    """Relations between cells keyed ``(*family, level, division, period)``.

    ``division_parent(level, division)`` names the (level, division) the cell adds up into
    (prefecture → province → nation); ``period_parent(family, period)`` the period it adds up into
    (month → year, year → restoration cycle). A relation is kept only when its total is published.
    """
    cells = set(cells)
    groups: dict[Cell, list[Cell]] = {}
    for c in cells:
        *family, level, division, period = c
        up = division_parent(level, division)
        if up is not None:
            groups.setdefault(("division", (*family, *up, period)), []).append(c)
        p = period_parent(tuple(family), period)
        if p is not None:
            groups.setdefault(("period", (*family, level, division, p)), []).append(c)
    # a total is the sum of its parts along one dimension at a time (its divisions, or its periods)
    return [Relation(t, tuple(sorted(parts, key=repr))) for (_, t), parts in groups.items() if t in cells]


def determined(relations: list[Relation], hidden: set) -> set:
    """The hidden cells whose value follows from the public cells through the relations."""
    hidden = set(hidden)
    touching = [r for r in relations if any(c in hidden for c in r.cells)]
    if not touching:
        return set()
    cols = sorted({c for r in touching for c in r.cells if c in hidden}, key=repr)
    at = {c: j for j, c in enumerate(cols)}
    a = np.zeros((len(touching), len(cols)))
    for i, r in enumerate(touching):
        if r.total in at:
            a[i, at[r.total]] += 1.0
        for p in r.parts:
            if p in at:
                a[i, at[p]] -= 1.0
    _, s, vt = np.linalg.svd(a, full_matrices=True)
    rank = int((s > 1e-9 * max(1.0, s[0] if len(s) else 1.0)).sum())
    null = vt[rank:]  # rows: a basis of the null space of A_S
    if null.shape[0] == 0:
        return set(cols)
    fixed = np.abs(null).max(axis=0) < 1e-9
    return {cols[j] for j in np.flatnonzero(fixed)}


def components(relations: list[Relation]) -> list[list[Relation]]:
    """The relations split into groups that share no cell (each group is protected alone)."""
    parent: dict = {}

    def find(c):
        while parent.setdefault(c, c) != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for r in relations:
        root = find(r.total)
        for p in r.parts:
            parent[find(p)] = root
    out: dict = {}
    for r in relations:
        out.setdefault(find(r.total), []).append(r)
    return list(out.values())


def protect(
    counts: Mapping[Cell, int],
    relations: list[Relation],
    *,
    threshold: int,
    visible: Callable[[Cell], bool] = lambda c: False,
    rank: Callable[[Cell], tuple] = lambda c: (),
) -> frozenset:
    """The cells to withhold: those from fewer than ``threshold`` contributors that the viewer may
    not see, and enough complementary cells that none of them can be derived."""
    hidden = {c for c, n in counts.items() if not visible(c) and (n is None or n < threshold)}
    if not hidden:
        return frozenset()

    def cost(c):
        return (*rank(c), counts.get(c) or 0, repr(c))

    def complement(r: Relation):
        free = [c for c in r.cells if c not in hidden and c in counts and not visible(c)]
        return min(free, key=cost) if free else None

    for part in components(relations):
        if any(c in hidden for r in part for c in r.cells):
            _protect_component(part, hidden, complement, cost)
    return frozenset(hidden)


def _protect_component(relations: list[Relation], hidden: set, complement, cost) -> None:
    by_cell: dict[Cell, list[Relation]] = {}
    for r in relations:
        for c in r.cells:
            by_cell.setdefault(c, []).append(r)
    while True:
        _singletons(relations, hidden, complement)
        for c in sorted(determined(relations, hidden), key=repr):
            x = _nearest_complement(c, by_cell, complement, cost)
            if x is not None:
                hidden.add(x)
                break  # one at a time: a single addition may free several cells
        else:
            return


def _nearest_complement(cell, by_cell, complement, cost):
    """A cell to withhold for ``cell``: from a relation that contains it, or else (every cell of
    those relations already withheld, the value fixed further out) from the relations one step
    further, and so on."""
    seen_cells, seen = {cell}, set()
    frontier = [cell]
    while frontier:
        rels = [r for c in frontier for r in by_cell.get(c, ()) if id(r) not in seen]
        seen.update(id(r) for r in rels)
        options = [x for r in rels if (x := complement(r)) is not None]
        if options:
            return min(options, key=cost)
        frontier = [c for r in rels for c in r.cells if c not in seen_cells]
        seen_cells.update(frontier)
    return None


def _singletons(relations: list[Relation], hidden: set, complement) -> None:
    """Until stable: every relation with exactly one hidden cell gets a second one."""
    changed = True
    while changed:
        changed = False
        for r in relations:
            if sum(c in hidden for c in r.cells) == 1 and (x := complement(r)) is not None:
                hidden.add(x)
                changed = True
