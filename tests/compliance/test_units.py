"""Units everywhere: every rule that reads a recorded quantity converts it from the unit recorded beside
it into the unit of the catalogue entry it compares with. The same quantity written in each documented
unit gets the same verdict (a property test), and a unit that cannot express it is missing data."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kuangzheng.compliance.core import engine

from .helpers import IM, QH, d, one

ON = d("2018-06-01")
MINE = {"kind": "mine", "division": IM, "metals": ["煤"], "coal_rank": "烟煤", "mining_method": "underground"}
# every rule that reads a quantity with its unit, with a subject whose verdict turns on that quantity
CASES = {
    ("facility", "al.capacity_replacement"): {
        "kind": "al_line",
        "division": QH,
        "metals": ["铝"],
        "project_type": "expansion",
        "replacement_retired": 20,
    },
    ("facility", "mine.min_scale"): {**MINE, "project_type": "new"},
    ("right", "mine.min_scale"): {**MINE, "kind": "mining", "minerals": ["煤"], "status": "applied"},
    ("facility", "coal.reduced_replacement"): {**MINE, "project_type": "new", "replacement_retired": 130},
    ("right", "coal.reduced_replacement"): {
        **MINE,
        "kind": "mining",
        "minerals": ["煤"],
        "status": "applied",
        "replacement_retired": 130,
    },
    ("facility", "merger.equal_or_reduced"): {
        "kind": "smelter",
        "division": QH,
        "metals": ["铜"],
        "merger_capacity_before": 20,
    },
    ("facility", "backward.catalogue"): {
        "kind": "processing_plant",
        "division": IM,
        "metals": ["铝"],
        "process": "再生铝熔炼",
    },
}
# a documented unit and how many of it make one 10^4 t/a
UNITS = {"10^4 t/a": 1, "t/a": 10_000}


def test_every_rule_reading_a_quantity_is_covered():
    reading = {(kind, r.id) for (kind, _), r in engine.load_rules().items() if "capacity_unit" in r.reads}
    assert reading == set(CASES)


def _verdict(kind, rule, capacity, unit):
    rec = {**CASES[(kind, rule)], "capacity": capacity, "capacity_unit": unit}
    return one(kind, rec, ON, rule)


@settings(max_examples=60, deadline=None)
@given(hundredths=st.integers(min_value=0, max_value=100_000), case=st.sampled_from(sorted(CASES)))
def test_the_same_quantity_in_each_documented_unit_gets_the_same_verdict(hundredths, case):
    kind, rule = case
    got = {}
    for unit, per_wan in UNITS.items():
        outcome, v = _verdict(kind, rule, hundredths * per_wan / 100, unit)
        got[unit] = outcome
        facts = {f["name"]: f for f in v["facts"]}
        for name in ("capacity", "scale"):  # reported in the entry's unit, whatever unit was recorded
            if name in facts and facts[name]["value"] is not None:
                assert facts[name]["unit"] == "10^4 t/a" and facts[name]["value"] == pytest.approx(hundredths / 100)
    assert len(set(got.values())) == 1, got


@pytest.mark.parametrize(
    "case,at",
    [
        (("facility", "al.capacity_replacement"), 20),  # retired 20 × 10^4 t/a: equal replacement
        (("facility", "mine.min_scale"), 120),
        (("facility", "backward.catalogue"), 1),
    ],
)
def test_at_the_limit_in_tonnes_per_year(case, at):
    """200000 t/a is exactly 20 × 10^4 t/a: the conversion itself puts nothing on the wrong side."""
    kind, rule = case
    assert _verdict(kind, rule, at * 10_000, "t/a")[0] == _verdict(kind, rule, at, "10^4 t/a")[0]


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_unit_that_cannot_express_the_quantity_is_missing_data(case):
    kind, rule = case
    for unit in ("t/d", ""):  # per day needs working days no seed gives; no unit says nothing
        assert _verdict(kind, rule, 5000, unit)[0] == "missing_data", unit


def test_the_aluminium_replacement_converts_tonnes_per_year():
    """The defect: 150000 t/a (15 × 10^4 t/a) read as 150000 × 10^4 t/a against 20 retired."""
    outcome, v = _verdict("facility", "al.capacity_replacement", 150_000, "t/a")
    assert outcome == "pass"
    assert {f["name"]: f["value"] for f in v["facts"]}["capacity"] == 15
