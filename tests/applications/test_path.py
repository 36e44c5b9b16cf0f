"""One application along the whole path through the services: filing with its automatic checks,
补正 with corrected corner points, acceptance, review, decision, notice with an objection, and
registration into the registry (numbered, audited, in the right's history)."""

import datetime as dt

import pytest

from kuangzheng.applications import services
from kuangzheng.audit import service as audit
from kuangzheng.errors import Forbidden, InvalidInput
from kuangzheng.registry import services as registry

from .helpers import CLEAR, actors, corners, draft, filed, review_roles


def _act(actor, app, action, **data):
    return services.act(actor, app.pk, action, {"version": app.version, **data})


def test_an_incomplete_application_is_refused_with_every_missing_item(reg):
    ent = actors(reg)["ent_a"]
    app = services.create(ent, {"kind": "new_mining", "record": {"name": "x", "division": "150200"}})
    with pytest.raises(InvalidInput) as e:
        _act(ent, app, "file")
    fields = {p.field for p in e.value.problems}
    assert {"record.minerals", "record.valid_from", "corner_points", "documents.application_form"} <= fields
    assert "record.name" not in fields
    assert services.get(ent, app.pk).status == "draft"


def test_filing_records_the_conflict_with_its_area_and_the_compliance_verdicts(reg):
    app = filed(reg)
    assert app.status == "filed" and app.filed_at is not None
    (c,) = app.checks["conflicts"]["rights"]
    assert c["licence_no"] == reg.r_bt.licence_no
    # 0.01° x 0.03° at 41.6° N: about 0.834 km x 3.336 km
    assert c["overlap_km2"] == pytest.approx(2.78, abs=0.03)
    assert f"right:{reg.r_bt.licence_no}" in app.checks["blocking"]
    assert app.checks["conflicts"]["zones"][0]["code"] == "Z-150200-01"
    assert app.checks["verdicts"], "the compliance rules ran on the application"
    assert all("rule" in v and "citations" in v for v in app.checks["verdicts"])
    assert app.competent_division == "150000"  # copper: decided by the region (routing table)


def test_the_first_filed_application_has_priority(reg):
    first = filed(reg, CLEAR)
    second = filed(reg, CLEAR)
    (c2,) = second.checks["conflicts"]["applications"]
    assert (c2["id"], c2["priority"], c2["blocking"]) == (first.pk, "other", True)
    assert c2["overlap_km2"] > 0
    assert not first.checks["conflicts"]["applications"]  # filed when the second did not exist


