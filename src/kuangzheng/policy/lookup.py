"""Parameter lookup for rule code: `param(name, jurisdiction, on=date)`.

Rule of precedence (documented in docs/policy-catalogue.md, tested in tests/policy/test_lookup.py):

1. An entry applies from its `effective` date (inclusive) until its `until` date (exclusive).
   Within one jurisdiction the applicable entry with the latest `effective` is the current version.
2. National values apply everywhere; a provincial value applies only in its own province.
3. When both a national and a provincial value apply:
   - for thresholds (kind `access_threshold`, comparison >=, >, <=, <) the STRICTER binds — a
     province may tighten a national floor or ceiling, never loosen it. Floors (>=, >) : the higher
     value binds; ceilings (<=, <): the lower. At equal values the strict comparison (>, <) binds.
     Values are compared in base units (units.yaml), so 400 kA and 0.4 MA compare correctly;
   - for every other kind the provincial value overrides the national one.
4. A threshold pair that cannot be ordered (a floor against a ceiling, or units of different
   bases) is an error, never a silent choice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .catalogue import JURISDICTIONS, Catalogue, Entry, ParameterNotFound, PolicyError, load_catalogue, to_base

FLOORS = (">=", ">")
CEILINGS = ("<=", "<")


def _current(entries: Iterable[Entry], on: dt.date) -> Entry | None:
    live = [e for e in entries if e.applies_on(on)]
    return max(live, key=lambda e: e.effective) if live else None


def _is_threshold(e: Entry) -> bool:
    return e.kind == "access_threshold" and e.comparison in FLOORS + CEILINGS


def stricter(a: Entry, b: Entry) -> Entry:
    """The stricter of two threshold entries for the same parameter (see module docstring)."""
    if not (_is_threshold(a) and _is_threshold(b)):
        raise PolicyError(
            f"{a.id} 与 {b.id} 不都是门槛值，无法比较宽严",
            f"{a.id} and {b.id} are not both thresholds; strictness is undefined",
        )
    same_side = (a.comparison in FLOORS) == (b.comparison in FLOORS)
    va, base_a = to_base(a.value, a.unit)
    vb, base_b = to_base(b.value, b.unit)
    if not same_side or base_a != base_b:
        raise PolicyError(
            f"{a.id}（{a.comparison} {a.value} {a.unit}）与 {b.id}（{b.comparison} {b.value} {b.unit}）无法比较宽严",
            f"{a.id} ({a.comparison} {a.value} {a.unit}) and {b.id} ({b.comparison} {b.value} {b.unit})"
            " cannot be ordered by strictness",
        )
    if abs(va - vb) <= 1e-9 * max(abs(va), abs(vb), 1):
        return a if a.comparison in (">", "<") else b
    floor = a.comparison in FLOORS
    return a if (va > vb) == floor else b


def candidates(
    name: str, jurisdiction: str, on: dt.date, catalogue: Catalogue | None = None
) -> tuple[Entry | None, Entry | None]:
    """(national, provincial) current versions of a parameter on a date; either may be None."""
    if jurisdiction not in JURISDICTIONS:
        raise PolicyError(
            f"辖区 {jurisdiction!r} 无效，应为 {', '.join(JURISDICTIONS)} 之一",
            f"jurisdiction {jurisdiction!r} is invalid; use one of {', '.join(JURISDICTIONS)}",
        )
    catalogue = catalogue or load_catalogue()
    rows = [e for e in catalogue.entries if e.param == name]
    if not rows:
        raise ParameterNotFound(f"目录中没有参数 {name}", f"no parameter named {name} in the catalogue")
    national = _current((e for e in rows if e.jurisdiction == "national"), on)
    provincial = None
    if jurisdiction != "national":
        provincial = _current((e for e in rows if e.jurisdiction == jurisdiction), on)
    return national, provincial


def param(name: str, jurisdiction: str, on: dt.date | None = None, catalogue: Catalogue | None = None) -> Entry:
    """The entry that governs parameter `name` in `jurisdiction` on date `on` (default today)."""
    on = on or dt.date.today()
    national, provincial = candidates(name, jurisdiction, on, catalogue)
    if national and provincial:
        if _is_threshold(national) or _is_threshold(provincial):
            return stricter(national, provincial)
        return provincial
    found = provincial or national
    if found is None:
        raise ParameterNotFound(
            f"参数 {name} 在 {jurisdiction} 于 {on.isoformat()} 没有适用的取值",
            f"parameter {name} has no value applying in {jurisdiction} on {on.isoformat()}",
        )
    return found


def params(catalogue: Catalogue | None = None) -> list[str]:
    """Every parameter name the catalogue defines, sorted."""
    catalogue = catalogue or load_catalogue()
    return sorted({e.param for e in catalogue.entries if e.param})
