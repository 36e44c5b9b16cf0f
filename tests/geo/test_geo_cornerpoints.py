"""Corner-point text: every layout round-trips byte for byte; zones are detected or refused."""

import pytest
import shapely

from kuangzheng.geo import GeoError, from_lonlat, parse, to_lonlat, write
from kuangzheng.geo.boundary import ring_zones

FIXTURES = ["mining_numbered_gbk.txt", "exploration_keyvalue_utf8.txt", "exploration_table_bom.txt"]


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_round_trips_byte_for_byte(data, name):
    raw = (data / name).read_bytes()
    b = parse(raw)
    assert write(b) == raw
    # and again through a second parse: stable
    assert write(parse(write(b))) == raw


def test_numbered_layout_structure(data):
    b = parse((data / "mining_numbered_gbk.txt").read_bytes())
    assert (b.layout, b.encoding, b.newline, b.decimals) == ("numbered", "gbk", "\r\n", 2)
    assert [(r.block, r.hole, len(r.points)) for r in b.rings] == [(1, False, 5), (1, True, 5), (2, False, 5)]
    assert b.rings[0].elevation == (1350.0, 980.0)
    assert b.rings[2].elevation == (1200.0, 900.0)
    assert b.rings[0].points[1].x == 4685151.96 and b.rings[0].points[1].y == 39551950.20
    assert b.metadata["矿业权名称"].startswith("赤峰市")
    geom = to_lonlat(b)
    assert geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2
    assert len(geom.geoms[0].interiors) == 1  # the excluded ring is a hole of block 1
    # the chosen lon/lat corner (117.60E, 42.30N) comes back to within a centimetre
    assert shapely.Point(117.60, 42.30).distance(geom) < 1e-7


def test_keyvalue_and_table_layouts(data):
    kv = parse((data / "exploration_keyvalue_utf8.txt").read_bytes())
    assert (kv.layout, kv.decimals, kv.metadata["中央经线"]) == ("keyvalue", 3, "111")
    table = parse((data / "exploration_table_bom.txt").read_bytes())
    assert (table.layout, table.bom, table.separator) == ("table", True, "\t")
    assert [p.label for p in table.rings[0].points] == ["J1", "J2", "J3", "J4", "J1"]
    # the same parcel: unprefixed with a stated CM 111, and prefixed zone 19 (CM 111)
    assert to_lonlat(kv).hausdorff_distance(to_lonlat(table)) < 1e-6


@pytest.mark.parametrize("layout", ["numbered", "keyvalue", "table"])
@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_written_boundaries_round_trip(layout, encoding):
    geom = shapely.Polygon(
        [(117.2, 40.1), (117.3, 40.1), (117.3, 40.2), (117.2, 40.2)],
        [[(117.22, 40.12), (117.24, 40.12), (117.24, 40.14), (117.22, 40.14)]],
    )
    text = write(
        from_lonlat(
            geom, layout=layout, encoding=encoding, elevation=("1200", "800"), metadata={"矿业权名称": "测试矿"}
        )
    )
    b = parse(text)
    assert b.layout == layout and b.encoding == encoding
    assert write(b) == text
    assert to_lonlat(b).hausdorff_distance(geom) < 2e-5  # ~2 m: GK-straight vs lon/lat-straight edges


def test_bad_digits_and_numbers_are_all_reported():
    text = "1,468513.09,39549476.37\n2,4685151.96,3955195.20\n3,4682930.37,abc\n"
    with pytest.raises(GeoError) as err:
        parse(text)
    codes = [(p.code, p.point, p.row) for p in err.value.problems]
    assert codes == [("bad_digits", "1", 1), ("bad_digits", "2", 2), ("bad_number", "3", 3)]
    assert "7" in err.value.problems[0].zh and "7 digits" in err.value.problems[0].en


def test_undecodable_bytes_are_refused():
    with pytest.raises(GeoError) as err:
        parse(b"1,4685134.09,39549476.37\n\xff\xff\xff\n")
    assert err.value.problems[0].code == "encoding"


def _zones(text, **kw):
    return ring_zones(parse(text), **kw)


def test_zone_from_prefix_3_and_6_degree():
    three, problems = _zones("1,4685134.09,39549476.37\n2,4685151.96,39551950.20\n3,4682930.37,39551966.63\n")
    assert not problems and three[0][0].width == 3 and three[0][0].central_meridian == 117
    six, problems = _zones("1,4596374.26,19437377.65\n2,4596306.66,19445727.35\n3,4588532.19,19445668.94\n")
    assert not problems and six[0][0].width == 6 and six[0][0].central_meridian == 111


def test_unprefixed_needs_a_stated_central_meridian():
    body = "1,4596374.26,437377.65\n2,4596306.66,445727.35\n3,4588532.19,445668.94\n"
    _, problems = _zones(body)
    assert {p.code for p in problems} == {"no_zone"}
    zones, problems = _zones("中央经线=111\n投影带=6度带\n" + body)
    assert not problems and zones[0][0].epsg == 4508  # CGCS2000 / GK CM 111E (6°, unprefixed)
    zones, problems = _zones("中央经线=111\n" + body)
    assert not problems and zones[0][0].epsg == 4546  # a bare CM is read as a 3° zone


def test_prefix_contradicting_stated_meridian():
    _, problems = _zones("中央经线=114\n1,4685134.09,39549476.37\n2,4685151.96,39551950.20\n3,4682930.37,39551966.63\n")
    assert [p.code for p in problems] == ["zone_conflict"] * 3


def test_mixed_zones_refused_unless_stated():
    body = "1,4685134.09,39549476.37\n2,4685151.96,39551950.20\n3,4682930.37,40051966.63\n"
    _, problems = _zones(body)
    assert [(p.code, p.block) for p in problems] == [("mixed_zones", 1)]
    _, problems = _zones(body, allow_mixed_zones=True)
    assert not problems
    _, problems = _zones("跨带=是\n" + body)
    assert not problems


def test_mixed_zone_ring_is_drawn_in_its_first_zone():
    # the same three corners, the last written in zone 40: the polygon must be the same
    one = parse("1,4685134.09,39549476.37\n2,4685151.96,39551950.20\n3,4682930.37,39551966.63\n")
    from kuangzheng.geo.crs import gk_to_lonlat, lonlat_to_gk, zone_from_number

    lon, lat = gk_to_lonlat(zone_from_number(39), 39551966.63, 4682930.37)
    e, n = lonlat_to_gk(zone_from_number(40), lon, lat)
    two = parse(f"跨带=是\n1,4685134.09,39549476.37\n2,4685151.96,39551950.20\n3,{n:.2f},{e:.2f}\n")
    assert to_lonlat(one).hausdorff_distance(to_lonlat(two)) < 1e-6
