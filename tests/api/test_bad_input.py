"""Input the API cannot use answers 400 naming the field and the reason in Chinese and English — never
500 — whether it is a malformed filter, an impossible page, a JSON number Python would accept but no
one means (NaN, Infinity, 1e400), nesting meant to exhaust the stack, or a polygon meant to exhaust the
CPU. The vertex and nesting limits are settings (environment variables, src/kuangzheng/limits.py)."""

import datetime as dt
import json
import math

import pytest

from kuangzheng.compliance import services as compliance
from kuangzheng.registry.models import Zone
from tests.support.registry import ADMIN

CJK = "\u4e00"


def problem(resp, field):
    assert resp.status_code == 400, (resp.status_code, resp.content[:300])
    body = resp.json()
    found = [p for p in body.get("problems", []) if p["field"] == field]
    assert found, body
    assert any(CJK <= c <= "\u9fff" for c in found[0]["message_zh"]) and found[0]["message_en"], found[0]
    return found[0]


@pytest.mark.parametrize("path", ["rights", "facilities", "zones"])
@pytest.mark.parametrize("bbox", ["a,b,c,d", "1,2,3", "nan,1,2,3", "1,2,3,4,5"])
def test_a_bad_bbox(path, bbox, reg, login):
    problem(login("admin", reg).get(f"/api/v1/{path}", {"bbox": bbox}), "bbox")


def test_a_holder_that_is_not_an_id(reg, login):
    assert "编号" in problem(login("admin", reg).get("/api/v1/rights", {"holder": "abc"}), "holder")["message_zh"]


def test_parameters_of_the_wrong_type_are_400_in_both_languages(reg, login):
    c = login("admin", reg)
    assert "整数" in problem(c.get("/api/v1/rights", {"page": "abc"}), "page")["message_zh"]
    assert problem(c.get("/api/v1/rights", {"q": "a\x00b"}), "q")


def test_a_results_page_beyond_reach(reg, login):
    run = compliance.run_sweep(ADMIN, dt.date(2026, 1, 1))
    c = login("admin", reg)
    for page in ("99999999999999999", "9" * 30, "0"):
        problem(c.get(f"/api/v1/compliance/runs/{run.pk}/results", {"page": page}), "page")
    assert c.get(f"/api/v1/compliance/runs/{run.pk}/results", {"page": "2"}).status_code == 200


ZONE = {"code": "Z-BAD-1", "name": "坏区", "kind": "nature_reserve", "division": "150200"}


def post(c, path, text):
    return c.post(path, data=text, content_type="application/json")


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
def test_non_finite_numbers(number, reg, login):
    c = login("admin", reg)
    text = json.dumps(ZONE)[:-1] + f', "attrs": {{"depth_m": {number}}}}}'
    assert "有限数" in problem(post(c, "/api/v1/zones", text), "attrs.depth_m")["message_zh"]
    what_if = f'{{"subject": "facility", "record": {{"kind": "smelter", "division": "150200", "capacity": {number}}}}}'
    problem(post(c, "/api/v1/compliance/check", what_if), "record.capacity")
    assert not Zone.objects.filter(code="Z-BAD-1").exists()


def test_deep_nesting(reg, login, monkeypatch):
    c = login("admin", reg)
    deep = json.dumps(ZONE)[:-1] + ', "attrs": ' + '{"a": ' * 100_000 + "1" + "}" * 100_001
    assert "KZ_MAX_JSON_DEPTH" in problem(post(c, "/api/v1/zones", deep), "body")["message_en"]
    assert problem(post(c, "/api/v1/zones", "[" * 100_000 + "]" * 100_000), "body")
    # the limit is a setting: 5 levels of attributes pass by default, not under a limit of 4
    five = {**ZONE, "attrs": {"a": {"b": {"c": {"d": 1}}}}}
    assert post(c, "/api/v1/zones", json.dumps({**five, "code": "Z-OK-5"})).status_code == 201
    monkeypatch.setenv("KZ_MAX_JSON_DEPTH", "4")
    problem(post(c, "/api/v1/zones", json.dumps(five)), "attrs.a.b.c")


def _ring(n, lon=110.02, lat=41.61, r=0.01):
    pts = [
        [round(lon + r * math.cos(2 * math.pi * i / n), 6), round(lat + r * math.sin(2 * math.pi * i / n), 6)]
        for i in range(n)
    ]
    return pts + [pts[0]]


def test_too_many_vertices(reg, login, monkeypatch):
    c = login("admin", reg)
    huge = {**ZONE, "boundary": {"type": "Polygon", "coordinates": [_ring(80_000)]}}
    p = problem(post(c, "/api/v1/zones", json.dumps(huge)), "boundary")
    assert "80001" in p["message_zh"] and "KZ_MAX_VERTICES" in p["message_en"]
    small = {**ZONE, "boundary": {"type": "Polygon", "coordinates": [_ring(40)]}}
    monkeypatch.setenv("KZ_MAX_VERTICES", "30")
    problem(post(c, "/api/v1/zones", json.dumps(small)), "boundary")
    monkeypatch.delenv("KZ_MAX_VERTICES")
    assert post(c, "/api/v1/zones", json.dumps(small)).status_code == 201


def test_a_body_over_the_size_limit(reg, login, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    c = login("admin", reg)
    big = {**ZONE, "name": "x" * 20_000}
    assert "KZ_MAX_REQUEST_BYTES" in problem(post(c, "/api/v1/zones", json.dumps(big)), "body")["message_en"]


def test_malformed_and_non_utf8_bodies(reg, login):
    c = login("admin", reg)
    assert "第 1 行" in problem(post(c, "/api/v1/zones", '{"code": "Z-1",'), "body")["message_zh"]
    resp = c.post(
        "/api/v1/zones", data=json.dumps(ZONE, ensure_ascii=False).encode("gbk"), content_type="application/json"
    )
    assert "UTF-8" in problem(resp, "body")["message_en"]


def test_the_portal_what_if_upload_reads_json_strictly(reg, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = login("ent_a", reg)
    doc = b'{"subject": "facility", "record": {"kind": "smelter", "division": "150200", "capacity": 1e400}}'
    resp = c.post("/compliance/check/", {"document": "", "file": SimpleUploadedFile("a.json", doc)})
    assert resp.status_code == 400 and "record.capacity" in resp.content.decode()
    deep = b'{"subject": "facility", "context": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    resp = c.post("/compliance/check/", {"document": "", "file": SimpleUploadedFile("a.json", deep)})
    assert resp.status_code == 400 and "嵌套超过 32 层" in resp.content.decode()
