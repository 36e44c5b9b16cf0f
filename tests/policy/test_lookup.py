"""Parameter lookup and the national/provincial rule of precedence."""

import datetime as dt

import pytest

from kuangzheng.policy.catalogue import ParameterNotFound, PolicyError
from kuangzheng.policy.lookup import param, params, stricter

from .helpers import catalogue, entry

D2014 = dt.date(2014, 6, 1)


def test_real_catalogue_provincial_threshold():
    e = param("al.new.cell_current_min", "inner_mongolia", on=D2014)
    assert (e.id, e.value, e.unit, e.comparison) == ("000.al.new.cell_current", 400, "kA", ">=")


def test_real_catalogue_does_not_leak_a_province_into_another():
    with pytest.raises(ParameterNotFound) as exc:
        param("al.new.cell_current_min", "qinghai", on=D2014)
    assert "qinghai" in exc.value.en and "没有适用的取值" in exc.value.zh


def test_real_catalogue_versions_by_date():
    before = param("al.existing.ac_consumption_liquid_max", "inner_mongolia", on=dt.date(2015, 12, 31))
    after = param("al.existing.ac_consumption_liquid_max", "inner_mongolia", on=dt.date(2016, 1, 1))
    assert (before.value, after.value) == (13350, 12750)
    assert param("capacity.smelting.five_metals", "inner_mongolia", on=D2014).value == 1400
    assert param("capacity.smelting.five_metals", "inner_mongolia", on=dt.date(2019, 1, 1)).value == 1700


def test_real_catalogue_same_param_in_two_provinces():
    assert (
        param("land.conversion.transition_years_max", "qinghai", on=dt.date(2018, 1, 1)).id
        == "001.land.transition_years"
    )
    assert (
        param("land.conversion.transition_years_max", "tibet", on=dt.date(2018, 1, 1)).id == "002.land.transition_years"
    )
    with pytest.raises(ParameterNotFound):  # Tibet's plan is not in force before it was issued
        param("land.conversion.transition_years_max", "tibet", on=dt.date(2017, 1, 1))


def test_national_value_applies_everywhere():
    cat = catalogue(entry("n", 160))
    for j in ("national", "inner_mongolia", "qinghai", "tibet"):
        assert param("p.test", j, on=D2014, catalogue=cat).id == "n"


def test_stricter_provincial_floor_binds():
    cat = catalogue(entry("n", 160), entry("im", 400, jurisdiction="inner_mongolia"))
    assert param("p.test", "inner_mongolia", on=D2014, catalogue=cat).id == "im"
    assert param("p.test", "qinghai", on=D2014, catalogue=cat).id == "n"
    assert param("p.test", "national", on=D2014, catalogue=cat).id == "n"


def test_looser_provincial_floor_does_not_bind():
    cat = catalogue(entry("n", 400), entry("im", 160, jurisdiction="inner_mongolia"))
    assert param("p.test", "inner_mongolia", on=D2014, catalogue=cat).id == "n"


def test_ceilings_lower_binds_and_units_are_converted():
    n = entry("n", 13.5, comparison="<", unit="10^4 t")
    im = entry("im", 120000, comparison="<=", unit="t", jurisdiction="inner_mongolia")
    assert param("p.test", "inner_mongolia", on=D2014, catalogue=catalogue(n, im)).id == "im"
    im2 = entry("im", 140000, comparison="<=", unit="t", jurisdiction="inner_mongolia")
    assert param("p.test", "inner_mongolia", on=D2014, catalogue=catalogue(n, im2)).id == "n"


def test_equal_values_the_strict_comparison_binds():
    a = entry("a", 12750, comparison="<=", unit="kWh/t")
    b = entry("b", 12750, comparison="<", unit="kWh/t", jurisdiction="tibet")
    assert stricter(a, b).id == "b" and stricter(b, a).id == "b"


def test_floor_against_ceiling_is_an_error():
    cat = catalogue(entry("n", 400), entry("im", 500, comparison="<=", jurisdiction="inner_mongolia"))
    with pytest.raises(PolicyError):
        param("p.test", "inner_mongolia", on=D2014, catalogue=cat)


def test_units_of_different_bases_are_an_error():
    cat = catalogue(entry("n", 400), entry("im", 500, unit="kWh/t", jurisdiction="inner_mongolia"))
    with pytest.raises(PolicyError):
        param("p.test", "inner_mongolia", on=D2014, catalogue=cat)


def test_non_threshold_provincial_value_overrides():
    n = entry("n", 90, kind="target", unit="%")
    im = entry("im", 80, kind="target", unit="%", jurisdiction="inner_mongolia")
    assert param("p.test", "inner_mongolia", on=D2014, catalogue=catalogue(n, im)).id == "im"


def test_effective_and_until():
    old = entry("old", 160, until=dt.date(2016, 1, 1))
    new = entry("new", 300, effective=dt.date(2016, 1, 1))
    cat = catalogue(old, new)
    assert param("p.test", "national", on=dt.date(2015, 12, 31), catalogue=cat).id == "old"
    assert param("p.test", "national", on=dt.date(2016, 1, 1), catalogue=cat).id == "new"
    with pytest.raises(ParameterNotFound):
        param("p.test", "national", on=dt.date(2012, 12, 31), catalogue=cat)


def test_latest_version_wins_within_a_jurisdiction():
    cat = catalogue(entry("v1", 160), entry("v2", 200, effective=dt.date(2014, 1, 1)))
    assert param("p.test", "national", on=dt.date(2013, 6, 1), catalogue=cat).id == "v1"
    assert param("p.test", "national", on=dt.date(2014, 6, 1), catalogue=cat).id == "v2"


def test_unknown_parameter_and_jurisdiction_errors_are_bilingual():
    with pytest.raises(ParameterNotFound) as exc:
        param("no.such.param", "national", on=D2014)
    assert "no.such.param" in exc.value.zh and "no.such.param" in exc.value.en
    with pytest.raises(PolicyError) as exc:
        param("al.new.cell_current_min", "mongolia", on=D2014)
    assert "辖区" in exc.value.zh and "jurisdiction" in exc.value.en


def test_params_lists_names():
    names = params()
    assert "al.new.cell_current_min" in names and names == sorted(set(names))
