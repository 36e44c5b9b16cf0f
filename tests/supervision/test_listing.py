"""Closure and the credit lists: a case closed because the holder did not rectify puts the holder
on the abnormal list (flagged in its next application), reopening takes it off, a holder already
listed is not listed twice; and the credit domain's daily work runs in the daily job."""

import datetime as dt

from kuangzheng.credit import services as credit
from kuangzheng.supervision import alerts, enforcement
from kuangzheng.supervision.models import Alert

D = dt.date


def _closed(sup, on):
    reg = sup.actors["reg_bt"]
    case = enforcement.record_finding(
        reg, {"enterprise": sup.a.pk, "description": "超标排放未整改", "on": "2026-11-02"}
    )
    case = enforcement.act(
        reg, case.pk, "order_rectification", {"version": case.version, "deadline": "2026-11-30"}, on=D(2026, 11, 2)
    )
    enforcement.escalate_overdue(D(2026, 12, 1))  # the deadline passed unanswered
    case.refresh_from_db()
    return enforcement.act(reg, case.pk, "close", {"version": case.version, "text": "依法关闭"}, on=on)


def test_closure_lists_the_holder_and_reopening_removes_it(sup):
    case = _closed(sup, D(2026, 12, 5))
    (e,) = credit.standing(sup.a.pk, D(2026, 12, 5))
    assert (e["list_key"], e["reason"], e["source"]) == (
        "abnormal",
        "closed_after_failed_rectification",
        f"supervision.Case:{case.pk}",
    )
    verdicts = credit.application_verdicts(sup.a.pk, "new_mining", D(2026, 12, 6))["verdicts"]
    assert [v["effect"] for v in verdicts] == ["flag"]  # the next application sees it
    enforcement.act(
        sup.actors["reg_bt"], case.pk, "reopen", {"version": case.version, "note": "复议撤销"}, on=D(2026, 12, 7)
    )
    assert credit.standing(sup.a.pk, D(2026, 12, 7)) == []


def test_a_holder_already_on_the_list_is_not_listed_twice(sup):
    credit.enter(
        sup.actors["reg_bt"],
        "abnormal",
        sup.a.pk,
        "unreachable",
        detail_zh="无法联系",
        entered_on=D(2026, 12, 1),
        today=D(2026, 12, 1),
    )
    case = _closed(sup, D(2026, 12, 5))
    assert case.state == "closed"
    assert [e["reason"] for e in credit.standing(sup.a.pk, D(2026, 12, 5))] == ["unreachable"]


def test_the_daily_job_runs_the_credit_lists_work(sup):
    p = credit.propose(
        sup.actors["reg_bt"], "abnormal", sup.a.pk, "unreachable", detail_zh="无法联系", today=D(2026, 12, 1)
    )
    alerts.run_daily(D(2026, 12, 2))
    (a,) = Alert.objects.filter(kind="credit_proposal_pending")
    assert a.source == f"credit.ListEntry:{p.pk}" and a.division == sup.a.division_id
