"""Actuals from outside monitoring: figures a domain above monitoring computes from its own records
(restoration's areas, fund and green mines), registered here so that the dashboard, the plan
targets and the yearly plan-evaluation report show them beside the actuals of accepted enterprise
reports, each with where it comes from.

Monitoring sits below those domains (it may not import them), so they come to it: a domain registers
a provider from its AppConfig.ready()::

    @outside.source("restoration", source_zh="…", source_en="…", coverage=years_and_divisions)
    def figures(year: int, division: str) -> list[outside.Figure]: ...

``division`` is a GB/T 2260 code (``000000``: every division); ``coverage()`` returns the years and
the (county or prefecture) division codes the source holds data for, so the dashboard knows which
cells to ask for. The disclosure rule applies to a figure built from enterprises' records
(``enterprises`` counts them); ``enterprises=None`` marks a figure from public or government records
(a government restoration project, a published green-mine list), which names no enterprise's figures.

Figures built from enterprises' records take part in the same complementary suppression as the
report tables (disclosure.Published counts them as published cells, ``published_rows``): a cell
withheld here is not recoverable from the public cells of any published table, by division (a
province minus its public prefectures) nor through figures that add up to each other. Figures a
domain publishes that derive from one another (an area, its ratio, a total that includes it) name
one ``group``: a group is withheld or shown as a whole, like the report indicators' groups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kuangzheng.monitoring.core.units import factor

from . import disclosure

NATIONAL = "000000"


@dataclass(frozen=True)
class Figure:
    key: str  # e.g. "restoration.legacy_restored", the dashboard's indicator column
    label_zh: str
    label_en: str
    value: float | None  # None: nothing recorded for the year
    unit: str  # a code of policy/units.yaml
    enterprises: int | None  # distinct enterprises behind the value; None: public or government records
    measures: tuple[str, ...] = ()  # the catalogue target ids this figure measures
    flow: bool = False  # an amount of the year: a target over a period sums it from after its base year
    group: str = ""  # figures derived from one another share a group: withheld together ("": the key alone)
    note_zh: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class Source:
    name: str
    source_zh: str
    source_en: str
    provider: Callable[[int, str], list[Figure]]
    coverage: Callable[[], tuple[Iterable[int], Iterable[str]]]


_SOURCES: dict[str, Source] = {}


def source(name: str, *, source_zh: str, source_en: str, coverage):
    """Register ``provider(year, division) -> [Figure]`` under ``name`` (a second registration replaces it)."""

    def register(provider):
        _SOURCES[name] = Source(name, source_zh, source_en, provider, coverage)
        return provider

    return register


def unregister(name: str) -> None:
    _SOURCES.pop(name, None)


def sources() -> list[Source]:
    return list(_SOURCES.values())


def _level_division(code: str, level: str) -> str:
    if level == "national":
        return NATIONAL
    return code[:2] + "0000" if level == "province" else code[:4] + "00"


def _level_of(division: str) -> str:
    if division == NATIONAL:
        return "national"
    return "province" if division.endswith("0000") else "prefecture"


def _raw_rows(level: str):
    """(source, figure, year, division) of every figure published at ``level``."""
    for s in sources():
        years, codes = s.coverage()
        divisions = sorted({_level_division(c, level) for c in codes})
        for year in sorted(set(years)):
            for division in divisions:
                for f in s.provider(year, division):
                    if f.value is not None:
                        yield s, f, year, division


def published_rows(level: str) -> list[dict]:
    """The figures at ``level`` built from enterprises' records, unprotected, with their group: the
    cells disclosure.Published adds to the linked tables it protects."""
    return [_row(s, f, year, division) for s, f, year, division in _raw_rows(level) if f.enterprises is not None]


def dashboard_rows(level: str, actor) -> list[dict]:
    """Every registered figure at the dashboard's level, in the shape of ``measures.table_rows`` plus
    its source, as ``actor`` may see it."""
    hidden = disclosure.Published.current().hidden(actor)
    out = []
    for s, f, year, division in _raw_rows(level):
        row = _row(s, f, year, division)
        if f.enterprises is not None and disclosure.cell_of(row, level) in hidden:
            row = disclosure.withhold(row)
        out.append(row)
    return out


def _row(s: Source, f: Figure, year: int, division: str) -> dict:
    return {
        "indicator": f.key,
        "group": f.group or None,
        "label_zh": f.label_zh,
        "label_en": f.label_en,
        "unit": f.unit,
        "division": division,
        "metal": None,
        "period": str(year),
        "cycle": None,
        "value": f.value,
        "numerator": None,
        "denominator": None,
        "enterprises": f.enterprises,
        "source_zh": s.source_zh,
        "source_en": s.source_en,
        "figure_note_zh": f.note_zh,
        "figure_note_en": f.note_en,
        "withheld": False,
    }


class Memo:
    """Each source's coverage and figures asked once per (year, division) for one evaluation of
    every target (the providers query their domain's tables)."""

    def __init__(self):
        self._coverage: dict[str, list[int]] = {}
        self._figures: dict[tuple, list[Figure]] = {}

    def years(self, s: Source) -> list[int]:
        if s.name not in self._coverage:
            self._coverage[s.name] = sorted(set(s.coverage()[0]))
        return self._coverage[s.name]

    def figures(self, s: Source, year: int, division: str) -> list[Figure]:
        key = (s.name, year, division)
        if key not in self._figures:
            self._figures[key] = s.provider(year, division)
        return self._figures[key]


def target_series(target, division: str, upto: int, memo: Memo | None = None) -> list[dict]:
    """For one catalogue target: every registered figure measuring it, as a yearly series in the
    target's unit (a flow summed from the year after the target's base year), with its source and
    the enterprises behind each year (None: public or government records)."""
    memo = memo or Memo()
    out = []
    first = (target.base_year + 1) if target.base_year else None
    for s in sources():
        series: dict[str, dict] = {}
        for year in (y for y in memo.years(s) if y <= upto):
            for f in memo.figures(s, year, division):
                if target.id not in f.measures or f.value is None:
                    continue
                if f.flow and first is not None and year < first:
                    continue
                e = series.setdefault(
                    f.key,
                    {
                        "key": f.key,
                        "label_zh": f.label_zh,
                        "label_en": f.label_en,
                        "source": s.name,
                        "source_zh": s.source_zh,
                        "source_en": s.source_en,
                        "flow": f.flow,
                        "group": f.group or None,
                        "years": [],
                        "actuals": [],
                        "enterprises": [],
                    },
                )
                value = f.value * factor(f.unit, target.unit)
                if f.flow and e["actuals"]:
                    value += e["actuals"][-1]
                e["years"].append(year)
                e["actuals"].append(value)
                e["enterprises"].append(f.enterprises)
        out.extend(series.values())
    return out


def withheld(actor, division: str, series: dict) -> bool:
    """Whether a target's series uses a year whose cell is withheld from ``actor`` (primary or
    complementary: the same set the dashboard applies)."""
    years = [y for y, n in zip(series["years"], series["enterprises"]) if n is not None]
    if not years:
        return False
    hidden = disclosure.Published.current().hidden(actor)
    level = _level_of(division)
    row = {"indicator": series["key"], "group": series.get("group"), "division": division}
    return any(disclosure.cell_of({**row, "period": str(y)}, level) in hidden for y in years)
