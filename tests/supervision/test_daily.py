"""The daily job: alerts raised once per key, resolved when gone, an inbox per scope, an e-mail
digest, a dashboard; a source registered from outside is run too; the task runs it in place."""

import datetime as dt

from shapely.geometry import box

from kuangzheng.registry import services as registry
from kuangzheng.supervision import alerts, enforcement, reports
from kuangzheng.supervision.core.alerts import Alert
from kuangzheng.supervision.models import Alert as Stored
from tests.support.registry import ADMIN, right_data

D = dt.date


def _exploration(sup, licence, valid_from, valid_to, obtained_by="application", x=110.6):
    return registry.create(
        ADMIN,
        "right",
        right_data(
            licence,
            sup.a.pk,
            "150200",
            box(x, 41.2, x + 0.05, 41.25),
            kind="exploration",
            valid_from=valid_from,
            valid_to=valid_to,
            obtained_by=obtained_by,
            designed_scale=None,
            designed_scale_unit="",
            elevation_top=None,
            elevation_bottom=None,
        ),
        first_event={"kind": "granted", "date": valid_from},
    )


def _keys(kind):
    return set(Stored.objects.filter(kind=kind, resolved_on=None).values_list("key", flat=True))


def test_expiry_alerts_90_then_30_then_resolved_on_renewal(sup):
    r = _exploration(sup, "T15020020210100001", "2021-03-01", "2027-02-28")
    alerts.run_daily(D(2026, 11, 30))  # 90 days before
    (k90,) = [k for k in _keys("right_expiring") if f":{r.pk}:" in k]
    again = alerts.run_daily(D(2026, 12, 1))
    assert again["new"] == 0 and k90 in _keys("right_expiring")  # the same alert is not raised twice
    assert Stored.objects.filter(key=k90).count() == 1
    alerts.run_daily(D(2027, 1, 29))  # 30 days before: a new alert, the 90-day one resolved
    assert any(k.endswith(":30") and f":{r.pk}:" in k for k in _keys("right_expiring")) and k90 not in _keys(
        "right_expiring"
    )
    registry.add_event(ADMIN, r.pk, {"kind": "renewed", "date": "2027-02-01", "valid_to": "2029-02-28"}, r.version)
    alerts.run_daily(D(2027, 2, 2))
    assert not [k for k in _keys("right_expiring") if f":{r.pk}:" in k]


def test_contract_five_years_for_tendered_exploration(sup):
    r = _exploration(sup, "T15020020200200002", "2020-02-29", "2027-02-28", obtained_by="tender", x=110.7)
    alerts.run_daily(D(2024, 12, 1))  # 2025-02-28 is the fifth anniversary of a leap day
    (a,) = Stored.objects.filter(kind="contract_five_years", source=f"registry.MineralRight:{r.pk}")
    assert a.due == D(2025, 2, 28)


def test_work_report_alerts(sup, settings):
    r = _exploration(sup, "T15020020200300003", "2020-03-01", "2025-03-01", x=110.8)
    settings.KZ_START_REPORT_DAYS = None
    alerts.run_daily(D(2020, 12, 1))
    assert not _keys("start_report_missing")  # off: no seed gives the period
    settings.KZ_START_REPORT_DAYS = 180
    alerts.run_daily(D(2020, 12, 1))
    assert _keys("start_report_missing") == {f"start_report_missing:{r.pk}"}
    reports.file_work_report(sup.actors["ent_a"], r.pk, "start", "2020-12-02")
    alerts.run_daily(D(2025, 3, 2))
    assert not _keys("start_report_missing") and _keys("finish_report_missing") == {f"finish_report_missing:{r.pk}"}
    reports.file_work_report(sup.actors["ent_a"], r.pk, "finish", "2025-03-02")
    alerts.run_daily(D(2025, 3, 3))
    assert not _keys("finish_report_missing")


def test_zombie_investment_test_needs_a_configured_minimum(sup, settings):
    r = _exploration(sup, "T15020020200400004", "2021-01-01", "2030-01-01", x=110.9)
    settings.KZ_MIN_EXPLORATION_INVESTMENT = None
    alerts.run_daily(D(2023, 6, 1))
    assert f"zombie_right:{r.pk}" not in _keys("zombie_right")
    settings.KZ_MIN_EXPLORATION_INVESTMENT = 1000.0
    reports.file_investment(sup.actors["ent_a"], r.pk, 2021, 10**9)
    alerts.run_daily(D(2023, 6, 1))  # 2022 has no report
    assert f"zombie_right:{r.pk}" in _keys("zombie_right")


