"""Every validation error is triggered here, and each names its block and point."""

import pytest
import shapely

from kuangzheng.geo import check_text, parse, validate
from kuangzheng.geo.problems import ERROR, WARNING

SQUARE = [
    "1,4685134.09,39549476.37",
    "2,4685151.96,39551950.20",
    "3,4682930.37,39551966.63",
    "4,4682912.50,39549492.02",
    "1,4685134.09,39549476.37",
]
HOLE = [
    "5,4684000.00,39550200.00",
    "6,4684000.00,39550800.00",
    "7,4683500.00,39550800.00",
    "8,4683500.00,39550200.00",
    "5,4684000.00,39550200.00",
]


def text(*lines):
    return "\n".join(lines) + "\n"


def codes(v, severity=ERROR):
    return [(p.code, p.block, p.point) for p in v.problems if p.severity == severity]


def test_valid_boundary_has_no_problems_and_an_area():
    v = check_text(text(*SQUARE, "标高,1350,980,1,1", *HOLE, "标高,1350,980,1,-1"))
    assert v.ok and v.problems == []
    assert v.area_km2 == pytest.approx(5.5 - 0.3, abs=0.05)
    assert len(v.geometry.interiors) == 1


def test_fixture_files_validate_with_their_stated_areas(data):
    for name in ("mining_numbered_gbk.txt", "exploration_table_bom.txt"):
        v = check_text((data / name).read_bytes())
        assert v.ok and not v.problems, v.problems
    v = check_text((data / "exploration_keyvalue_utf8.txt").read_bytes())
    assert v.ok and v.area_km2 == 64.9482


def test_open_ring_closed_with_warning_or_refused():
    open_ring = text(*SQUARE[:-1])
    warned = check_text(open_ring)
    assert warned.ok and codes(warned, WARNING) == [("ring_not_closed", 1, "4")]
    assert len(warned.boundary.rings[0].points) == 5  # closed by repeating point 1
    refused = check_text(open_ring, close_rings="refuse")
    assert not refused.ok and codes(refused) == [("ring_not_closed", 1, "4")]
    with pytest.raises(ValueError):
        check_text(open_ring, close_rings="maybe")


def test_fewer_than_three_distinct_points():
    v = check_text(text(SQUARE[0], SQUARE[1], SQUARE[0], "标高,1350,980,1,1", *SQUARE, "标高,1300,900,2,1"))
    assert ("too_few_points", 1, None) in codes(v)
    assert not any(p.block == 2 for p in v.problems)


def test_self_intersection_names_the_edges():
    bowtie = [SQUARE[0], SQUARE[2], SQUARE[1], SQUARE[3], SQUARE[0]]
    v = check_text(text(*bowtie))
    assert codes(v) == [("self_intersection", 1, "1")]
    assert "1-3" in v.problems[0].en and "2-4" in v.problems[0].en


def test_duplicate_consecutive_points():
    v = check_text(text(*SQUARE[:2], SQUARE[1], *SQUARE[2:]))
    assert codes(v) == [("duplicate_point", 1, "2")]
    assert v.problems[0].row == 3


def test_hole_outside_its_shell():
    far = [line.replace("468", "467", 1) for line in HOLE]  # 10 km south: outside block 1
    v = check_text(text(*SQUARE, "标高,1350,980,1,1", *far, "标高,1350,980,1,-1"))
    assert codes(v) == [("hole_outside_shell", 1, "5")]


def test_zone_prefix_inconsistent_with_longitude():
    # eastings 2,000 km from the false easting cannot belong to zone 39
    wrong = [line.replace(",395", ",392") for line in SQUARE]
    v = check_text(text(*wrong))
    assert {c[0] for c in codes(v)} == {"zone_longitude"}
    assert len(codes(v)) == 5


@pytest.mark.parametrize("region", [(117.55, 42.2, 117.62, 42.4), shapely.box(117.55, 42.2, 117.62, 42.4)])
def test_points_outside_the_jurisdiction(region):
    v = check_text(text(*SQUARE), jurisdiction=region)
    outside = {c[2] for c in codes(v) if c[0] == "outside_jurisdiction"}
    assert outside == {"2", "3"}  # the east side (117.63E) lies beyond 117.62E
    assert check_text(text(*SQUARE), jurisdiction=shapely.box(117, 42, 118, 43)).ok


def test_more_than_1000_points():
    b = parse(text(*SQUARE))
    ok = validate(b, max_points=5)
    assert ok.ok
    v = validate(b, max_points=4)
    assert [p.code for p in v.problems] == ["too_many_points"]
    many = [f"{i},{4680000 + 3 * i:.2f},{39549000 + (i % 2) * 10:.2f}" for i in range(1, 1002)]
    assert "too_many_points" in {p.code for p in check_text(text(*many)).problems}


def test_stated_area_disagreeing_with_computed_area():
    v = check_text(text(*SQUARE))
    area = v.area_km2
    assert check_text(text(f"面积={area:.4f}", *SQUARE)).ok
    v = check_text(text(f"面积={area * 1.01:.4f}", *SQUARE))
    assert [p.code for p in v.problems] == ["area_mismatch"]
    assert check_text(text(*SQUARE), stated_area_km2=area + 0.02, area_tolerance=0.001).problems
    assert check_text(text(*SQUARE), stated_area_km2=area + 0.02, area_tolerance=0.01).ok


def test_zone_problems_stop_before_geometry():
    v = check_text(text(*[line.replace(",395", ",5") for line in SQUARE]))  # 6-digit eastings, no CM
    assert {p.code for p in v.problems} == {"no_zone"} and v.geometry is None


def test_parse_errors_come_back_as_problems():
    v = check_text("1,4685134.09,x\n")
    assert not v.ok and v.boundary is None and v.problems[0].code == "bad_number"
    assert "不是数字" in v.problems[0].zh and "not a number" in v.problems[0].en
