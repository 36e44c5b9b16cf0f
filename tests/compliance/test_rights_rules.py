"""M06 agreement transfer, M01–M05 integrated exploration and fees, M10/M30/M31/M72 planning, M08 integration."""

import pytest

from kuangzheng.compliance.core.rules import exploration, fees

from .helpers import IM, d, one

ON = d("2016-06-01")


def ag(**kw):
    return {"kind": "mining", "division": IM, "minerals": ["铅"], "status": "applied", "obtained_by": "agreement", **kw}


EXP = {"agreement_case": "mining_right_expansion", "has_deep_processing": True, "adjacent": True, "original_km2": 3.0}


@pytest.mark.parametrize("added,expected", [(1.0, "pass"), (0.9999, "pass"), (1.0001, "fail"), (1.5, "fail")])
def test_expansion_at_most_one_third_inclusive(added, expected):
    assert one("right", ag(**EXP, added_km2=added), ON, "agreement.eligibility")[0] == expected


def test_exactly_one_third_of_an_awkward_area_is_allowed():
    assert one("right", ag(**{**EXP, "original_km2": 0.7}, added_km2=0.7 / 3), ON, "agreement.eligibility")[0] == "pass"


@pytest.mark.parametrize(
    "changes,expected",
    [
        ({"has_deep_processing": False}, "fail"),
        ({"adjacent": False}, "fail"),
        ({"has_deep_processing": None}, "missing_data"),
        ({"kind": "exploration"}, "fail"),
        ({"agreement_case": "friendly_deal"}, "fail"),
        ({"agreement_case": ""}, "missing_data"),
        ({"agreement_case": "crisis_mine_replacement"}, "pass"),
        ({"agreement_case": "state_council_project"}, "pass"),
        ({"division": "630000"}, "not_applicable"),
    ],
)
def test_agreement_cases(changes, expected):
    assert one("right", ag(**{**EXP, "added_km2": 0.5, **changes}), ON, "agreement.eligibility")[0] == expected


def test_exploration_expansion_uses_its_own_limit():
    rec = ag(kind="exploration", **{**EXP, "agreement_case": "exploration_right_expansion"}, added_km2=1.01)
    out, v = one("right", rec, ON, "agreement.eligibility")
    assert out == "fail"
    assert "000.agreement_transfer.exploration_expansion_max" in [c["id"] for c in v["citations"]]


@pytest.mark.parametrize(
    "area,expected", [(1000, "pass"), (999.99, "pass"), (1000.01, "warning"), (None, "missing_data")]
)
def test_integrated_zone_area_normally_at_most_1000(area, expected):
    z = {"kind": "integrated_exploration_zone", "division": IM, "area_km2": area}
    assert one("zone", z, ON, "ie.zone_area")[0] == expected


def ie(**kw):
    return {
        "kind": "exploration",
        "division": IM,
        "minerals": ["铜"],
        "status": "valid",
        "valid_from": "2016-06-01",
        "in_integrated_zone": 1,
        **kw,
    }


@pytest.mark.parametrize(
    "as_of,findings,expected",
    [
        ("2021-05-31", None, "pass"),
        ("2021-06-01", None, "missing_data"),
        ("2021-06-01", False, "fail"),
        ("2021-06-01", True, "pass"),
    ],
)
def test_five_year_term_and_exit_without_findings(as_of, findings, expected):
    assert one("right", ie(findings=findings), d(as_of), "ie.term")[0] == expected


@pytest.mark.parametrize(
    "moved,expected", [("2021-05-31", "fail"), ("2021-06-01", "pass"), (None, "pass"), ("2016-06-01", "fail")]
)
def test_no_transfer_during_the_term(moved, expected):
    assert one("right", ie(first_transfer=moved), d("2022-01-01"), "ie.no_transfer")[0] == expected
    assert (
        one("right", ie(first_transfer=moved, in_integrated_zone=0), d("2022-01-01"), "ie.no_transfer")[0]
        == "not_applicable"
    )


