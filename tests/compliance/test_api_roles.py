"""Every compliance endpoint and page × every role (admin, regulator in scope, regulator out of scope,
enterprise on its own / another's records, public). Expected codes are written out from the rules:
results are for signed-in users within their scope, sweeps for staff, the what-if check for every
signed-in user, registry-subject checks for those who see the subject in full."""

import copy

import pytest

from kuangzheng.compliance import services
from kuangzheng.compliance.examples import EXAMPLES

from .helpers import AS_OF
from .test_sweep import ADMIN

ROLES = ["admin", "reg_im", "reg_bt", "reg_qh", "ent_a", "public"]
ENDPOINTS = [  # (method, path) as the role-matrix coverage test lists them
    ("GET", "/compliance/rules"),
    ("POST", "/compliance/check"),
    ("GET", "/compliance/subjects/{kind}/{pk}"),
    ("GET", "/compliance/runs"),
    ("POST", "/compliance/runs"),
    ("GET", "/compliance/runs/{run_id}"),
    ("GET", "/compliance/runs/{run_id}/results"),
    ("GET", "/compliance/runs/{run_id}/diff/{other_id}"),
    ("GET", "/compliance/runs/{run_id}/export"),
]
SIGNED_IN = {"admin", "reg_im", "reg_bt", "reg_qh", "ent_a"}
STAFF = {"admin", "reg_im", "reg_bt", "reg_qh"}
# division codes of the result rows each role may see (the test registry: Baotou 150200, Hohhot 150100)
SEES = {
    "admin": {"150200", "150100"},
    "reg_im": {"150200", "150100"},
    "reg_bt": {"150200"},
    "reg_qh": set(),
    "ent_a": {"150200"},
}
API = "/api/v1"


@pytest.fixture
def runs(comp):
    comp.run1 = services.run_sweep(ADMIN, AS_OF)
    comp.run2 = services.run_sweep(ADMIN, AS_OF)
    return comp


def concentrator_near_key_area() -> dict:
    """The documented concentrator example, moved beside the test registry's key mining area (Baotou):
    the documented one lies by a key mining area of the demo data (test_examples_on_demo.py)."""
    doc = copy.deepcopy(EXAMPLES["concentrator"])
    doc["record"].update(division="150200", lon=110.02, lat=41.61)
    return doc


def code(expected_ok, role, allowed):
    return expected_ok if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_rules_and_what_if(role, runs, login):
    c = login(role, runs)
    assert c.get(f"{API}/compliance/rules").status_code == 200
    r = c.post(f"{API}/compliance/check", concentrator_near_key_area(), content_type="application/json")
    assert r.status_code == code(200, role, SIGNED_IN)
    if r.status_code == 200:
        assert {v["rule"]: v["outcome"] for v in r.json()["verdicts"]}["concentrator.min_capacity"] == "pass"
    bad = c.post(
        f"{API}/compliance/check", {"subject": "facility", "record": {"kind": "x"}}, content_type="application/json"
    )
    assert bad.status_code == code(400, role, SIGNED_IN)


