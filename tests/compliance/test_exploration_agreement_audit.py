"""Audit findings on seed 000's date (B2), integrated exploration (B3), agreement transfer (A7, C5) and
the floor price's scope (B5): boundary cases written from the seed's words."""

import dataclasses

import pytest

from kuangzheng.compliance.core import batch, engine
from kuangzheng.compliance.core.rules import fees
from kuangzheng.policy.catalogue import ParameterNotFound, load_catalogue

from .helpers import IM, QH, d, one

# ---------------------------------------------------------------- B2: seed 000 in force from 2012 (inferred)

AL_OLD = {"kind": "al_line", "project_type": "existing", "metals": ["铝"], "process": "预焙槽", "division": IM}


@pytest.mark.parametrize(
    "as_of,kwh,expected",
    [
        ("2012-10-01", 13000, "pass"),  # the audit's A12: passes in 2012 …
        ("2016-06-01", 13000, "fail"),  # … and fails after the 十二五末 catch-up
        ("2012-01-01", 13000, "pass"),  # the first day of the inferred effective date
        ("2011-12-31", 13000, "not_applicable"),  # the day before
        ("2012-10-01", 13350, "fail"),  # 必须低于 13350: strict
        ("2012-10-01", 13349, "pass"),
        ("2012-10-01", None, "missing_data"),
    ],
)
def test_seed_000_binds_from_2012(as_of, kwh, expected):
    assert one("facility", {**AL_OLD, "ac_molten_kwh_t": kwh}, d(as_of), "al.ac_molten")[0] == expected


def test_seed_000_date_is_marked_inferred_and_explicit_dates_stay_later():
    cat = load_catalogue()
    raw = dict(cat.raw)["000.yaml"]
    assert str(raw["default_effective"]) == "2012-01-01"
    note = next(a["note"] for a in raw["ambiguities"] if a["topic"] == "issue date")
    assert "INFERRED" in note and "国土资发〔2012〕80号" in note
    seed = cat.filter(doc="000")
    assert all(e.effective >= d("2012-01-01") for e in seed)
    assert cat.get("000.al.new.cell_current").effective == d("2012-01-01")
    # entries with their own dates keep them: the 2020 targets from 2018, the existing-line values from 2016
    assert cat.get("000.capacity.al.2020").effective == d("2018-01-01")
    assert cat.get("000.al.existing.ac_liquid.from_2016").effective == d("2016-01-01")


def test_integrated_fee_schedule_exists_in_2012():
    s = fees.integrated_schedule(1.0, 2, on=d("2012-06-01"))
    assert [r["rate_yuan_per_km2"] for r in s["schedule"]] == [1000, 2000]
    with pytest.raises(ParameterNotFound):
        fees.integrated_schedule(1.0, 2, on=d("2011-12-31"))


# ---------------------------------------------------------------- B3: the term binds agreement holders only


def ie(**kw):
    return {
        "kind": "exploration",
        "division": "150600",
        "minerals": ["铜"],
        "status": "valid",
        "valid_from": "2014-01-01",
        "in_integrated_zone": 1,
        "findings": 0,
        **kw,
    }


AFTER = d("2019-06-01")  # the 5 years from 2014-01-01 are over


def test_pre_existing_right_in_a_zone_integrates_instead_of_exiting():
    """The audit's X06: a right of 2008, before any integrated-exploration agreement could exist."""
    out, v = one("right", ie(valid_from="2008-01-01"), d("2016-06-01"), "ie.term")
    assert out == "not_applicable"
    assert "整合" in v["explanation"]["zh"] and "tender winner" in v["explanation"]["en"]
    assert "000.fee.integrated.social_right_area" in [c["id"] for c in v["citations"]]


@pytest.mark.parametrize(
    "changes,expected",
    [
        ({"obtained_by": "tender"}, "fail"),
        ({}, "fail"),  # acquisition not recorded: taken as the tender's
        ({"obtained_by": "tender", "valid_from": "2012-01-01"}, "fail"),  # started the day seed 000 takes effect
        ({"obtained_by": "tender", "valid_from": "2011-12-31"}, "not_applicable"),  # the day before: pre-existing
        ({"obtained_by": "application"}, "not_applicable"),
        ({"obtained_by": "auction"}, "not_applicable"),
        ({"obtained_by": "listing"}, "not_applicable"),
        ({"obtained_by": "agreement"}, "not_applicable"),
        ({"obtained_by": "listing", "integrated_agreement": True}, "fail"),  # the recorded flag decides
        ({"obtained_by": "tender", "integrated_agreement": False}, "not_applicable"),
        (
            {"obtained_by": "tender", "integrated_agreement": True, "valid_from": "2008-01-01"},
            "pass",
        ),  # term 2013, no …
        ({"obtained_by": "tender", "in_integrated_zone": 0}, "not_applicable"),
        ({"obtained_by": "tender", "division": QH}, "not_applicable"),
    ],
)
def test_term_and_exit_bind_rights_held_under_the_agreement(changes, expected):
    rec = ie(**changes)
    if changes.get("valid_from") == "2008-01-01" and changes.get("integrated_agreement"):
        rec["findings"] = 1  # … findings, so it moved on
    assert one("right", rec, AFTER, "ie.term")[0] == expected


