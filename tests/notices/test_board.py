"""The public notice board: who may publish, what a notice must carry, withdrawal that keeps the
record, the page, the API and the Atom feed (escaped, withdrawn notices marked), and the applications'
公示 and 公告 landing on it inside their action's transaction."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from kuangzheng.access.actor import PUBLIC_ACTOR
from kuangzheng.applications import services as applications
from kuangzheng.audit import service as audit
from kuangzheng.errors import Forbidden, InvalidInput
from kuangzheng.notices import services as notices
from tests.applications.helpers import CLEAR, actors, filed, review_roles

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ATOM = "{http://www.w3.org/2005/Atom}"


def _notice(actor, **kw):
    data = {
        "kind": "application_notice",
        "source": "applications.Application:1",
        "division": "150200",
        "title_zh": "公示：包头甲铜矿",
        "title_en": "Notice: Baotou copper",
        "body_zh": "公示内容",
        "body_en": "Notice text",
        **kw,
    }
    return notices.publish(actor, **data)


def test_a_regulator_publishes_for_their_division_and_it_is_audited(reg):
    a = actors(reg)
    n = _notice(a["reg_bt"])
    assert [x.pk for x in notices.board()] == [n.pk]
    assert [e.action for e in audit.history("notice", n.pk)] == ["publish"]
    with pytest.raises(Forbidden):  # a Qinghai regulator does not publish in Baotou
        _notice(a["reg_qh"])
    for role in ("ent_a",):
        with pytest.raises(Forbidden):
            _notice(a[role])
    with pytest.raises(Forbidden):
        _notice(PUBLIC_ACTOR)


@pytest.mark.parametrize(
    "field, value",
    [
        ("kind", "no_such_kind"),
        ("source", "Case 42"),
        ("division", "15a"),
        ("title_zh", "  "),
        ("body_en", "x" * 20_001),
        ("url", "javascript:alert(1)"),
        ("url", "//evil.example/phish"),
        ("url", "https://evil.example/"),
        ("location", (200, 41)),
    ],
)
def test_every_bad_field_is_named_and_nothing_is_stored(reg, field, value):
    with pytest.raises(InvalidInput) as e:
        _notice(actors(reg)["reg_im"], **{field: value})
    assert field in {p.field for p in e.value.problems}
    assert notices.board().count() == 0


def test_withdrawing_keeps_the_notice_marked_with_its_reason(reg):
    im = actors(reg)["reg_im"]
    n = _notice(im)
    with pytest.raises(InvalidInput):
        notices.withdraw(im, source=n.source, reason_zh=" ")
    assert notices.withdraw(im, source=n.source, reason_zh="案件重新调查") == 1
    assert notices.current(n.source) == []
    (kept,) = notices.board()
    assert kept.withdrawn_at is not None and kept.withdraw_reason_zh == "案件重新调查"
    assert [e.action for e in audit.history("notice", n.pk)] == ["publish", "withdraw"]
    assert notices.withdraw(im, source=n.source, reason_zh="again") == 0


def test_page_api_and_feed_show_names_as_text(reg, client):
    im = actors(reg)["reg_im"]
    n = _notice(im, title_zh=HOSTILE, title_en=HOSTILE, body_zh=HOSTILE)
    w = _notice(im, source="applications.Application:2", title_zh="被撤回的公示")
    notices.withdraw(im, source=w.source, reason_zh="不予许可")
    page = client.get("/public-notices/").content.decode()
    assert HOSTILE not in page and "&lt;script&gt;" in page and "已撤回" in page
    detail = client.get(f"/public-notices/{n.pk}/").content.decode()
    assert HOSTILE not in detail and "&lt;img src=x onerror" in detail
    assert client.get("/public-notices/999999/").status_code == 404
    bad = client.get("/public-notices/?kind=nope")
    assert bad.status_code == 200 and "未知的公告类别" in bad.content.decode()

    feed = client.get("/public-notices/feed.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    entries = root.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert HOSTILE in titles  # the XML carries the text escaped; parsed back it is the same text
    assert "【已撤回】被撤回的公示" in titles
    assert all(e.find(f"{ATOM}id").text.startswith("tag:kuangzheng,2026:notice:") for e in entries)
    assert all(e.find(f"{ATOM}updated") is not None for e in entries)

    api = client.get("/api/v1/notices?kind=application_notice").json()
    assert api["count"] == 2 and {i["id"] for i in api["items"]} == {n.pk, w.pk}
    assert client.get("/api/v1/notices?division=1x").status_code == 400
    assert client.get(f"/api/v1/notices/{n.pk}").json()["title_zh"] == HOSTILE
    assert client.get("/api/v1/notices/999999").status_code == 404


def _act(actor, app, action, **data):
    return applications.act(actor, app.pk, action, {"version": app.version, **data})


def _in_notice(reg, monkeypatch, days):
    """An application filed clear of every right, reviewed, approved and put in notice for `days`."""
    im = actors(reg)["reg_im"]
    monkeypatch.setattr(applications, "today", lambda: dt.date(2026, 3, 2))
    app = filed(reg, geom=CLEAR)
    for action in ("accept", "start_review"):
        app = _act(im, app, action)
    for role in review_roles(app):
        app = applications.review(im, app.pk, role, "同意", app.version)
    app = _act(im, app, "approve", reason="同意")
    return im, _act(im, app, "publish", notice_days=days)


def test_an_application_notice_and_its_licence_go_on_the_board(reg, monkeypatch):
    im, app = _in_notice(reg, monkeypatch, 1)
    (n,) = notices.current(f"applications.Application:{app.pk}")
    assert n.kind == "application_notice" and n.ends_on == app.notice_until and n.division == "150200"
    assert n.lon is not None and 110 < n.lon < 110.1
    monkeypatch.setattr(applications, "today", lambda: dt.date(2026, 3, 4))
    app = _act(im, app, "register")
    kinds = [x.kind for x in notices.current(f"applications.Application:{app.pk}")]
    assert sorted(kinds) == ["application_notice", "application_registered"]
    assert app.registered_licence_no in notices.board(kind="application_registered")[0].title_zh


def test_refusing_an_application_in_notice_withdraws_its_notice(reg, monkeypatch):
    im, app = _in_notice(reg, monkeypatch, 3)
    app = _act(im, app, "refuse", reason="异议成立")
    (n,) = notices.board()
    assert n.withdrawn_at is not None and "异议成立" in n.withdraw_reason_zh
