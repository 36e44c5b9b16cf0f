"""Files `kz import` cannot use are refused with a message naming the row, the field and the reason —
never a traceback — and nothing is written: UTF-16 text without a byte-order mark, malformed, truncated
or scalar JSON, non-finite numbers, GeoJSON with an invalid geometry, a file over the import limit;
`credit_code: null` is an absent code, not a duplicate "None"; UTF-16 with a byte-order mark imports."""

import json

import pytest
from click.testing import CliRunner

from kuangzheng.cli import main
from kuangzheng.registry.models import Enterprise, Zone

ROW = {"name": "导入企业", "division": "150200"}
BOWTIE = [[[110, 41], [110.1, 41.1], [110.1, 41], [110, 41.1], [110, 41]]]


def kz_import(entity, path):
    r = CliRunner().invoke(main, ["import", entity, str(path), "--as", "u-admin"])
    assert "Traceback" not in r.output and not isinstance(r.exception, (AttributeError, TypeError, ValueError))
    return r


def zone_feature(geometry):
    props = {"code": "Z-IMP-1", "name": "导入区", "kind": "nature_reserve", "division": "150200"}
    return {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": props, "geometry": geometry}]}


CASES = [
    # (file name, bytes, entity, fragments the message must hold)
    ("u16.csv", "name,division\n导入企业,150200\n".encode("utf-16-le"), "enterprise", ["file:", "UTF-16"]),
    ("trunc.json", b'[{"name": "a", "division": "150200"}, {"name": ', "enterprise", ["file:", "第 1 行第 48 列"]),
    ("scalar.json", b"42", "enterprise", ["第1行", "JSON 对象"]),
    ("mixed.json", json.dumps([ROW, "x"]).encode(), "enterprise", ["第2行", "JSON 对象"]),
    (
        "nan.json",
        b'[{"name": "a", "division": "150200"}, {"name": "b", "attrs": {"x": NaN}}]',
        "zone",
        ["第2行 attrs.x", "有限数"],
    ),
    (
        "bowtie.geojson",
        json.dumps(zone_feature({"type": "Polygon", "coordinates": BOWTIE})).encode(),
        "zone",
        ["第1行 boundary", "Self-intersection"],
    ),
    ("cut.geojson", json.dumps(zone_feature(None))[:60].encode(), "zone", ["file:", "GeoJSON"]),
    (
        "gbk.json",
        json.dumps([ROW], ensure_ascii=False).encode("utf-8")[:-3] + "，".encode("gbk"),
        "enterprise",
        ["file:"],
    ),
]


@pytest.mark.parametrize("name,data,entity,fragments", CASES, ids=[c[0] for c in CASES])
def test_an_unusable_file_is_refused_with_row_field_and_reason(name, data, entity, fragments, reg, tmp_path):
    f = tmp_path / name
    f.write_bytes(data)
    before = (Enterprise.objects.count(), Zone.objects.count())
    r = kz_import(entity, f)
    assert r.exit_code != 0
    assert all(x in r.output for x in fragments), r.output
    assert "nothing written" in r.output
    assert (Enterprise.objects.count(), Zone.objects.count()) == before


def test_utf16_with_a_byte_order_mark_imports(reg, tmp_path):
    f = tmp_path / "u16.csv"
    f.write_text("name,division\n导入企业,150200\n", encoding="utf-16")
    assert kz_import("enterprise", f).exit_code == 0
    assert Enterprise.objects.filter(name="导入企业").exists()


def test_a_null_credit_code_is_absent_not_a_duplicate(reg, tmp_path):
    f = tmp_path / "ent.json"
    rows = [{**ROW, "name": n, "credit_code": None} for n in ("导入甲", "导入乙")]
    f.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    r = kz_import("enterprise", f)
    assert r.exit_code == 0 and "None" not in r.output, r.output
    assert Enterprise.objects.filter(name__in=["导入甲", "导入乙"]).count() == 2


def test_a_file_over_the_import_limit(reg, tmp_path, monkeypatch):
    f = tmp_path / "ent.json"
    f.write_text(json.dumps([ROW] * 100, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("KZ_MAX_IMPORT_BYTES", "1000")
    r = kz_import("enterprise", f)
    assert r.exit_code != 0 and "KZ_MAX_IMPORT_BYTES" in r.output
