"""Every supervision endpoint × every role, expected outcomes written out from the rules: staff act in
their division (reg_bt and reg_im over Baotou, reg_qh nowhere here); enterprise a answers its own
cases; the public reads published plans, result files, closed cases and verifies draws."""

import datetime as dt

import pytest

from kuangzheng.supervision import enforcement, plans

from .helpers import PDF

ROLES = ["admin", "reg_im", "reg_bt", "reg_qh", "ent_a", "public"]
STAFF_BT = {"admin", "reg_im", "reg_bt"}
ENDPOINTS = [
    ("GET", "/supervision/plans"),
    ("POST", "/supervision/plans"),
    ("GET", "/supervision/plans/{pk}"),
    ("POST", "/supervision/plans/{pk}/publish"),
    ("POST", "/supervision/plans/{pk}/draw"),
    ("GET", "/supervision/plans/{pk}/result"),
    ("POST", "/supervision/verify"),
    ("GET", "/supervision/cases"),
    ("POST", "/supervision/findings"),
    ("POST", "/supervision/findings/{pk}/attachments"),
    ("POST", "/supervision/orders/{pk}/attachments"),
    ("GET", "/supervision/attachments/{pk}"),
    ("GET", "/supervision/cases/{pk}"),
    ("POST", "/supervision/cases/{pk}/actions"),
    ("GET", "/supervision/alerts"),
    ("GET", "/supervision/dashboard"),
    ("GET", "/supervision/zombies"),
    ("POST", "/supervision/zombies/{right}/case"),
    ("POST", "/supervision/rights/{pk}/work-reports"),
    ("POST", "/supervision/rights/{pk}/investments"),
]
J = "application/json"
PLAN = {"title": "抽查", "entity": "right", "ratio": 0.5, "seed_source": "某日公开数值", "division": "150200"}


@pytest.fixture
def world(sup):
    reg = sup.actors["reg_bt"]
    p = plans.create(reg, PLAN)
    p = plans.publish(reg, p.pk, p.version)
    drawn = plans.run_draw(reg, p.pk, "42", p.version)
    draft = plans.create(reg, PLAN)
    case = enforcement.record_finding(reg, {"enterprise": sup.a.pk, "description": "问题"})
    case = enforcement.act(reg, case.pk, "order_rectification", {"version": 1, "deadline": "2099-01-01"})
    closed = enforcement.record_finding(reg, {"enterprise": sup.a.pk, "description": "问题二"})
    closed = enforcement.act(reg, closed.pk, "order_stop_work", {"version": 1, "deadline": "2099-01-01"})
    closed = enforcement.act(reg, closed.pk, "close", {"version": closed.version})
    sup.w = {"drawn": drawn, "draft": draft, "case": case, "closed": closed}
    return sup


@pytest.mark.parametrize("role", ROLES)
def test_plans(role, world, login):
    c = login(role, world)
    drawn, draft = world.w["drawn"], world.w["draft"]
    listed = {p["id"] for p in c.get("/api/v1/supervision/plans").json()}
    assert drawn.pk in listed and (draft.pk in listed) == (role in STAFF_BT)
    assert c.get(f"/api/v1/supervision/plans/{draft.pk}").status_code == (200 if role in STAFF_BT else 404)
    res = c.get(f"/api/v1/supervision/plans/{drawn.pk}/result")
    assert res.status_code == 200
    v = c.post("/api/v1/supervision/verify", res.json(), content_type=J)
    assert v.status_code == 200 and v.json()["verified"] is True
    made = c.post("/api/v1/supervision/plans", PLAN, content_type=J)
    assert made.status_code == (200 if role in STAFF_BT else 403)
    pub = c.post(f"/api/v1/supervision/plans/{draft.pk}/publish", {"version": draft.version}, content_type=J)
    assert pub.status_code == (200 if role in STAFF_BT else 404)  # drafts are invisible to others
    d = c.post(f"/api/v1/supervision/plans/{drawn.pk}/draw", {"seed": "1", "version": drawn.version}, content_type=J)
    assert d.status_code == (400 if role in STAFF_BT else 403)  # drawn already


