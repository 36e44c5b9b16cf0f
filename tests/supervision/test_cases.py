"""Cases through the service layer: finding → order with deadline → overdue → late answer → closure
with a public notice; reopening withdraws it; zombie clean-up cancels the right; every step audited."""

import datetime as dt

import pytest

from kuangzheng.audit.models import AuditEntry
from kuangzheng.errors import Forbidden, InvalidInput, NotFound, StaleVersion
from kuangzheng.notices import services as notices
from kuangzheng.registry import services as registry
from kuangzheng.supervision import alerts, enforcement
from kuangzheng.supervision.models import Case

from .helpers import PDF

D = dt.date


def _finding(sup, **kw):
    return enforcement.record_finding(
        sup.actors["reg_bt"],
        {"enterprise": sup.a.pk, "description": "尾矿库未按设计施工", "entry": kw.pop("entry", ""), **kw},
    )


def test_finding_to_late_answer_to_closure_and_notice(sup):
    reg, ent = sup.actors["reg_bt"], sup.actors["ent_a"]
    case = _finding(sup, on="2026-11-02")
    case = enforcement.act(
        reg,
        case.pk,
        "order_rectification",
        {"version": case.version, "deadline": "2026-11-30", "text": "限期整改"},
        on=D(2026, 11, 2),
    )
    assert case.state == "rectifying"
    assert alerts.run_daily(D(2026, 12, 1))["escalated"] == 1  # the daily job finds the deadline passed
    case.refresh_from_db()
    assert case.state == "overdue"
    case = enforcement.act(ent, case.pk, "answer", {"version": case.version, "text": "已整改"}, on=D(2026, 12, 3))
    order = case.orders.get(kind="rectify")
    assert order.late and order.answered_on == D(2026, 12, 3)
    case = enforcement.act(reg, case.pk, "close", {"version": case.version, "text": "依法关闭"}, on=D(2026, 12, 5))
    assert case.state == "closed" and case.ended_on == D(2026, 12, 5)
    (n,) = notices.current(f"supervision.Case:{case.pk}")
    assert n.kind == "supervision_closure" and sup.a.name in n.title_zh
    actions = list(
        AuditEntry.objects.filter(entity="supervision.case", entity_id=str(case.pk)).values_list("action", flat=True)
    )
    assert actions == ["open", "case:order_rectification", "case:escalate", "case:answer", "case:close"]
    assert [s.action for s in case.steps.order_by("seq")] == ["order_rectification", "escalate", "answer", "close"]


def test_reopen_withdraws_the_notice(sup):
    reg = sup.actors["reg_bt"]
    case = _finding(sup)
    case = enforcement.act(reg, case.pk, "order_stop_work", {"version": case.version, "deadline": "2099-01-01"})
    case = enforcement.act(reg, case.pk, "close", {"version": case.version})
    case = enforcement.act(reg, case.pk, "reopen", {"version": case.version, "note": "复议撤销"})
    assert case.state == "open" and notices.current(f"supervision.Case:{case.pk}") == []
    assert notices.board(kind="supervision_closure").get().withdrawn_at is not None


def test_only_the_enterprise_answers_and_only_staff_verify(sup):
    reg, ent = sup.actors["reg_bt"], sup.actors["ent_a"]
    case = _finding(sup)
    case = enforcement.act(reg, case.pk, "order_rectification", {"version": case.version, "deadline": "2099-01-01"})
    with pytest.raises(InvalidInput):
        enforcement.act(reg, case.pk, "answer", {"version": case.version, "text": "x"})
    with pytest.raises(InvalidInput):
        enforcement.act(ent, case.pk, "answer", {"version": case.version, "text": ""})  # no answer text
    case = enforcement.act(ent, case.pk, "answer", {"version": case.version, "text": "已整改"})
    with pytest.raises(InvalidInput):
        enforcement.act(ent, case.pk, "accept", {"version": case.version})
    with pytest.raises(StaleVersion):
        enforcement.act(reg, case.pk, "accept", {"version": case.version - 1})
    case = enforcement.act(reg, case.pk, "accept", {"version": case.version})
    assert case.state == "rectified" and case.orders.get().verified == "accepted"


def test_scopes(sup):
    case = _finding(sup)
    with pytest.raises(NotFound):
        enforcement.get(sup.actors["reg_qh"], case.pk)
    from kuangzheng.access.actor import PUBLIC_ACTOR

    with pytest.raises(NotFound):
        enforcement.get(PUBLIC_ACTOR, case.pk)  # open cases are not public; closed ones are
    with pytest.raises(Forbidden):
        enforcement.record_finding(sup.actors["reg_qh"], {"enterprise": sup.a.pk, "description": "x"})


def test_deadline_and_entry_are_checked(sup):
    with pytest.raises(InvalidInput) as e:
        _finding(sup, entry="no.such.entry")
    assert e.value.problems[0].field == "entry"
    case = _finding(sup, entry="000.al.new.cell_current")
    assert case.finding.entry == "000.al.new.cell_current"
    with pytest.raises(InvalidInput) as e:
        enforcement.act(sup.actors["reg_bt"], case.pk, "order_rectification", {"version": 1, "deadline": "2020-01-01"})
    assert e.value.problems[0].field == "deadline"


def test_attachments_checked_by_content(sup):
    reg = sup.actors["reg_bt"]
    case = _finding(sup)
    att = enforcement.attach(reg, finding=case.finding.pk, filename="现场.pdf", content=PDF)
    assert att.content_type == "application/pdf" and len(att.sha256) == 64
    with pytest.raises(InvalidInput):
        enforcement.attach(reg, finding=case.finding.pk, filename="x.pdf", content=b"MZ\x90\x00 not a pdf")
    with pytest.raises(NotFound):
        enforcement.attach(sup.actors["reg_qh"], finding=case.finding.pk, filename="x.pdf", content=PDF)


def test_zombie_case_cancels_the_right_and_announces_it(sup):
    reg = sup.actors["reg_bt"]
    from shapely.geometry import box

    from tests.support.registry import ADMIN, right_data

    right = registry.create(
        ADMIN,
        "right",
        right_data(
            "T15020020200100001",
            sup.a.pk,
            "150200",
            box(110.6, 41.2, 110.65, 41.25),
            kind="exploration",
            valid_from="2020-01-01",
            valid_to="2025-01-01",
            obtained_by="application",
            designed_scale=None,
            designed_scale_unit="",
            elevation_top=None,
            elevation_bottom=None,
        ),
        first_event={"kind": "granted", "date": "2020-01-01"},
    )
    from kuangzheng.supervision import zombies

    (z,) = [z for z in zombies.detect(D(2026, 11, 24)) if z["right"] == right.pk]
    case = enforcement.open_zombie_case(reg, right.pk, z["evidence"], on=D(2026, 11, 24))
    case = enforcement.act(
        reg, case.pk, "order_rectification", {"version": case.version, "deadline": "2026-12-24"}, on=D(2026, 11, 24)
    )
    assert alerts.run_daily(D(2026, 12, 25))["escalated"] == 1
    case.refresh_from_db()
    case = enforcement.act(reg, case.pk, "close", {"version": case.version}, on=D(2026, 12, 28))
    right = registry.records("right").get(pk=right.pk)
    assert right.status == "cancelled"
    assert notices.current(f"supervision.Case:{case.pk}")[0].kind == "supervision_zombie_cancellation"
    assert right.pk not in {z["right"] for z in zombies.detect(D(2026, 12, 29))}
    assert Case.objects.get(pk=case.pk).evidence[0]["reason"] == "expired_unrenewed"
