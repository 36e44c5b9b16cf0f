"""Correcting an application: on a draft (the check shows a conflict before filing) and during 补正,
fields, corner points, context and documents change through the services, the API and the page; the
automatic checks run again and are recorded on the application; every change is audited."""

import pytest

from kuangzheng.applications import services
from kuangzheng.audit import service as audit
from kuangzheng.errors import InvalidInput

from .helpers import CLEAR, OVERLAPPING, PDF, actors, corners, draft, filed, mining_record


def _act(actor, app, action, **data):
    return services.act(actor, app.pk, action, {"version": app.version, **data})


def _right_conflicts(app) -> list[str]:
    return [c["licence_no"] for c in app.checks["conflicts"]["rights"]]


def test_a_draft_shows_its_conflict_before_filing_and_a_correction_clears_it(reg):
    ent = actors(reg)["ent_a"]
    app = draft(reg)
    assert app.status == "draft" and _right_conflicts(app) == [reg.r_bt.licence_no]
    assert app.checks["conflicts"]["rights"][0]["overlap_km2"] == pytest.approx(2.78, abs=0.03)
    assert app.checks["verdicts"] and app.checks["incomplete"] == []
    app = services.edit(ent, app.pk, {"corner_points": corners(CLEAR)}, app.version)
    assert _right_conflicts(app) == [] and app.checks["blocking"] == []
    (entry,) = [e for e in audit.history("application", app.pk) if e.action == "edit"]
    assert entry.before["blocking"] == [f"right:{reg.r_bt.licence_no}"] and entry.after["blocking"] == []
    assert _act(ent, app, "file").checks["blocking"] == []


def test_a_draft_the_compliance_check_cannot_read_yet_lists_what_it_needs_and_filing_refuses(reg):
    ent = actors(reg)["ent_a"]
    record = mining_record()
    del record["division"]
    app = services.create(ent, {"kind": "new_mining", "record": record, "corner_points": corners(OVERLAPPING)})
    assert [p["field"] for p in app.checks["incomplete"]] == ["record.division"]
    assert _right_conflicts(app) == [reg.r_bt.licence_no]  # the spatial check needs no division
    for item in ("application_form", "development_plan", "restoration_plan"):
        services.attach(ent, app.pk, item, f"{item}.pdf", PDF)
    with pytest.raises(InvalidInput) as e:
        _act(ent, services.get(ent, app.pk), "file")
    assert "record.division" in {p.field for p in e.value.problems}


def test_during_more_material_fields_corner_points_and_documents_change_and_the_checks_run_again(reg):
    a = actors(reg)
    ent, reg_im = a["ent_a"], a["reg_im"]
    app = _act(reg_im, filed(reg, CLEAR), "request_more", reason="请补充开发利用方案，并修正名称")
    assert app.status == "more_requested" and _right_conflicts(app) == []
    app = services.edit(
        ent,
        app.pk,
        {"record": mining_record(name="包头甲铜矿（更正）"), "corner_points": corners(OVERLAPPING)},
        app.version,
    )
    assert app.record["name"] == "包头甲铜矿（更正）"
    assert _right_conflicts(app) == [reg.r_bt.licence_no]  # recorded at once, before supplying
    services.attach(ent, app.pk, "development_plan", "plan-v2.pdf", PDF + b"% v2\n")
    app = services.edit(ent, app.pk, {"corner_points": corners(CLEAR)}, app.version)
    app = _act(ent, app, "supply")
    assert app.status == "filed" and app.checks["blocking"] == []
    assert sorted(f.filename for f in app.attachments.filter(item="development_plan")) == [
        "development_plan.pdf",
        "plan-v2.pdf",
    ]
    edits = [e for e in audit.history("application", app.pk) if e.action == "edit"]
    assert [e.after["record"]["name"] for e in edits] == ["包头甲铜矿（更正）"] * 2
    # once accepted, nothing changes any more
    app = _act(reg_im, app, "accept")
    with pytest.raises(InvalidInput) as e:
        services.edit(ent, app.pk, {"record": mining_record(name="再改")}, app.version)
    assert [p.field for p in e.value.problems] == ["status"]


def test_the_api_and_the_page_correct_fields_during_more_material(reg, login):
    a = actors(reg)
    app = _act(a["reg_im"], filed(reg, CLEAR), "request_more", reason="请修正名称和拐点")
    c = login("ent_a", reg)

    def patch(**body):
        return c.patch(f"/api/v1/applications/{app.pk}", body, content_type="application/json")

    r = patch(record=mining_record(name="接口更正"), context={"eia_approved": True}, version=app.version)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["record"]["name"] == "接口更正" and body["checks"]["blocking"] == []
    assert patch(record=mining_record(name="旧版本"), version=app.version).status_code == 409
    bad = patch(corner_points="not corner points", version=body["version"])
    assert bad.status_code == 400 and "corner_points" in bad.content.decode()
    # the page: the form's fields replace the record's, the fields it does not show are kept
    page = c.get(f"/applications/{app.pk}/").content.decode()
    assert 'id="edit-form"' in page and 'value="接口更正"' in page
    form = {**mining_record(name="页面更正"), "minerals": "铜、金", "version": body["version"]}
    form["corner_points"] = corners(OVERLAPPING)
    assert c.post(f"/applications/{app.pk}/edit/", form).status_code == 302
    app = services.get(a["ent_a"], app.pk)
    assert app.record["name"] == "页面更正" and app.record["minerals"] == ["铜", "金"]
    assert app.context == {"eia_approved": True}
    assert _right_conflicts(app) == [reg.r_bt.licence_no]
    assert f'data-key="right:{reg.r_bt.licence_no}"' in c.get(f"/applications/{app.pk}/").content.decode()
