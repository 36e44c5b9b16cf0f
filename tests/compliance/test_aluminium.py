"""M24/M27: electrolytic aluminium access, at the seeds' thresholds (strict < for AC consumption,
inclusive >= for cell current, capital ratio and efficiency; efficiency 原则上 → warning)."""

import pytest

from .helpers import IM, QH, XZ, d, one, outcomes

LINE = {"kind": "al_line", "division": IM, "metals": ["铝"]}
ON = d("2014-06-01")


def line(**kw):
    return {**LINE, **kw}


@pytest.mark.parametrize(
    "ptype,value,expected",
    [
        ("new", 399.9, "fail"),
        ("new", 400, "pass"),
        ("new", 400.1, "pass"),
        ("retrofit", 399.9, "fail"),
        ("expansion", 399.9, "fail"),
        ("expansion", 400, "pass"),
        ("existing", 159.9, "fail"),
        ("existing", 160, "pass"),
        ("existing", 160.1, "pass"),
    ],
)
def test_cell_current_inclusive_floor(ptype, value, expected):
    assert one("facility", line(project_type=ptype, cell_current_ka=value), ON, "al.cell_current")[0] == expected


@pytest.mark.parametrize(
    "ptype,rule,value,expected",
    [
        ("new", "al.ac_molten", 12749.9, "pass"),
        ("new", "al.ac_molten", 12750, "fail"),
        ("new", "al.ac_molten", 12750.1, "fail"),
        ("new", "al.ac_ingot", 13199.9, "pass"),
        ("new", "al.ac_ingot", 13200, "fail"),
        ("existing", "al.ac_molten", 13349.9, "pass"),
        ("existing", "al.ac_molten", 13350, "fail"),
        ("existing", "al.ac_ingot", 13799.9, "pass"),
        ("existing", "al.ac_ingot", 13800, "fail"),
        ("existing", "al.ac_ingot", 13800.1, "fail"),
    ],
)
def test_ac_consumption_strict_ceiling(ptype, rule, value, expected):
    field = "ac_molten_kwh_t" if rule == "al.ac_molten" else "ac_ingot_kwh_t"
    out, v = one("facility", line(project_type=ptype, **{field: value}), ON, rule)
    assert out == expected
    assert v["citations"][0]["comparison"] == "<"


def test_existing_line_passes_in_2015_and_fails_in_2016_when_the_deadline_has_passed():
    rec = line(project_type="existing", ac_molten_kwh_t=13000, ac_ingot_kwh_t=13500)
    assert one("facility", rec, d("2015-12-31"), "al.ac_molten")[0] == "pass"
    out, v = one("facility", rec, d("2016-01-01"), "al.ac_molten")
    assert out == "fail" and v["citations"][0]["id"] == "000.al.existing.ac_liquid.from_2016"
    # before the deadline the catch-up rule warns; after it, it steps aside for the energy rules
    out, v = one("facility", rec, d("2015-12-31"), "al.energy_catch_up")
    assert out == "warning" and "2015-12-31" in v["explanation"]["zh"]
    assert one("facility", rec, d("2016-01-01"), "al.energy_catch_up")[0] == "not_applicable"
    good = line(project_type="existing", ac_molten_kwh_t=12749, ac_ingot_kwh_t=13199)
    assert one("facility", good, d("2015-06-01"), "al.energy_catch_up")[0] == "pass"


@pytest.mark.parametrize(
    "ptype,value,expected",
    [("new", 93, "pass"), ("new", 92.99, "warning"), ("existing", 92, "pass"), ("existing", 91.99, "warning")],
)
def test_current_efficiency_in_principle_is_a_warning(ptype, value, expected):
    out, v = one("facility", line(project_type=ptype, current_efficiency_pct=value), ON, "al.current_efficiency")
    assert out == expected
    assert v["citations"][0]["principle"] is True


@pytest.mark.parametrize(
    "ptype,value,expected",
    [("new", 40, "pass"), ("new", 39.99, "fail"), ("expansion", 40.01, "pass"), ("existing", 10, "not_applicable")],
)
def test_capital_ratio(ptype, value, expected):
    assert one("facility", line(project_type=ptype, capital_ratio_pct=value), ON, "al.capital_ratio")[0] == expected


@pytest.mark.parametrize(
    "rule", ["al.cell_current", "al.ac_molten", "al.ac_ingot", "al.current_efficiency", "al.capital_ratio"]
)
def test_missing_values_are_missing_data_never_pass_or_fail(rule):
    assert one("facility", line(project_type="new"), ON, rule)[0] == "missing_data"


def test_seed_000_thresholds_do_not_bind_outside_inner_mongolia_or_before_they_took_effect():
    rec = line(project_type="new", cell_current_ka=300)
    assert one("facility", {**rec, "division": QH}, ON, "al.cell_current")[0] == "not_applicable"
    assert one("facility", rec, d("2011-12-31"), "al.cell_current")[0] == "not_applicable"


@pytest.mark.parametrize("retired,expected", [(20, "pass"), (20.01, "pass"), (19.99, "fail"), (None, "missing_data")])
def test_qinghai_replacement_equal_or_reduced(retired, expected):
    rec = line(
        division=QH, project_type="expansion", capacity=20, capacity_unit="10^4 t/a", replacement_retired=retired
    )
    assert one("facility", rec, d("2018-01-01"), "al.capacity_replacement")[0] == expected


def test_replacement_only_in_qinghai_for_projects_and_from_2017():
    rec = line(division=QH, project_type="new", capacity=20, capacity_unit="10^4 t/a", replacement_retired=0)
    assert one("facility", rec, d("2016-12-31"), "al.capacity_replacement")[0] == "not_applicable"
    assert one("facility", {**rec, "division": IM}, d("2018-01-01"), "al.capacity_replacement")[0] == "not_applicable"
    assert (
        one("facility", {**rec, "project_type": "existing"}, d("2018-01-01"), "al.capacity_replacement")[0]
        == "not_applicable"
    )


@pytest.mark.parametrize("flag,expected", [(1, "fail"), (0, "pass"), (-1, "missing_data")])
def test_tibet_no_new_aluminium_in_the_zangqing_park(flag, expected):
    rec = line(division=XZ, project_type="new", in_zangqing_park=flag)
    assert one("facility", rec, d("2018-01-01"), "al.zangqing_park")[0] == expected
    assert one("facility", rec, d("2017-01-01"), "al.zangqing_park")[0] == "not_applicable"


def test_closed_lines_are_not_reviewed():
    rows = [
        line(project_type="new", cell_current_ka=100, status="closed"),
        line(project_type="new", cell_current_ka=100, status="operating"),
    ]
    assert outcomes("facility", rows, ON, "al.cell_current") == ["not_applicable", "fail"]
