"""Disclosure rule for published aggregates: no cell may reveal a single enterprise, directly or
by arithmetic on other published cells.

A cell (one indicator for one division, metal and period) computed from fewer than
``min_enterprises`` distinct enterprises (monitoring.yaml, with its source) is withheld from
anyone not entitled to the underlying reports: the value and everything it is computed from
(numerator, denominator, extra columns) become None and the cell is marked ``withheld``.
Admins see every cell; a regulator sees the cells of divisions inside its scope (a prefecture
regulator does not see a province cell whole, since that aggregates other prefectures'
enterprises); everyone else — the public and enterprises, who could otherwise read a
competitor's figures — gets the rule.

Withholding those cells alone leaks (a province total minus its public prefecture cells gives a
withheld prefecture back), so the rule is applied to every published table at once: the
dashboard's three levels (prefecture, province, nation), months and years and restoration
cycles, and the figures other domains register from enterprises' records (outside.py:
restoration's areas and fund coverage), are one system of linked totals, and
``core.suppression.protect`` withholds complementary cells until no withheld cell follows from
the public ones. The dashboard, its CSV, the API, the plan report's targets (with their outside
series) and the early-warning releases all read that one set.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Max

from kuangzheng.access.actor import Actor
from kuangzheng.audit import service as audit
from kuangzheng.monitoring.core import indicators as ind
from kuangzheng.monitoring.core import suppression

from . import measures
from .config import config, params
from .models import LedgerMovement, RateStandard, Report

MIN_ENTERPRISES = int(config()["disclosure"]["min_enterprises"])
NOTE_ZH = f"少于{MIN_ENTERPRISES}家企业，不予公开"
NOTE_EN = f"fewer than {MIN_ENTERPRISES} enterprises: withheld"
# a complementary cell: enough enterprises itself, but with it public a withheld cell could be derived
LINKED_ZH = f"公开后可推算出少于{MIN_ENTERPRISES}家企业的数据，不予公开"
LINKED_EN = f"would let a cell of fewer than {MIN_ENTERPRISES} enterprises be derived: withheld"
KEYS = ("indicator", "unit", "division", "metal", "period", "cycle", "enterprises")
LEVEL_RANK = {"prefecture": 0, "province": 1, "national": 2}  # complements taken from the lowest level first
GROUP_OF = {i: g for g, members in config()["disclosure"]["groups"].items() for i in members}


def entitled(actor: Actor | None, division: str) -> bool:
    """May ``actor`` see the cells of ``division`` whatever their number of enterprises?"""
    return actor is not None and (actor.is_admin or (actor.is_regulator and actor.covers_division(division)))


def cell_of(row: dict, level: str) -> tuple:
    """The cell a published row shows: (group, metal, level, division, period)."""
    period = row.get("period")
    if period is None and row.get("cycle") is not None:
        period = f"cycle:{row['cycle']}"
    indicator = row["indicator"]
    group = row.get("group") or GROUP_OF.get(indicator, indicator)  # outside figures name their own group
    return (group, row.get("metal") or "", level, str(row.get("division", "")), period)


def _division_parent(level: str, division: str):
    if level == "prefecture":
        return "province", division[:2] + "0000"
    if level == "province":
        return "national", measures.NATIONAL
    return None


def _period_parent(cycle_start: int, cycle_years: int):
    def parent(family, period):
        text = str(period or "")
        if len(text) == 7 and text[4] == "-":
            return text[:4]
        if len(text) == 4 and text.isdigit():
            return f"cycle:{int(ind.cycle_of([int(text)], cycle_start, cycle_years)[0])}"
        return None

    return parent


_LATEST: dict = {}


def data_version() -> tuple:
    """What the published cells are computed from: the registered outside sources, audited writes
    (registry, ledger, workflow, restoration's records) and the reports and rate standards
    themselves (a changed report moves its ``updated_at``)."""
    from . import outside  # which figures other domains register is part of what is published

    reports = Report.objects.aggregate(n=Count("id"), t=Max("updated_at"), v=Max("version"))
    return (
        tuple((s.name, id(s.provider)) for s in outside.sources()),
        audit.head(),
        tuple(reports.values()),
        LedgerMovement.objects.count(),
        tuple(RateStandard.objects.aggregate(n=Count("id"), m=Max("id")).values()),
    )


@dataclass
class Published:
    """Every published cell at every level with its count of enterprises, and their relations."""

    counts: dict

    @classmethod
    def build(cls, tables_by_level: dict | None = None, outside_by_level: dict | None = None) -> Published:
        """The report tables at every level and the figures other domains register (outside.py),
        built from enterprises' records: one system of linked totals."""
        if tables_by_level is None:
            tables_by_level = {lv: measures.dashboard_tables(lv) for lv in measures.LEVELS}
        if outside_by_level is None:
            from . import outside  # it reads this module's rule; the figures are asked for here

            outside_by_level = {lv: outside.published_rows(lv) for lv in measures.LEVELS}
        counts: dict = {}
        rows_by_level = [(lv, measures.table_rows(t)) for lv, t in tables_by_level.items()]
        for level, rows in rows_by_level + list(outside_by_level.items()):
            for r in rows:
                c = cell_of(r, level)
                n = r.get("enterprises") or 0
                counts[c] = min(counts.get(c, n), n)
        return cls(counts)

    @classmethod
    def current(cls) -> Published:
        """The published cells of the data as it is now, built once per data version."""
        key = data_version()
        if _LATEST.get("key") != key:
            _LATEST.update(key=key, published=cls.build())
        return _LATEST["published"]

    @cached_property
    def relations(self) -> list[suppression.Relation]:
        p = params()
        return suppression.linked_relations(
            self.counts, _division_parent, _period_parent(p["cycle_start_year"], p["cycle_years"])
        )

    def hidden(self, actor: Actor | None) -> frozenset:
        """The cells withheld from ``actor``: primary and complementary."""
        if actor is not None and actor.is_admin:
            return frozenset()
        key = None if actor is None else (actor.role, actor.scope_prefix)
        cache = self.__dict__.setdefault("_hidden", {})
        if key not in cache:
            cache[key] = suppression.protect(
                self.counts,
                self.relations,
                threshold=MIN_ENTERPRISES,
                visible=lambda c: entitled(actor, c[3]),
                rank=lambda c: (LEVEL_RANK.get(c[2], 9),),
            )
        return cache[key]


def notes(enterprises) -> dict:
    if enterprises is None or enterprises < MIN_ENTERPRISES:
        return {"note_zh": NOTE_ZH, "note_en": NOTE_EN}
    return {"note_zh": LINKED_ZH, "note_en": LINKED_EN}


def withhold(row: dict) -> dict:
    r = {k: (v if k in KEYS else None) for k, v in row.items()}
    r.update(withheld=True, **notes(row.get("enterprises")))
    return r


def apply(actor: Actor | None, rows: list[dict], level: str, published: Published | None = None) -> list[dict]:
    """Indicator rows (``measures.table_rows`` at ``level``) as ``actor`` may see them."""
    hidden = (published or Published.current()).hidden(actor) if rows else frozenset()
    return [withhold(r) if cell_of(r, level) in hidden else {**r, "withheld": False} for r in rows]


def release_items(items: list[dict], published: Published | None = None) -> list[dict]:
    """Early-warning items as the public may see them: a warning on a withheld cell keeps its
    rule, place and period (that a warning was raised is the release's point) but not its value."""
    if not items:
        return items
    published = published or Published.current()
    hidden = published.hidden(None)
    out = []
    for w in items:
        cells = {cell_of(w, level) for level in measures.LEVELS} & hidden
        if cells:
            fewest = min(published.counts.get(c, 0) for c in cells)
            w = {**w, "value": None, "withheld": True, **notes(fewest)}
        out.append(w)
    return out