def test_flagged_agreement_outside_the_zone_layers_still_binds():
    rec = ie(obtained_by="listing", integrated_agreement=True)
    del rec["in_integrated_zone"]
    assert one("right", rec, AFTER, "ie.term")[0] == "fail"


def test_tender_right_without_a_start_date_is_missing():
    out, v = one("right", ie(obtained_by="tender", valid_from=None), AFTER, "ie.term")
    assert out == "missing_data" and "start date" in v["explanation"]["en"]


@pytest.mark.parametrize(
    "obtained_by,moved,expected",
    [
        ("tender", "2018-12-31", "fail"),
        ("tender", "2019-01-01", "pass"),
        ("tender", None, "pass"),
        ("application", "2015-01-01", "not_applicable"),
        ("listing", "2015-01-01", "not_applicable"),
    ],
)
def test_no_transfer_binds_agreement_holders_only(obtained_by, moved, expected):
    rec = ie(obtained_by=obtained_by, first_transfer=moved)
    assert one("right", rec, AFTER, "ie.no_transfer")[0] == expected


# ---------------------------------------------------------------- A7 / C5: agreement transfer


def ag(**kw):
    return {
        "kind": "mining",
        "division": "150200",
        "minerals": ["铅"],
        "status": "applied",
        "obtained_by": "agreement",
        "agreement_case": "mining_right_expansion",
        **kw,
    }


@pytest.mark.parametrize(
    "facts,expected,reason",
    [
        ({"has_deep_processing": 0, "adjacent": 1}, "fail", "deep-processing"),  # the audit's X16
        ({"has_deep_processing": 0}, "fail", "deep-processing"),
        ({"adjacent": 0}, "fail", "not adjacent"),
        ({"original_km2": 3.0, "added_km2": 1.0001}, "fail", "exceeds"),  # just over 1/3, rest unknown
        ({"original_km2": 3.0, "added_km2": 1.0}, "missing_data", "not recorded"),  # exactly 1/3, rest unknown
        ({"original_km2": 3.0, "added_km2": 0.9999, "has_deep_processing": 1}, "missing_data", "not recorded"),
        ({"has_deep_processing": 1, "adjacent": 1}, "missing_data", "not recorded"),
        ({"has_deep_processing": 1, "adjacent": 1, "original_km2": 3.0, "added_km2": 1.0}, "pass", "does not exceed"),
        ({"has_deep_processing": 1, "adjacent": 1, "original_km2": 3.0, "added_km2": 1.0001}, "fail", "exceeds"),
        (
            {"has_deep_processing": 1, "adjacent": 1, "original_km2": 3.0, "added_km2": 0.9999},
            "pass",
            "does not exceed",
        ),
    ],
)
def test_a_known_disqualifier_decides_even_when_areas_are_unknown(facts, expected, reason):
    out, v = one("right", ag(**facts), d("2016-06-01"), "agreement.eligibility")
    assert out == expected and reason in v["explanation"]["en"]


def test_expansion_limit_follows_the_entrys_comparison():
    """不得超过 is <= in the catalogue; were it written as <, exactly one third would fail."""
    cat = load_catalogue()
    entries = tuple(
        dataclasses.replace(e, comparison="<") if e.id == "000.agreement_transfer.mining_expansion_max" else e
        for e in cat.entries
    )
    strict = dataclasses.replace(cat, entries=entries)
    rec = ag(has_deep_processing=1, adjacent=1, original_km2=3.0, added_km2=1.0)
    for catalogue, expected in ((cat, "pass"), (strict, "fail")):
        b = batch.from_records("right", [rec], d("2016-06-01"), catalogue)
        (ev,) = engine.evaluate([b], ["agreement.eligibility"])
        assert engine.OUTCOMES[ev.outcome[0]] == expected


@pytest.mark.parametrize(
    "case,named",
    [
        ("state_council_project", ("State Council approval is taken as declared", "国务院批准系按申报采信")),
        (
            "region_large_medium",
            (
                "region's approval and the large/medium reserve are taken as declared",
                "自治区人民政府批准及大中型储量规模均按申报采信",
            ),
        ),
        ("crisis_mine_replacement", ("listing is taken as declared", "列入国家专项系按申报采信")),
    ],
)
def test_declared_cases_name_what_was_taken_as_declared(case, named):
    out, v = one("right", ag(agreement_case=case), d("2016-06-01"), "agreement.eligibility")
    assert out == "pass"
    assert named[0] in v["explanation"]["en"] and named[1] in v["explanation"]["zh"]


# ---------------------------------------------------------------- B5: the floor price is a reserve price


def fp(**kw):
    return {
        "kind": "exploration",
        "division": IM,
        "minerals": ["铜"],
        "status": "applied",
        "in_integrated_zone": 0,
        "area_km2": 10.0,
        **kw,
    }


@pytest.mark.parametrize(
    "obtained_by,price,expected",
    [
        ("tender", 100000, "pass"),
        ("auction", 99999.99, "fail"),
        ("listing", 100001, "pass"),
        ("listing", None, "missing_data"),
        ("agreement", 100, "not_applicable"),
        ("application", 100, "not_applicable"),
    ],
)
def test_floor_price_binds_competitive_sales(obtained_by, price, expected):
    out, v = one("right", fp(obtained_by=obtained_by, price_yuan=price), d("2018-06-01"), "fee.floor_price")
    assert out == expected
    if obtained_by in ("agreement", "application"):
        assert "competitive sales" in v["explanation"]["en"]
