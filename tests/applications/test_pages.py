"""The pages: queue and application page by role, the forms of the path, public notices with the
objection form (server-rendered; the CSP scan in tests/portal covers their templates)."""

import datetime as dt

import pytest

from kuangzheng.applications import services

from .helpers import FAR, actors, filed, review_roles

ROLES = ["admin", "reg_im", "reg_bt", "reg_qh", "ent_a", "public"]


@pytest.mark.parametrize("role", ROLES)
def test_queue_and_detail_by_role(role, reg, login):
    app = filed(reg)
    c = login(role, reg)
    r = c.get("/applications/")
    assert r.status_code == 200
    sees = role in ("admin", "reg_im", "reg_bt", "ent_a")
    assert (f'data-id="{app.pk}"' in r.content.decode()) == sees
    r = c.get(f"/applications/{app.pk}/")
    assert r.status_code == (200 if sees else 404)
    if sees:
        page = r.content.decode()
        assert reg.r_bt.licence_no in page and 'class="overlap"' in page
        assert 'id="application-map-json"' in page and f"{reg.r_bt.licence_no} " in page  # the map's features
        assert ('value="accept"' in page) == (role in ("admin", "reg_im"))  # only the deciding authority accepts
        assert ('value="withdraw"' in page) == (role == "ent_a")  # the applicant may withdraw
    assert login(role, reg).get("/notices/").status_code == 200


def test_the_path_through_the_forms(reg, login, monkeypatch):
    monkeypatch.setattr(services, "today", lambda: dt.date(2026, 3, 2))
    app = filed(reg, FAR)
    c = login("reg_im", reg)

    def post(path, **data):
        v = services.get(actors(reg)["admin"], app.pk).version
        return c.post(f"/applications/{app.pk}/{path}/", {"version": v, **data})

    assert post("act", action="accept").status_code == 302
    post("act", action="start_review")
    r = post("act", action="approve", reason="同意")  # the review opinions are missing
    assert r.status_code == 302
    assert "tasks.geology" in c.get(f"/applications/{app.pk}/").content.decode()
    for role in review_roles(app):
        post("review", role=role, opinion="同意")
    post("act", action="approve", reason="同意")
    post("act", action="publish", notice_days="2")
    assert services.get(actors(reg)["admin"], app.pk).status == "in_notice"
    pub = login("public", reg)
    assert pub.post(f"/notices/{app.pk}/object/", {"text": "请核实水源地"}).status_code == 302
    assert "请核实水源地" in pub.get("/notices/").content.decode()
    c = login("reg_im", reg)
    o = app.objections.get()
    post("answer", objection=o.pk, answer="已核实")
    monkeypatch.setattr(services, "today", lambda: dt.date(2026, 3, 5))
    post("act", action="register")
    a = services.get(actors(reg)["admin"], app.pk)
    assert a.status == "registered" and a.registered_licence_no == "C15020020260300001"
    assert a.registered_licence_no in login("public", reg).get("/notices/").content.decode()


def test_filing_through_the_forms(reg, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .helpers import OVERLAPPING, PDF, corners

    c = login("ent_a", reg)
    assert c.get("/applications/new/").status_code == 200
    form = {
        "kind": "new_mining",
        "name": "门户新立铜矿",
        "division": "150200",
        "minerals": "铜、钼",
        "valid_from": "2026-01-01",
        "valid_to": "2036-01-01",
        "obtained_by": "application",
        "designed_scale": "30",
        "designed_scale_unit": "10^4 t/a",
        "elevation_top": "1200",
        "elevation_bottom": "800",
        "corner_points": "not corner points",
    }
    r = c.post("/applications/new/", form)
    assert r.status_code == 200 and "corner_points" in r.content.decode()  # refused, the form shown again
    r = c.post("/applications/new/", {**form, "corner_points": corners(OVERLAPPING)})
    assert r.status_code == 302
    pk = int(r["Location"].strip("/").split("/")[-1])
    app = services.get(actors(reg)["ent_a"], pk)
    assert app.record["minerals"] == ["铜", "钼"] and app.area_km2 > 0
    for item in ("application_form", "development_plan", "restoration_plan"):
        f = SimpleUploadedFile(f"{item}.pdf", PDF, content_type="application/pdf")
        assert c.post(f"/applications/{pk}/attach/", {"item": item, "file": f}).status_code == 302
    r = c.post(
        f"/applications/{pk}/act/", {"action": "file", "version": services.get(actors(reg)["ent_a"], pk).version}
    )
    assert r.status_code == 302
    page = c.get(f"/applications/{pk}/").content.decode()
    assert 'data-status="filed"' in page and reg.r_bt.licence_no in page
    assert login("reg_im", reg).get("/applications/new/").status_code == 403
    assert login("public", reg).get("/applications/new/").status_code == 302
