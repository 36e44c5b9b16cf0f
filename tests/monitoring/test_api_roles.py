"""Every monitoring endpoint × every role: allowed succeed, denied are refused (expected codes
written out from the rules: reports are private, warnings and ledger writes are for staff in
scope, indicators, targets, releases and the ledger are public)."""

import pytest

from kuangzheng.access.actor import Actor
from kuangzheng.monitoring import ledger, reports

from .helpers import al_line, workbook

ROLES = ["admin", "reg_im", "reg_bt", "reg_qh", "ent_a", "public"]
IN_SCOPE = {"admin", "reg_im", "reg_bt"}
ENDPOINTS = [  # (method, path) as the role-matrix coverage test lists them
    ("GET", "/monitoring/report-types"),
    ("GET", "/monitoring/templates/{report_type}"),
    ("GET", "/monitoring/reports"),
    ("GET", "/monitoring/reports/{pk}"),
    ("POST", "/monitoring/uploads"),
    ("POST", "/monitoring/reports/{pk}/submit"),
    ("POST", "/monitoring/reports/{pk}/return"),
    ("POST", "/monitoring/reports/{pk}/accept"),
    ("GET", "/monitoring/indicators"),
    ("GET", "/monitoring/targets"),
    ("GET", "/monitoring/warnings"),
    ("POST", "/monitoring/warnings/evaluate"),
    ("POST", "/monitoring/warnings/{pk}/acknowledge"),
    ("GET", "/monitoring/releases"),
    ("POST", "/monitoring/releases"),
    ("GET", "/monitoring/ledger"),
    ("POST", "/monitoring/ledger/retire"),
    ("POST", "/monitoring/ledger/movements"),
    ("POST", "/monitoring/ledger/replacements"),
    ("GET", "/monitoring/plan/publications"),
    ("POST", "/monitoring/plan/publications"),
    ("POST", "/monitoring/plan/publications/{pk}/withdraw"),
    ("GET", "/monitoring/plan/adjustments"),
    ("GET", "/monitoring/plan/adjustments/{pk}"),
    ("POST", "/monitoring/plan/adjustments"),
    ("POST", "/monitoring/plan/adjustments/{pk}/approve"),
    ("POST", "/monitoring/plan/adjustments/{pk}/withdraw"),
]
J = "application/json"


@pytest.fixture
def mon(reg):
    fac = al_line(reg)
    ent = Actor("u-ent-a", "enterprise", enterprise_id=reg.a.pk)
    pk = reports.upload(
        ent,
        "monthly_production",
        workbook([[f"KZF-{fac.pk}", "2020-01", "铝", 30000, 500000, 480000, 40000, 5400, None]]),
    )["reports"][0]["id"]
    reg.fac_al, reg.report = fac, pk
    reg.project = al_line(reg, capacity=5, project_type="new")
    ledger.retire(Actor("a", "admin"), code="Q-ROLE", amount=80000, holder=reg.a.pk)
    return reg


@pytest.mark.parametrize("role", ROLES)
def test_public_reads(role, mon, login):
    c = login(role, mon)
    for path in (
        "report-types",
        "templates/monthly_production",
        "indicators",
        "targets?year=2020",
        "releases",
        "ledger",
        "plan/publications",
        "plan/adjustments",
    ):
        assert c.get(f"/api/v1/monitoring/{path}").status_code == 200, path