def test_tender_ranking_is_explicit_and_configurable():
    bids = [
        {"name": "A", "investment_yuan": 100, "deep_drilling": True},
        {
            "name": "B",
            "investment_yuan": 50,
            "state_geological_unit_with_social_capital": True,
            "explorer_with_deep_processor": True,
        },
    ]
    r = exploration.rank_bids(bids)
    assert [x["name"] for x in r["ranking"]] == ["B", "A"]
    assert "no weights" in r["weights_note"]["en"]
    heavy = exploration.Weights(investment_and_drilling=0.8, state_unit_with_capital=0.1, explorer_with_processor=0.1)
    assert [x["name"] for x in exploration.rank_bids(bids, heavy)["ranking"]] == ["A", "B"]
    with pytest.raises(ValueError):
        exploration.rank_bids(bids, exploration.Weights(0.5, 0.5, 0.5))


def test_integrated_exploration_fee_schedule_and_floor_price():
    s = fees.integrated_schedule(2.5, 3, on=ON)
    assert [r["rate_yuan_per_km2"] for r in s["schedule"]] == [1000, 2000, 3000]
    assert s["total_yuan"] == 2.5 * 6000
    assert fees.floor_price(3, on=ON)["floor_yuan"] == 30000


@pytest.mark.parametrize("price,expected", [(30000, "pass"), (29999, "fail"), (None, "missing_data")])
def test_floor_price_rule(price, expected):
    rec = {
        "kind": "exploration",
        "division": IM,
        "minerals": ["铜"],
        "status": "applied",
        "obtained_by": "listing",
        "in_integrated_zone": 0,
        "area_km2": 3.0,
        "price_yuan": price,
    }
    assert one("right", rec, ON, "fee.floor_price")[0] == expected


def pr(kind="mining", **kw):
    base = {
        "kind": kind,
        "division": IM,
        "minerals": ["铜"],
        "status": "applied",
        "in_prohibited": 0,
        "in_nature_reserve": 0,
        "in_restricted": 0,
        "exploration_blocks": 1,
        "mining_blocks": 1,
        "block_other_subjects": 0,
        "conflicts": 0,
    }
    return {**base, **kw}


PLAN = d("2018-06-01")


@pytest.mark.parametrize(
    "rec,expected",
    [
        (pr(), "pass"),
        (pr(in_prohibited=1, state_council_consent=False), "fail"),
        (pr(in_prohibited=1, state_council_consent=True), "pass"),
        (pr(in_prohibited=1), "missing_data"),  # consent not recorded: never a pass or a fail
        (pr(in_nature_reserve=1, state_council_consent=True), "fail"),
        (pr("exploration", in_nature_reserve=1, status="valid"), "warning"),  # existing: exits in order
        (pr("exploration", in_nature_reserve=1), "fail"),  # a new one is not set
        (pr("exploration", in_prohibited=2), "warning"),
        (pr(in_prohibited=None), "missing_data"),
        # seed 003's list binds in Inner Mongolia only (《规划》适用范围为内蒙古自治区所辖行政区域)
        (pr(in_prohibited=1, state_council_consent=False, division="632800"), "not_applicable"),
        (pr(in_prohibited=1, state_council_consent=False, division="410100"), "not_applicable"),
    ],
)
def test_prohibited_areas_and_nature_reserves(rec, expected):
    assert one("right", rec, PLAN, "plan.prohibited_area")[0] == expected


@pytest.mark.parametrize(
    "rec,expected",
    [
        (pr(in_restricted=1), "warning"),
        (pr(in_restricted=1, planning_review_passed=True), "pass"),
        (pr(in_restricted=1, planning_review_passed=False), "fail"),  # 不符合规划准入条件的，不予通过规划审查
        (pr(in_restricted=1, status="valid"), "warning"),
        (pr(), "not_applicable"),
    ],
)
def test_restricted_areas(rec, expected):
    assert one("right", rec, PLAN, "plan.restricted_area")[0] == expected


