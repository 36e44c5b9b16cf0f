"""Plan targets from the catalogue (seed 004's 专栏1 growth columns reproduced from its values),
the plan-evaluation report as HTML and PDF, warnings from rules-as-data, releases and feed."""

import pytest

from kuangzheng.access.actor import Actor
from kuangzheng.monitoring import config, plan, reports, targets, warnings
from kuangzheng.monitoring.models import Release, WarningRecord
from kuangzheng.notices import services as notices

from .helpers import al_line, workbook

ADMIN = Actor("a", "admin")


def test_table_1_growth_columns_reproduced_from_the_catalogue():
    rows = {r["id"]: r for r in targets.stated_growth_checks() if r["id"].endswith("growth_2006_2010")}
    assert len(rows) == 22  # 11 rows (ten metals + total) × production and consumption
    bad = sorted(k for k, r in rows.items() if not r["consistent"])
    # the two the seed gets wrong: zinc output 278 → 516 is 13.2 %/a (stated 13.7); antimony use −1.0 (−0.1)
    assert bad == ["004.stat.consumption.sb.growth_2006_2010", "004.stat.output.zn.growth_2006_2010"]
    assert rows["004.stat.output.al.growth_2006_2010"]["computed_pct"] == pytest.approx(15.12, abs=0.01)


def test_rules_read_their_thresholds_from_the_catalogue():
    rules = {r.id: r for r in config.warning_rules()}
    util = rules["al_utilisation_low"]
    e = config.entry("001.al.capacity_utilisation")
    assert (util.comparison, util.threshold, util.unit) == ("<", float(e.value), e.unit) and e.comparison == ">="
    assert rules["cu_energy_high"].threshold == float(config.entry("004.target.energy.cu").value)


def _qinghai_line_below_80(reg, util):
    from kuangzheng.registry import services
    from tests.support.registry import ADMIN as REG_ADMIN

    ent = services.create(REG_ADMIN, "enterprise", {"name": "青海测试铝业", "division": "630000"})
    fac = al_line(reg, division="630000", enterprise=ent)
    pk = reports.upload(
        ADMIN,
        "monthly_production",
        workbook([[f"KZF-{fac.pk}", "2019-05", "铝", round(500000 / 12 * util), 500000, 480000, 40000, 5400, None]]),
        submit=True,
    )["reports"][0]["id"]
    reports.transition(ADMIN, pk, "accept")
    return pk


def test_utilisation_warning_history_ack_and_release(reg, client):
    _qinghai_line_below_80(reg, 0.7)
    assert warnings.evaluate(ADMIN)["new"] >= 1
    w = WarningRecord.objects.get(rule_id="al_utilisation_low", division="630000", period="2019-05")
    assert w.value == pytest.approx(0.7, abs=1e-3) and w.threshold == pytest.approx(0.8)
    assert w.citation_id == "001.al.capacity_utilisation"
    warnings.acknowledge(ADMIN, w.pk, "已约谈企业")
    rel = warnings.publish(ADMIN, "2019")
    assert any(i["rule_id"] == "al_utilisation_low" for i in rel.items)
    page = client.get(f"/monitoring/releases/{rel.pk}/").content.decode()
    assert "电解铝产能利用率低于" in page
    feed = client.get("/monitoring/releases/feed.xml")
    assert feed["Content-Type"].startswith("application/atom+xml") and rel.number in feed.content.decode()
    assert Release.objects.count() == 1
    (n,) = notices.current(f"monitoring.Release:{rel.pk}")  # and on the one board of public notices
    assert n.kind == "warning_release" and rel.number in n.title_zh and n.url == f"/monitoring/releases/{rel.pk}/"


def test_no_warning_at_utilisation_above_the_threshold(reg):
    _qinghai_line_below_80(reg, 0.9)
    warnings.evaluate(ADMIN)
    assert not WarningRecord.objects.filter(rule_id="al_utilisation_low").exists()


def test_plan_report_html_and_pdf(reg, client):
    _qinghai_line_below_80(reg, 0.7)
    r = client.get("/monitoring/plan/?year=2019")
    html = r.content.decode()
    assert r.status_code == 200 and "年度规划实施评估" in html
    assert html.count('class="target-row"') == len(targets.numeric_targets())
    row = next(x for x in plan.context(2019, ADMIN)["targets"] if x["id"] == "001.al.capacity_utilisation")
    assert row["status"] == "not_met" and row["actuals"] == [pytest.approx(70.0, abs=0.1)]
    # the public does not see a figure of one enterprise
    public = next(x for x in plan.context(2019)["targets"] if x["id"] == "001.al.capacity_utilisation")
    assert public["status"] == "withheld" and public["actuals"] == [] and public["projection"] is None
    assert "少于3家企业，不予公开" in html
    if plan.cjk_font() is None:
        assert client.get("/monitoring/plan.pdf").status_code == 503
        pytest.skip("no CJK font (apt-get install fonts-noto-cjk): the PDF is refused with 503, as tested")
    pdf = client.get("/monitoring/plan.pdf?year=2019")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and len(pdf.content) > 20000
