"""Plans, phases and acceptance through the service layer: scopes, clear errors, the M53 checklist."""

import pytest

from kuangzheng.errors import Forbidden, InvalidInput, NotFound, StaleVersion
from kuangzheng.restoration import services
from kuangzheng.restoration.models import Plan

from .helpers import PASS, PDF, actor, approved_plan


def test_plan_gets_one_phase_per_three_year_cycle(reg):
    p = approved_plan(reg, 2024, 2031)
    assert [(ph.start_year, ph.end_year) for ph in p.phases.order_by("seq")] == [
        (2024, 2026),
        (2027, 2029),
        (2030, 2031),
    ]
    assert p.state == "approved" and p.notice_ends_on is not None


def test_bad_plan_input_names_every_field(reg):
    with pytest.raises(InvalidInput) as e:
        services.create_plan(
            actor(reg, "ent_a"), {"right": reg.r_bt.pk, "title": "", "first_year": "x", "last_year": 1800}
        )
    fields = {p.field for p in e.value.problems}
    assert fields == {"title", "first_year", "last_year"}
    assert all(p.zh and p.en for p in e.value.problems)
    assert not Plan.objects.exists()


def test_only_the_holder_or_staff_in_scope_submit(reg):
    with pytest.raises(InvalidInput):  # reg_qh does not even see the right
        services.create_plan(
            actor(reg, "reg_qh"), {"right": reg.r_bt.pk, "title": "x", "first_year": 2024, "last_year": 2026}
        )
    with pytest.raises(Forbidden):  # enterprise a does not hold the Hohhot right
        services.create_plan(
            actor(reg, "ent_a"), {"right": reg.r_hh.pk, "title": "x", "first_year": 2024, "last_year": 2026}
        )


def test_document_must_be_a_pdf_and_review_needs_it(reg):
    ent = actor(reg, "ent_a")
    p = services.create_plan(ent, {"right": reg.r_bt.pk, "title": "方案", "first_year": 2024, "last_year": 2026})
    with pytest.raises(InvalidInput) as e:
        services.attach(ent, p.pk, "plan.pdf", b"MZ\x90\x00 not a pdf")
    assert e.value.problems[0].field == "file"
    with pytest.raises(InvalidInput) as e:
        services.act(actor(reg, "reg_bt"), p.pk, "review", p.version)
    assert e.value.problems[0].field == "documents"
    services.attach(ent, p.pk, "plan.pdf", PDF)
    with pytest.raises(Forbidden):
        services.act(ent, p.pk, "review", p.version)
    with pytest.raises(StaleVersion):
        services.act(actor(reg, "reg_bt"), p.pk, "review", p.version + 5)
    with pytest.raises(InvalidInput):  # approve before the notice
        services.act(actor(reg, "reg_bt"), p.pk, "approve", p.version)


def test_public_sees_plans_from_their_notice_on(reg):
    from kuangzheng.access.actor import PUBLIC_ACTOR

    ent = actor(reg, "ent_a")
    p = services.create_plan(ent, {"right": reg.r_bt.pk, "title": "方案", "first_year": 2024, "last_year": 2026})
    with pytest.raises(NotFound):
        services.get_plan(PUBLIC_ACTOR, p.pk)
    approved = approved_plan(reg)
    d = services.plan_dict(services.get_plan(PUBLIC_ACTOR, approved.pk), PUBLIC_ACTOR)
    assert "documents" not in d and "responsibility_letter_ref" not in d


def test_failed_quality_item_blocks_acceptance_then_correction_is_accepted(reg):
    p = approved_plan(reg)
    ph = p.phases.get(seq=1)
    ent, staff = actor(reg, "ent_a"), actor(reg, "reg_bt")
    ph = services.plan_phase(
        ent,
        ph.pk,
        {
            "version": ph.version,
            "planned": {"grassland": {"damaged": 12, "reclaimed": 11}},
            "cost_estimate": "250000.00",
        },
    )
    actual = {"grassland": {"damaged": 12.5, "reclaimed": 12.0}}
    ph = services.report_phase(ent, ph.pk, {"version": ph.version, "actual": actual})
    with pytest.raises(InvalidInput) as e:  # unanswered items: nothing written
        services.accept_phase(staff, ph.pk, {"version": ph.version, "checklist": {"topsoil_kept": True}})
    assert {x.field for x in e.value.problems} >= {"checklist.toxic_material_used"}
    with pytest.raises(Forbidden):
        services.accept_phase(ent, ph.pk, {"version": ph.version, "checklist": PASS})
    acc = services.accept_phase(
        staff, ph.pk, {"version": ph.version, "checklist": {**PASS, "toxic_material_used": True}}
    )
    ph.refresh_from_db()
    assert not acc.passed and acc.failures[0]["field"] == "checklist.toxic_material_used" and ph.state == "planned"
    ph = services.report_phase(ent, ph.pk, {"version": ph.version, "actual": actual})
    acc = services.accept_phase(staff, ph.pk, {"version": ph.version, "checklist": PASS})
    ph.refresh_from_db()
    assert acc.passed and ph.state == "accepted" and ph.acceptances.count() == 2


def test_bad_areas_are_named(reg):
    p = approved_plan(reg)
    ph = p.phases.get(seq=1)
    with pytest.raises(InvalidInput) as e:
        services.report_phase(
            actor(reg, "ent_a"),
            ph.pk,
            {
                "version": ph.version,
                "actual": {"moon": {"damaged": 1}, "grassland": {"damaged": -1, "eaten": 2, "reclaimed": "x"}},
            },
        )
    assert {x.field for x in e.value.problems} == {
        "actual.moon",
        "actual.grassland.damaged",
        "actual.grassland.eaten",
        "actual.grassland.reclaimed",
    }


def test_the_plan_notice_is_on_the_public_board(reg):
    from kuangzheng.notices import services as notices

    p = approved_plan(reg)
    [n] = notices.current(f"restoration.Plan:{p.pk}")
    assert n.kind == "restoration_plan_notice" and n.division == "150200" and reg.r_bt.licence_no in n.body_zh
    assert n.ends_on == p.notice_ends_on and n.url == f"/restoration/plans/{p.pk}/"


def test_an_oversized_document_is_refused_naming_the_limit(reg, settings, monkeypatch):
    ent = actor(reg, "ent_a")
    p = services.create_plan(ent, {"right": reg.r_bt.pk, "title": "方案", "first_year": 2024, "last_year": 2026})
    monkeypatch.setenv("KZ_MAX_UPLOAD_BYTES", "100")
    with pytest.raises(InvalidInput) as e:
        services.attach(ent, p.pk, "plan.pdf", PDF + b"0" * 200)
    assert e.value.problems[0].field == "file" and "100" in e.value.problems[0].zh
    assert not p.documents.exists()
