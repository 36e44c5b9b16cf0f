"""Disclosure rule for published aggregates: no cell may reveal a single enterprise.

A cell (one indicator for one division, metal and period) computed from fewer than
``MIN_ENTERPRISES`` distinct enterprises is withheld from anyone not entitled to the underlying
reports: the value and everything it is computed from (numerator, denominator, extra columns)
become None and the cell is marked ``withheld``. Admins see every cell; a regulator sees the
cells of divisions inside its scope (a prefecture regulator does not see a province cell whole,
since that aggregates other prefectures' enterprises); everyone else — the public and
enterprises, who could otherwise read a competitor's figures — gets the rule.
"""

from __future__ import annotations

from kuangzheng.access.actor import Actor

MIN_ENTERPRISES = 3
NOTE_ZH = f"少于{MIN_ENTERPRISES}家企业，不予公开"
NOTE_EN = f"fewer than {MIN_ENTERPRISES} enterprises: withheld"
KEYS = ("indicator", "unit", "division", "metal", "period", "cycle", "enterprises")


def entitled(actor: Actor | None, division: str) -> bool:
    """May ``actor`` see the cells of ``division`` whatever their number of enterprises?"""
    return actor is not None and (actor.is_admin or (actor.is_regulator and actor.covers_division(division)))


def withheld(actor: Actor | None, division: str, enterprises) -> bool:
    return not entitled(actor, division) and (enterprises is None or enterprises < MIN_ENTERPRISES)


def apply(actor: Actor | None, rows: list[dict]) -> list[dict]:
    """Indicator rows (``measures.table_rows``) as ``actor`` may see them."""
    out = []
    for r in rows:
        if withheld(actor, str(r.get("division", "")), r.get("enterprises")):
            r = {k: (v if k in KEYS else None) for k, v in r.items()}
            r.update(withheld=True, note_zh=NOTE_ZH, note_en=NOTE_EN)
        else:
            r = {**r, "withheld": False}
        out.append(r)
    return out
