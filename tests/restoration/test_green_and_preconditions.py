"""Green mines (the sheet, the lists, the preference flag) and the M46 licence preconditions."""

import pytest

from kuangzheng.errors import InvalidInput
from kuangzheng.restoration import fund, green, services

from .helpers import actor, approved_plan

GOOD = {"resource_use": 22, "environment": 21, "energy": 16, "technology": 12, "management": 13}


def test_a_passing_sheet_lists_the_mine_and_sets_the_flag(reg):
    from kuangzheng.notices import services as notices

    assert services.green_mine_level(reg.r_bt) is None
    g = green.apply(actor(reg, "ent_a"), {"right": reg.r_bt.pk, "level": "region"})
    with pytest.raises(InvalidInput) as e:
        green.evaluate(actor(reg, "reg_bt"), g.pk, {**GOOD, "energy": 21, "luck": 3})
    assert {p.field for p in e.value.problems} == {"scores.energy", "scores.luck"}
    g = green.evaluate(actor(reg, "reg_bt"), g.pk, GOOD)
    assert g.state == "listed" and g.total == 84
    assert services.green_mine_level(reg.r_bt) == "region" and services.green_mine_level(reg.a) == "region"
    assert [x["mine"] for x in green.lists()["region"]] == [reg.r_bt.name]
    assert notices.current(f"restoration.GreenMine:{g.pk}")


def test_a_failing_sheet_does_not_list(reg):
    g = green.apply(actor(reg, "ent_a"), {"right": reg.r_bt.pk, "level": "city"})
    g = green.evaluate(actor(reg, "reg_bt"), g.pk, dict.fromkeys(GOOD, 5))
    assert g.state == "not_passed" and services.green_mine_level(reg.r_bt) is None


def test_licence_preconditions_each_item(reg):
    before = {x["item"]: x["outcome"] for x in services.licence_preconditions(right=reg.r_bt.pk)}
    assert before == dict.fromkeys(("plan", "deposit", "letter", "reclamation"), "fail")
    p = approved_plan(reg)
    ph = p.phases.get(seq=1)
    services.plan_phase(actor(reg, "ent_a"), ph.pk, {"version": ph.version, "planned": {"grassland": {"reclaimed": 4}}})
    fund.post(actor(reg, "ent_a"), right=reg.r_bt.pk, kind="deposit", amount="1000", request_id="d")
    after = {x["item"]: x["outcome"] for x in services.licence_preconditions(licence_no=reg.r_bt.licence_no)}
    assert after == {"plan": "pass", "deposit": "pass", "letter": "fail", "reclamation": "pass"}


def test_an_unregistered_right_is_not_checked(reg):
    assert {x["outcome"] for x in services.licence_preconditions(licence_no="C150200NOSUCH")} == {"not_checked"}
