"""Every list's entry and removal rule through the services, on the real database: entry on a
decision with reasons and basis, the term's end (removal or escalation), removal on repair (refused
where the list allows none), revocation, proposals, history kept, every step audited, scopes."""

import pytest

from kuangzheng.audit.models import AuditEntry
from kuangzheng.credit import services
from kuangzheng.credit.models import ListEntry
from kuangzheng.errors import Forbidden, InvalidInput, NotFound

from .helpers import D, actors, enter

pytestmark = pytest.mark.django_db
DAY = D(2026, 3, 15)


def _problems(exc) -> dict:
    return {p.field: (p.zh, p.en) for p in exc.value.problems}


def test_entry_on_a_decision_records_reason_basis_term_and_audit(reg):
    e = enter(reg, entered_on=DAY, today=DAY, source="supervision.Case:42")
    assert (e.status, e.entered_on, e.last_day) == ("listed", DAY, D(2029, 3, 15))
    assert e.decided_by == "u-reg-bt" and e.division == "150200"
    assert "68号" in e.basis  # the reason's source when the decision names none
    assert e.source == "supervision.Case:42"
    a = AuditEntry.objects.get(entity="credit.ListEntry", entity_id=str(e.pk))
    assert a.action == "credit-enter" and a.after["list_key"] == "abnormal"
    assert [s["list_key"] for s in services.standing(reg.a.pk, DAY)] == ["abnormal"]
    assert services.standing(reg.a.pk, D(2026, 3, 14)) == []  # not before its day
    assert services.standing(reg.b.pk, DAY) == []


def test_a_basis_given_by_the_decision_is_kept(reg):
    e = enter(reg, "serious_dishonesty", "decided_violation", basis="某某行政处罚决定书", entered_on=DAY, today=DAY)
    assert e.basis == "某某行政处罚决定书" and e.last_day == D(2031, 3, 15)


def test_bad_input_names_every_field(reg):
    with pytest.raises(InvalidInput) as exc:
        services.enter(actors(reg)["reg_bt"], "nope", reg.a.pk, "x", detail_zh=" ", entered_on="2026-13-01")
    p = _problems(exc)
    assert set(p) == {"list", "detail_zh", "entered_on"}
    assert "未知名单" in p["list"][0] and "unknown list" in p["list"][1]
    with pytest.raises(InvalidInput) as exc:
        services.enter(actors(reg)["reg_bt"], "abnormal", reg.a.pk, "falsified_data", detail_zh="x")
    assert "不是该名单的列入事由" in _problems(exc)["reason"][0]
    with pytest.raises(InvalidInput) as exc:
        enter(reg, entered_on=D(2026, 3, 16), today=DAY)
    assert "entered_on" in _problems(exc)
    with pytest.raises(InvalidInput) as exc:
        services.enter(actors(reg)["reg_bt"], "abnormal", "abc", "unreachable", detail_zh="x")
    assert "enterprise" in _problems(exc)
    assert not ListEntry.objects.exists()  # nothing half-written


def test_a_holder_is_not_entered_twice_on_one_list(reg):
    enter(reg, entered_on=DAY, today=DAY)
    with pytest.raises(InvalidInput) as exc:
        enter(reg, reason="false_filing", entered_on=D(2026, 4, 1), today=D(2026, 4, 1))
    assert "已于 2026-03-15 列入此名单" in _problems(exc)["list"][0]
    enter(reg, "geodata_blacklist", "data_not_submitted", entered_on=DAY, today=DAY)  # another list: fine


def test_two_regulators_listing_one_holder_at_once_make_one_entry(reg, monkeypatch):
    """Both pass the service's check before either writes (the check is bypassed to force that
    interleaving): the database's constraint refuses the second with the same message, nothing half-written."""
    enter(reg, entered_on=DAY, today=DAY)
    monkeypatch.setattr(services, "_not_listed_already", lambda *a: None)
    with pytest.raises(InvalidInput) as e:
        enter(reg, reason="false_filing", entered_on=DAY, today=DAY)
    assert e.value.problems[0].field == "list"
    assert ListEntry.objects.filter(enterprise=reg.a, list_key="abnormal").count() == 1


def test_scopes(reg):
    a = actors(reg)
    with pytest.raises(NotFound):
        enter(reg, role="reg_qh")  # Qinghai's regulator: the holder is outside the scope
    with pytest.raises(NotFound):
        enter(reg, role="reg_bt", enterprise=reg.b)  # Hohhot's enterprise, Baotou's regulator
    with pytest.raises(Forbidden):
        services.enter(a["ent_a"], "abnormal", reg.a.pk, "unreachable", detail_zh="x")
    e = enter(reg, role="reg_im", enterprise=reg.b, entered_on=DAY, today=DAY)  # the region covers Hohhot
    with pytest.raises(NotFound):
        services.remove(a["reg_bt"], e.pk, "repair", "已整改")
    with pytest.raises(NotFound):
        services.get(a["reg_qh"], e.pk, on=D(2099, 1, 1))  # not current then, not in scope


