"""Registry layers through the geometry core's file formats: GeoPackage / Shapefile / GeoJSON in and out."""

import pytest
from click.testing import CliRunner
from shapely.geometry import box

from kuangzheng.cli import main
from kuangzheng.geo.layers import read_layer, write_layer
from kuangzheng.registry.models import Zone


def test_zones_import_from_geopackage_all_or_nothing_and_idempotent(reg, tmp_path):
    good = [
        (
            {
                "code": "GP-1",
                "name": "开采规划区块一",
                "kind": "mining_planning_block",
                "division": "150200",
                "release_date": "2017-03-01",
            },
            box(110.0, 41.5, 110.1, 41.6),
        ),
        (
            {"code": "GP-2", "name": "勘查规划区块二", "kind": "exploration_planning_block", "division": "150200"},
            box(110.2, 41.5, 110.3, 41.6),
        ),
    ]
    bad = good + [
        (
            {"code": "GP-3", "name": "坏区块", "kind": "no_such_kind", "division": "150200"},
            box(110.4, 41.5, 110.5, 41.6),
        )
    ]
    runner = CliRunner()
    bad_file = write_layer(bad, tmp_path / "bad.gpkg")
    r = runner.invoke(main, ["import", "zone", str(bad_file), "--as", "u-admin"])
    assert r.exit_code != 0 and "第3行 kind" in r.output
    assert not Zone.objects.filter(code__startswith="GP-").exists()
    good_file = write_layer(good, tmp_path / "good.gpkg")
    assert runner.invoke(main, ["import", "zone", str(good_file), "--as", "u-admin"]).exit_code == 0
    assert runner.invoke(main, ["import", "zone", str(good_file), "--as", "u-admin"]).output.count("unchanged 2")
    z = Zone.objects.get(code="GP-1")
    assert 90 < float(z.area_km2) < 100 and z.release_date.isoformat() == "2017-03-01"


def test_rights_export_as_shapefile_in_scope_and_readable_back(reg, tmp_path):
    out = tmp_path / "rights.shp"
    r = CliRunner().invoke(main, ["export", "right", "--format", "shp", "-o", str(out), "--as", "u-reg-bt"])
    assert r.exit_code == 0, r.output
    features, problems = read_layer(out)
    assert not [p for p in problems if p.severity == "error"]
    assert {f.properties["licence_no"] for f in features} == {"C1502002015000001", "C1502002016000003"}
    assert all(f.geometry is not None and f.geometry.area > 0 for f in features)


def test_overlapping_rights_are_found_with_area_and_share(reg):
    from kuangzheng.registry import services, spatial
    from tests.support.registry import ADMIN, GRANT, right_data

    # a new right covering the east half of r_bt (110.025–110.075 × 41.60–41.63)
    services.create(
        ADMIN,
        "right",
        right_data("C1502002019000009", reg.b.pk, "150200", box(110.025, 41.60, 110.075, 41.63)),
        first_event=GRANT,
    )
    rights = spatial.conflicts(ADMIN, reg.r_bt.pk)["rights"]
    assert [r["code"] for r in rights] == ["C1502002019000009"]
    assert rights[0]["share_of_this"] == pytest.approx(0.5, abs=1e-3)
    assert rights[0]["share_of_other"] == pytest.approx(0.5, abs=1e-3)
    idx = spatial.registry_index()
    pairs = {(int(a), int(b)) for a, b in zip(idx.overlaps("right").left, idx.overlaps("right").right)}
    assert any(reg.r_bt.pk in p for p in pairs)