@pytest.mark.parametrize("role", ROLES)
def test_cases(role, world, login):
    c = login(role, world)
    case, closed = world.w["case"], world.w["closed"]
    listed = {x["id"] for x in c.get("/api/v1/supervision/cases").json()}
    want = {
        "admin": {case.pk, closed.pk},
        "reg_im": {case.pk, closed.pk},
        "reg_bt": {case.pk, closed.pk},
        "reg_qh": set(),
        "ent_a": {case.pk, closed.pk},
        "public": {closed.pk},
    }[role]
    assert listed == want
    r = c.get(f"/api/v1/supervision/cases/{case.pk}")
    assert r.status_code == (200 if case.pk in want else 404)
    r = c.get(f"/api/v1/supervision/cases/{closed.pk}")
    assert r.status_code == (200 if closed.pk in want else 404)
    if r.status_code == 200:
        assert ("steps" in r.json()) == (role in STAFF_BT | {"ent_a"})  # its own case in full
    f = c.post("/api/v1/supervision/findings", {"enterprise": world.a.pk, "description": "x"}, content_type=J)
    assert f.status_code == (200 if role in STAFF_BT else 403)
    ans = c.post(
        f"/api/v1/supervision/cases/{case.pk}/actions",
        {"action": "answer", "version": case.version, "text": "已整改"},
        content_type=J,
    )
    assert ans.status_code == {"ent_a": 200, "public": 404, "reg_qh": 404}.get(role, 400)  # staff may not answer
    finding_id = case.finding_id
    up = c.post(f"/api/v1/supervision/findings/{finding_id}/attachments", {"file": _file()})
    assert up.status_code == (200 if role in STAFF_BT else 404)
    order = case.orders.get()
    up = c.post(f"/api/v1/supervision/orders/{order.pk}/attachments", {"file": _file()})
    assert up.status_code == (200 if role in STAFF_BT | {"ent_a"} else 404)
    reg = world.actors["reg_bt"]
    on_finding = enforcement.attach(reg, finding=finding_id, filename="现场.pdf", content=PDF)
    on_order = enforcement.attach(reg, order=order.pk, filename="整改.pdf", content=PDF)
    for att in (on_finding, on_order):  # who sees the case in full: staff of Baotou, enterprise a
        got = c.get(f"/api/v1/supervision/attachments/{att.pk}")
        assert got.status_code == (200 if role in STAFF_BT | {"ent_a"} else 404)
        if got.status_code == 200:
            assert got.content == PDF and got["X-Content-Type-Options"] == "nosniff"


def _file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("现场.pdf", PDF, content_type="application/pdf")


@pytest.mark.parametrize("role", ROLES)
def test_watch(role, world, login):
    from kuangzheng.supervision import alerts

    alerts.run_daily(dt.date(2034, 11, 1))  # r_bt (Baotou, enterprise a) expires 2035-01-01: within 90 days
    c = login(role, world)
    got = c.get("/api/v1/supervision/alerts")
    if role == "public":
        assert got.status_code == 200 and got.json() == []
    else:
        kinds = {a["source"] for a in got.json()}
        sees_bt = role in STAFF_BT or role == "ent_a"
        assert (f"registry.MineralRight:{world.r_bt.pk}" in kinds) == sees_bt
    dash = c.get("/api/v1/supervision/dashboard")
    assert dash.status_code == (200 if role in STAFF_BT | {"reg_qh"} else 403)
    z = c.get("/api/v1/supervision/zombies")
    assert z.status_code == (200 if role in STAFF_BT | {"reg_qh"} else 403)
    oz = c.post(f"/api/v1/supervision/zombies/{world.r_bt.pk}/case", content_type=J)
    # r_bt is a valid mining right, not a zombie: staff in scope are told so, others refused
    assert oz.status_code == (400 if role in STAFF_BT else 404 if role == "reg_qh" else 403)
    wr = c.post(
        f"/api/v1/supervision/rights/{world.r_bt.pk}/work-reports",
        {"kind": "start", "date": "2026-01-01"},
        content_type=J,
    )
    # r_bt is a mining right: only exploration rights report (400) — for those allowed to file at all
    assert wr.status_code == (400 if role in STAFF_BT | {"ent_a"} else 403 if role == "public" else 404)
    inv = c.post(
        f"/api/v1/supervision/rights/{world.r_bt.pk}/investments", {"year": 2020, "amount_yuan": 1}, content_type=J
    )
    assert inv.status_code == wr.status_code