def test_the_whole_path(reg, monkeypatch):
    a = actors(reg)
    ent, reg_im, reg_bt = a["ent_a"], a["reg_im"], a["reg_bt"]
    monkeypatch.setattr(services, "today", lambda: dt.date(2026, 2, 12))
    app = filed(reg)
    assert app.checks["blocking"]
    # a Baotou regulator reads it (located in Baotou) but the region decides
    with pytest.raises(Forbidden):
        _act(reg_bt, app, "accept")
    app = _act(reg_im, app, "request_more", reason="拐点与已有采矿权重叠，请修正")
    assert app.status == "more_requested"
    with pytest.raises(InvalidInput):  # the clock is stopped; only the applicant moves it on
        _act(reg_im, app, "accept")
    app = services.edit(ent, app.pk, {"corner_points": corners(CLEAR)}, app.version)
    monkeypatch.setattr(services, "today", lambda: dt.date(2026, 2, 27))
    app = _act(ent, app, "supply")
    assert app.checks["conflicts"]["rights"] == [] and app.checks["blocking"] == []
    (acc,) = services.clocks(app, dt.date(2026, 3, 2))
    assert (acc.used, acc.running) == (2, True)  # restarted on supply: 28 Feb (make-up Saturday), 2 Mar
    app = _act(reg_im, app, "accept")
    app = _act(reg_im, app, "start_review")
    with pytest.raises(InvalidInput) as e:
        _act(reg_im, app, "approve", reason="符合规划")
    assert {p.field for p in e.value.problems} == {
        "tasks.geology",
        "tasks.planning",
        "tasks.environment",
        "tasks.joint",
    }
    for role in review_roles(app):
        app = services.review(reg_im, app.pk, role, f"{role} 同意", app.version)
    app = _act(reg_im, app, "approve", reason="审查通过，无空间冲突")
    app = _act(reg_im, app, "publish", notice_days=5)
    assert app.notice_until == dt.date(2026, 3, 5)  # 28 Feb (make-up Saturday), 2–5 Mar
    assert [n.pk for n in services.notices()] == [app.pk]
    o = services.object_to(a["admin"].__class__("anonymous", "public"), app.pk, "该范围内有村民饮用水源")
    with pytest.raises(InvalidInput) as e:
        _act(reg_im, app, "register")
    assert {p.field for p in e.value.problems} == {"notice_until", "objections"}
    services.answer(reg_im, app.pk, o.pk, "经核实，水源地位于范围外 2 公里")
    monkeypatch.setattr(services, "today", lambda: dt.date(2026, 3, 6))
    app = _act(reg_im, app, "register")
    assert app.status == "registered"
    assert app.registered_licence_no == "C15020020260300001"
    right = registry.get(reg_im, "right", app.registered_right_id)
    assert right.licence_no == app.registered_licence_no and right.status == "valid"
    assert right.holder_id == reg.a.pk
    assert [e["kind"] for e in registry.events(reg_im, right)] == ["granted"]
    actions = [e.action for e in audit.history("application", app.pk)]
    assert actions[0] == "create" and "action:register" in actions and "override" not in actions
    assert [s.action for s in app.steps.all()] == [
        "file",
        "request_more",
        "supply",
        "accept",
        "start_review",
        "approve",
        "publish",
        "register",
    ]


def test_a_blocking_check_needs_a_written_override(reg):
    a = actors(reg)
    app = filed(reg)
    reg_im = a["reg_im"]
    for action in ("accept", "start_review"):
        app = _act(reg_im, app, action)
    for role in review_roles(app):
        app = services.review(reg_im, app.pk, role, "同意", app.version)
    key = f"right:{reg.r_bt.licence_no}"
    with pytest.raises(InvalidInput) as e:
        _act(reg_im, app, "approve", reason="x")
    assert f"checks.{key}" in {p.field for p in e.value.problems}
    with pytest.raises(InvalidInput):
        services.override(reg_im, app.pk, key, "  ", app.version)
    with pytest.raises(Forbidden):
        services.override(a["ent_a"], app.pk, key, "我说可以", app.version)
    app = services.override(reg_im, app.pk, key, "重叠部分为原权利人自愿放弃的范围", app.version)
    app = _act(reg_im, app, "approve", reason="放行后审查通过")
    assert app.status == "approved"
    entry = [e for e in audit.history("application", app.pk) if e.action == "override"][0]
    assert entry.after["overrides"][key]["reason"] == "重叠部分为原权利人自愿放弃的范围"


def test_scopes(reg):
    a = actors(reg)
    app = draft(reg)
    assert services.scoped(a["reg_im"]).count() == 0  # drafts are the applicant's alone
    app = _act(a["ent_a"], app, "file")
    assert {x.pk for x in services.scoped(a["reg_im"])} == {app.pk}
    assert {x.pk for x in services.scoped(a["reg_bt"])} == {app.pk}
    assert services.scoped(a["reg_qh"]).count() == 0
    assert services.scoped(actors(reg)["admin"].__class__("anonymous", "public")).count() == 0
    with pytest.raises(Forbidden):
        services.create(a["reg_im"], {"kind": "new_mining"})


def _through_to_register(reg, app, monkeypatch):
    im = actors(reg)["reg_im"]
    monkeypatch.setattr(services, "today", lambda: dt.date(2026, 3, 2))
    for action in ("accept", "start_review"):
        app = _act(im, app, action)
    for role in review_roles(app):
        app = services.review(im, app.pk, role, "同意", app.version)
    app = _act(im, app, "approve", reason="同意")
    app = _act(im, app, "publish", notice_days=1)
    monkeypatch.setattr(services, "today", lambda: dt.date(2026, 3, 4))
    return _act(im, app, "register")


