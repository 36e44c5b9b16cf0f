"""Every restoration endpoint × every role (expected outcomes written out from the rules: the holder
submits and deposits, staff in scope review, accept, spend and keep the responsibility ledger, the
public reads published plans, the lists and a mine's public figures)."""

import base64

import pytest

from .helpers import PASS, PDF

ROLES = ["admin", "reg_im", "reg_bt", "reg_qh", "ent_a", "public"]
ENDPOINTS = [  # (method, path) as the role-matrix coverage test lists them
    ("GET", "/restoration/plans"),
    ("POST", "/restoration/plans"),
    ("GET", "/restoration/plans/{pk}"),
    ("POST", "/restoration/plans/{pk}/document"),
    ("GET", "/restoration/plans/{pk}/documents/{doc_pk}"),
    ("POST", "/restoration/plans/{pk}/actions"),
    ("POST", "/restoration/plans/{pk}/letter"),
    ("PATCH", "/restoration/phases/{pk}"),
    ("POST", "/restoration/phases/{pk}/report"),
    ("POST", "/restoration/phases/{pk}/acceptance"),
    ("GET", "/restoration/funds/{right}"),
    ("POST", "/restoration/funds/{right}/postings"),
    ("POST", "/restoration/funds/{right}/conversion"),
    ("GET", "/restoration/problems"),
    ("POST", "/restoration/problems"),
    ("POST", "/restoration/problems/{pk}/restored"),
    ("GET", "/restoration/projects"),
    ("POST", "/restoration/projects"),
    ("GET", "/restoration/green"),
    ("POST", "/restoration/green"),
    ("POST", "/restoration/green/{pk}/evaluation"),
    ("GET", "/restoration/indicators"),
    ("GET", "/restoration/mines/{right}"),
    ("GET", "/restoration/preconditions"),
]
HOLDER_OR_STAFF = {"admin", "reg_im", "reg_bt", "ent_a"}  # of the Baotou right of enterprise a
STAFF = {"admin", "reg_im", "reg_bt"}
J = "application/json"
A = "/api/v1/restoration"


def _plan(c, reg):
    return c.post(
        f"{A}/plans", {"right": reg.r_bt.pk, "title": "方案", "first_year": 2024, "last_year": 2026}, content_type=J
    )


@pytest.mark.parametrize("role", ROLES)
def test_plan_submission_and_review(role, reg, login):
    c = login(role, reg)
    r = _plan(c, reg)
    assert r.status_code == (200 if role in HOLDER_OR_STAFF else {"reg_qh": 400, "public": 403}[role])
    if r.status_code != 200:
        return
    pk = r.json()["id"]
    up = c.post(f"{A}/plans/{pk}/document", {"content": base64.b64encode(PDF).decode()}, content_type=J)
    assert up.status_code == 200
    rev = c.post(f"{A}/plans/{pk}/actions", {"action": "review", "version": 1}, content_type=J)
    assert rev.status_code == (200 if role in STAFF else 403)


@pytest.mark.parametrize("role", ROLES)
def test_reads(role, reg, login):
    from tests.restoration.helpers import approved_plan

    p = approved_plan(reg)
    c = login(role, reg)
    assert c.get(f"{A}/plans/{p.pk}").status_code == (404 if role == "reg_qh" else 200)
    listed = [x["id"] for x in c.get(f"{A}/plans").json()]
    assert listed == ([] if role == "reg_qh" else [p.pk])
    doc = p.documents.get()
    got = c.get(f"{A}/plans/{p.pk}/documents/{doc.pk}")  # the published plan's text: the holder and staff only
    assert got.status_code == (200 if role in HOLDER_OR_STAFF else 404)
    if got.status_code == 200:
        assert got.content == PDF and got["Content-Type"] == "application/pdf"
    assert c.get(f"{A}/green").status_code == 200
    assert c.get(f"{A}/indicators").status_code == 200
    assert c.get(f"{A}/mines/{reg.r_bt.pk}").status_code == (404 if role == "reg_qh" else 200)
    for path in ("problems", "projects", "preconditions?licence_no=" + reg.r_bt.licence_no):
        assert c.get(f"{A}/{path}").status_code == (
            200 if role in STAFF else {"reg_qh": 200, "public": 403}.get(role, 403)
        )


@pytest.mark.parametrize("role", ROLES)
def test_fund_and_phases(role, reg, login):
    from kuangzheng.restoration import fund, services
    from tests.restoration.helpers import actor, approved_plan

    p = approved_plan(reg)
    ph = p.phases.get(seq=1)
    fund.post(actor(reg, "ent_a"), right=reg.r_bt.pk, kind="deposit", amount="100", request_id="d0")
    c = login(role, reg)
    r = c.post(
        f"{A}/phases/{ph.pk}/report", {"version": ph.version, "actual": {"forest": {"reclaimed": 1}}}, content_type=J
    )
    assert r.status_code == (200 if role in HOLDER_OR_STAFF else {"reg_qh": 404, "public": 403}[role])
    if r.status_code != 200:
        services.report_phase(
            actor(reg, "ent_a"), ph.pk, {"version": ph.version, "actual": {"forest": {"reclaimed": 1}}}
        )
    ph.refresh_from_db()
    acc = c.post(f"{A}/phases/{ph.pk}/acceptance", {"version": ph.version, "checklist": PASS}, content_type=J)
    assert acc.status_code == (200 if role in STAFF else {"reg_qh": 404, "public": 403, "ent_a": 403}[role])
    if acc.status_code == 200:
        assert acc.json()["passed"] is True
    dep = c.post(
        f"{A}/funds/{reg.r_bt.pk}/postings", {"kind": "deposit", "amount": "10.00", "request_id": "d1"}, content_type=J
    )
    assert dep.status_code == (200 if role in HOLDER_OR_STAFF else {"reg_qh": 400, "public": 404}[role])
    st = c.get(f"{A}/funds/{reg.r_bt.pk}")
    assert st.status_code == (200 if role in HOLDER_OR_STAFF else {"reg_qh": 400, "public": 404}[role])


@pytest.mark.parametrize("role", ROLES)
def test_responsibility_ledger_writes(role, reg, login):
    c = login(role, reg)
    body = {
        "division": "150200",
        "site": "采坑",
        "problem_type": "露天采场",
        "area_ha": 3,
        "arose_on": "1990-01-01",
        "mine_state": "abandoned",
        "party_exists": False,
    }
    r = c.post(f"{A}/problems", body, content_type=J)
    assert r.status_code == (200 if role in STAFF else {"reg_qh": 400, "public": 403, "ent_a": 403}[role])
