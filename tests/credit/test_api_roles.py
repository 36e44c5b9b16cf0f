"""Every credit endpoint × every role, through the HTTP API. Expected outcomes are written out from
the rules: regulators enter and remove for holders inside their division (Baotou's enterprise a:
the region, Baotou; not Qinghai), the holder reads its own entries and asks for removal, files its
own annual information; everyone reads the current entries, the lists' rules, standings and filings."""

import pytest

from kuangzheng.credit import services

from .helpers import D, enter

ROLES = ["admin", "reg_im", "reg_bt", "reg_qh", "ent_a", "public"]
ENDPOINTS = [  # (method, path) as the role-matrix coverage test lists them
    ("GET", "/credit/lists"),
    ("GET", "/credit/entries"),
    ("POST", "/credit/entries"),
    ("GET", "/credit/entries/{pk}"),
    ("POST", "/credit/entries/{pk}/confirm"),
    ("POST", "/credit/entries/{pk}/remove"),
    ("POST", "/credit/entries/{pk}/removal-request"),
    ("GET", "/credit/standing/{enterprise_id}"),
    ("GET", "/credit/filings"),
    ("POST", "/credit/filings"),
]
J = "application/json"
IN_SCOPE = {"admin", "reg_im", "reg_bt"}


def _staff_code(role):
    return 200 if role in IN_SCOPE else {"reg_qh": 404}.get(role, 403)


@pytest.fixture
def listed(reg):
    reg.entry = enter(reg, "geodata_blacklist", "data_not_submitted")
    reg.proposal = services.propose(
        services_actor(reg, "reg_bt"), "three_rate_negative", reg.a.pk, "three_rate_failed", detail_zh="未达标"
    )
    gone = enter(reg, "abnormal", "unreachable", entered_on=D(2025, 1, 2), today=D(2025, 1, 2))
    reg.gone = services.remove(services_actor(reg, "reg_bt"), gone.pk, "repair", "已补报", today=D(2025, 3, 1))
    return reg


def services_actor(reg, role):
    from kuangzheng.access.actor import actor_for_user

    return actor_for_user(reg.users[role])


@pytest.mark.parametrize("role", ROLES)
def test_public_reads(role, listed, login):
    c = login(role, listed)
    assert set(c.get("/api/v1/credit/lists").json()["lists"]) >= {"abnormal", "serious_dishonesty"}
    listed_ids = {e["id"] for e in c.get("/api/v1/credit/entries").json()}
    expected = {listed.entry.pk}
    if role in IN_SCOPE or role == "ent_a":
        expected |= {listed.proposal.pk, listed.gone.pk}  # the history and proposals of their scope / their own
    assert listed_ids == expected
    standing = c.get(f"/api/v1/credit/standing/{listed.a.pk}").json()
    assert [s["id"] for s in standing] == [listed.entry.pk]
    assert c.get(f"/api/v1/credit/entries/{listed.entry.pk}").status_code == 200
    r = c.get(f"/api/v1/credit/entries/{listed.gone.pk}")
    assert r.status_code == (200 if role in IN_SCOPE or role == "ent_a" else 404)
    assert c.get("/api/v1/credit/filings").status_code == 200
    assert c.get("/api/v1/credit/standing/1?on=2026-02-30").status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_enter_confirm_remove(role, listed, login):
    c = login(role, listed)
    body = {"list": "abnormal", "enterprise": listed.a.pk, "reason": "unreachable", "detail_zh": "无法联系"}
    r = c.post("/api/v1/credit/entries", body, content_type=J)
    assert r.status_code == _staff_code(role), r.content
    p = listed.proposal
    r = c.post(f"/api/v1/credit/entries/{p.pk}/confirm", {"version": p.version}, content_type=J)
    assert r.status_code == _staff_code(role), r.content
    e = listed.entry
    r = c.post(
        f"/api/v1/credit/entries/{e.pk}/remove", {"kind": "repair", "reason_zh": "已汇交", "version": 1}, content_type=J
    )
    # the holder and the public reach the entry (it is public) but may not remove it
    assert r.status_code == _staff_code(role), r.content


@pytest.mark.parametrize("role", ROLES)
def test_removal_request_and_filing(role, listed, login):
    c = login(role, listed)
    e = listed.entry
    r = c.post(f"/api/v1/credit/entries/{e.pk}/removal-request", {"text": "已汇交"}, content_type=J)
    assert r.status_code == (200 if role == "ent_a" else 403)
    body = {"contact_phone": "1", "address": "包头", "exploration_investment": 1, "ore_mined": 0, "info_year": 2025}
    r = c.post("/api/v1/credit/filings", body, content_type=J)
    assert r.status_code == (200 if role == "ent_a" else 403)


def test_bad_input_answers_400_naming_the_field(listed, login):
    c = login("reg_bt", listed)
    r = c.post("/api/v1/credit/entries", {"list": "abnormal", "enterprise": listed.a.pk}, content_type=J)
    assert r.status_code == 400
    fields = {p["field"] for p in r.json()["problems"]}
    assert fields == {"reason", "detail_zh"}
    assert r.json()["problems"][0]["message_zh"]
