"""Exact limits: a figure computed from others (a price per km² from a price and an area, an added
area against a third of the original) is compared in the steps it is registered in — money to the
fen, areas to 1e-4 km² — so a value exactly at the limit never falls on the wrong side."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from .helpers import d, one
from .test_exploration_agreement_audit import ag

ON = d("2018-06-01")
FLOOR = 10000  # yuan/km², 000.fee.exploration.floor_price_outside_zones (asserted below from the verdict)


def floor_price(area_steps: int, price_fen: int):
    rec = {
        "kind": "exploration",
        "division": "150200",
        "status": "applied",
        "obtained_by": "listing",
        "in_integrated_zone": 0,
        "area_km2": area_steps / 10_000,
        "price_yuan": price_fen / 100,
    }
    return one("right", rec, ON, "fee.floor_price")


def test_floating_point_would_put_this_price_below_the_floor():
    """79.00 yuan for 0.0079 km² is exactly 10000 yuan/km²; 79.00 / 0.0079 is 9999.999… in binary."""
    assert 79.00 / 0.0079 < FLOOR
    out, v = floor_price(79, 7900)
    assert out == "pass", v["explanation"]
    assert {f["name"]: f["value"] for f in v["facts"]}["threshold"] == FLOOR


@settings(max_examples=300, deadline=None)
@given(area_steps=st.integers(min_value=1, max_value=50_000_000))  # 0.0001 km² to 5000 km²
def test_a_price_exactly_at_the_floor_passes_and_one_fen_less_fails(area_steps):
    at_fen = FLOOR * 100 * area_steps // 10_000  # the floor of a registered area, in whole fen
    assert floor_price(area_steps, at_fen)[0] == "pass"
    assert floor_price(area_steps, at_fen - 1)[0] == "fail"


def agreement(original_km2: float, added_km2: float):
    rec = ag(has_deep_processing=1, adjacent=1, original_km2=original_km2, added_km2=added_km2)
    return one("right", rec, d("2016-06-01"), "agreement.eligibility")[0]


@settings(max_examples=300, deadline=None)
@given(original_steps=st.integers(min_value=3, max_value=100_000_000))
def test_an_added_area_of_exactly_one_third_passes_and_one_step_more_fails(original_steps):
    """不得超过原采矿权面积的1/3: the added area computed as a third of the original (as the geometry
    gives it, in floating point) passes; one registered step (1e-4 km²) over the third fails."""
    original = original_steps / 10_000
    assert agreement(original, original / 3) == "pass"
    assert agreement(original, original * (1 / 3)) == "pass"
    third_steps = round(Fraction(original_steps, 3))
    assert agreement(original, (third_steps + 1) / 10_000) == "fail"
