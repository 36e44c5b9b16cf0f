"""Bad input is refused with a message naming the field (Chinese and English), through every
interface, and nothing is half-written."""

import json

import pytest
from click.testing import CliRunner
from shapely.geometry import box

from kuangzheng.cli import main
from kuangzheng.errors import InvalidInput
from kuangzheng.registry import services
from kuangzheng.registry.core.codes import credit_code_problem, make_credit_code
from kuangzheng.registry.models import Enterprise, MineralRight
from tests.support.registry import ADMIN, CODE_A, GRANT, right_data

BAD_CASES = [
    # (entity, data change, field expected, Chinese fragment)
    ("enterprise", {"credit_code": CODE_A[:-1] + ("0" if CODE_A[-1] != "0" else "1")}, "credit_code", "校验码错误"),
    ("enterprise", {"credit_code": "91150200MA0N00IO1X"}, "credit_code", "不允许的字符"),
    ("enterprise", {"credit_code": "123"}, "credit_code", "应为18位"),
    ("enterprise", {"division": "159999"}, "division", "未知的行政区划代码"),
    ("right", {"licence_no": "C1502002015000001"}, "licence_no", "已存在"),
    ("right", {"valid_from": "2030-01-01", "valid_to": "2020-01-01"}, "valid_to", "必须晚于"),
    ("right", {"valid_to": "2030-02-30"}, "valid_to", "日期"),
    ("right", {"boundary": "POLYGON((110 41, 110.1 41.1, 110.1 41, 110 41.1, 110 41))"}, "boundary", "几何无效"),
    ("right", {"boundary": "POLYGON((1 2, 3"}, "boundary", "无法解析"),
    ("right", {"boundary": "POINT(110 41)"}, "boundary", "应为面"),
    ("right", {"boundary": box(10, 10, 11, 11).wkt}, "boundary", "超出中国范围"),
    ("right", {"elevation_top": 100, "elevation_bottom": 500}, "elevation_bottom", "低于上限"),
    ("right", {"kind": "lease"}, "kind", "不在允许范围内"),
]


def _base(kind, reg):
    if kind == "enterprise":
        return {"name": "坏数据企业", "credit_code": make_credit_code("91150200MA0N00BAD"), "division": "150200"}
    return right_data("C1502002020000077", reg.a.pk, "150200", box(110.3, 41.6, 110.32, 41.62))


@pytest.mark.parametrize("kind,change,field,zh", BAD_CASES)
def test_service_refuses_and_names_the_field(kind, change, field, zh, reg):
    before = (Enterprise.objects.count(), MineralRight.objects.count())
    with pytest.raises(InvalidInput) as exc:
        services.create(ADMIN, kind, {**_base(kind, reg), **change}, first_event=GRANT if kind == "right" else None)
    p = [p for p in exc.value.problems if p.field == field]
    assert p and zh in p[0].zh and p[0].en, exc.value.problems
    assert (Enterprise.objects.count(), MineralRight.objects.count()) == before


@pytest.mark.parametrize("kind,change,field,zh", BAD_CASES[:6])
def test_api_returns_400_with_field(kind, change, field, zh, reg, login):
    c = login("admin", reg)
    body = {**_base(kind, reg), **change}
    if kind == "right":
        body["event"] = GRANT
    r = c.post(f"/api/v1/{'enterprises' if kind == 'enterprise' else 'rights'}", body, content_type="application/json")
    assert r.status_code == 400
    problems = r.json()["problems"]
    assert any(p["field"] == field and zh in p["message_zh"] and p["message_en"] for p in problems)


def test_portal_form_shows_every_problem_and_keeps_the_input(reg, login):
    c = login("admin", reg)
    r = c.post("/enterprises/new/", {"name": "表单企业", "credit_code": "91150200MA0N00BADX", "division": "159999"})
    html = r.content.decode()
    assert r.status_code == 200 and "校验码错误" in html and "未知的行政区划代码" in html and "表单企业" in html
    assert not Enterprise.objects.filter(name="表单企业").exists()


