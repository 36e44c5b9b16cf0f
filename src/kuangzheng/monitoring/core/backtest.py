"""Backtests of the forecasting methods on China's national production series, and seed 004's
2015 figures against what happened.  Run:  python -m kuangzheng.monitoring.core.backtest

Backtest: for each metal and origin year T, fit on 1980..T, forecast T+1..T+5, compare with the
actuals (only years up to 2012, the single-source Clio-Infra part of the series; see owid.py).
The elasticity and intensity methods need a GDP series, which the shipped data does not have:
they are not backtested here (they are tested on hand-made cases).

Seed check: seed 004's 2015 production targets and consumption forecasts are read from the
policy catalogue (never typed in here) and set beside the data's 2015 production. The data are
production; a consumption forecast is not a production figure, and the data's measure (mine
output for copper, lead, zinc, tin) may differ from the seed's (refined/smelter output): the
seed's own 2010 production is compared with the data's 2010 value to show which are comparable.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import forecast as fc
from .owid import SOURCE_SWITCH_YEAR, china_production, measures, window

METALS = ("aluminium", "lead", "zinc", "nickel", "tin")
ORIGINS = (1995, 2000, 2005)
HORIZON = 5
FIRST_YEAR = 1980
LAST_YEAR = SOURCE_SWITCH_YEAR - 1

METHODS: dict[str, Callable[..., fc.Forecast]] = {
    "linear": lambda y, v, h: fc.linear_trend(y, v, h),
    "loglinear": lambda y, v, h: fc.linear_trend(y, v, h, log=True),
    "drift": fc.drift,
    "holt_damped": fc.holt,
    "arima(1,1,0)": fc.arima,
}

# seed 004 catalogue entries (policy/catalogue/004.yaml) and the data series they correspond to
SEED_METALS = {"cu": "copper", "al": "aluminium", "pb": "lead", "zn": "zinc", "ni": "nickel", "sn": "tin"}
SEED_PRODUCTION_2010 = "004.stat.output.{m}.2010"
SEED_PRODUCTION_TARGET = "004.target.output.{m}"
SEED_CONSUMPTION_FORECAST = "004.forecast.consumption.{m}.2015"
COMPARABLE_WITHIN = 0.10  # data 2010 within ±10 % of the seed's 2010 production


@dataclass(frozen=True)
class BacktestRow:
    metal: str
    origin: int
    method: str
    n_train: int
    eval_years: tuple[int, ...]
    mape: float
    rmse: float


def run_backtest(metals=METALS, origins=ORIGINS, horizon=HORIZON, methods=None) -> list[BacktestRow]:
    methods = METHODS if methods is None else methods
    data = china_production()
    out = []
    for metal in metals:
        years, values = data[metal]
        for origin in origins:
            ty, tv = window(metal, FIRST_YEAR, origin)
            if len(ty) < 10 or ty[-1] != origin:
                continue
            sel = (years > origin) & (years <= min(origin + horizon, LAST_YEAR))
            ey, ev = years[sel], values[sel]
            if not len(ey):
                continue
            for name, method in methods.items():
                f = method(ty, tv, int(ey[-1] - origin))
                pred = f.point[np.searchsorted(f.years, ey)]
                out.append(
                    BacktestRow(
                        metal, origin, name, len(ty), tuple(int(y) for y in ey), fc.mape(ev, pred), fc.rmse(ev, pred)
                    )
                )
    return out


def summary(rows: list[BacktestRow]) -> dict[str, tuple[float, float, int]]:
    """method → (mean MAPE %, median MAPE %, number of cases)."""
    out = {}
    for name in dict.fromkeys(r.method for r in rows):
        m = np.array([r.mape for r in rows if r.method == name])
        out[name] = (float(m.mean()), float(np.median(m)), len(m))
    return out


@dataclass(frozen=True)
class SeedRow:
    metal: str  # seed metal code
    series: str  # data series
    kind: str  # "production target" | "consumption forecast"
    entry_id: str
    seed_measure: str  # applies_to of the seed's 2010 production entry, e.g. refined_copper.output
    data_measure: str  # the data column's own description
    comparison: str
    seed_2015_kt: float
    data_2015_kt: float | None
    seed_2010_production_kt: float | None
    data_2010_kt: float | None
    comparable: bool | None  # None: no 2010 value in the data to judge by
    note: str


def _kt(entry) -> float:
    from .units import factor

    return entry.value * factor(entry.unit, "t") / 1000


def seed_comparison(catalogue=None) -> list[SeedRow]:
    if catalogue is None:
        from kuangzheng.policy.catalogue import load_catalogue

        catalogue = load_catalogue()
    data = china_production()
    out = []
    for code, series in SEED_METALS.items():
        years, values = data[series]
        at = dict(zip(years.tolist(), values.tolist()))
        base = catalogue.by_id.get(SEED_PRODUCTION_2010.format(m=code))
        seed10 = _kt(base) if base else None
        d10 = at.get(2010)
        comparable = None if d10 is None or seed10 is None else abs(d10 / seed10 - 1) <= COMPARABLE_WITHIN
        for kind, pattern in (
            ("production target", SEED_PRODUCTION_TARGET),
            ("consumption forecast", SEED_CONSUMPTION_FORECAST),
        ):
            e = catalogue.by_id.get(pattern.format(m=code))
            if e is None:
                continue
            notes = []
            if kind == "consumption forecast":
                notes.append("seed figure is apparent consumption, data is production")
            if comparable is False:
                notes.append("data measure differs from the seed's (2010 values disagree)")
            if comparable is None:
                notes.append("no 2010 value in the data to check the measure")
            if at.get(2015) is None:
                notes.append("no 2015 value in the data")
            out.append(
                SeedRow(
                    code,
                    series,
                    kind,
                    e.id,
                    (base or e).applies_to,
                    measures()[series],
                    e.comparison,
                    _kt(e),
                    at.get(2015),
                    seed10,
                    d10,
                    comparable,
                    "; ".join(notes),
                )
            )
    return out


def forecasts_2015_from_2010(metal: str = "aluminium") -> dict[str, float]:
    """What each method would have said in 2010 about 2015 (fit on 1980..2010)."""
    ty, tv = window(metal, FIRST_YEAR, 2010)
    h = 2015 - int(ty[-1])
    return {name: float(m(ty, tv, h).point[-1]) for name, m in METHODS.items()}


def _fmt(v, spec=".0f"):
    return "—" if v is None else format(v, spec)


def main(argv=None) -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    rows = run_backtest()
    print(
        f"Backtest: China national production (OWID: Clio-Infra ≤ {LAST_YEAR}), kt; fit {FIRST_YEAR}..T, "
        f"forecast T+1..T+{HORIZON}"
    )
    print(f"{'metal':<10}{'T':>6}  {'method':<14}{'n':>4}  {'eval years':<11}{'MAPE %':>8}{'RMSE kt':>10}")
    for r in rows:
        span = f"{r.eval_years[0]}-{r.eval_years[-1]}"
        print(f"{r.metal:<10}{r.origin:>6}  {r.method:<14}{r.n_train:>4}  {span:<11}{r.mape:>8.1f}{r.rmse:>10.0f}")
    print("\nBy method (all metals and origins):")
    print(f"{'method':<14}{'mean MAPE %':>12}{'median MAPE %':>15}{'cases':>7}")
    for name, (mean, med, n) in summary(rows).items():
        print(f"{name:<14}{mean:>12.1f}{med:>15.1f}{n:>7}")
    print("Elasticity and intensity methods: not backtested (no GDP series in the shipped data).")

    print("\nSeed 004's 2015 figures against the data's 2015 production (kt):")
    print(
        f"{'metal':<6}{'kind':<22}{'cmp':>4}{'seed 2015':>11}{'data 2015':>11}{'seed 2010':>11}"
        f"{'data 2010':>11}  comparable  note"
    )
    seed_rows = seed_comparison()
    for s in seed_rows:
        comp = {True: "yes", False: "no", None: "?"}[s.comparable]
        print(
            f"{s.metal:<6}{s.kind:<22}{s.comparison:>4}{_fmt(s.seed_2015_kt):>11}{_fmt(s.data_2015_kt):>11}"
            f"{_fmt(s.seed_2010_production_kt):>11}{_fmt(s.data_2010_kt):>11}  {comp:<10}  {s.note}"
        )
    print("Measures — seed (catalogue applies_to) vs data (column description):")
    for code in dict.fromkeys(s.metal for s in seed_rows):
        s = next(x for x in seed_rows if x.metal == code)
        print(f"  {code:<4}{s.seed_measure:<34}{s.data_measure}")
    print("\nAluminium 2015 as each method would have forecast it from 1980..2010 (kt):")
    years, values = china_production()["aluminium"]
    actual = dict(zip(years.tolist(), values.tolist())).get(2015)
    for name, v in forecasts_2015_from_2010("aluminium").items():
        print(f"  {name:<14}{v:>9.0f}   error {100 * (v / actual - 1):+.1f} %")
    print(f"  {'actual':<14}{actual:>9.0f}   (USGS part of the series, {SOURCE_SWITCH_YEAR} on)")


if __name__ == "__main__":
    main()
