"""Plan targets: required growth, projection to the target year, and a status.

Status rules (for a target that is a minimum, comparison ">="; mirrored for a maximum, "<="):

- ``achieved``: the latest actual already meets the target. Once the target year has passed and an
  actual for it (or an earlier year) exists, the target is judged on the last actual up to the target
  year: a 2017 target met only in 2019 was not achieved by 2017.
- ``off_track``: the target year has passed without it being met, or the central projection
  for the target year misses the target.
- ``on_track``: the pessimistic end of the prediction interval (the lower end for ">=") meets
  the target, i.e. it is met with probability ≥ (1 + level) / 2 under the trend model.
- ``at_risk``: the central projection meets the target but the pessimistic end does not, or
  there are too few points for an interval (baseline plus one actual).
- ``insufficient_data``: no actual after the baseline year, nothing to project from.

The trend model is an ordinary least-squares line through (year, log value) — constant
compound growth — or through (year, value) with ``model="linear"`` (for rates and shares).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from scipy import stats

from .columns import as_numbers
from .errors import MonitorInputError

COMPARISONS = (">=", "<=")
STATUSES = ("achieved", "on_track", "at_risk", "off_track", "insufficient_data")


def cagr(v0: float, v1: float, years: float) -> float:
    """Compound annual growth rate from v0 to v1 over ``years`` years (0.05 = 5 %/a)."""
    if years <= 0:
        raise MonitorInputError("years", "年数须为正", "the number of years must be positive")
    if v0 <= 0 or v1 <= 0:
        raise MonitorInputError(
            "value", "复合增长率需要正数起止值", "compound growth needs positive start and end values"
        )
    return (v1 / v0) ** (1.0 / years) - 1.0


@dataclass(frozen=True)
class GrowthCheck:
    """A stated growth rate checked against the values it is said to connect."""

    computed_pct: float  # CAGR from the values as written
    low_pct: float  # smallest CAGR the values allow within their rounding
    high_pct: float  # largest
    stated_pct: float
    consistent: bool  # stated ± half its last digit overlaps [low, high]


def _half_unit(text: str) -> float:
    exp = Decimal(text.strip()).as_tuple().exponent
    return 0.5 * 10.0 ** int(exp)


def check_stated_growth(v0: str | float, v1: str | float, years: int, stated_pct: str | float) -> GrowthCheck:
    """Does a plan's stated annual growth follow from its two values, allowing for rounding?

    Pass the figures as written in the document (strings keep their decimals: "15.0" is
    rounded to 0.1, "15" to 1). Each value is taken as ± half a unit of its last digit.
    """
    a, b, r = (str(x) for x in (v0, v1, stated_pct))
    try:
        fa, fb, fr = float(a), float(b), float(r)
        ha, hb, hr = _half_unit(a), _half_unit(b), _half_unit(r)
    except (ValueError, ArithmeticError) as exc:
        raise MonitorInputError("value", "须为数字", "must be a number") from exc
    computed = cagr(fa, fb, years) * 100
    low = cagr(fa + ha, max(fb - hb, 1e-12), years) * 100
    high = cagr(max(fa - ha, 1e-12), fb + hb, years) * 100
    return GrowthCheck(computed, low, high, fr, fr - hr <= high and fr + hr >= low)


@dataclass(frozen=True)
class PlanTarget:
    """A plan target as the catalogue states it (numbers never hard-coded here)."""

    id: str
    baseline_year: int
    baseline_value: float
    target_year: int
    target_value: float
    unit: str
    comparison: str = ">="  # ">=": at least the target; "<=": at most
    citation_id: str = ""

    def __post_init__(self):
        if self.comparison not in COMPARISONS:
            raise MonitorInputError("comparison", f"须为 {COMPARISONS} 之一", f"must be one of {COMPARISONS}")
        if self.target_year <= self.baseline_year:
            raise MonitorInputError("target_year", "须晚于基准年", "must be after the baseline year")

    def meets(self, value):
        return value >= self.target_value if self.comparison == ">=" else value <= self.target_value


@dataclass(frozen=True)
class TargetEvaluation:
    target_id: str
    citation_id: str
    status: str
    required_growth: float | None  # CAGR the plan implies, baseline → target
    actual_growth: float | None  # CAGR achieved, baseline → latest actual
    needed_growth: float | None  # CAGR still needed, latest actual → target
    latest_year: int | None
    latest_value: float | None
    projection: float | None  # central projection for the target year
    lower: float | None  # prediction interval at ``level``
    upper: float | None
    level: float
    model: str


def _growth(v0, v1, years):
    return cagr(v0, v1, years) if v0 > 0 and v1 > 0 and years > 0 else None


def _project(x, y, x0, level, log):
    """OLS line through (x, y) evaluated at x0, with a prediction interval (None if n < 3)."""
    yy = np.log(y) if log else y
    slope, intercept = np.polyfit(x, yy, 1)
    centre = intercept + slope * x0
    lo = hi = None
    n = len(x)
    if n >= 3:
        resid = yy - (intercept + slope * x)
        s = np.sqrt(resid @ resid / (n - 2))
        se = s * np.sqrt(1 + 1 / n + (x0 - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum())
        half = stats.t.ppf((1 + level) / 2, n - 2) * se
        lo, hi = centre - half, centre + half
    back = np.exp if log else (lambda v: v)
    return (float(back(centre)), None if lo is None else float(back(lo)), None if hi is None else float(back(hi)))


def evaluate_target(
    target: PlanTarget, years, values, *, level: float = 0.9, model: str = "loglinear"
) -> TargetEvaluation:
    """Evaluate ``target`` against the actuals (``years``, ``values``) reported so far.

    The baseline is included in the fit as the first point; actuals in or before the baseline
    year are ignored. See the module docstring for the status rules.
    """
    if model not in ("loglinear", "linear"):
        raise MonitorInputError("model", "须为 loglinear 或 linear", "must be loglinear or linear")
    if not 0 < level < 1:
        raise MonitorInputError("level", "须在 0 与 1 之间", "must be between 0 and 1")
    yr = as_numbers("years", years, nonneg=False)
    val = as_numbers("values", values, n=len(yr), nonneg=model == "loglinear")
    keep = yr > target.baseline_year
    yr, val = yr[keep], val[keep]
    order = np.argsort(yr)
    yr, val = yr[order], val[order]
    if model == "loglinear" and (val <= 0).any():
        raise MonitorInputError("values", "对数线性模型需要正数", "the log-linear model needs positive values")
    t0, v0, t1 = target.baseline_year, target.baseline_value, target.target_year
    required = _growth(v0, target.target_value, t1 - t0)
    common = dict(
        target_id=target.id, citation_id=target.citation_id, required_growth=required, level=level, model=model
    )
    if len(yr) == 0:
        return TargetEvaluation(
            status="insufficient_data",
            actual_growth=None,
            needed_growth=None,
            latest_year=None,
            latest_value=None,
            projection=None,
            lower=None,
            upper=None,
            **common,
        )
    latest_year, latest = int(yr[-1]), float(val[-1])
    x = np.concatenate([[t0], yr])
    y = np.concatenate([[v0], val])
    centre, lo, hi = _project(x, y, t1, level, model == "loglinear")
    pessimistic = lo if target.comparison == ">=" else hi
    by_target_year = yr <= t1
    if latest_year > t1 and by_target_year.any():  # judged as of the target year
        status = "achieved" if target.meets(float(val[by_target_year][-1])) else "off_track"
    elif target.meets(latest):
        status = "achieved"
    elif latest_year >= t1 or not target.meets(centre):
        status = "off_track"
    elif pessimistic is not None and target.meets(pessimistic):
        status = "on_track"
    else:
        status = "at_risk"
    return TargetEvaluation(
        status=status,
        actual_growth=_growth(v0, latest, latest_year - t0),
        needed_growth=_growth(latest, target.target_value, t1 - latest_year),
        latest_year=latest_year,
        latest_value=latest,
        projection=centre,
        lower=lo,
        upper=hi,
        **common,
    )