def test_illegal_transition_is_refused(reg, login):
    c = login("admin", reg)
    r = c.post(
        f"/api/v1/rights/{reg.r_app.pk}/events",
        {"kind": "renewed", "date": "2017-01-01", "valid_to": "2040-01-01", "version": reg.r_app.version},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["problems"][0]["field"] == "kind"
    assert "不允许" in r.json()["problems"][0]["message_zh"]
    reg.r_app.refresh_from_db()
    assert reg.r_app.status == "applied" and reg.r_app.events.count() == 1


def test_events_change_what_they_carry(reg):
    r = services.add_event(
        ADMIN, reg.r_bt.pk, {"kind": "renewed", "date": "2034-11-01", "valid_to": "2044-01-01"}, reg.r_bt.version
    )
    assert r.valid_to.isoformat() == "2044-01-01" and r.status == "valid"
    r = services.add_event(ADMIN, r.pk, {"kind": "transferred", "date": "2035-01-01", "holder": reg.b.pk}, r.version)
    assert r.holder_id == reg.b.pk
    with pytest.raises(InvalidInput):  # a reduction must stay inside the old boundary
        services.add_event(
            ADMIN,
            r.pk,
            {"kind": "reduced", "date": "2035-02-01", "boundary": box(110.0, 41.6, 110.2, 41.7).wkt},
            r.version,
        )
    r = services.add_event(
        ADMIN,
        r.pk,
        {"kind": "reduced", "date": "2035-02-01", "boundary": box(110.0, 41.6, 110.02, 41.62).wkt},
        r.version,
    )
    assert float(r.area_km2) < 10
    r = services.add_event(ADMIN, r.pk, {"kind": "closed", "date": "2036-01-01"}, r.version)
    assert r.status == "closed"
    assert [e.kind for e in r.events.order_by("seq")] == ["granted", "renewed", "transferred", "reduced", "closed"]


def _rows(reg):
    good = {"name": "导入甲", "credit_code": make_credit_code("91150200MA0N0KMP1"), "division": "150200"}
    bad1 = {"name": "导入乙", "credit_code": "91150200MA0N0KMP2X", "division": "150200"}
    bad2 = {"name": "导入丙", "credit_code": make_credit_code("91150200MA0N0KMP3"), "division": "999999"}
    return [good, bad1, bad2]


def test_import_with_bad_rows_writes_nothing_and_reports_every_row(reg, tmp_path):
    f = tmp_path / "ent.json"
    f.write_text(json.dumps(_rows(reg), ensure_ascii=False), encoding="utf-8")
    before = Enterprise.objects.count()
    r = CliRunner().invoke(main, ["import", "enterprise", str(f), "--as", "u-admin"])
    assert r.exit_code != 0
    assert "第2行 credit_code" in r.output and "第3行 division" in r.output
    assert Enterprise.objects.count() == before


def test_import_twice_creates_no_duplicates_csv_gbk(reg, tmp_path):
    rows = [
        _rows(reg)[0],
        {"name": "导入丁", "credit_code": make_credit_code("91150200MA0N0KMP4"), "division": "150200"},
    ]
    f = tmp_path / "ent.csv"
    text = "name,credit_code,division\n" + "".join(f"{r['name']},{r['credit_code']},{r['division']}\n" for r in rows)
    f.write_bytes(text.encode("gbk"))  # spreadsheets saved in China are often GBK
    runner = CliRunner()
    first = runner.invoke(main, ["import", "enterprise", str(f), "--as", "u-admin"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(main, ["import", "enterprise", str(f), "--as", "u-admin"])
    assert second.exit_code == 0 and "unchanged 2" in second.output
    assert Enterprise.objects.filter(name__startswith="导入").count() == 2


def test_import_rights_needs_permission_and_round_trips(reg, tmp_path):
    out = tmp_path / "rights.json"
    r = CliRunner().invoke(main, ["export", "right", "-o", str(out), "--as", "u-admin"])
    assert r.exit_code == 0
    data = json.loads(out.read_text("utf-8"))
    assert {d["licence_no"] for d in data} == {"C1502002015000001", "C1501002015000002", "C1502002016000003"}
    again = CliRunner().invoke(main, ["import", "right", str(out), "--as", "u-admin"])
    assert again.exit_code == 0 and "unchanged 3" in again.output
    denied = CliRunner().invoke(main, ["export", "right", "--as", "u-reg-qh"])
    assert json.loads(denied.output) == []


def test_credit_code_check_character():
    assert credit_code_problem("91350100M000100Y43") is None  # the example printed in GB 32100-2015
    assert credit_code_problem("91350100M000100Y44")
    for body in ("91110000600037341", "12100000400000637"):
        code = make_credit_code(body)
        assert credit_code_problem(code) is None
        assert all(credit_code_problem(code[:17] + c) for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != code[17])
