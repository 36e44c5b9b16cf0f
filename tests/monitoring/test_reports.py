"""Upload, validation located by sheet/row/column, the workflow and who sees what; an accepted
report moves the indicators."""

import pytest

from kuangzheng.access.actor import Actor
from kuangzheng.audit.models import AuditEntry
from kuangzheng.errors import Forbidden, InvalidInput, NotFound
from kuangzheng.monitoring import measures, reports
from kuangzheng.monitoring.models import Report

from .helpers import al_line, workbook

ENT_A = lambda reg: Actor("u-ent-a", "enterprise", enterprise_id=reg.a.pk)  # noqa: E731
REG_BT = Actor("u-reg-bt", "regulator", division_code="150200")
REG_QH = Actor("u-reg-qh", "regulator", division_code="630000")


def good_row(fac, period="2020-01", output=40000):
    return [f"KZF-{fac.pk}", period, "铝", output, 500000, 480000, 53000, 7200, 30]


def test_bad_workbook_every_error_located_nothing_saved(reg):
    fac = al_line(reg)
    data = workbook(
        [
            good_row(fac),
            [f"KZF-{fac.pk}", "2020/02", "铝", "四万", 500000, 520000, 53000, 7200, None],
            [f"KZF-{reg.fac_b.pk}", "2020-03", "铝", 1, 1, 1, 1, 1, None],
        ]
    )
    r = reports.upload(ENT_A(reg), "monthly_production", data)
    assert not r["ok"] and r["reports"] == [] and Report.objects.count() == 0
    located = {(e["row"], e["column"]) for e in r["errors"]}
    assert (5, "B") in located  # period not YYYY-MM
    assert (5, "D") in located  # output not a number
    assert (6, "A") in located  # another enterprise's facility
    assert all(e["sheet"] == "数据" and e["message_zh"] and e["message_en"] for e in r["errors"])


def test_upload_submit_return_accept_and_indicators_move(reg):
    fac = al_line(reg)
    ent = ENT_A(reg)
    r = reports.upload(ent, "monthly_production", workbook([good_row(fac)]))
    assert r["ok"] and r["reports"][0]["status"] == "draft"
    pk = r["reports"][0]["id"]
    reports.transition(ent, pk, "submit")
    with pytest.raises(Forbidden):
        reports.transition(ent, pk, "accept")
    with pytest.raises(InvalidInput):
        reports.transition(REG_BT, pk, "return")  # no reason
    reports.transition(REG_BT, pk, "return", reason="用电量偏高，请核实")
    assert Report.objects.get(pk=pk).reasons[0]["reason"] == "用电量偏高，请核实"
    reports.transition(ent, pk, "submit")
    assert measures.table_rows(measures.monthly_tables("province")) == []  # not accepted yet
    reports.transition(REG_BT, pk, "accept")
    util = [
        x for x in measures.table_rows(measures.monthly_tables("province")) if x["indicator"] == "capacity_utilisation"
    ]
    assert util == [dict(util[0], division="150000", metal="al", period="2020-01")]
    assert util[0]["value"] == pytest.approx(40000 / (500000 / 12))
    actions = list(AuditEntry.objects.filter(entity="report", entity_id=str(pk)).values_list("action", flat=True))
    assert actions == ["create", "submit", "return", "submit", "accept"]
    with pytest.raises(InvalidInput):  # an accepted report cannot be overwritten by a new upload
        reports.transition(ent, pk, "submit")
    again = reports.upload(ent, "monthly_production", workbook([good_row(fac, output=1)]))
    assert not again["ok"] and again["errors"][0]["row"] == 4


def test_unit_error_flagged_against_history(reg):
    fac = al_line(reg)
    for _i, month in enumerate(("2019-10", "2019-11", "2019-12")):
        pk = reports.upload(Actor("a", "admin"), "monthly_production", workbook([good_row(fac, month)]), submit=True)[
            "reports"
        ][0]["id"]
        reports.transition(REG_BT, pk, "accept")
    r = reports.upload(ENT_A(reg), "monthly_production", workbook([good_row(fac, "2020-01", output=4)]))
    assert r["ok"]  # a warning does not block
    assert any(w["column"] == "D" and "单位" in w["message_zh"] for w in r["warnings"])


def test_scopes(reg):
    fac = al_line(reg)
    pk = reports.upload(ENT_A(reg), "monthly_production", workbook([good_row(fac)]))["reports"][0]["id"]
    assert reports.get(REG_BT, pk).pk == pk
    for actor in (REG_QH, Actor("x", "enterprise", enterprise_id=reg.b.pk), Actor("p", "public")):
        with pytest.raises(NotFound):
            reports.get(actor, pk)
    with pytest.raises(NotFound):
        reports.transition(REG_QH, pk, "accept")
