"""Every applications endpoint × every role, through the HTTP API. Expected outcomes are written out
from the rules: an enterprise files and sees its own; the region's regulators decide (copper is
decided by the region); Baotou's regulators read what lies in Baotou but do not decide; Qinghai's see
nothing; the public reads notices and may object."""

import pytest

from kuangzheng.applications import services

from .helpers import FAR, PDF, actors, draft, filed, mining_record, review_roles

ROLES = ["admin", "reg_im", "reg_bt", "reg_qh", "ent_a", "public"]
ENDPOINTS = [  # (method, path) as the role-matrix coverage test lists them
    ("GET", "/applications/kinds"),
    ("GET", "/applications/workflow"),
    ("GET", "/applications/notices"),
    ("POST", "/applications/notices/{pk}/objections"),
    ("GET", "/applications"),
    ("POST", "/applications"),
    ("GET", "/applications/report"),
    ("GET", "/applications/inbox"),
    ("GET", "/applications/{pk}"),
    ("PATCH", "/applications/{pk}"),
    ("POST", "/applications/{pk}/actions/{action}"),
    ("POST", "/applications/{pk}/reviews/{role}"),
    ("POST", "/applications/{pk}/overrides"),
    ("POST", "/applications/{pk}/objections/{objection_pk}/answer"),
    ("POST", "/applications/{pk}/attachments"),
    ("GET", "/applications/{pk}/attachments/{att_pk}"),
]
J = "application/json"
DECIDERS = {"admin", "reg_im"}
READERS = {"admin", "reg_im", "reg_bt", "ent_a"}  # of a filed application of enterprise a in Baotou


def _code_for_decider(role):
    return 200 if role in DECIDERS else {"reg_bt": 403, "ent_a": 403}.get(role, 404)


@pytest.fixture
def apps(reg):
    a = actors(reg)
    im = a["reg_im"]
    reg.filed = filed(reg)  # overlaps r_bt: a blocking conflict
    rv = filed(reg, FAR)
    for action in ("accept", "start_review"):
        rv = services.act(im, rv.pk, action, {"version": rv.version})
    reg.review = rv
    reg.draft = draft(reg)
    return reg


@pytest.mark.parametrize("role", ROLES)
def test_public_reads(role, apps, login):
    c = login(role, apps)
    for path in ("kinds", "workflow", "notices"):
        assert c.get(f"/api/v1/applications/{path}").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_list_and_read(role, apps, login):
    c = login(role, apps)
    r = c.get("/api/v1/applications")
    assert r.status_code == 200
    listed = {x["id"] for x in r.json()}
    expected = {apps.filed.pk, apps.review.pk} if role in READERS else set()
    if role in ("admin", "ent_a"):
        expected |= {apps.draft.pk}  # drafts: the applicant's own (and the administrator)
    assert listed == expected
    r = c.get(f"/api/v1/applications/{apps.filed.pk}")
    assert r.status_code == (200 if role in READERS else 404)
    if r.status_code == 200:
        assert r.json()["checks"]["conflicts"]["rights"][0]["licence_no"] == apps.r_bt.licence_no
    att = apps.filed.attachments.first()
    r = c.get(f"/api/v1/applications/{apps.filed.pk}/attachments/{att.pk}")
    assert r.status_code == (200 if role in READERS else 404)
    if r.status_code == 200:
        assert r.content == PDF and r["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("role", ROLES)
def test_report_and_inbox(role, apps, login):
    c = login(role, apps)
    r = c.get("/api/v1/applications/report")
    assert r.status_code == (403 if role in ("ent_a", "public") else 200)
    r = c.get("/api/v1/applications/inbox")
    assert r.status_code == 200
    # filing told the region; accepting and starting review told the applicant
    expected = {"admin": 4, "reg_im": 2, "ent_a": 2}.get(role, 0)
    assert len(r.json()) == expected


@pytest.mark.parametrize("role", ROLES)
def test_create_edit_attach(role, apps, login):
    c = login(role, apps)
    r = c.post("/api/v1/applications", {"kind": "new_mining", "record": mining_record()}, content_type=J)
    assert r.status_code == (200 if role == "ent_a" else 403)
    d = apps.draft
    r = c.patch(
        f"/api/v1/applications/{d.pk}", {"record": mining_record(name="改名"), "version": d.version}, content_type=J
    )
    assert r.status_code == {"ent_a": 200, "admin": 403}.get(role, 404)
    f = c.post(f"/api/v1/applications/{d.pk}/attachments", {"item": "application_form", "file": _upload()})
    assert f.status_code == {"ent_a": 200, "admin": 403}.get(role, 404)


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("form.pdf", PDF, content_type="application/pdf")


@pytest.mark.parametrize("role", ROLES)
def test_authority_actions(role, apps, login):
    c = login(role, apps)
    f = apps.filed
    r = c.post(f"/api/v1/applications/{f.pk}/actions/accept", {"version": f.version}, content_type=J)
    # the applicant reaches the state machine, which refuses an authority's action by the applicant
    assert r.status_code == (400 if role == "ent_a" else _code_for_decider(role)), r.content
    key = f"right:{apps.r_bt.licence_no}"
    v = services.get(actors(apps)["admin"], f.pk).version
    r = c.post(f"/api/v1/applications/{f.pk}/overrides", {"key": key, "reason": "理由", "version": v}, content_type=J)
    assert r.status_code == _code_for_decider(role)
    rv = apps.review
    r = c.post(
        f"/api/v1/applications/{rv.pk}/reviews/geology", {"opinion": "同意", "version": rv.version}, content_type=J
    )
    assert r.status_code == _code_for_decider(role)


@pytest.mark.parametrize("role", ROLES)
def test_notice_objection_and_answer(role, apps, login):
    im = actors(apps)["reg_im"]
    rv = apps.review
    for t in review_roles(rv):
        rv = services.review(im, rv.pk, t, "同意", rv.version)
    rv = services.act(im, rv.pk, "approve", {"version": rv.version, "reason": "通过"})
    rv = services.act(im, rv.pk, "publish", {"version": rv.version, "notice_days": 10})
    c = login(role, apps)
    notices = c.get("/api/v1/applications/notices").json()
    assert [n["id"] for n in notices] == [rv.pk]
    assert "record" not in notices[0] and "checks" not in notices[0]  # the public view only
    r = c.post(f"/api/v1/applications/notices/{rv.pk}/objections", {"text": "异议"}, content_type=J)
    assert r.status_code == 200
    oid = r.json()["id"]
    r = c.post(f"/api/v1/applications/{rv.pk}/objections/{oid}/answer", {"answer": "已核实"}, content_type=J)
    assert r.status_code == _code_for_decider(role)