@pytest.mark.parametrize(
    "rec,rule,expected",
    [
        (pr("exploration"), "plan.block_single_subject", "pass"),
        (pr("exploration", block_other_subjects=1), "plan.block_single_subject", "warning"),
        (pr("exploration", exploration_blocks=0), "plan.block_single_subject", "not_applicable"),
        (pr(conflicts=1), "plan.right_overlap", "fail"),
        (pr(conflicts=1, status="valid"), "plan.right_overlap", "warning"),
        (pr(), "plan.right_overlap", "pass"),
        (pr(mining_blocks=0), "plan.outside_blocks", "warning"),
        (pr("exploration", exploration_blocks=0, mining_blocks=3), "plan.outside_blocks", "warning"),
        (pr(), "plan.outside_blocks", "pass"),
    ],
)
def test_blocks_and_overlaps(rec, rule, expected):
    assert one("right", rec, PLAN, rule)[0] == expected


@pytest.mark.parametrize(
    "released,expected",
    [
        ("2015-12-31", "pass"),
        ("2016-01-01", "fail"),
        ("2017-03-01", "fail"),
        ("2018-12-31", "fail"),
        ("2019-01-01", "pass"),
        (None, "not_applicable"),
    ],
)
def test_coal_blocks_not_released_in_the_plans_first_three_years(released, expected):
    z = {"kind": "mining_planning_block", "division": IM, "minerals": ["煤"], "release_date": released}
    assert one("zone", z, d("2020-01-01"), "plan.coal_block_release")[0] == expected
    # before the plan was in force (its inferred publication) there was nothing to break
    assert one("zone", z, d("2017-10-31"), "plan.coal_block_release")[0] == "not_applicable"
    assert one("zone", {**z, "minerals": ["铜"]}, d("2020-01-01"), "plan.coal_block_release")[0] == "not_applicable"


def test_integration_flags_with_reasons():
    out, v = one(
        "right",
        pr(status="valid", other_holder_same_mineral_mining=1, in_fragile_area=0),
        PLAN,
        "integration.must_include",
    )
    assert out == "warning" and "one deposit" in v["explanation"]["en"]
    assert (
        one(
            "right",
            pr(status="valid", other_holder_same_mineral_mining=0, in_fragile_area=0),
            PLAN,
            "integration.must_include",
        )[0]
        == "pass"
    )
    assert (
        one(
            "right",
            {"kind": "mining", "division": IM, "minerals": ["铜"], "status": "valid"},
            PLAN,
            "integration.must_include",
        )[0]
        == "missing_data"
    )
    expl = pr("exploration", status="valid", straddles_integrated_zone=1)
    assert one("right", expl, PLAN, "integration.must_include")[0] == "warning"
    old = {
        "kind": "mine",
        "division": IM,
        "metals": ["煤"],
        "project_type": "existing",
        "coal_rank": "烟煤",
        "mining_method": "underground",
        "capacity": 50,
        "capacity_unit": "10^4 t/a",
    }
    # 长期 (3 years, assumed) below the floor: counted from commissioning, or from the floor's effect
    # (seed 003, 2017-11-01) when that is later
    assert one("facility", {**old, "commissioned": 2015}, d("2020-11-01"), "integration.must_include")[0] == "warning"
    assert one("facility", {**old, "commissioned": 2015}, d("2020-10-31"), "integration.must_include")[0] == "pass"
    assert one("facility", {**old, "commissioned": 2018}, d("2020-12-31"), "integration.must_include")[0] == "pass"
    assert one("facility", {**old, "commissioned": 2018}, d("2021-01-01"), "integration.must_include")[0] == "warning"


def test_dates_on_29_february_count_years_by_the_calendar():
    old = {
        "kind": "mine",
        "division": IM,
        "metals": ["煤"],
        "project_type": "existing",
        "coal_rank": "烟煤",
        "mining_method": "underground",
        "capacity": 50,
        "capacity_unit": "10^4 t/a",
        "since": "2020-02-29",
    }
    assert one("facility", old, d("2023-02-28"), "integration.must_include")[0] == "pass"
    assert one("facility", old, d("2023-03-01"), "integration.must_include")[0] == "warning"
    assert one("right", ie(valid_from="2016-02-29", findings=None), d("2021-02-28"), "ie.term")[0] == "pass"
    assert one("right", ie(valid_from="2016-02-29", findings=None), d("2021-03-01"), "ie.term")[0] == "missing_data"
