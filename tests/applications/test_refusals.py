"""Attachments (type, size, item, state, SHA-256, who may download) and every refusal of the
services: each names the field and the reason in Chinese and English, and writes nothing."""

import hashlib

import pytest

from kuangzheng import limits
from kuangzheng.applications import services
from kuangzheng.applications.models import Application, Attachment
from kuangzheng.errors import Forbidden, InvalidInput, NotFound, StaleVersion

from .helpers import PDF, actors, draft, filed, mining_record, review_roles


def _fields(exc):
    assert all(p.zh and p.en for p in exc.value.problems)
    return {p.field for p in exc.value.problems}


def test_attachments_are_stored_with_their_digest_and_checked(reg, monkeypatch):
    ent = actors(reg)["ent_a"]
    app = services.create(ent, {"kind": "new_mining", "record": mining_record()})
    a = services.attach(ent, app.pk, "application_form", "申请书.pdf", PDF)
    assert (a.sha256, a.size, a.content_type) == (hashlib.sha256(PDF).hexdigest(), len(PDF), "application/pdf")
    with pytest.raises(InvalidInput) as e:
        services.attach(ent, app.pk, "application_form", "evil.pdf", b"MZ\x90\x00 not a pdf")
    assert _fields(e) == {"file"}
    with pytest.raises(InvalidInput) as e:
        services.attach(ent, app.pk, "photo_of_cat", "x.pdf", PDF)
    assert _fields(e) == {"item"}
    monkeypatch.setenv("KZ_MAX_UPLOAD_BYTES", "64")
    with pytest.raises(InvalidInput) as e:
        services.attach(ent, app.pk, "application_form", "big.pdf", PDF + b"0" * 64)
    assert _fields(e) == {"file"} and "64" in e.value.en
    with pytest.raises(InvalidInput):
        services.attach(ent, app.pk, "application_form", "empty.pdf", b"")
    assert Attachment.objects.filter(application=app).count() == 1


def test_attachment_limit_through_http(reg, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = draft(reg)
    c = login("ent_a", reg)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * limits.get("upload_bytes"), content_type="application/pdf")
    r = c.post(f"/api/v1/applications/{app.pk}/attachments", {"item": "application_form", "file": big})
    assert r.status_code == 400 and r.json()["problems"][0]["field"] == "file"
    exe = SimpleUploadedFile("a.pdf", b"MZ\x90\x00", content_type="application/pdf")  # the claimed type is ignored
    r = c.post(f"/api/v1/applications/{app.pk}/attachments", {"item": "application_form", "file": exe})
    assert r.status_code == 400


def test_no_upload_once_filed(reg):
    app = filed(reg)
    with pytest.raises(InvalidInput) as e:
        services.attach(actors(reg)["ent_a"], app.pk, "application_form", "x.pdf", PDF)
    assert _fields(e) == {"status"}


def test_refusals(reg):
    a = actors(reg)
    ent, im = a["ent_a"], a["reg_im"]
    with pytest.raises(InvalidInput) as e:
        services.create(ent, {"kind": "new_castle", "recrod": {}})
    assert _fields(e) == {"kind", "recrod"}
    assert "record" in e.value.en  # the nearest known name is suggested
    with pytest.raises(InvalidInput) as e:
        services.create(ent, {"kind": "new_mining", "record": mining_record(), "corner_points": "nonsense"})
    assert _fields(e) == {"corner_points"}
    with pytest.raises(InvalidInput) as e:
        services.create(ent, {"kind": "renewal", "licence_no": reg.r_hh.licence_no, "record": {}})
    assert _fields(e) == {"licence_no"}  # another holder's right
    assert Application.objects.count() == 0
    app = filed(reg)
    with pytest.raises(InvalidInput) as e:
        services.edit(ent, app.pk, {"record": mining_record(name="x")}, app.version)
    assert _fields(e) == {"status"}
    with pytest.raises(InvalidInput) as e:
        services.act(im, app.pk, "request_more", {"version": app.version})
    assert _fields(e) == {"reason"}
    with pytest.raises(InvalidInput) as e:
        services.act(im, app.pk, "accept", {})
    assert _fields(e) == {"version"}
    with pytest.raises(StaleVersion):
        services.act(im, app.pk, "accept", {"version": app.version - 1})
    with pytest.raises(InvalidInput) as e:
        services.act(im, app.pk, "publish", {"version": app.version})
    assert _fields(e) == {"action"}
    with pytest.raises(NotFound):
        services.act(a["reg_qh"], app.pk, "accept", {"version": app.version})
    with pytest.raises(Forbidden):
        services.act(a["reg_bt"], app.pk, "accept", {"version": app.version})
    assert services.get(im, app.pk).version == app.version  # nothing was written
    app = services.act(im, app.pk, "accept", {"version": app.version})
    app = services.act(im, app.pk, "start_review", {"version": app.version})
    with pytest.raises(InvalidInput) as e:
        services.review(im, app.pk, "astrology", "同意", app.version)
    assert _fields(e) == {"role"}
    with pytest.raises(InvalidInput) as e:
        services.review(im, app.pk, "geology", " ", app.version)
    assert _fields(e) == {"opinion"}
    with pytest.raises(InvalidInput) as e:
        services.override(im, app.pk, "right:NOPE", "理由", app.version)
    assert _fields(e) == {"key"}
    for role in review_roles(app):
        app = services.review(im, app.pk, role, "同意", app.version)
    app = services.override(im, app.pk, f"right:{reg.r_bt.licence_no}", "理由", app.version)
    app = services.act(im, app.pk, "approve", {"version": app.version, "reason": "同意"})
    for days in (None, 0, 61, "ten"):
        with pytest.raises(InvalidInput) as e:
            services.act(im, app.pk, "publish", {"version": app.version, "notice_days": days})
        assert _fields(e) == {"notice_days"}
    public = a["admin"].__class__("anonymous", "public")
    with pytest.raises(NotFound):  # not in notice yet
        services.object_to(public, app.pk, "异议")
    app = services.act(im, app.pk, "publish", {"version": app.version, "notice_days": 3})
    with pytest.raises(InvalidInput) as e:
        services.object_to(public, app.pk, "  ")
    assert _fields(e) == {"text"}
    o = services.object_to(public, app.pk, "异议")
    with pytest.raises(Forbidden):
        services.answer(ent, app.pk, o.pk, "我不同意")
    with pytest.raises(InvalidInput) as e:
        services.answer(im, app.pk, o.pk, "")
    assert _fields(e) == {"answer"}