def test_abnormal_list_term_ends_in_escalation_to_the_serious_list(reg):
    e = enter(reg, entered_on=D(2026, 2, 28), today=D(2026, 2, 28))
    assert e.last_day == D(2029, 2, 28)
    assert services.expire(D(2029, 2, 28)) == []  # the last day still counts
    assert [s["list_key"] for s in services.standing(reg.a.pk, D(2029, 2, 28))] == ["abnormal"]
    [ended] = services.expire(D(2029, 3, 1))
    ended.refresh_from_db()
    assert (ended.status, ended.removal_kind, ended.removed_on) == ("removed", "escalated", D(2029, 3, 1))
    nxt = ended.followed_by
    assert (nxt.list_key, nxt.status, nxt.reason) == ("serious_dishonesty", "proposed", "abnormal_three_years")
    assert nxt.source == f"credit.ListEntry:{e.pk}"
    assert services.standing(reg.a.pk, D(2029, 3, 1)) == []  # a proposal is not yet in force
    assert services.expire(D(2029, 3, 2)) == []  # idempotent
    confirmed = services.confirm(actors(reg)["reg_im"], nxt.pk, version=nxt.version, today=D(2029, 3, 5))
    assert (confirmed.entered_on, confirmed.last_day) == (D(2029, 3, 5), D(2034, 3, 5))
    assert [s["list_key"] for s in services.standing(reg.a.pk, D(2029, 3, 5))] == ["serious_dishonesty"]
    actions = list(
        AuditEntry.objects.filter(entity="credit.ListEntry").order_by("seq").values_list("action", flat=True)
    )
    assert actions == ["credit-enter", "credit-propose", "credit-term-end", "credit-confirm"]


def test_serious_list_is_left_automatically_after_five_years_and_not_on_repair(reg):
    e = enter(reg, "serious_dishonesty", "decided_violation", entered_on=D(2024, 2, 29), today=D(2024, 2, 29))
    assert e.last_day == D(2029, 2, 28)
    with pytest.raises(InvalidInput) as exc:
        services.remove(actors(reg)["reg_bt"], e.pk, "repair", "已整改", today=D(2025, 1, 1))
    assert "期满前不因修复移出" in _problems(exc)["kind"][0]
    [ended] = services.expire(D(2029, 3, 1))
    ended.refresh_from_db()
    assert (ended.removal_kind, ended.removed_on, ended.followed_by) == ("term", D(2029, 3, 1), None)
    assert services.standing(reg.a.pk, D(2029, 3, 1)) == []
    assert [s["id"] for s in services.standing(reg.a.pk, D(2029, 2, 28))] == [e.pk]  # history answers the past


def test_serious_list_entry_made_in_error_is_revoked(reg):
    e = enter(reg, "serious_dishonesty", "decided_violation", entered_on=DAY, today=DAY)
    r = services.remove(actors(reg)["reg_bt"], e.pk, "revoked", "认定有误", "entered in error", today=D(2026, 4, 1))
    assert (r.status, r.removal_kind, r.removed_on, r.removed_by) == ("removed", "revoked", D(2026, 4, 1), "u-reg-bt")


@pytest.mark.parametrize(
    "list_key, reason",
    [
        ("exploration_blacklist", "falsified_data"),
        ("geodata_blacklist", "data_not_submitted"),
        ("three_rate_negative", "three_rate_failed"),
    ],
)
def test_lists_without_a_term_stay_until_removed_on_repair(reg, list_key, reason):
    e = enter(reg, list_key, reason, entered_on=DAY, today=DAY)
    assert e.last_day is None
    assert services.expire(D(2046, 1, 1)) == []  # twenty years on: still listed
    assert [s["list_key"] for s in services.standing(reg.a.pk, D(2046, 1, 1))] == [list_key]
    services.request_removal(actors(reg)["ent_a"], e.pk, "已按规定整改")
    r = services.remove(actors(reg)["reg_bt"], e.pk, "repair", "核实已整改", today=D(2027, 1, 1))
    assert (r.removal_kind, r.removed_on, r.removal_requested) == ("repair", D(2027, 1, 1), "已按规定整改")
    assert services.standing(reg.a.pk, D(2027, 1, 1)) == []
    assert ListEntry.objects.filter(pk=e.pk).exists()  # history kept


def test_abnormal_list_removal_on_repair_within_its_term(reg):
    e = enter(reg, entered_on=DAY, today=DAY)
    services.remove(actors(reg)["reg_bt"], e.pk, "repair", "已补报并公示", today=D(2027, 5, 1))
    assert services.expire(D(2030, 1, 1)) == []  # removed entries do not escalate


