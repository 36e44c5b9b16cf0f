"""An attacker on published aggregates: every sum and difference of published cells, done exactly.

It knows what any reader of the published tables knows: which cells add up to which (a province is
the sum of its prefectures, the nation of its provinces, a year of its months, a restoration cycle
of its years) and which columns of different indicators are the same figure. Each relation is an
equation ``total − Σ parts = 0``; public cells are numbers, withheld ones unknowns. Gauss–Jordan
elimination over exact fractions (not the floating-point method the suppression uses) then gives
every unknown that a combination of the equations pins down, with its value. It shares no code
with ``monitoring.core.suppression``.
"""

from __future__ import annotations

from fractions import Fraction


def solve(relations, known: dict, unknown: set) -> dict:
    """{unknown cell: value} for every unknown cell the relations determine.

    ``relations``: (total, parts) pairs of cell keys; ``known``: cell → value of public cells.
    A relation with a cell neither known nor unknown (not published) is unusable and skipped.
    Relations that share no unknown cell are solved apart (the same result, much sooner).
    """
    usable = [
        (t, parts)
        for t, parts in relations
        if any(c in unknown for c in (t, *parts)) and all(c in known or c in unknown for c in (t, *parts))
    ]
    found: dict = {}
    for part in _merged(usable, unknown):
        found.update(_solve(part, known, unknown))
    return found


def _merged(relations, unknown) -> list[list]:
    """The relations in groups connected through their unknown cells (union–find)."""
    parent: dict = {}

    def find(c):
        while parent.setdefault(c, c) != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for t, parts in relations:
        cells = [c for c in (t, *parts) if c in unknown]
        for c in cells[1:]:
            parent[find(c)] = find(cells[0])
    out: dict = {}
    for rel in relations:
        first = next(c for c in (rel[0], *rel[1]) if c in unknown)
        out.setdefault(find(first), []).append(rel)
    return list(out.values())


def _solve(relations, known: dict, unknown: set) -> dict:
    rows = []
    for total, parts in relations:
        cells = (total, *parts)
        if not any(c in unknown for c in cells) or not all(c in known or c in unknown for c in cells):
            continue
        coeffs: dict = {}
        rhs = Fraction(0)
        for c, sign in ((total, 1), *((p, -1) for p in parts)):
            if c in unknown:
                coeffs[c] = coeffs.get(c, 0) + sign
            else:
                rhs -= sign * Fraction(repr(known[c]))  # the decimal as published
        coeffs = {c: Fraction(v) for c, v in coeffs.items() if v}
        if coeffs:
            rows.append((coeffs, rhs))
    pivots: list = []  # (pivot cell, row coeffs, rhs), kept fully reduced
    for coeffs, rhs in rows:
        coeffs = dict(coeffs)
        for p, pc, pr in pivots:
            if p in coeffs:
                f = coeffs[p]
                for c, v in pc.items():
                    coeffs[c] = coeffs.get(c, 0) - f * v
                rhs -= f * pr
                coeffs = {c: v for c, v in coeffs.items() if v}
        if not coeffs:
            continue
        p = min(coeffs, key=repr)
        f = coeffs[p]
        coeffs = {c: v / f for c, v in coeffs.items()}
        rhs /= f
        reduced = []
        for q, qc, qr in pivots:
            if p in qc:
                g = qc[p]
                qc = {c: qc.get(c, 0) - g * coeffs.get(c, 0) for c in set(qc) | set(coeffs)}
                qc = {c: v for c, v in qc.items() if v}
                qr -= g * rhs
            reduced.append((q, qc, qr))
        pivots = [*reduced, (p, coeffs, rhs)]
    return {p: r for p, c, r in pivots if len(c) == 1}
