"""Plan targets: growth-rate consistency on seed 004's tables, projections and status rules."""

import numpy as np
import pytest

from kuangzheng.monitoring.core.errors import MonitorInputError
from kuangzheng.monitoring.core.targets import PlanTarget, cagr, check_stated_growth, evaluate_target

# Seed 004 (004_9a418da0689ba9e8.txt), 专栏1「十种有色金属生产及消费量」, copied as written:
# metal: (production 2005, production 2010, stated 十一五 growth %,
#         apparent consumption 2005, consumption 2010, stated 十一五 growth %)
# The 十五 (2000–2005) rates cannot be checked: the table gives no 2000 values.
TABLE_1 = {
    "十种有色金属": ("1639", "3121", "13.7", "1670", "3430", "15.5"),
    "精炼铜": ("260", "458", "12.0", "374", "753", "15.0"),
    "电解铝": ("780", "1577", "15.1", "712", "1592", "17.5"),
    "铅": ("239", "426", "12.2", "198", "424", "16.5"),
    "锌": ("278", "516", "13.7", "325", "560", "11.5"),
    "镍": ("9.5", "17.1", "12.5", "19.7", "52", "21.4"),
    "锡": ("12.2", "16.4", "6.1", "10.2", "12.4", "4.0"),
    "锑": ("13.8", "18.7", "6.3", "7.45", "7.1", "-0.1"),
    "汞": ("0.11", "0.16", "7.8", "0.11", "0.16", "7.8"),
    "镁": ("45.1", "65.4", "7.7", "10.7", "23", "16.5"),
    "钛": ("0.92", "7.4", "51.7", "1.1", "7.1", "45.2"),
}
# Rows where the seed's own stated rate does not follow from its values (found by this test):
# zinc production 278 → 516 is 13.2 %/a, stated 13.7; antimony consumption 7.45 → 7.1 is
# −1.0 %/a, stated −0.1.
INCONSISTENT = {("锌", "production"), ("锑", "consumption")}

# Seed 004, 专栏2「2015年主要有色金属需求预测」: 2010 consumption, 2015 forecast, stated 十二五 rate.
TABLE_2 = {
    "十种有色金属": ("3430", "4900", "7.4"),
    "精炼铜": ("753", "970", "5.2"),
    "电解铝": ("1592", "2400", "8.6"),
    "铅": ("424", "620", "7.9"),
    "锌": ("560", "720", "5.2"),
    "镍": ("52", "70", "6.1"),
    "锡": ("12.4", "19.1", "9.0"),
    "锑": ("7.1", "11", "9.2"),
    "汞": ("0.16", "0.18", "2.4"),
    "镁": ("23", "75", "26.7"),
    "钛": ("7.1", "15", "16.1"),
}


@pytest.mark.parametrize("metal", list(TABLE_1))
@pytest.mark.parametrize("series", ["production", "consumption"])
def test_table_1_growth_columns_reproduced(metal, series):
    p0, p1, pr, c0, c1, cr = TABLE_1[metal]
    v0, v1, rate = (p0, p1, pr) if series == "production" else (c0, c1, cr)
    check = check_stated_growth(v0, v1, 5, rate)
    assert check.consistent == ((metal, series) not in INCONSISTENT), check
    if check.consistent:
        assert round(check.computed_pct, 1) == pytest.approx(float(rate), abs=0.21)


def test_table_1_known_discrepancies_are_real():
    assert round(check_stated_growth("278", "516", 5, "13.7").computed_pct, 1) == 13.2
    assert round(check_stated_growth("7.45", "7.1", 5, "-0.1").computed_pct, 1) == -1.0


@pytest.mark.parametrize("metal", list(TABLE_2))
def test_table_2_forecast_growth_reproduced(metal):
    assert check_stated_growth(*TABLE_2[metal][:2], 5, TABLE_2[metal][2]).consistent


def test_rounding_tolerance_follows_the_written_digits():
    # 100 → 161 over 5 years is 10.0 %/a, and 9.82–10.17 within the values' rounding:
    # "10" (±0.5) and "10.0" are consistent, "10.3" is not; "10.2" is only with rounded values
    assert check_stated_growth("100", "161", 5, "10").consistent
    assert check_stated_growth("100", "161", 5, "10.0").consistent
    assert not check_stated_growth("100", "161", 5, "10.3").consistent
    assert check_stated_growth("100", "161", 5, "10.2").consistent
    assert not check_stated_growth("100.00", "161.00", 5, "10.2").consistent
    with pytest.raises(MonitorInputError):
        check_stated_growth("x", "161", 5, "10")


def test_cagr():
    assert cagr(100, 121, 2) == pytest.approx(0.1)
    with pytest.raises(MonitorInputError):
        cagr(0, 1, 2)


# seed 004 production target, as the catalogue would give it: 电解铝 1577 (2010) → 2400 (2015)
AL = PlanTarget("t-al", 2010, 1577.0, 2015, 2400.0, "10^4 t", ">=", "004-al-2015")


