"""The responsibility ledger: new/old by the configured date, government projects for old problems
only, each league/city sees its own and the region sees all."""

import pytest

from kuangzheng.errors import Forbidden, InvalidInput
from kuangzheng.restoration import config, responsibility
from kuangzheng.supervision import enforcement

from .helpers import actor

OLD = {
    "division": "150200",
    "site": "白云鄂博废弃采坑",
    "problem_type": "露天采场",
    "area_ha": 35.2,
    "arose_on": "1995-06-01",
    "mine_state": "abandoned",
    "party_exists": False,
    "source": "survey",
}


def test_classification_follows_the_effective_date_and_its_source(reg):
    staff = actor(reg, "reg_bt")
    assert config.config()["responsibility"]["source"]
    old = responsibility.record_problem(staff, OLD)
    assert old.classification == "old" and old.reason == "before_mechanism"
    case = enforcement.record_finding(staff, {"enterprise": reg.a.pk, "description": "排土场滑坡隐患"})
    ref = f"supervision.Finding:{case.finding_id}"
    found = {
        **OLD,
        "right": reg.r_bt.pk,
        "arose_on": "2023-05-01",
        "mine_state": "producing",
        "party_exists": True,
        "source": "inspection",
        "source_ref": ref,
    }
    new = responsibility.record_problem(staff, found)
    assert new.classification == "new" and new.responsible_party == reg.a.name and new.source_ref == ref
    for bad in ("", "supervision.Finding:999999", "Finding 7"):  # an inspection's problem cites a real finding
        with pytest.raises(InvalidInput) as e:
            responsibility.record_problem(staff, {**found, "source_ref": bad})
        assert e.value.problems[0].field == "source_ref"
    with pytest.raises(InvalidInput):  # nor one outside the caller's scope
        responsibility.record_problem(actor(reg, "reg_qh"), {**found, "division": "630100", "right": None})
    gone = responsibility.record_problem(staff, {**OLD, "arose_on": "2015-01-01", "mine_state": "producing"})
    assert gone.classification == "old" and gone.reason == "party_gone"


def test_projects_restore_old_problems_only(reg):
    staff = actor(reg, "reg_bt")
    old = responsibility.record_problem(staff, OLD)
    new = responsibility.record_problem(
        staff, {**OLD, "right": reg.r_bt.pk, "arose_on": "2023-05-01", "mine_state": "producing", "party_exists": True}
    )
    with pytest.raises(InvalidInput) as e:
        responsibility.create_project(
            staff, {"name": "治理工程", "funding_source": "中央财政", "mode": "ppp", "year": 2024, "problems": [new.pk]}
        )
    assert e.value.problems[0].field == "problems"
    g = responsibility.create_project(
        staff,
        {
            "name": "白云鄂博治理工程",
            "funding_source": "中央、自治区财政",
            "mode": "build_then_subsidise",
            "budget": "1200000",
            "year": 2024,
            "problems": [old.pk],
        },
    )
    assert responsibility.project_dict(g)["problems"] == [old.pk]


def test_each_city_keeps_its_ledger_and_the_region_sees_all(reg):
    responsibility.record_problem(actor(reg, "reg_bt"), OLD)
    responsibility.record_problem(actor(reg, "admin"), {**OLD, "division": "150100", "site": "呼市采坑"})
    assert responsibility.problems(actor(reg, "reg_bt")).count() == 1
    assert responsibility.problems(actor(reg, "reg_im")).count() == 2
    assert responsibility.problems(actor(reg, "reg_qh")).count() == 0
    with pytest.raises(InvalidInput) as e:
        responsibility.record_problem(actor(reg, "reg_bt"), {**OLD, "division": "150100"})
    assert e.value.problems[0].field == "division"
    with pytest.raises(Forbidden):
        responsibility.record_problem(actor(reg, "ent_a"), OLD)


def test_bad_problem_input_names_every_field(reg):
    with pytest.raises(InvalidInput) as e:
        responsibility.record_problem(
            actor(reg, "reg_bt"),
            {
                "division": "150200",
                "area_ha": -1,
                "arose_on": "yesterday",
                "mine_state": "x",
                "party_exists": "maybe",
                "source": "rumour",
            },
        )
    assert {p.field for p in e.value.problems} == {
        "site",
        "problem_type",
        "area_ha",
        "arose_on",
        "mine_state",
        "party_exists",
        "source",
    }