def test_renewal_and_transfer_change_the_right_in_the_registry(reg, monkeypatch):
    ent = actors(reg)["ent_a"]
    lic = reg.r_bt.licence_no
    app = services.create(ent, {"kind": "renewal", "licence_no": lic, "record": {"valid_to": "2045-01-01"}})
    services.attach(ent, app.pk, "application_form", "f.pdf", b"%PDF-1.4")
    app = _act(ent, services.get(ent, app.pk), "file")
    assert app.checks["verdicts"] == [] and app.competent_division == "150000"
    app = _through_to_register(reg, app, monkeypatch)
    right = registry.get(actors(reg)["admin"], "right", reg.r_bt.pk)
    assert app.registered_licence_no == lic and str(right.valid_to) == "2045-01-01"
    app = services.create(ent, {"kind": "transfer", "licence_no": lic, "record": {"transferee": reg.b.pk}})
    for item in ("transfer_contract", "transferee_qualification"):
        services.attach(ent, app.pk, item, "f.pdf", b"%PDF-1.4")
    app = _act(ent, services.get(ent, app.pk), "file")
    app = _through_to_register(reg, app, monkeypatch)
    right = registry.get(actors(reg)["admin"], "right", reg.r_bt.pk)
    assert right.holder_id == reg.b.pk
    assert [e["kind"] for e in registry.events(actors(reg)["admin"], right)] == ["granted", "renewed", "transferred"]


def test_a_registry_refusal_rolls_the_decision_back(reg, monkeypatch):
    """The registry refuses the change (a renewal ending before the right's validity starts): the
    application stays in notice, no step, no audit entry of registration."""
    ent = actors(reg)["ent_a"]
    app = services.create(
        ent, {"kind": "renewal", "licence_no": reg.r_bt.licence_no, "record": {"valid_to": "2001-01-01"}}
    )
    services.attach(ent, app.pk, "application_form", "f.pdf", b"%PDF-1.4")
    app = _act(ent, services.get(ent, app.pk), "file")
    with pytest.raises(InvalidInput):
        _through_to_register(reg, app, monkeypatch)
    app = services.get(ent, app.pk)
    assert app.status == "in_notice" and app.registered_licence_no == ""
    assert "register" not in [s.action for s in app.steps.all()]
    assert "action:register" not in [e.action for e in audit.history("application", app.pk)]


def test_each_party_is_told_in_the_inbox_and_by_mail(reg, settings, django_capture_on_commit_callbacks):
    from django.core import mail

    from kuangzheng.applications import notify

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    a = actors(reg)
    for role, email in (("ent_a", "ent@example.test"), ("reg_im", "im@example.test"), ("reg_qh", "qh@example.test")):
        reg.users[role].email = email
        reg.users[role].save()
    app = draft(reg)
    with django_capture_on_commit_callbacks(execute=True):
        app = _act(a["ent_a"], app, "file")
    assert [m["action"] for m in notify.inbox(a["reg_im"])] == ["file"]
    assert notify.inbox(a["reg_qh"]) == [] and notify.inbox(a["ent_a"]) == []
    assert [m.to for m in mail.outbox] == [["im@example.test"]]  # the deciding division, not Qinghai
    with django_capture_on_commit_callbacks(execute=True):
        _act(a["reg_im"], app, "request_more", reason="请补充拐点")
    (m,) = notify.inbox(a["ent_a"])
    assert m["action"] == "request_more" and "请补充拐点" in m["text_zh"]
    assert mail.outbox[-1].to == ["ent@example.test"] and "请补充拐点" in mail.outbox[-1].body


def test_a_failed_action_sends_nothing(reg, settings, django_capture_on_commit_callbacks):
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reg.users["ent_a"].email = "ent@example.test"
    reg.users["ent_a"].save()
    app = filed(reg)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidInput):
        _act(actors(reg)["reg_im"], app, "request_more")  # no reason
    assert mail.outbox == []