def test_the_statute_setting_applies_the_regulation_with_its_source(sup, settings):
    from kuangzheng.supervision import zombies

    rule = zombies.statute()
    assert "国务院令第240号" in rule["source"] and "第十七条" in rule["source"]
    for figure in ("每平方公里2000元", "每平方公里5000元", "每平方公里10000元", "可以计入下一个勘查年度"):
        assert figure in rule["quote"].replace("\n", "").replace(" ", "")
    settings.KZ_MIN_EXPLORATION_INVESTMENT = "statute"
    assert zombies.minimum_investment() == zombies.core.MinimumInvestment((2000.0, 5000.0, 10000.0), carry_over=True)
    r = _exploration(sup, "T15020020200400014", "2021-01-01", "2030-01-01", x=110.95)
    area = float(r.area_km2)
    reports.file_investment(sup.actors["ent_a"], r.pk, 2021, 2000 * area + 5000 * area)  # years 1 and 2 in one
    alerts.run_daily(D(2023, 1, 1))
    assert f"zombie_right:{r.pk}" not in _keys("zombie_right")
    alerts.run_daily(D(2024, 1, 1))  # year 3 (2023) reported nothing
    assert f"zombie_right:{r.pk}" in _keys("zombie_right")


def test_inbox_scopes_digest_and_dashboard(sup):
    from django.core import mail

    sup.users["reg_bt"].email = "bt@example.test"
    sup.users["reg_bt"].save()
    sup.users["reg_qh"].email = "qh@example.test"
    sup.users["reg_qh"].save()
    _exploration(sup, "T15020020210500005", "2021-03-01", "2027-01-15")
    out = alerts.run_daily(D(2026, 12, 1))
    assert out["mailed"] == 1 and [m.to for m in mail.outbox] == [["bt@example.test"]]
    assert "T15020020210500005" in mail.outbox[0].body
    assert alerts.inbox(sup.actors["reg_bt"]).count() >= 1 and alerts.inbox(sup.actors["reg_qh"]).count() == 0
    assert alerts.inbox(sup.actors["ent_a"]).filter(kind="right_expiring").count() == 1
    dash = alerts.dashboard(sup.actors["reg_bt"])
    assert {"division": "150200", "kind": "right_expiring", "count": 1} in dash["alerts"]


def test_a_registered_source_runs_and_its_alerts_resolve(sup):
    raised = {"on": True}

    @alerts.source(("test_kind", "测试", "test"))
    def extra(today):
        if raised["on"]:
            yield Alert("test_kind", "test_kind:1", "x.Y:1", "150200", today, "测", "t")

    try:
        alerts.run_daily(D(2026, 12, 1))
        assert _keys("test_kind") == {"test_kind:1"}
        raised["on"] = False
        alerts.run_daily(D(2026, 12, 2))
        assert not _keys("test_kind")
    finally:
        alerts.SOURCES.pop(extra.__module__ + "." + extra.__name__)


def test_the_task_runs_the_job_in_place_with_the_immediate_backend(sup):
    from kuangzheng.supervision.tasks import daily

    result = daily.enqueue("2026-12-01")
    assert result.return_value["raised"] >= 0 and str(result.status).endswith("SUCCESSFUL")


def test_overdue_escalation_is_part_of_the_job(sup):
    reg = sup.actors["reg_bt"]
    case = enforcement.record_finding(reg, {"enterprise": sup.a.pk, "description": "问题"})
    enforcement.act(reg, case.pk, "order_rectification", {"version": 1, "deadline": "2026-12-10"}, on=D(2026, 12, 1))
    alerts.run_daily(D(2026, 12, 5))
    assert _keys("order_deadline")
    alerts.run_daily(D(2026, 12, 11))
    case.refresh_from_db()
    assert case.state == "overdue" and _keys("order_overdue") and not _keys("order_deadline")


def test_an_alert_resolved_then_raised_again_is_reopened_not_duplicated(sup):
    calls = {"n": 0}

    @alerts.source(("flip", "测试", "test"))
    def flip(today):
        calls["n"] += 1
        if calls["n"] != 2:
            yield Alert("flip", "flip:1", "x.Y:1", "150200", today, "测", "t")

    try:
        alerts.run_daily(D(2026, 12, 1))
        alerts.run_daily(D(2026, 12, 2))
        assert not _keys("flip")
        alerts.run_daily(D(2026, 12, 3))
        assert _keys("flip") == {"flip:1"} and Stored.objects.filter(key="flip:1").count() == 1
    finally:
        alerts.SOURCES.pop(flip.__module__ + "." + flip.__name__)