@pytest.mark.parametrize("role", ROLES)
def test_reports(role, mon, login):
    c = login(role, mon)
    listed = c.get("/api/v1/monitoring/reports").json()
    sees = role in {"admin", "reg_im", "reg_bt", "ent_a"}
    assert [r["id"] for r in listed] == ([mon.report] if sees else [])
    assert c.get(f"/api/v1/monitoring/reports/{mon.report}").status_code == (200 if sees else 404)
    submit = c.post(f"/api/v1/monitoring/reports/{mon.report}/submit", {}, content_type=J)
    assert submit.status_code == {"admin": 200, "ent_a": 200, "reg_im": 403, "reg_bt": 403}.get(role, 404)
    if submit.status_code != 200:
        reports.transition(Actor("a", "admin"), mon.report, "submit")
    ret = c.post(f"/api/v1/monitoring/reports/{mon.report}/return", {"reason": "请核实"}, content_type=J)
    assert ret.status_code == (200 if role in IN_SCOPE else 403 if role == "ent_a" else 404)
    if ret.status_code == 200:
        reports.transition(Actor("a", "admin"), mon.report, "submit")
    acc = c.post(f"/api/v1/monitoring/reports/{mon.report}/accept", {}, content_type=J)
    assert acc.status_code == (200 if role in IN_SCOPE else 403 if role == "ent_a" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_upload(role, mon, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = login(role, mon)
    data = workbook([[f"KZF-{mon.fac_al.pk}", "2020-02", "铝", 30000, 500000, 480000, 40000, 5400, None]])
    r = c.post(
        "/api/v1/monitoring/uploads", {"report_type": "monthly_production", "file": SimpleUploadedFile("r.xlsx", data)}
    )
    # regulators may file for facilities in their scope; reg_qh's upload names a facility outside it
    assert r.status_code == {"public": 403, "reg_qh": 400}.get(role, 200)


@pytest.mark.parametrize("role", ROLES)
def test_warnings_and_releases(role, mon, login):
    c = login(role, mon)
    staff = role in IN_SCOPE | {"reg_qh"}
    assert c.get("/api/v1/monitoring/warnings").status_code == (200 if staff else 403)
    assert c.post("/api/v1/monitoring/warnings/evaluate").status_code == (200 if staff else 403)
    rel = c.post("/api/v1/monitoring/releases", {"period": "2020"}, content_type=J)
    assert rel.status_code == (201 if staff else 403)
    from kuangzheng.monitoring.models import WarningRecord

    w = WarningRecord.objects.create(
        rule_id="r",
        citation_id="c",
        severity="warning",
        indicator="i",
        division="150200",
        period="2020",
        value=1,
        threshold=2,
        unit="1",
        comparison="<",
    )
    ack = c.post(f"/api/v1/monitoring/warnings/{w.pk}/acknowledge", {"note": "已知"}, content_type=J)
    assert ack.status_code == (200 if role in IN_SCOPE else 404 if role == "reg_qh" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_ledger_writes(role, mon, login):
    c = login(role, mon)
    expect = 201 if role in IN_SCOPE else 404 if role == "reg_qh" else 403
    r = c.post(
        "/api/v1/monitoring/ledger/retire", {"code": f"Q-{role}", "amount": 1000, "holder": mon.a.pk}, content_type=J
    )
    assert r.status_code == expect
    m = c.post(
        "/api/v1/monitoring/ledger/movements",
        {
            "kind": "transfer",
            "quota": "Q-ROLE",
            "amount": 10000,
            "holder": mon.a.pk,
            "to_holder": mon.b.pk,
            "request_id": f"t-{role}",
        },
        content_type=J,
    )
    assert m.status_code == expect
    p = c.post(
        "/api/v1/monitoring/ledger/replacements",
        {
            "project": mon.project.pk,
            "holder": mon.a.pk,
            "quotas": [{"quota": "Q-ROLE", "amount": 50000}],
            "request_id": f"p-{role}",
        },
        content_type=J,
    )
    assert p.status_code == expect
    assert c.get("/api/v1/monitoring/ledger").json()["balanced"]


@pytest.mark.parametrize("role", ROLES)
def test_plan_publications(role, mon, login):
    """The plan is the jurisdiction's (Inner Mongolia, prefix 15): only staff covering it publish and
    withdraw its report; a prefecture or another province is refused, the others too."""
    from kuangzheng.monitoring import planpub

    c = login(role, mon)
    may = role in {"admin", "reg_im"}
    r = c.post("/api/v1/monitoring/plan/publications", {"year": 2019}, content_type=J)
    assert r.status_code == (201 if may else 403), r.content
    pk = r.json()["id"] if may else planpub.publish(Actor("a", "admin"), 2019).pk
    w = c.post(f"/api/v1/monitoring/plan/publications/{pk}/withdraw", {"reason_zh": "更正"}, content_type=J)
    assert w.status_code == (200 if may else 403)
    assert c.post("/api/v1/monitoring/plan/publications", {"year": "x"}, content_type=J).status_code == (
        400 if may else 403
    )


@pytest.mark.parametrize("role", ROLES)
def test_plan_adjustments(role, mon, login):
    """Proposing, approving and withdrawing a plan adjustment: staff covering the jurisdiction only;
    reading: everyone. Approval waits for the publicity (400 while it runs)."""
    import datetime as dt

    from kuangzheng.monitoring import adjustments

    c = login(role, mon)
    may = role in {"admin", "reg_im"}
    ends = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    body = {"title_zh": "调整", "summary_zh": "内容", "zones": [mon.zone.code], "publicity_ends_on": ends}
    r = c.post("/api/v1/monitoring/plan/adjustments", body, content_type=J)
    assert r.status_code == (201 if may else 403), r.content
    pk = r.json()["id"] if may else adjustments.propose(Actor("a", "admin"), body).pk
    assert c.get(f"/api/v1/monitoring/plan/adjustments/{pk}").status_code == 200
    a = c.post(f"/api/v1/monitoring/plan/adjustments/{pk}/approve", {"approval_no": "文号"}, content_type=J)
    assert a.status_code == (400 if may else 403)
    w = c.post(f"/api/v1/monitoring/plan/adjustments/{pk}/withdraw", {"reason_zh": "撤回"}, content_type=J)
    assert w.status_code == (200 if may else 403)
