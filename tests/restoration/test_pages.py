"""The restoration pages render for every role with the right content, and form errors come back as
messages, never a 500."""

import pytest

from kuangzheng.restoration import fund, responsibility

from .helpers import actor, approved_plan

ROLES = ["admin", "reg_im", "reg_bt", "reg_qh", "ent_a", "public"]


@pytest.mark.parametrize("role", ROLES)
def test_pages(role, reg, login):
    p = approved_plan(reg)
    fund.post(actor(reg, "ent_a"), right=reg.r_bt.pk, kind="deposit", amount="1234.56", request_id="d")
    responsibility.record_problem(
        actor(reg, "reg_bt"),
        {
            "division": "150200",
            "site": "<b>老采坑</b>",
            "problem_type": "采坑",
            "area_ha": 2,
            "arose_on": "1990-01-01",
            "mine_state": "abandoned",
            "party_exists": False,
        },
    )
    c = login(role, reg)
    assert c.get("/restoration/").status_code == 200
    assert c.get("/restoration/plans/").status_code == 200
    assert c.get("/restoration/green/").status_code == 200
    detail = c.get(f"/restoration/plans/{p.pk}/")
    assert detail.status_code == (404 if role == "reg_qh" else 200)
    if role in ("admin", "reg_im", "reg_bt", "ent_a"):
        assert "1234.56" in detail.content.decode()
        doc = p.documents.get()  # the plan text is linked from its page, and the link serves it
        href = f"/api/v1/restoration/plans/{p.pk}/documents/{doc.pk}"
        assert f'href="{href}"' in detail.content.decode()
        got = c.get(href)
        assert got.status_code == 200 and got.content.startswith(b"%PDF")
    elif detail.status_code == 200:
        assert 'id="fund-balance"' not in detail.content.decode()
    mine = c.get(f"/restoration/mines/{reg.r_bt.pk}/")
    assert mine.status_code == (404 if role == "reg_qh" else 200)
    if mine.status_code == 200:
        assert "1234.56" in mine.content.decode()  # deposits are public (2017 fund reform)
    ledger = c.get("/restoration/ledger/")
    assert ledger.status_code == (200 if role in ("admin", "reg_im", "reg_bt", "reg_qh") else 404)
    if role in ("admin", "reg_im", "reg_bt"):
        body = ledger.content.decode()
        assert "&lt;b&gt;老采坑&lt;/b&gt;" in body and "<b>老采坑" not in body
    r = c.get("/restoration/reports/2025/")
    assert r.status_code == 200 and "300237.04" in r.content.decode()
    staff = role in ("admin", "reg_im", "reg_bt", "reg_qh")
    # one enterprise only: the public sees the Baotou row withheld (disclosure rule), staff see it
    assert ('data-code="150200" data-withheld="1"' in r.content.decode()) == (not staff)


def test_bad_form_input_is_a_message_not_a_500(reg, login):
    p = approved_plan(reg)
    c = login("reg_bt", reg)
    ph = p.phases.get(seq=1)
    r = c.post(
        f"/restoration/plans/{p.pk}/phases/{ph.pk}/report/",
        {"version": ph.version, "actual_use": "forest", "actual_damaged": "abc"},
        follow=True,
    )
    assert r.status_code == 200 and "面积须为数字" in r.content.decode()
    r = c.post(
        f"/restoration/plans/{p.pk}/fund/", {"kind": "deposit", "amount": "1.001", "request_id": "x"}, follow=True
    )
    assert r.status_code == 200 and "两位小数" in r.content.decode()


def test_report_pdf(reg, login):
    from kuangzheng.monitoring.plan import cjk_font

    if cjk_font() is None:
        pytest.skip("no CJK font installed")
    approved_plan(reg)
    r = login("reg_bt", reg).get("/restoration/reports/2024/?format=pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
