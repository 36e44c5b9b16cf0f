"""Pure rules: new/old classification, the balance band, cycles, areas and the checklist."""

import datetime as dt

from kuangzheng.restoration.core import balance, green, phases, responsibility

EFFECTIVE = dt.date(2009, 5, 1)


def test_new_or_old():
    c = responsibility.classify
    assert c(dt.date(2009, 4, 30), "producing", True, EFFECTIVE) == ("old", "before_mechanism")
    assert c(dt.date(2009, 5, 1), "producing", True, EFFECTIVE) == ("new", "enterprise")
    assert c(dt.date(2012, 1, 1), "construction", False, EFFECTIVE) == ("old", "party_gone")
    assert c(dt.date(2012, 1, 1), "policy_closed", True, EFFECTIVE) == ("old", "policy_closed")


def test_roughly_balanced_is_a_band_and_catching_up_counts():
    assert balance.judge(2024, 100, 90, 0.10).verdict == "balanced"
    assert balance.judge(2024, 100, 89.9, 0.10).verdict == "behind"
    assert balance.judge(2024, 100, 150, 0.10).verdict == "balanced"
    assert balance.judge(2024, 0, 5, 0.10).verdict == "no_damage"
    assert balance.rate(66452.93, 183521.76) == 36.2  # the seed's 治理率 from its own figures


def test_cycles_and_areas():
    assert phases.cycles(2024, 2031, 3) == [(2024, 2026), (2027, 2029), (2030, 2031)]
    areas, probs = phases.clean_areas(
        {"forest": {"reclaimed": 2.5, "damaged": 3}, "grassland": {"reclaimed": 1}}, "actual"
    )
    assert probs == [] and phases.total(areas, "reclaimed") == 3.5
    _, probs = phases.clean_areas({"forest": {"reclaimed": float("nan")}}, "actual")
    assert probs[0].field == "actual.forest.reclaimed"


def test_checklist_each_item_blocks():
    ok = {k: v[0] for k, v in phases.CHECKLIST.items()}
    assert phases.checklist_failures(ok) == ([], [])
    for key in ok:
        missing, failed = phases.checklist_failures({**ok, key: not ok[key]})
        assert missing == [] and [f.field for f in failed] == [f"checklist.{key}"]


def test_green_sheet():
    sheet = {
        "pass_mark": 80,
        "criteria": {"a": {"zh": "甲", "en": "a", "max": 50}, "b": {"zh": "乙", "en": "b", "max": 50}},
    }
    assert green.score(sheet, {"a": 45, "b": 40}) == (85.0, [])
    total, probs = green.score(sheet, {"a": 51})
    assert total is None and {p.field for p in probs} == {"scores.a", "scores.b"}
    assert green.highest(["city", "national", "region"]) == "national"
