"""Forecasting methods on hand-made cases, and the backtest on the shipped OWID series."""

import numpy as np
import pytest

from kuangzheng.monitoring.core import backtest
from kuangzheng.monitoring.core import forecast as fc
from kuangzheng.monitoring.core.errors import MonitorInputError
from kuangzheng.monitoring.core.owid import china_production, measures, window

YEARS = np.arange(2001, 2011)


def test_elasticity_coefficient_and_forecast_by_hand():
    # consumption grows 10 %/a while GDP grows 8 %/a → e = 1.25
    c = 100 * 1.10 ** np.arange(10)
    g = 50 * 1.08 ** np.arange(10)
    e = fc.elasticity_coefficient(YEARS, c, g)
    assert e == pytest.approx(1.25)
    # GDP expected to grow 6 % then 4 %: consumption × (1 + 1.25·0.06) then × (1 + 1.25·0.04)
    f = fc.elasticity_forecast(2010, 200.0, [0.06, 0.04], e)
    assert list(f.years) == [2011, 2012]
    assert list(f.point) == pytest.approx([200 * 1.075, 200 * 1.075 * 1.05])


def test_intensity_forecast_by_hand():
    # intensity halves every 10 years exactly: I = 2 · 0.5^(k/10); GDP doubles → consumption flat
    k = np.arange(10)
    gdp = 1000 * 2 ** (k / 10)
    cons = gdp * 2 * 0.5 ** (k / 10)
    future_gdp = 1000 * 2 ** (np.array([10, 11]) / 10)
    f = fc.intensity_forecast(YEARS, cons, gdp, future_gdp)
    assert list(f.point) == pytest.approx([2000, 2000])
    assert f.lower == pytest.approx(f.point) and f.upper == pytest.approx(f.point)  # exact fit


def test_linear_regression_and_drift_by_hand():
    f = fc.linear_trend(YEARS, 5 + 3 * (YEARS - 2001), 2)
    assert list(f.point) == pytest.approx([35, 38])
    f = fc.linear_trend(YEARS, 100 * 1.05 ** (YEARS - 2001), 1, log=True)
    assert f.point[0] == pytest.approx(100 * 1.05**10)
    d = fc.drift([1, 2, 3], [100, 110, 121], 2)
    assert list(d.point) == pytest.approx([133.1, 146.41])


def test_time_series_models_follow_steady_growth():
    rng = np.random.default_rng(3)
    v = 100 * 1.08 ** (YEARS - 2001) * np.exp(rng.normal(0, 0.01, len(YEARS)))
    truth = 100 * 1.08 ** np.arange(10, 13)
    for model in (fc.holt, fc.arima):
        f = model(YEARS, v, 3)
        assert np.all(np.abs(f.point / truth - 1) < 0.06), (f.method, f.point)
        assert np.all(f.lower < f.point) and np.all(f.point < f.upper)


def test_errors_and_bad_input():
    assert fc.mape([100, 200], [110, 180]) == pytest.approx(10.0)
    assert fc.rmse([1, 2], [2, 4]) == pytest.approx(np.sqrt(2.5))
    with pytest.raises(MonitorInputError, match="consecutive"):
        fc.linear_trend([2001, 2003, 2004], [1, 2, 3], 1)
    with pytest.raises(MonitorInputError, match=r"values\[1\]"):
        fc.drift([1, 2, 3], [1, 0, 2], 1)
    with pytest.raises(MonitorInputError):
        fc.mape([0, 1], [1, 1])


def test_owid_series_read_and_gaps_dropped():
    data = china_production()
    years, values = data["aluminium"]
    assert dict(zip(years, values))[2010] == 16244 and dict(zip(years, values))[2015] == 31400
    cy, _ = data["copper"]
    assert 2010 not in cy  # written as 0 in the file: a gap
    zy, _ = window("zinc", 1980, 2012)
    assert zy[0] == 1980 and zy[-1] == 2009
    assert measures()["copper"] == "Copper mine production (copper content)"


def test_backtest_on_real_series():
    rows = backtest.run_backtest(metals=("aluminium",), origins=(2005,))
    by = {r.method: r for r in rows}
    assert set(by) == set(backtest.METHODS)
    r = by["linear"]
    assert r.eval_years == (2006, 2007, 2008, 2009, 2010) and r.n_train == 26
    # recompute the linear case directly
    ty, tv = window("aluminium", 1980, 2005)
    years, values = china_production()["aluminium"]
    actual = values[(years > 2005) & (years <= 2010)]
    pred = fc.linear_trend(ty, tv, 5).point
    assert r.mape == pytest.approx(fc.mape(actual, pred))
    assert r.mape > by["drift"].mape  # a straight line badly under-forecasts the 2000s boom


class FakeCatalogue:
    """Stand-in for the policy catalogue: only the attributes seed_comparison reads."""

    class E:
        def __init__(self, id, value, unit="10^4 t", comparison="=", applies_to="x.output"):
            self.id, self.value, self.unit, self.comparison, self.applies_to = id, value, unit, comparison, applies_to

    def __init__(self, entries):
        self.by_id = {e.id: e for e in entries}


def test_seed_comparison_flags_measures_and_consumption():
    E = FakeCatalogue.E
    cat = FakeCatalogue(
        [
            E("004.stat.output.al.2010", 1577),
            E("004.target.output.al", 2400, comparison="<="),
            E("004.stat.output.pb.2010", 426),
            E("004.forecast.consumption.pb.2015", 620),
        ]
    )
    rows = {(r.metal, r.kind): r for r in backtest.seed_comparison(cat)}
    al = rows[("al", "production target")]
    assert (al.seed_2015_kt, al.data_2015_kt, al.comparable) == (24000, 31400, True)
    pb = rows[("pb", "consumption forecast")]
    assert pb.comparable is False and "consumption" in pb.note and "measure differs" in pb.note


def test_seed_comparison_reads_the_real_catalogue():
    rows = backtest.seed_comparison()
    kinds = {(r.metal, r.kind) for r in rows}
    assert ("al", "production target") in kinds and ("cu", "consumption forecast") in kinds
