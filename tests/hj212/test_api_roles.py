"""Every online-monitoring endpoint × every role (expected outcomes written out from the rules:
regulators see the points of their divisions, an enterprise its own points and the public ones, the
public only public points; writes are for staff in scope; alarms are for who sees the point in full)."""

import pytest

from kuangzheng.hj212 import services
from kuangzheng.hj212.models import MonitoringPoint

from .helpers import ADMIN, register

ROLES = ["admin", "reg_im", "reg_bt", "reg_qh", "ent_a", "public"]
ENDPOINTS = [  # (method, path) as the role-matrix coverage test lists them
    ("GET", "/hj212/codes"),
    ("GET", "/hj212/points"),
    ("POST", "/hj212/points"),
    ("GET", "/hj212/points/{pk}"),
    ("PATCH", "/hj212/points/{pk}"),
    ("POST", "/hj212/points/{pk}/limits"),
    ("GET", "/hj212/points/{pk}/series"),
    ("GET", "/hj212/alarms"),
    ("POST", "/hj212/alarms/evaluate"),
    ("POST", "/hj212/alarms/{pk}/finding"),
    ("GET", "/hj212/capture"),
]
# points: "bt" on the Baotou facility of enterprise a (public), "hh" on Hohhot's (private)
VISIBLE = {
    "admin": {"bt", "hh"},
    "reg_im": {"bt", "hh"},
    "reg_bt": {"bt"},
    "reg_qh": set(),
    "ent_a": {"bt"},
    "public": {"bt"},
}
FULL = {"admin": {"bt", "hh"}, "reg_im": {"bt", "hh"}, "reg_bt": {"bt"}, "ent_a": {"bt"}}
WRITERS = {"admin": {"bt", "hh"}, "reg_im": {"bt", "hh"}, "reg_bt": {"bt"}}
J = "application/json"


@pytest.fixture
def pts(reg):
    bt = register(reg.fac.pk, mn="B" * 24, reference_o2=6)
    hh = register(reg.fac_b.pk, mn="C" * 24, is_public=False)
    MonitoringPoint.objects.filter(pk=hh.pk).update(silence_allowed=5)
    services.set_limit(ADMIN, bt.pk, {"code": "a21026", "value": 100, "source": "许可证", "basis": "converted"})
    from kuangzheng.hj212 import alarms

    alarms.evaluate()  # both never sent anything: silence alarms once their allowance passes
    reg.points = {"bt": bt, "hh": hh}
    return reg


@pytest.mark.parametrize("role", ROLES)
def test_reads(role, pts, login):
    c = login(role, pts)
    assert c.get("/api/v1/hj212/codes?medium=water").status_code == 200
    listed = {p["id"] for p in c.get("/api/v1/hj212/points").json()}
    assert listed == {pts.points[k].pk for k in VISIBLE[role]}
    for key, p in pts.points.items():
        r = c.get(f"/api/v1/hj212/points/{p.pk}")
        assert r.status_code == (200 if key in VISIBLE[role] else 404)
        if r.status_code == 200:
            body = r.json()
            assert body["full_view"] == (key in FULL.get(role, set())) and "password" not in body
            assert ("mn" in body) == body["full_view"]
        s = c.get(f"/api/v1/hj212/points/{p.pk}/series")
        assert s.status_code == (200 if key in VISIBLE[role] else 404)
    capture = {r["point"] for r in c.get("/api/v1/hj212/capture").json()}
    assert capture == listed
    alarm_points = {a["point"] for a in c.get("/api/v1/hj212/alarms").json()}
    assert alarm_points <= {pts.points[k].pk for k in FULL.get(role, set())}
    assert c.get("/hj212/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_writes(role, pts, login):
    c = login(role, pts)
    for key, p in pts.points.items():
        ok = key in WRITERS.get(role, set())
        r = c.post(
            f"/api/v1/hj212/points/{p.pk}/limits", {"code": "a21002", "value": 50, "source": "许可证"}, content_type=J
        )
        assert r.status_code == (200 if ok else (403 if role in ("ent_a", "public") else 404)), (key, r.content)
        r = c.patch(f"/api/v1/hj212/points/{p.pk}", {"name": "改名", "version": 1}, content_type=J)
        assert r.status_code == (200 if ok else (403 if role in ("ent_a", "public") else 404))
    new = {"facility": pts.fac.pk, "mn": "D" * 24, "password": "1", "name": "新点", "medium": "water"}
    r = c.post("/api/v1/hj212/points", new, content_type=J)
    assert r.status_code == (200 if role in WRITERS else (403 if role in ("ent_a", "public") else 400))
    r = c.post("/api/v1/hj212/alarms/evaluate", content_type=J)
    assert r.status_code == (200 if role in WRITERS or role == "reg_qh" else 403)


def test_bad_input_names_the_fields_in_both_languages(pts, login):
    c = login("admin", pts)
    r = c.post("/api/v1/hj212/points", {"facility": 999999, "mn": "short"}, content_type=J)
    assert r.status_code == 400
    fields = {p["field"] for p in r.json()["problems"]}
    assert {"facility", "mn", "password", "name", "medium"} <= fields
    assert all(p["message_zh"] and p["message_en"] for p in r.json()["problems"])
    stale = c.patch(f"/api/v1/hj212/points/{pts.points['bt'].pk}", {"name": "x", "version": 99}, content_type=J)
    assert stale.status_code == 409


@pytest.mark.parametrize("role", ROLES)
def test_an_alarm_opens_a_finding_for_staff_in_scope_once(role, pts, login):
    from django.utils import timezone

    from kuangzheng.hj212.models import Alarm

    c = login(role, pts)
    alarms = [  # an hour over its limit on each point (as the evaluator records one)
        Alarm.objects.create(
            point=p,
            kind="exceedance",
            code="a21026",
            at=timezone.now(),
            value=180,
            threshold=100,
            unit="mg/m3",
            severity="high",
            message_zh="二氧化硫小时均值超标",
            message_en="SO2 hourly average over its limit",
        )
        for p in pts.points.values()
    ]
    for a in alarms:
        key = next(k for k, p in pts.points.items() if p.pk == a.point_id)
        r = c.post(f"/api/v1/hj212/alarms/{a.pk}/finding", {"note": "现场核查"}, content_type=J)
        if key in WRITERS.get(role, set()):
            assert r.status_code == 200, r.content
            assert r.json()["url"] == f"/supervision/cases/{r.json()['case']}/"
            again = c.post(f"/api/v1/hj212/alarms/{a.pk}/finding", {}, content_type=J)
            assert again.status_code == 400 and again.json()["problems"][0]["field"] == "source"
        else:
            assert r.status_code == (403 if role in ("ent_a", "public") else 404), r.content
