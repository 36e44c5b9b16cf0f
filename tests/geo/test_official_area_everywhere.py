"""`kz geo area`, the registry and an import give one official area for one parcel: edges straight
in the Gauss–Krüger plane, densified — not straight in longitude/latitude."""

from click.testing import CliRunner
from shapely.geometry import box

from kuangzheng.cli import main
from kuangzheng.geo import area, boundary, cornerpoints, crs
from kuangzheng.geo.cli import geo
from kuangzheng.geo.layers import read_layer, write_layer
from kuangzheng.registry.models import MineralRight


def _block_at_zone_edge(tmp_path):
    """A 30 × 33 km parcel near the eastern edge of the 3° zone of 111°E, as corner-point text."""
    zone = crs.zone_from_number(37)
    e0, n0 = zone.false_easting + 95_000, 4_600_000
    gk = box(e0, n0, e0 + 30_000, n0 + 33_000)
    corners = area.gk_to_lonlat_geometry(gk, zone, densify_m=None)
    path = tmp_path / "block.txt"
    path.write_bytes(cornerpoints.write(boundary.from_lonlat(corners, zone=zone)))
    return path, area.official_area_km2(gk, zone), corners


def _cli_area(path) -> str:
    r = CliRunner().invoke(geo, ["area", str(path)])
    assert r.exit_code == 0, r.output
    return r.output.splitlines()[0].split("\t")[1]


def test_cli_registry_and_import_agree_on_the_official_area(reg, tmp_path):
    txt, official, corners = _block_at_zone_edge(tmp_path)
    straight_lonlat = round(float(area.ellipsoidal_area_km2(corners)), 4)
    assert abs(straight_lonlat - official) >= 0.002  # the two readings differ on this parcel

    feats, problems = read_layer(txt)
    assert not problems and feats[0].properties["area_km2"] == official
    assert _cli_area(txt) == f"{official:.4f}"

    # the same corner points as GeoJSON (what `kz geo convert` writes): same figure from the CLI …
    gj = tmp_path / "block.geojson"
    props = {
        "licence_no": "C1502002026990001",
        "kind": "mining",
        "name": "官方面积测试矿",
        "holder": reg.a.pk,
        "division": "150200",
        "minerals": "铜",
        "valid_from": "2026-01-01",
        "valid_to": "2036-01-01",
        "obtained_by": "listing",
        "event_kind": "granted",
        "event_date": "2026-01-01",
    }
    write_layer([(props, feats[0].geometry)], gj)
    assert _cli_area(gj) == f"{official:.4f}"
    # … and from the registry after the import
    r = CliRunner().invoke(main, ["import", "right", str(gj), "--as", "u-admin"])
    assert r.exit_code == 0, r.output
    assert float(MineralRight.objects.get(licence_no="C1502002026990001").area_km2) == official


def test_graticule_blocks_keep_their_exact_area():
    block = box(110.0, 41.0, 110.1, 41.05)  # exploration block: meridian and parallel edges
    assert area.official_area_lonlat_km2(block) == round(float(area.ellipsoidal_area_km2(block)), 4)
