"""Demand and production forecasting (M70): the methods seed 004 names — elasticity
coefficient, consumption intensity, linear regression — and standard time-series models
(Holt's damped trend as an ETS model, ARIMA with drift), plus error measures for backtests.

All series are annual: ``years`` must be consecutive integers, ``values`` positive.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .columns import as_numbers
from .errors import MonitorInputError


@dataclass(frozen=True)
class Forecast:
    method: str
    years: np.ndarray  # forecast years
    point: np.ndarray
    lower: np.ndarray | None  # prediction interval at ``level`` (None where the method has none)
    upper: np.ndarray | None
    level: float = 0.9


def _series(years, values):
    yr = as_numbers("years", years, nonneg=False)
    val = as_numbers("values", values, n=len(yr))
    if len(yr) < 3:
        raise MonitorInputError("years", "至少需要 3 年数据", "at least 3 years of data are needed")
    if not np.array_equal(np.diff(yr), np.ones(len(yr) - 1)):
        raise MonitorInputError("years", "年份须连续递增", "years must be consecutive and increasing")
    if (val <= 0).any():
        i = int(np.flatnonzero(val <= 0)[0])
        raise MonitorInputError(f"values[{i}]", "须为正数", "must be positive")
    return yr.astype(int), val


def _future(yr, horizon):
    if not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise MonitorInputError("horizon", "须为正整数（年）", "must be a positive whole number of years")
    return np.arange(yr[-1] + 1, yr[-1] + 1 + horizon)


def linear_trend(years, values, horizon: int, *, log: bool = False, level: float = 0.9) -> Forecast:
    """OLS line through (year, value) — or (year, ln value), constant growth — with
    t-distribution prediction intervals."""
    yr, val = _series(years, values)
    fut = _future(yr, horizon)
    y = np.log(val) if log else val
    res = stats.linregress(yr, y)
    n = len(yr)
    resid = y - (res.intercept + res.slope * yr)
    s = np.sqrt(resid @ resid / (n - 2))
    se = s * np.sqrt(1 + 1 / n + (fut - yr.mean()) ** 2 / ((yr - yr.mean()) ** 2).sum())
    half = stats.t.ppf((1 + level) / 2, n - 2) * se
    centre = res.intercept + res.slope * fut
    back = np.exp if log else (lambda v: v)
    return Forecast(
        "loglinear" if log else "linear", fut, back(centre), back(centre - half), back(centre + half), level
    )


def drift(years, values, horizon: int) -> Forecast:
    """Naive benchmark: the last value grown at the series' average annual growth (CAGR)."""
    yr, val = _series(years, values)
    fut = _future(yr, horizon)
    g = (val[-1] / val[0]) ** (1 / (len(val) - 1))
    return Forecast("drift", fut, val[-1] * g ** (fut - yr[-1]), None, None)


def holt(years, values, horizon: int, *, level: float = 0.9) -> Forecast:
    """Holt's linear trend, damped, on ln values (statsmodels ETS(A,Ad,N))."""
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    yr, val = _series(years, values)
    fut = _future(yr, horizon)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # a pandas Series: statsmodels' ETS prediction frames need an index
        fit = ETSModel(pd.Series(np.log(val)), error="add", trend="add", damped_trend=True).fit(disp=False)
        frame = fit.get_prediction(start=len(val), end=len(val) + horizon - 1).summary_frame(alpha=1 - level)
    return Forecast(
        "holt_damped",
        fut,
        np.exp(frame["mean"].to_numpy()),
        np.exp(frame["pi_lower"].to_numpy()),
        np.exp(frame["pi_upper"].to_numpy()),
        level,
    )


def arima(years, values, horizon: int, *, order=(1, 1, 0), level: float = 0.9) -> Forecast:
    """ARIMA(p, 1, q) with drift on ln values (statsmodels)."""
    from statsmodels.tsa.arima.model import ARIMA

    yr, val = _series(years, values)
    fut = _future(yr, horizon)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ARIMA(np.log(val), order=order, trend="t").fit()
        pred = fit.get_forecast(horizon)
        ci = np.asarray(pred.conf_int(alpha=1 - level))
    return Forecast(
        f"arima{order}".replace(" ", ""),
        fut,
        np.exp(np.asarray(pred.predicted_mean)),
        np.exp(ci[:, 0]),
        np.exp(ci[:, 1]),
        level,
    )


def elasticity_coefficient(years, consumption, gdp) -> float:
    """弹性系数 e = (average annual growth of consumption) / (average annual growth of GDP),
    both as compound rates over the same years (GDP at constant prices)."""
    yr, c = _series(years, consumption)
    _, g = _series(years, as_numbers("gdp", gdp, n=len(yr)))
    n = len(yr) - 1
    gc, gg = (c[-1] / c[0]) ** (1 / n) - 1, (g[-1] / g[0]) ** (1 / n) - 1
    if gg == 0:
        raise MonitorInputError("gdp", "GDP 无增长，弹性系数无定义", "GDP did not grow; the elasticity is undefined")
    return gc / gg


def elasticity_forecast(last_year: int, last_consumption: float, gdp_growth, elasticity: float) -> Forecast:
    """弹性系数法: C(t) = C(t−1) · (1 + e · g(t)), with g(t) the expected GDP growth of each
    future year (0.07 = 7 %)."""
    g = as_numbers("gdp_growth", gdp_growth, nonneg=False)
    if not last_consumption > 0:
        raise MonitorInputError("last_consumption", "须为正数", "must be positive")
    point = last_consumption * np.cumprod(1 + elasticity * g)
    return Forecast("elasticity", np.arange(last_year + 1, last_year + 1 + len(g)), point, None, None)


def intensity_forecast(years, consumption, gdp, future_gdp, *, level: float = 0.9) -> Forecast:
    """消费强度法: intensity I = consumption / GDP follows a log-linear trend; the forecast is the
    projected intensity × the expected GDP of each future year (``future_gdp``, same units)."""
    yr, c = _series(years, consumption)
    _, g = _series(years, as_numbers("gdp", gdp, n=len(yr)))
    fg = as_numbers("future_gdp", future_gdp)
    trend = linear_trend(yr, c / g, len(fg), log=True, level=level)
    return Forecast("intensity", trend.years, trend.point * fg, trend.lower * fg, trend.upper * fg, level)


def mape(actual, forecast) -> float:
    """Mean absolute percentage error, in % (actuals must be non-zero)."""
    a = as_numbers("actual", actual, nonneg=False)
    f = as_numbers("forecast", forecast, n=len(a), nonneg=False)
    if (a == 0).any():
        raise MonitorInputError("actual", "MAPE 要求实际值非零", "MAPE needs non-zero actuals")
    return float(np.mean(np.abs((f - a) / a)) * 100)


def rmse(actual, forecast) -> float:
    """Root mean squared error, in the series' unit."""
    a = as_numbers("actual", actual, nonneg=False)
    f = as_numbers("forecast", forecast, n=len(a), nonneg=False)
    return float(np.sqrt(np.mean((f - a) ** 2)))