def path(growth, years):
    return [1577 * (1 + growth) ** (y - 2010) for y in years]


def test_required_growth_and_achieved():
    ev = evaluate_target(AL, [2011, 2012, 2013], path(0.16, [2011, 2012, 2013]))
    assert ev.required_growth == pytest.approx(0.0876, abs=1e-4)
    assert ev.status == "achieved" and ev.citation_id == "004-al-2015"


def test_on_track_when_the_pessimistic_bound_meets_the_target():
    rng = np.random.default_rng(0)
    yrs = [2011, 2012, 2013]
    vals = np.array(path(0.11, yrs)) * (1 + rng.normal(0, 0.002, 3))
    ev = evaluate_target(AL, yrs, vals)
    assert ev.status == "on_track"
    assert ev.lower < ev.projection < ev.upper and ev.lower >= 2400


def test_at_risk_when_only_the_centre_meets_it():
    # growth close to the required 8.8 % with noise: centre above 2400, lower end below
    vals = [1577 * 1.12, 1577 * 1.13, 1577 * 1.33]
    ev = evaluate_target(AL, [2011, 2012, 2013], vals)
    assert ev.projection >= 2400 > ev.lower
    assert ev.status == "at_risk"


def test_off_track_and_needed_growth():
    ev = evaluate_target(AL, [2011, 2012], path(0.03, [2011, 2012]))
    assert ev.status == "off_track" and ev.projection < 2400
    # from 2012's value, (2400 / v2012)^(1/3) − 1
    assert ev.needed_growth == pytest.approx((2400 / path(0.03, [2012])[0]) ** (1 / 3) - 1)
    assert ev.actual_growth == pytest.approx(0.03)


def test_two_points_have_no_interval_so_at_best_at_risk():
    ev = evaluate_target(AL, [2011], path(0.10, [2011]))
    assert ev.lower is None and ev.status == "at_risk"


def test_target_year_passed_and_missed_is_off_track():
    ev = evaluate_target(AL, [2014, 2015], [2300, 2390])
    assert ev.status == "off_track"


def test_a_passed_target_year_is_judged_on_the_actual_up_to_it():
    assert evaluate_target(AL, [2014, 2015, 2016], [2300, 2390, 2500]).status == "off_track"  # met a year late
    assert evaluate_target(AL, [2014, 2015, 2016], [2300, 2400, 2200]).status == "achieved"  # met on time
    assert evaluate_target(AL, [2014, 2016], [2300, 2500]).status == "off_track"  # last actual by 2015: 2300
    assert evaluate_target(AL, [2016], [2500]).status == "achieved"  # nothing up to 2015: the latest decides


def test_ceiling_target_mirrors_the_rules():
    # energy ceiling: 347 (2010) → at most 300 (2015); falling 4 %/a reaches 283 by 2015
    energy = PlanTarget("t-cu-energy", 2010, 347, 2015, 300, "kgce/t", "<=", "004-cu-energy")
    ev = evaluate_target(energy, [2011, 2012, 2013], [347 * 0.96**k for k in (1, 2, 3)])
    assert ev.status == "on_track" and ev.upper <= 300
    assert evaluate_target(energy, [2011], [299]).status == "achieved"
    assert evaluate_target(energy, [2011, 2012], [350, 352]).status == "off_track"


def test_insufficient_data_and_bad_input():
    assert evaluate_target(AL, [], []).status == "insufficient_data"
    assert evaluate_target(AL, [2009, 2010], [1, 2]).status == "insufficient_data"
    with pytest.raises(MonitorInputError):
        PlanTarget("x", 2015, 1, 2010, 2, "1")
    with pytest.raises(MonitorInputError):
        PlanTarget("x", 2010, 1, 2015, 2, "1", comparison="~")
    with pytest.raises(MonitorInputError, match=r"values\[1\]"):
        evaluate_target(AL, [2011, 2012], [1, -1])


def test_linear_model_for_rates():
    # a compliance-rate target (fixture numbers): 0.70 in 2016 → at least 0.85 by 2020;
    # OLS through (2016, .70), (2017, .75), (2018, .78): slope .04, 2020 → .7433 + .12 = .8633;
    # with one residual degree of freedom the 90 % interval is wide, so only at risk
    rate = PlanTarget("t-rate", 2016, 0.70, 2020, 0.85, "1", ">=", "c")
    ev = evaluate_target(rate, [2017, 2018], [0.75, 0.78], model="linear")
    assert ev.projection == pytest.approx(0.74333 + 0.12, abs=1e-4) and ev.status == "at_risk"
    exact = evaluate_target(rate, [2017, 2018], [0.74, 0.78], model="linear")
    assert exact.projection == pytest.approx(0.86) and exact.status == "on_track"  # no scatter
    with pytest.raises(MonitorInputError):
        evaluate_target(rate, [2017], [0.74], model="cubic")
