"""M74: a year's plan-implementation report published by the jurisdiction's regulator goes on the
notice board (page, API, Atom feed) in the same transaction, audited; withdrawing marks both; a
prefecture regulator, an enterprise and the public cannot publish; nothing is half-written. A plan
adjustment is publicised for comment, approved only after its publicity, and announced."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from kuangzheng.access.actor import Actor
from kuangzheng.audit.models import AuditEntry
from kuangzheng.errors import Forbidden, InvalidInput, NotFound, StaleVersion
from kuangzheng.monitoring import adjustments, planpub
from kuangzheng.monitoring.models import PlanAdjustment, PlanPublication
from kuangzheng.notices import services as notices
from kuangzheng.notices.models import Notice

ATOM = "{http://www.w3.org/2005/Atom}"
J = "application/json"
REG_IM = Actor("u-reg-im", "regulator", division_code="150000")
REG_BT = Actor("u-reg-bt", "regulator", division_code="150200")


def test_publish_puts_the_report_on_the_board_the_feed_and_the_api(reg, client):
    p = planpub.publish(REG_IM, 2019)
    [n] = notices.current(planpub.source(p))
    assert n.kind == "plan_report_publication" and n.url == "/monitoring/plan/?year=2019" and n.division == "15"
    assert "2019年度" in n.title_zh and sum(p.counts.values()) > 0
    assert AuditEntry.objects.filter(entity="plan-report", entity_id=str(p.pk), action="publish").exists()

    assert (
        "2019年度矿产资源规划实施情况评估报告"
        in client.get("/public-notices/?kind=plan_report_publication").content.decode()
    )
    feed = ET.fromstring(client.get("/public-notices/feed.atom?kind=plan_report_publication").content)
    assert [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")] == [n.title_zh]
    api = client.get("/api/v1/notices?kind=plan_report_publication").json()
    assert [i["id"] for i in api["items"]] == [n.pk]
    listed = client.get("/api/v1/monitoring/plan/publications").json()
    assert [(d["year"], d["withdrawn"]) for d in listed] == [(2019, False)]
    # the link works: that year's report page
    assert client.get(n.url).status_code == 200


def test_a_year_is_published_once_until_withdrawn(reg):
    p = planpub.publish(REG_IM, 2019)
    with pytest.raises(InvalidInput) as err:
        planpub.publish(REG_IM, 2019)
    assert err.value.problems[0].field == "year"
    assert Notice.objects.filter(kind="plan_report_publication").count() == 1  # the refused one left nothing

    planpub.withdraw(REG_IM, p.pk, "指标数据有误，更正后重新发布", "a figure was wrong")
    p.refresh_from_db()
    assert p.withdrawn_at is not None and p.withdraw_reason_zh.startswith("指标数据有误")
    [n] = Notice.objects.filter(source=planpub.source(p))
    assert n.withdrawn_at is not None and n.withdraw_reason_en == "a figure was wrong"
    again = planpub.publish(REG_IM, 2019)
    assert again.pk != p.pk and len(notices.current(planpub.source(again))) == 1
    with pytest.raises(NotFound):
        planpub.withdraw(REG_IM, p.pk, "再次撤回")  # already withdrawn


def test_withdraw_needs_a_reason_and_leaves_nothing_half_done(reg):
    p = planpub.publish(REG_IM, 2019)
    with pytest.raises(InvalidInput):
        planpub.withdraw(REG_IM, p.pk, "  ")
    p.refresh_from_db()
    assert p.withdrawn_at is None and len(notices.current(planpub.source(p))) == 1


@pytest.mark.parametrize("year", ["", "20x9", 1999, 3000, None])
def test_a_bad_year_is_named(reg, year):
    with pytest.raises(InvalidInput) as err:
        planpub.publish(REG_IM, year)
    assert err.value.problems[0].field == "year" and not PlanPublication.objects.exists()


def test_only_staff_covering_the_jurisdiction_publish_and_withdraw(reg):
    for actor in (REG_BT, Actor("u-reg-qh", "regulator", division_code="630000"), Actor("e", "enterprise")):
        with pytest.raises(Forbidden):
            planpub.publish(actor, 2019)
    p = planpub.publish(Actor("u-admin", "admin"), 2019)
    with pytest.raises(Forbidden):
        planpub.withdraw(REG_BT, p.pk, "无权撤回")
    assert not PlanPublication.objects.exclude(pk=p.pk).exists() and p.withdrawn_at is None


# --- plan adjustments: publicity before approval, announcement after (M74) ---------------------

TODAY = dt.date(2026, 3, 2)


def _adjustment(reg, **kw):
    raw = {
        "title_zh": "新增开采规划区块 <b>",
        "title_en": "A new mining planning block",
        "summary_zh": "拟新增一个铜矿开采规划区块",
        "zones": [reg.zone.code],
        "publicity_ends_on": "2026-03-31",
        **kw,
    }
    return adjustments.propose(REG_IM, raw, today=TODAY)


def test_an_adjustment_is_publicised_then_approved_and_announced(reg, client):
    a = _adjustment(reg)
    [pub] = notices.current(adjustments.source(a))
    assert (
        pub.kind == "plan_adjustment_publicity" and pub.ends_on == dt.date(2026, 3, 31) and reg.zone.code in pub.body_zh
    )
    with pytest.raises(InvalidInput) as err:  # not while the publicity runs
        adjustments.approve(REG_IM, a.pk, "内自然资发〔2026〕1号", today=dt.date(2026, 3, 31))
    assert err.value.problems[0].field == "publicity_ends_on"
    with pytest.raises(InvalidInput) as err:
        adjustments.approve(REG_IM, a.pk, " ", today=dt.date(2026, 4, 1))
    assert err.value.problems[0].field == "approval_no"
    a = adjustments.approve(REG_IM, a.pk, "内自然资发〔2026〕1号", version=a.version, today=dt.date(2026, 4, 1))
    assert a.state == "approved" and a.approved_on == dt.date(2026, 4, 1)
    kinds = sorted(n.kind for n in Notice.objects.filter(source=adjustments.source(a)))
    assert kinds == ["plan_adjustment_approval", "plan_adjustment_publicity"]
    assert AuditEntry.objects.filter(entity="plan-adjustment", entity_id=str(a.pk)).count() == 2

    feed = ET.fromstring(client.get("/public-notices/feed.atom").content)
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert "规划调整公告：新增开采规划区块 <b>" in titles and "规划调整公示：新增开采规划区块 <b>" in titles
    page = client.get("/public-notices/?kind=plan_adjustment_approval").content.decode()
    assert "新增开采规划区块 &lt;b&gt;" in page and "新增开采规划区块 <b>" not in page
    assert client.get(pub.url).json()["state"] == "approved"
    with pytest.raises(InvalidInput):
        adjustments.withdraw(REG_IM, a.pk, "已批准的不能撤回")


def test_an_adjustment_withdrawn_stays_on_the_board_marked(reg):
    a = _adjustment(reg)
    with pytest.raises(StaleVersion):
        adjustments.withdraw(REG_IM, a.pk, "撤回", version=a.version + 1)
    a = adjustments.withdraw(REG_IM, a.pk, "区块与保护区重叠，撤回", "overlaps a protected area", version=a.version)
    [n] = Notice.objects.filter(source=adjustments.source(a))
    assert a.state == "withdrawn" and n.withdrawn_at is not None and n.withdraw_reason_zh.startswith("区块与保护区")
    with pytest.raises(InvalidInput):
        adjustments.approve(REG_IM, a.pk, "文号", today=dt.date(2026, 5, 1))


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title_zh": ""}, "title_zh"),
        ({"zones": ["NO-SUCH-BLOCK"]}, "zones"),
        ({"zones": "K-1"}, "zones"),
        ({"publicity_ends_on": "2026-03-02"}, "publicity_ends_on"),
        ({"publicity_ends_on": "soon"}, "publicity_ends_on"),
    ],
)
def test_a_bad_adjustment_names_its_field_and_writes_nothing(reg, change, field):
    with pytest.raises(InvalidInput) as err:
        _adjustment(reg, **change)
    assert field in {p.field for p in err.value.problems}
    assert not PlanAdjustment.objects.exists() and not Notice.objects.exists()


def test_only_the_jurisdictions_staff_propose_approve_and_withdraw(reg):
    for actor in (REG_BT, Actor("e", "enterprise", enterprise_id=reg.a.pk)):
        with pytest.raises(Forbidden):
            adjustments.propose(actor, {"title_zh": "x"}, today=TODAY)
    a = _adjustment(reg)
    with pytest.raises(Forbidden):
        adjustments.approve(REG_BT, a.pk, "文号", today=dt.date(2026, 5, 1))
    with pytest.raises(Forbidden):
        adjustments.withdraw(REG_BT, a.pk, "无权撤回")
    a.refresh_from_db()
    assert a.state == "publicity"
