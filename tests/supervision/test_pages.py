"""The supervision pages as every role: the dashboard for staff, plans and the verify page for
everyone, case pages by scope; forms write through the services (CSRF-checked client)."""

import pytest

from kuangzheng.supervision import enforcement, plans
from kuangzheng.supervision.models import Case, Plan

from .helpers import PDF

ROLES = ["admin", "reg_im", "reg_bt", "reg_qh", "ent_a", "public"]
STAFF_BT = {"admin", "reg_im", "reg_bt"}


@pytest.fixture
def drawn(sup):
    reg = sup.actors["reg_bt"]
    p = plans.create(
        reg, {"title": "包头抽查<script>", "ratio": 0.5, "seed_source": "公开数值", "filters": {"kind": "mining"}}
    )
    p = plans.publish(reg, p.pk, p.version)
    sup.plan = plans.run_draw(reg, p.pk, "7", p.version)
    sup.case = enforcement.record_finding(reg, {"enterprise": sup.a.pk, "description": "问题<b>x</b>"})
    return sup


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(role, drawn, login):
    c = login(role, drawn)
    home = c.get("/supervision/").content.decode()
    assert ('id="alert-counts"' in home) == (role in STAFF_BT | {"reg_qh"})
    page = c.get(f"/supervision/plans/{drawn.plan.pk}/")
    assert page.status_code == 200 and "&lt;script&gt;" in page.content.decode()
    res = c.get(f"/supervision/plans/{drawn.plan.pk}/result.json")
    assert res.status_code == 200 and res.json()["seed"] == "7"
    case = c.get(f"/supervision/cases/{drawn.case.pk}/")
    assert case.status_code == (200 if role in STAFF_BT | {"ent_a"} else 404)
    if case.status_code == 200:
        assert "问题&lt;b&gt;x&lt;/b&gt;" in case.content.decode()


def test_verify_page_accepts_the_file_and_catches_a_change(drawn, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = client.get(f"/supervision/plans/{drawn.plan.pk}/result.json").content
    ok = client.post("/supervision/verify/", {"file": SimpleUploadedFile("draw.json", data)}).content.decode()
    assert 'id="verify-ok"' in ok
    bad = client.post("/supervision/verify/", {"text": data.decode().replace('"seed": "7"', '"seed": "8"')})
    assert 'id="verify-failed"' in bad.content.decode()
    junk = client.post("/supervision/verify/", {"text": "{not json"})
    assert junk.status_code == 200 and 'id="verify-failed"' in junk.content.decode()


def test_forms_write_through_the_services(drawn, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(drawn.users["reg_bt"])
    r = client.post(
        "/supervision/plans/new/", {"title": "表单计划", "entity": "right", "ratio": "0.2", "seed_source": "某日数值"}
    )
    plan = Plan.objects.get(title="表单计划")
    assert r["Location"] == f"/supervision/plans/{plan.pk}/"
    client.post(f"/supervision/plans/{plan.pk}/publish/", {"version": plan.version})
    plan.refresh_from_db()
    client.post(f"/supervision/plans/{plan.pk}/draw/", {"version": plan.version, "seed": "99"})
    plan.refresh_from_db()
    assert plan.state == "drawn"
    r = client.post(
        "/supervision/findings/new/",
        {"enterprise": str(drawn.a.pk), "description": "现场发现", "file": SimpleUploadedFile("p.pdf", PDF)},
    )
    case = Case.objects.latest("pk")
    assert r["Location"] == f"/supervision/cases/{case.pk}/" and case.finding.attachments.count() == 1
    att = case.finding.attachments.get()  # the case page links the evidence, and the link serves it
    href = f"/api/v1/supervision/attachments/{att.pk}"
    assert f'href="{href}"' in client.get(f"/supervision/cases/{case.pk}/").content.decode()
    assert client.get(href).content == PDF
    client.post(
        f"/supervision/cases/{case.pk}/act/", {"action": "order_rectification", "version": 1, "deadline": "2099-01-01"}
    )
    case.refresh_from_db()
    assert case.state == "rectifying"
    bad = client.post(f"/supervision/cases/{case.pk}/act/", {"action": "accept", "version": case.version}, follow=True)
    assert "不能" in bad.content.decode()  # the refusal is shown, nothing changed
    case.refresh_from_db()
    assert case.state == "rectifying"
