"""Plans and draws through the service layer: pools frozen and announced before the seed, the draw's
result file verifies from itself alone, a changed seed or pool fails, recusal and scopes hold."""

import copy

import pytest

from kuangzheng.errors import Forbidden, InvalidInput
from kuangzheng.notices import services as notices
from kuangzheng.supervision import plans
from kuangzheng.supervision.models import Inspection

PLAN = {
    "title": "2026年包头市矿业权双随机抽查",
    "entity": "right",
    "filters": {"kind": "mining"},
    "ratio": 0.5,
    "seed_source": "2026年12月2日上海证券交易所综合指数收盘点位",
}


def drawn_plan(sup, seed="3312.45"):
    reg_bt = sup.actors["reg_bt"]
    plan = plans.create(reg_bt, PLAN)
    plan = plans.publish(reg_bt, plan.pk, plan.version)
    return plans.run_draw(reg_bt, plan.pk, seed, plan.version)


def test_publish_announces_hashes_before_the_draw_and_posts_a_notice(sup):
    reg_bt = sup.actors["reg_bt"]
    plan = plans.create(reg_bt, PLAN)
    with pytest.raises(InvalidInput):
        plans.run_draw(reg_bt, plan.pk, "1", plan.version)  # not published yet: no draw
    plan = plans.publish(reg_bt, plan.pk, plan.version)
    assert plan.announced["subjects"] == 7  # r_bt + six more valid mining rights in Baotou
    assert len(plan.announced["subjects_sha256"]) == 64
    (n,) = notices.current(f"supervision.Plan:{plan.pk}")
    assert plan.announced["subjects_sha256"] in n.body_zh and n.kind == "supervision_plan"


def test_draw_verifies_and_respects_recusal(sup):
    plan = drawn_plan(sup)
    res = plans.result(sup.actors["admin"], plan.pk)  # anyone may read it; admin here
    assert plans.verify(res) == []
    assert len(res["drawn"]) == 4  # ceil(7 × 0.5)
    codes = {k: i.code for k, i in sup.inspectors.items()}
    for d in res["drawn"]:
        assert set(d["inspectors"]) == {codes["hh1"], codes["hh2"]}  # Baotou's and the region's recused
    assert Inspection.objects.filter(plan=plan).count() == 4


def test_changed_seed_or_pool_fails_verification(sup):
    res = plans.result(sup.actors["admin"], drawn_plan(sup).pk)
    other = copy.deepcopy(res)
    other["seed"] = "3312.46"
    assert plans.verify(other)
    other = copy.deepcopy(res)
    other["subjects"] = other["subjects"][1:]
    assert plans.verify(other)


def test_public_sees_published_plans_not_drafts(sup):
    draft = plans.create(sup.actors["reg_bt"], PLAN)
    pub = drawn_plan(sup)
    from kuangzheng.access.actor import PUBLIC_ACTOR

    seen = set(plans.plans(PUBLIC_ACTOR).values_list("pk", flat=True))
    assert pub.pk in seen and draft.pk not in seen


def test_plan_outside_scope_and_bad_input_refused(sup):
    with pytest.raises(Forbidden):
        plans.create(sup.actors["reg_qh"], PLAN | {"division": "150200"})
    with pytest.raises(InvalidInput) as e:
        plans.create(sup.actors["reg_bt"], PLAN | {"ratio": 1.5, "per_subject": 1, "seed_source": ""})
    assert {p.field for p in e.value.problems} == {"ratio", "per_subject", "seed_source"}


def test_too_few_inspectors_after_recusal_is_a_clear_error(sup):
    sup.inspectors["hh2"].active = False
    sup.inspectors["hh2"].save()
    reg_bt = sup.actors["reg_bt"]
    plan = plans.create(reg_bt, PLAN)
    plan = plans.publish(reg_bt, plan.pk, plan.version)
    with pytest.raises(InvalidInput) as e:
        plans.run_draw(reg_bt, plan.pk, "1", plan.version)
    assert e.value.problems[0].field == "inspectors"


def test_a_pool_narrowed_by_risk_flags_holds_the_subjects_failing_the_latest_sweep(sup):
    import datetime as dt

    from shapely.geometry import box

    from kuangzheng.access.actor import SYSTEM_ACTOR
    from kuangzheng.compliance import services as compliance
    from kuangzheng.registry import services as registry
    from tests.support.registry import ADMIN

    reg_bt = sup.actors["reg_bt"]
    risky = {**PLAN, "filters": {"kind": "mining", "risk": "fail"}, "ratio": 1}
    with pytest.raises(InvalidInput) as e:  # an unknown flag is refused at once
        plans.create(reg_bt, {**risky, "filters": {"risk": "dangerous"}})
    assert e.value.problems[0].field == "filters.risk"
    plan = plans.create(reg_bt, risky)
    with pytest.raises(InvalidInput) as e:  # no sweep yet: nothing is known about risk
        plans.publish(reg_bt, plan.pk, plan.version)
    assert e.value.problems[0].field == "filters.risk"
    # one of the pool's rights lies in a nature reserve: seed 003 bans mining there, the rule fails it
    x = 110.30
    registry.create(
        ADMIN,
        "zone",
        {
            "code": "Z-150200-J1",
            "name": "包头某自然保护区",
            "kind": "nature_reserve",
            "division": "150200",
            "boundary": box(x - 0.005, 40.995, x + 0.015, 41.015).wkt,
        },
    )
    compliance.run_sweep(SYSTEM_ACTOR, dt.date(2026, 11, 24))
    failing = compliance.flagged("right", "fail")
    everyone = plans.publish(reg_bt, plans.create(reg_bt, PLAN).pk, 1)
    plan = plans.publish(reg_bt, plan.pk, plans.get(reg_bt, plan.pk).version)
    drawn_from = [s["id"] for s in plan.subjects]
    pks = set(registry.records("right").filter(licence_no__in=drawn_from).values_list("pk", flat=True))
    assert pks and pks <= failing  # only subjects the latest sweep failed
    assert 0 < plan.announced["subjects"] < everyone.announced["subjects"]