# subject key -> expected status per role: a (Baotou, enterprise a) and fac_b (Hohhot, enterprise b)
SUBJECT = {
    ("facility", "al"): {"admin": 200, "reg_im": 200, "reg_bt": 200, "reg_qh": 404, "ent_a": 200, "public": 403},
    ("facility", "fac_b"): {"admin": 200, "reg_im": 200, "reg_bt": 404, "reg_qh": 404, "ent_a": 403, "public": 403},
    ("right", "r_app"): {"admin": 200, "reg_im": 200, "reg_bt": 200, "reg_qh": 404, "ent_a": 404, "public": 404},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("subject", list(SUBJECT))
def test_subject_checks(role, subject, runs, login):
    kind, key = subject
    r = login(role, runs).get(f"{API}/compliance/subjects/{kind}/{getattr(runs, key).pk}?as_of=2018-06-01")
    assert r.status_code == SUBJECT[subject][role], r.content
    if r.status_code == 200:
        assert all(v["subject"]["id"] == getattr(runs, key).pk for v in r.json())


@pytest.mark.parametrize("role", ROLES)
def test_runs_results_diff_export(role, runs, login):
    c = login(role, runs)
    r1, r2 = runs.run1.pk, runs.run2.pk
    assert c.get(f"{API}/compliance/runs").status_code == code(200, role, SIGNED_IN)
    assert c.get(f"{API}/compliance/runs/{r1}").status_code == code(200, role, SIGNED_IN)
    res = c.get(f"{API}/compliance/runs/{r1}/results?size=1000")
    assert res.status_code == code(200, role, SIGNED_IN)
    if role in SIGNED_IN:
        assert {v["subject"]["division"] for v in res.json()["results"]} == SEES[role]
        if role == "ent_a":
            owned = {("facility", runs.al.pk), ("facility", runs.fac.pk), ("right", runs.r_bt.pk)}
            assert {(v["subject"]["kind"], v["subject"]["id"]) for v in res.json()["results"]} <= owned
    assert c.get(f"{API}/compliance/runs/{r1}/diff/{r2}").status_code == code(200, role, SIGNED_IN)
    exp = c.get(f"{API}/compliance/runs/{r1}/export?format=csv")
    assert exp.status_code == code(200, role, SIGNED_IN)
    if role in SIGNED_IN:
        rows = exp.content.decode("utf-8-sig").splitlines()[1:]
        assert {row.split(",")[8] for row in rows} == SEES[role]
    assert c.get(f"{API}/compliance/runs/999999").status_code == code(404, role, SIGNED_IN)


@pytest.mark.parametrize("role", ROLES)
def test_start_a_sweep(role, runs, login):
    r = login(role, runs).post(f"{API}/compliance/runs?as_of=2018-06-01")
    assert r.status_code == code(200, role, STAFF)
    if r.status_code == 200:
        assert r.json()["scope"] == {"admin": "", "reg_im": "15", "reg_bt": "1502", "reg_qh": "63"}[role]


@pytest.mark.parametrize("role", ROLES)
def test_portal_pages(role, runs, login):
    c = login(role, runs)
    page = c.get("/compliance/")
    assert page.status_code == 200
    assert (b'id="sweep-form"' in page.content) == (role in STAFF)
    assert (b'class="run-row"' in page.content) == (role in SIGNED_IN)
    assert c.get("/compliance/check/").status_code == 200
    posted = c.post(
        "/compliance/check/",
        {
            "document": '{"subject": "facility", "record": '
            '{"kind": "al_line", "division": "150200", "cell_current_ka": 380}}',
            "as_of": "2016-01-01",
        },
    )
    assert posted.status_code == code(200, role, SIGNED_IN)
    if posted.status_code == 200:
        assert "al.cell_current" in posted.content.decode()
    run = c.get(f"/compliance/runs/{runs.run1.pk}/")
    assert run.status_code == code(200, role, SIGNED_IN)
    if role == "reg_bt":
        assert (
            "乙冶炼厂" not in run.content.decode()
            and "甲电解铝项目" in c.get(f"/compliance/runs/{runs.run1.pk}/?rule=al.cell_current").content.decode()
        )
    assert c.get(f"/compliance/runs/{runs.run1.pk}/diff/{runs.run2.pk}/").status_code == code(200, role, SIGNED_IN)
    assert c.get(f"/compliance/runs/{runs.run1.pk}/?export=xlsx").status_code == code(200, role, SIGNED_IN)
    subj = c.get(f"/compliance/subjects/facility/{runs.al.pk}/?as_of=2018-06-01")
    assert subj.status_code == SUBJECT[("facility", "al")][role]
    started = c.post("/compliance/sweep/", {"as_of": "2018-06-01"})
    assert started.status_code == (302 if role in STAFF else 403)
