"""`kz geo area | convert | check` through click's runner."""

import json

from click.testing import CliRunner

from kuangzheng.geo.cli import geo


def run(*args):
    return CliRunner().invoke(geo, [str(a) for a in args])


def test_area_of_corner_points_and_layers(data):
    r = run("area", data / "mining_numbered_gbk.txt")
    assert r.exit_code == 0 and "8.8617" in r.output
    r = run("area", "--json", data / "prefectures_cut.geojson")
    out = json.loads(r.output)
    assert len(out["features"]) == 3 and len(out["problems"]) == 2  # repaired, reported
    assert all(f["area_km2"] > 1000 for f in out["features"])


def test_check_reports_and_fails_on_errors(data, tmp_path):
    r = run("check", data / "prefectures_cut.geojson")
    assert r.exit_code == 1 and "Self-intersection" in r.output and "2 errors" in r.output
    open_ring = tmp_path / "open.txt"
    open_ring.write_text("1,4685134.09,39549476.37\n2,4685151.96,39551950.20\n3,4682930.37,39551966.63\n")
    assert run("check", open_ring).exit_code == 0
    r = run("check", "--refuse-open-rings", open_ring)
    assert r.exit_code == 1 and "ring not closed" in r.output
    r = run("check", "--stated-area", "9.9", open_ring)
    assert r.exit_code == 1 and "stated area" in r.output


def test_check_against_a_jurisdiction_file(data, tmp_path):
    r = run("check", "--jurisdiction", data / "provinces_cut.geojson", data / "mining_numbered_gbk.txt")
    assert r.exit_code == 1 and "outside the jurisdiction" in r.output  # Chifeng is in none of them


def test_convert_all_or_nothing(data, tmp_path):
    out = tmp_path / "pref.gpkg"
    r = run("convert", data / "prefectures_cut.geojson", out)
    assert r.exit_code == 1 and not out.exists()
    r = run("convert", "--repair", data / "prefectures_cut.geojson", out)
    assert r.exit_code == 0 and out.exists()
    txt = tmp_path / "right.txt"
    r = run("convert", "--layout", "table", "--zone-width", "6", data / "exploration_keyvalue_utf8.txt", txt)
    assert r.exit_code == 0
    written = txt.read_text(encoding="utf-8").splitlines()
    assert "中央经线=111" in written and "投影带=6度带" in written
    assert "1,4596374.25,19437377.65,1,1" in written  # the same corner, now zone-prefixed