def test_removal_refusals(reg):
    a = actors(reg)
    e = enter(reg, entered_on=DAY, today=DAY)
    with pytest.raises(InvalidInput) as exc:
        services.remove(a["reg_bt"], e.pk, "forgive", "")
    assert set(_problems(exc)) == {"kind", "reason_zh"}
    with pytest.raises(InvalidInput) as exc:
        services.remove(a["reg_bt"], e.pk, "rejected", "不予确认")
    assert "只有拟列入的记录" in _problems(exc)["kind"][0]
    with pytest.raises(Forbidden):
        services.remove(a["ent_a"], e.pk, "repair", "我已整改")
    from kuangzheng.errors import StaleVersion

    with pytest.raises(StaleVersion):
        services.remove(a["reg_bt"], e.pk, "repair", "已整改", version=e.version + 1)
    services.remove(a["reg_bt"], e.pk, "repair", "已整改", version=e.version, today=D(2026, 5, 1))
    with pytest.raises(InvalidInput) as exc:
        services.remove(a["reg_bt"], e.pk, "repair", "再次")
    assert "不在名单上" in _problems(exc)["status"][0]


def test_proposals_are_confirmed_or_rejected_and_never_public(reg):
    a = actors(reg)
    p = services.propose(a["reg_bt"], "three_rate_negative", reg.a.pk, "three_rate_failed", detail_zh="2025年度未达标")
    assert p.status == "proposed" and services.standing(reg.a.pk) == []
    from kuangzheng.access.actor import PUBLIC_ACTOR

    assert not services.entries(PUBLIC_ACTOR).exists()
    assert services.entries(a["ent_a"]).get().pk == p.pk  # the holder sees its own proposal
    r = services.remove(a["reg_bt"], p.pk, "rejected", "复核达标")
    assert (r.status, r.removal_kind, r.entered_on) == ("removed", "rejected", None)
    with pytest.raises(InvalidInput):
        services.confirm(a["reg_bt"], p.pk)


def test_public_sees_current_entries_only_and_staff_the_history(reg):
    from kuangzheng.access.actor import PUBLIC_ACTOR

    a = actors(reg)
    gone = enter(reg, entered_on=DAY, today=DAY)
    services.remove(a["reg_bt"], gone.pk, "repair", "已补报", today=D(2026, 4, 1))
    now = enter(reg, "geodata_blacklist", "data_not_submitted", entered_on=DAY, today=DAY)
    assert [e.pk for e in services.entries(PUBLIC_ACTOR, on=D(2026, 5, 1))] == [now.pk]
    assert {e.pk for e in services.entries(a["reg_bt"], on=D(2026, 5, 1))} == {gone.pk, now.pk}
    assert {e.pk for e in services.entries(a["ent_a"], on=D(2026, 5, 1))} == {gone.pk, now.pk}
    assert [e.pk for e in services.entries(a["reg_qh"], on=D(2026, 5, 1))] == [now.pk]  # what the public sees
    public = services.serialize(PUBLIC_ACTOR, now)
    assert "status" not in public and "removal_requested" not in public
    gone.refresh_from_db()
    assert services.serialize(a["reg_bt"], gone)["removal_kind_zh"] == "信用修复后移出"


def test_only_the_listed_enterprise_asks_for_removal(reg):
    a = actors(reg)
    e = enter(reg, role="reg_im", enterprise=reg.b, entered_on=DAY, today=DAY)
    with pytest.raises(NotFound):
        services.request_removal(a["ent_a"], e.pk, "不是我的")
    with pytest.raises(Forbidden):
        services.request_removal(a["reg_im"], e.pk, "x")
    mine = enter(reg, entered_on=DAY, today=DAY)
    with pytest.raises(InvalidInput):
        services.request_removal(a["ent_a"], mine.pk, "  ")


def test_entries_and_removals_are_announced_on_the_notice_board(reg):
    from kuangzheng.notices import services as board

    e = enter(reg, entered_on=DAY, today=DAY)
    src = f"credit.ListEntry:{e.pk}"
    [n] = board.current(src)
    assert (n.kind, n.division, n.url) == ("credit_list_entry", "150200", f"/credit/entries/{e.pk}/")
    assert "包头甲矿业有限公司 列入异常名录" == n.title_zh and "2029-03-15" in n.body_zh
    services.remove(actors(reg)["reg_bt"], e.pk, "repair", "已补报", today=D(2026, 4, 1))
    [removal] = board.current(src)
    assert removal.kind == "credit_list_removal" and "信用修复后移出" in removal.body_zh
    n.refresh_from_db()
    assert n.withdrawn_at is not None and "移出" in n.withdraw_reason_zh  # kept on the board, marked
    p = services.propose(actors(reg)["reg_bt"], "three_rate_negative", reg.a.pk, "three_rate_failed", detail_zh="x")
    services.remove(actors(reg)["reg_bt"], p.pk, "rejected", "复核达标")
    assert board.current(f"credit.ListEntry:{p.pk}") == []  # a proposal is never announced
    t = enter(reg, "serious_dishonesty", "decided_violation", entered_on=DAY, today=DAY)
    services.expire(D(2031, 3, 16))
    assert [x.kind for x in board.current(f"credit.ListEntry:{t.pk}")] == ["credit_list_removal"]
