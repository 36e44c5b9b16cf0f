"""Consistency report: stated growth rates recomputed from stated values, totals against their parts.

CAGR = (to / from) ** (1 / years) - 1, years = to.year - from.year. A stated rate agrees when the
recomputed one lies within half a unit of the rate's last stated digit (27.3 %/a: ±0.05; 8 %: ±0.5),
i.e. when the seed's own rounding can explain the difference.

When a seed states a rate and an end value but not the start value (seed 000: "到2017年末 … 1400万吨
左右，年均增长27.3%"), the start value the rate implies is reported: base = to / (1 + r) ** years,
with `base_year` taken from the rate entry. Rates of one subject from one base year are then
checked against each other: they agree when their implied-base intervals (from the rounding
tolerance of each rate) overlap. The seed is never "fixed": disagreements are reported with numbers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

from . import numbers
from .catalogue import Catalogue, Entry, load_catalogue


@dataclass(frozen=True)
class GrowthCheck:
    id: str
    doc: str
    stated: float  # %/a as written
    tolerance: float  # half a unit of the last stated digit, in %/a
    years: int | None
    from_id: str | None
    from_value: float | None
    to_id: str
    to_value: float
    computed: float | None  # recomputed CAGR in %/a (None when there is no start value)
    implied_base: tuple[float, float, float] | None  # (central, low, high) start value the rate implies
    agrees: bool | None  # None when it cannot be recomputed from stated values alone
    message: str
    # CAGR range when start and end values vary by half a unit of their own last digit: a
    # disagreement inside it is explained by the rounding of the stated values
    value_rounding_range: tuple[float, float] | None = None

    @property
    def explained_by_value_rounding(self) -> bool:
        r = self.value_rounding_range
        return bool(r) and self.agrees is False and r[0] - self.tolerance <= self.stated <= r[1] + self.tolerance

    @property
    def status(self) -> str:
        return {True: "agree", False: "disagree", None: "implied"}[self.agrees]


@dataclass(frozen=True)
class SumCheck:
    id: str
    doc: str
    stated: float
    parts: tuple[tuple[str, float], ...]
    total: float
    agrees: bool
    message: str


@dataclass(frozen=True)
class Ambiguity:
    doc: str
    topic: str
    quote: str | None
    note: str


@dataclass
class Report:
    growth: list[GrowthCheck] = field(default_factory=list)
    cross: list[str] = field(default_factory=list)  # implied-base cross-checks
    sums: list[SumCheck] = field(default_factory=list)
    ambiguities: list[Ambiguity] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "growth": [
                dict(asdict(g), status=g.status, explained_by_value_rounding=g.explained_by_value_rounding)
                for g in self.growth
            ],
            "cross_checks": self.cross,
            "sums": [asdict(s) for s in self.sums],
            "ambiguities": [asdict(a) for a in self.ambiguities],
        }

    def text(self) -> str:
        lines = ["增长率复核 / Growth rates recomputed (CAGR):"]
        lines += [f"  [{g.status}] {g.id}: {g.message}" for g in self.growth]
        if self.cross:
            lines.append("同一基年的增长率相互印证 / Rates from one base year cross-checked:")
            lines += [f"  {c}" for c in self.cross]
        if self.sums:
            lines.append("合计与分项 / Totals against their parts:")
            lines += [f"  [{'agree' if s.agrees else 'disagree'}] {s.id}: {s.message}" for s in self.sums]
        lines.append("原文的含糊之处 / Ambiguities in the seeds:")
        lines += [f"  {a.doc} {a.topic}: {a.note}" + (f" 「{a.quote}」" if a.quote else "") for a in self.ambiguities]
        return "\n".join(lines)


def _half_unit(v: float) -> float:
    return 0.5 * 10.0 ** -numbers.decimals(v)


def cagr(start: float, end: float, years: int) -> float:
    """Compound annual growth rate in %/a."""
    return ((end / start) ** (1.0 / years) - 1.0) * 100.0


def _implied(to_value: float, rate: float, tol: float, years: int) -> tuple[float, float, float]:
    def base(r: float) -> float:
        return to_value / (1 + r / 100.0) ** years

    return base(rate), base(rate + tol), base(rate - tol)


def check_growth(e: Entry, cat: Catalogue) -> GrowthCheck:
    to = cat.by_id[e.growth.to_id]
    frm = cat.by_id.get(e.growth.from_id) if e.growth.from_id else None
    tol = _half_unit(e.value)
    start_year = frm.year if frm else e.base_year
    years = to.year - start_year if (to.year and start_year) else None
    common = dict(
        id=e.id, doc=e.doc, stated=float(e.value), tolerance=tol, years=years, to_id=to.id, to_value=float(to.value)
    )
    if not years or years <= 0:
        return GrowthCheck(
            **common,
            from_id=frm and frm.id,
            from_value=frm and float(frm.value),
            computed=None,
            implied_base=None,
            agrees=False,
            message=f"无法确定年数（起 {start_year}，止 {to.year}） / cannot tell the number of years "
            f"(from {start_year} to {to.year})",
        )
    if frm is None:
        base = _implied(float(to.value), float(e.value), tol, years)
        return GrowthCheck(
            **common,
            from_id=None,
            from_value=None,
            computed=None,
            implied_base=base,
            agrees=None,
            message=f"{e.value}%/a over {years} years to {to.value} {to.unit} ({to.year}) implies "
            f"{base[0]:.1f} {to.unit} in {start_year} (range {base[1]:.1f}–{base[2]:.1f} "
            f"at ±{tol:g}); the seed states no start value",
        )
    computed = cagr(float(frm.value), float(to.value), years)
    agrees = abs(computed - float(e.value)) <= tol + 1e-9
    hf, ht = _half_unit(frm.value), _half_unit(to.value)
    lo = cagr(float(frm.value) + hf, float(to.value) - ht, years)
    hi = cagr(float(frm.value) - hf, float(to.value) + ht, years)
    verdict = "agrees" if agrees else "DISAGREES"
    if not agrees and lo - tol <= float(e.value) <= hi + tol:
        verdict += (
            f" at the rate's rounding, but the stated values' own rounding allows {lo:.2f}–{hi:.2f}%/a, which covers it"
        )
    return GrowthCheck(
        **common,
        from_id=frm.id,
        from_value=float(frm.value),
        computed=computed,
        implied_base=None,
        agrees=agrees,
        message=f"{frm.value} ({frm.year}) → {to.value} ({to.year}) {to.unit}: CAGR over {years} "
        f"years = {computed:.2f}%/a; stated {e.value}%/a (±{tol:g}) — {verdict}"
        + ("" if agrees else f"; off by {computed - float(e.value):+.3f} points"),
        value_rounding_range=(lo, hi),
    )


def _cross(checks: list[GrowthCheck], cat: Catalogue) -> list[str]:
    groups: dict[tuple, list[GrowthCheck]] = defaultdict(list)
    for g in checks:
        if g.implied_base:
            to = cat.by_id[g.to_id]
            groups[(g.doc, to.applies_to, to.unit, cat.by_id[g.id].base_year)].append(g)
    out = []
    for (_doc, subject, unit, base_year), gs in groups.items():
        for a, b in zip(gs, gs[1:]):
            lo, hi = max(a.implied_base[1], b.implied_base[1]), min(a.implied_base[2], b.implied_base[2])
            verdict = "agree" if lo <= hi else "disagree"
            line = (
                f"[{verdict}] {a.id} and {b.id} ({subject}, base year {base_year}): implied "
                f"{a.implied_base[0]:.1f} and {b.implied_base[0]:.1f} {unit}; their rounding ranges "
                + (f"overlap on {lo:.1f}–{hi:.1f}" if lo <= hi else "do not overlap")
            )
            ya, yb = cat.by_id[a.to_id].year, cat.by_id[b.to_id].year
            if ya and yb and ya != yb:
                between = cagr(a.to_value, b.to_value, yb - ya)
                line += (
                    f"; between the stated end values {a.to_value:g} ({ya}) and {b.to_value:g} ({yb}) "
                    f"the rate is {between:.1f}%/a, so neither stated rate is a {ya}–{yb} rate"
                )
            out.append(line)
    return out


def check_sum(e: Entry, cat: Catalogue) -> SumCheck:
    parts = tuple((p, float(cat.by_id[p].value)) for p in e.sum_of)
    total = sum(v for _, v in parts)
    tol = _half_unit(e.value) + 1e-9
    agrees = abs(total - float(e.value)) <= tol
    word = "approximately " if e.comparison == "~" else ""
    return SumCheck(
        e.id,
        e.doc,
        float(e.value),
        parts,
        total,
        agrees,
        f"stated {word}{e.value} {e.unit}; parts "
        + " + ".join(f"{v:g}" for _, v in parts)
        + f" = {total:g} — "
        + ("agrees" if agrees else f"DISAGREES by {total - float(e.value):+g}"),
    )


def ambiguities(cat: Catalogue) -> list[Ambiguity]:
    out = []
    for name, data in cat.raw:
        if isinstance(data, dict):
            for a in data.get("ambiguities") or []:
                if isinstance(a, dict):
                    out.append(
                        Ambiguity(
                            data.get("doc", name), str(a.get("topic", "")), a.get("quote"), str(a.get("note", ""))
                        )
                    )
    return out


def report(catalogue: Catalogue | None = None) -> Report:
    """The consistency report of the (shipped) catalogue."""
    cat = catalogue or load_catalogue()
    rep = Report()
    for e in cat.entries:
        if e.growth and e.growth.to_id in cat.by_id and (not e.growth.from_id or e.growth.from_id in cat.by_id):
            rep.growth.append(check_growth(e, cat))
        if e.sum_of and all(p in cat.by_id for p in e.sum_of):
            rep.sums.append(check_sum(e, cat))
    rep.cross = _cross(rep.growth, cat)
    rep.ambiguities = ambiguities(cat)
    return rep
