"""CRS transforms (axis order, zones) and the official ellipsoidal area against independent sums."""

import numpy as np
import pytest
import shapely
from pyproj import Geod, Transformer
from shapely.geometry.polygon import orient

from kuangzheng.geo import official_area_km2, planar_area_km2, zone_from_central_meridian, zone_from_number
from kuangzheng.geo.area import ellipsoidal_area_km2
from kuangzheng.geo.crs import gk_to_lonlat, lonlat_to_gk, zone_for_longitude, zone_of_easting

GRS80 = Geod(ellps="GRS80")


def geodesic_area_km2(lonlat_polygon, step_deg=0.0002):
    """Independent: pyproj's geodesic polygon area on GRS80 of a finely densified polygon."""
    dense = orient(shapely.segmentize(lonlat_polygon, step_deg))  # holes must turn the other way
    return abs(GRS80.geometry_area_perimeter(dense)[0]) / 1e6


def geodesic_area_of_gk_km2(gk_polygon, epsg):
    """Independent of kuangzheng.geo: densify the GK polygon, inverse-project with pyproj, sum."""
    dense = shapely.segmentize(gk_polygon, 10.0)
    tr = Transformer.from_crs(epsg, 4490, always_xy=True)
    ll = shapely.transform(dense, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))
    return abs(GRS80.geometry_area_perimeter(orient(ll))[0]) / 1e6


@pytest.mark.parametrize(
    "zone,epsg",
    [
        (zone_from_number(13), 4491),
        (zone_from_number(23), 4501),
        (zone_from_number(13, False), 4502),
        (zone_from_number(25), 4513),
        (zone_from_number(45), 4533),
        (zone_from_number(45, False), 4554),
    ],
)
def test_zone_epsg_codes(zone, epsg):
    assert zone.epsg == epsg


def test_zone_numbering_and_refusals():
    assert zone_of_easting(39549476.37) == 39 and zone_of_easting(549476.37) is None
    assert zone_from_central_meridian(111, 6).number == 19
    assert zone_from_central_meridian(114).number == 38
    assert zone_for_longitude(118.4).number == 39 and zone_for_longitude(118.4, 6).number == 20
    with pytest.raises(ValueError, match="24"):
        zone_from_number(24)
    with pytest.raises(ValueError, match="central meridian"):
        zone_from_central_meridian(112)


def test_axis_order_northing_and_latitude_first_crs_handled():
    z = zone_from_number(39)
    east, north = lonlat_to_gk(z, 117.0, 40.0)
    # on the central meridian: easting is the false easting, northing the meridian arc length
    arc = GRS80.inv(117.0, 0.0, 117.0, 40.0)[2]
    assert east == pytest.approx(39_500_000.0, abs=1e-6)
    assert north == pytest.approx(arc, abs=1e-3)
    lon, lat = gk_to_lonlat(z, east + 10_000, north)
    assert lat == pytest.approx(40.0, abs=0.01) and lon > 117.0
    # the declared order of EPSG:4527 is (northing, easting): a transformer without always_xy agrees
    raw = Transformer.from_crs(4490, 4527)
    n2, e2 = raw.transform(40.0, 117.0)
    assert (e2, n2) == pytest.approx((east, north))


def test_unprefixed_and_prefixed_agree():
    z = zone_from_number(19)
    a = gk_to_lonlat(z, 19_437_377.65, 4_596_374.26)
    b = gk_to_lonlat(z.unprefixed(), 437_377.65, 4_596_374.26)
    assert np.allclose(a, b, atol=1e-12)


@pytest.mark.parametrize(
    "west,south,east,north",
    [
        (110.25, 41.50, 110.25 + 5 / 60, 41.50 + 3 / 60),  # whole-minute exploration block
        (117.0, 42.0, 117.5, 42.25),
        (98.0, 35.0, 101.0, 36.0),  # a large planning zone
    ],
)
def test_graticule_block_area_matches_geodesic(west, south, east, north):
    block = shapely.box(west, south, east, north)
    assert ellipsoidal_area_km2(block) == pytest.approx(geodesic_area_km2(block), abs=1e-4)


@pytest.mark.parametrize("offset_deg", [0.0, 0.75, 1.45])
def test_official_area_of_gk_square_matches_geodesic(offset_deg):
    z = zone_from_number(39)  # CM 117E; 1.45° east of it is the 3° zone edge
    e0, n0 = lonlat_to_gk(z, 117.0 + offset_deg, 42.0)
    square = shapely.box(e0, n0, e0 + 10_000, n0 + 10_000)
    assert official_area_km2(square, z) == pytest.approx(geodesic_area_of_gk_km2(square, z.epsg), abs=1e-4)


def test_irregular_parcel_with_hole_matches_geodesic():
    z = zone_from_number(20)  # 6° zone, CM 117E; near its east edge at 119.8E
    e0, n0 = lonlat_to_gk(z, 119.8, 45.0)
    ring = [(0, 0), (7300, 420), (8100, 6900), (2600, 9400), (-900, 5200)]
    hole = [(2000, 2000), (4000, 2100), (3900, 4000), (2100, 3800)]
    poly = shapely.Polygon([(e0 + x, n0 + y) for x, y in ring], [[(e0 + x, n0 + y) for x, y in hole]])
    assert official_area_km2(poly, z) == pytest.approx(geodesic_area_of_gk_km2(poly, z.epsg), abs=1e-4)


def test_planar_gk_area_overstates_at_zone_edge():
    """How far the planar GK area is from the official area: nil on the CM, ~0.035 % at a 3° zone
    edge and ~0.15 % at a 6° zone edge (scale factor squared, 1 + y²/R²)."""
    rel = {}
    for width, offset in ((3, 0.0), (3, 1.45), (6, 2.9)):
        z = zone_for_longitude(117.0, width)
        e0, n0 = lonlat_to_gk(z, 117.0 + offset, 42.0)
        square = shapely.box(e0, n0, e0 + 10_000, n0 + 10_000)
        planar, official = planar_area_km2(square), official_area_km2(square, z)
        assert planar == pytest.approx(100.0)
        rel[(width, offset)] = planar / official - 1
    assert abs(rel[(3, 0.0)]) < 2e-5
    assert 3.0e-4 < rel[(3, 1.45)] < 4.0e-4  # 0.035 km² on 100 km²: far beyond the 4th decimal
    assert 1.3e-3 < rel[(6, 2.9)] < 1.6e-3
