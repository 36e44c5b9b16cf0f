"""Layer files: every format round-trips; real public data imports with its defects reported."""

from pathlib import Path

import pytest
import shapely

from kuangzheng.geo import GeoError, read_layer, write_layer
from kuangzheng.geo.crs import lonlat_to_gk, zone_from_number

SHIPPED = Path(__file__).resolve().parents[2] / "src/kuangzheng/data/cn-admin/prefectures.geojson"
RECORDS = [
    ({"名称": "某某铜矿", "code": "150000", "area": 1.25}, shapely.box(110.0, 40.0, 110.1, 40.1)),
    (
        {"名称": "锌矿探矿权", "code": "630000", "area": None},
        shapely.MultiPolygon([shapely.box(96.0, 36.0, 96.05, 36.02), shapely.box(96.1, 36.0, 96.12, 36.02)]),
    ),
]


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".shp", ".kml", ".csv"])
def test_formats_round_trip(tmp_path, suffix):
    path = write_layer(RECORDS, tmp_path / f"rights{suffix}")
    feats, problems = read_layer(path)
    assert problems == []
    assert [f.row for f in feats] == [1, 2]
    assert [f.properties["名称"] for f in feats] == ["某某铜矿", "锌矿探矿权"]
    assert str(feats[0].properties["code"]) == "150000"
    for f, (_, geom) in zip(feats, RECORDS):
        assert (
            shapely.normalize(f.geometry).equals_exact(shapely.normalize(geom), 1e-9)
            or f.geometry.symmetric_difference(geom).area < 1e-12
        )


def test_shapefile_gbk_with_cpg_and_prj(tmp_path):
    path = write_layer(RECORDS, tmp_path / "gbk.shp", encoding="GBK")
    assert (tmp_path / "gbk.cpg").read_text().strip().upper() in ("GBK", "CP936")
    assert "CGCS2000" in (tmp_path / "gbk.prj").read_text() or "China" in (tmp_path / "gbk.prj").read_text()
    assert "某某铜矿".encode("gbk") in (tmp_path / "gbk.dbf").read_bytes()
    (tmp_path / "gbk.cpg").unlink()  # as DBFs from the field often arrive: no .cpg at all
    feats, problems = read_layer(path)
    assert not problems and feats[0].properties["名称"] == "某某铜矿"


def test_projected_input_is_transformed_to_4490(tmp_path):
    import numpy as np
    import pyogrio.raw as ogr

    z = zone_from_number(39)
    e, n = lonlat_to_gk(z, 117.5, 42.0)
    square = shapely.box(e, n, e + 1000, n + 1000)
    ogr.write(
        tmp_path / "gk.gpkg",
        shapely.to_wkb(np.array([square])),
        [np.array(["x"], dtype=object)],
        ["name"],
        driver="GPKG",
        crs=f"EPSG:{z.epsg}",
        geometry_type="Polygon",
    )
    feats, problems = read_layer(tmp_path / "gk.gpkg")
    assert not problems
    lon, lat = feats[0].geometry.exterior.coords[0]
    assert 117.4 < lon < 117.6 and 41.9 < lat < 42.1


def test_corner_point_text_as_a_layer(tmp_path, data):
    feats, problems = read_layer(data / "mining_numbered_gbk.txt")
    assert problems == [] and feats[0].properties["area_km2"] == 8.8617
    out = write_layer(feats, tmp_path / "back.txt", layout="keyvalue")
    again, problems = read_layer(out)
    assert problems == [] and again[0].properties["area_km2"] == pytest.approx(8.8617, abs=2e-4)
    with pytest.raises(GeoError, match="one boundary"):
        write_layer(RECORDS, tmp_path / "two.txt")


def test_csv_rows_without_coordinates_are_reported(tmp_path):
    p = tmp_path / "sites.csv"
    p.write_text("id,name,Longitude,Latitude\n1,甲,110.5,40.2\n2,乙,,\n3,丙,200,95\n", encoding="gbk")
    feats, problems = read_layer(p)
    assert [f.properties["name"] for f in feats] == ["甲", "乙", "丙"]  # GBK detected, none dropped
    assert [(pr.code, pr.row) for pr in problems] == [("no_geometry", 2), ("bad_coordinates", 3)]


def test_unsupported_and_missing_files(tmp_path):
    with pytest.raises(GeoError, match="unsupported format"):
        read_layer(tmp_path / "x.dwg")
    with pytest.raises(GeoError, match="file not found"):
        read_layer(tmp_path / "x.geojson")


def _regions(data):
    provinces, problems = read_layer(data / "provinces_cut.geojson", repair=True)
    aliases = {"Ningxia": "640000", "Shandong": "370000", "Xinjiang": "650000", "Beijing": "110000"}
    by_code = {f.properties["id"]: f.geometry for f in provinces}
    return problems, {**by_code, **{name: by_code[code] for name, code in aliases.items()}}


def test_real_boundaries_report_invalid_rings(data):
    feats, problems = read_layer(data / "prefectures_cut.geojson")
    assert len(feats) == 3
    bad = {feats[p.row - 1].properties["地名"] for p in problems if p.code == "invalid_geometry"}
    assert bad == {"固原市", "钦州市"}
    assert all("Self-intersection" in p.en for p in problems)
    repaired, warnings = read_layer(data / "prefectures_cut.geojson", repair=True)
    assert all(p.severity == "warning" for p in warnings) and len(warnings) == 2
    assert all(f.geometry.is_valid for f in repaired)


def test_real_mine_points_outside_their_stated_province(data):
    repair_warnings, regions = _regions(data)
    assert [p.row for p in repair_warnings] == [3]  # Ningxia is one of the invalid provinces
    feats, problems = read_layer(data / "gcmt_cut.csv", jurisdictions=regions, jurisdiction_field="State, Province")
    assert len(feats) == 6
    flagged = {feats[p.row - 1].properties["Mine IDs"]: p.code for p in problems}
    assert flagged == {
        "M1177": "outside_jurisdiction",
        "M1980": "outside_jurisdiction",
        "M3189": "outside_jurisdiction",
    }


def test_real_site_outside_every_province_is_reported(data):
    _, regions = _regions(data)
    feats, problems = read_layer(data / "icmm_cut.csv", jurisdictions=regions, jurisdiction_field="province_adcode")
    assert len(feats) == 4
    assert [(p.code, feats[p.row - 1].properties["Mine Name"]) for p in problems] == [
        ("unknown_jurisdiction", "Yantai Guoxing refinery")
    ]


@pytest.mark.skipif(not SHIPPED.exists(), reason="the lead has not shipped cn-admin/prefectures.geojson yet")
def test_shipped_prefectures_report_their_five_invalid_geometries(tmp_path):
    feats, problems = read_layer(SHIPPED)
    assert len(feats) == 372
    assert sorted(feats[p.row - 1].properties["id"] for p in problems if p.code == "invalid_geometry") == [
        "210200",
        "350900",
        "450700",
        "621000",
        "640400",
    ]
