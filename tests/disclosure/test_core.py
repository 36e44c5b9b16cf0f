"""The pure parts of the Features API: CRS URIs and axis order, query parsing, negotiation, links."""

import datetime as dt

import pytest

from kuangzheng.disclosure.core import crs, links, negotiation, query
from kuangzheng.errors import InvalidInput

BAOTOU = {"type": "Point", "coordinates": [110.0, 41.6]}  # lon, lat


def test_epsg_4490_is_latitude_first_and_crs84_longitude_first():
    assert crs.transform_geometry(BAOTOU, crs.CRS84) == BAOTOU
    assert crs.transform_geometry(BAOTOU, crs.STORAGE)["coordinates"] == pytest.approx([41.6, 110.0])


def test_gauss_krueger_zone_is_northing_first_with_the_zone_prefix():
    # 110°E lies in 3° zone 37 (central meridian 111°E), EPSG:4525; X (northing) comes first
    n, e = crs.transform_geometry(BAOTOU, crs.epsg_uri(4525))["coordinates"]
    assert 4_600_000 < n < 4_620_000
    assert 37_400_000 < e < 37_500_000  # 1° west of the central meridian: easting below 500 km


def test_polygon_rings_keep_their_shape():
    ring = [[110.0, 41.6], [110.1, 41.6], [110.1, 41.7], [110.0, 41.6]]
    out = crs.transform_geometry({"type": "Polygon", "coordinates": [ring]}, crs.STORAGE)
    assert out["coordinates"][0] == [pytest.approx([lat, lon]) for lon, lat in ring]


def test_zones_covering_the_data():
    assert crs.zones_covering(97.3, 126.0) == list(range(4513 + 32 - 25, 4513 + 42 - 25 + 1))
    offered = crs.offered(109.0, 112.0)
    assert offered[:2] == [crs.CRS84, crs.STORAGE] and crs.epsg_uri(4524) in offered


def test_crs_parameter_accepts_offered_uris_and_safe_curies_only():
    offered = crs.offered(110.0, 110.5)
    assert crs.parse(crs.STORAGE, offered, "crs") == crs.STORAGE
    assert crs.parse("[EPSG:4490]", offered, "crs") == crs.STORAGE
    assert crs.parse("[OGC:CRS84]", offered, "crs") == crs.CRS84
    with pytest.raises(InvalidInput) as e:
        crs.parse("http://www.opengis.net/def/crs/EPSG/0/3857", offered, "crs")
    assert e.value.problems[0].field == "crs"


def test_bbox_in_4490_is_read_latitude_first():
    assert crs.bbox_to_crs84((41.6, 110.0, 41.7, 110.1), crs.STORAGE) == pytest.approx((110.0, 41.6, 110.1, 41.7))


def test_bbox_in_a_zone_covers_the_projected_box():
    n, e = crs.transform_geometry(BAOTOU, crs.epsg_uri(4525))["coordinates"]
    x0, y0, x1, y1 = crs.bbox_to_crs84((n - 1000, e - 1000, n + 1000, e + 1000), crs.epsg_uri(4525))
    assert x0 < 110.0 < x1 and y0 < 41.6 < y1 and x1 - x0 < 0.05


@pytest.mark.parametrize(
    "raw,expected",
    [(None, 10), ("", 10), ("1", 1), ("10000", 10000), ("50000", 10000)],
)
def test_limit(raw, expected):
    assert query.limit(raw) == expected


@pytest.mark.parametrize("raw", ["0", "-1", "ten"])
def test_bad_limit_names_the_parameter(raw):
    with pytest.raises(InvalidInput) as e:
        query.limit(raw)
    assert e.value.problems[0].field == "limit"


def test_bbox_parsing():
    assert query.bbox("110,41,111,42") == (110, 41, 111, 42)
    assert query.bbox("110,41,0,111,42,100") == (110, 41, 111, 42)
    for bad in ("110,41,111", "a,b,c,d", "110,42,111,41", "nan,1,2,3"):
        with pytest.raises(InvalidInput):
            query.bbox(bad)


def test_datetime_instants_and_intervals():
    d = dt.date
    assert query.datetime("2020-01-01") == query.Interval(d(2020, 1, 1), d(2020, 1, 1))
    assert query.datetime("2020-01-01T10:00:00Z") == query.Interval(d(2020, 1, 1), d(2020, 1, 1))
    assert query.datetime("../2020-01-01") == query.Interval(None, d(2020, 1, 1))
    assert query.datetime("2020-01-01/") == query.Interval(d(2020, 1, 1), None)
    for bad in ("2020-13-01", "../..", "2021-01-01/2020-01-01", "yesterday"):
        with pytest.raises(InvalidInput):
            query.datetime(bad)


@pytest.mark.parametrize(
    "f,accept,expected",
    [
        (None, None, "json"),  # OWSLib sends no Accept header
        (None, "*/*", "json"),
        (None, "application/geo+json, application/json", "json"),
        (None, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
        (None, "application/json, text/html;q=0.5", "json"),
        ("html", "application/json", "html"),
        ("json", "text/html", "json"),
    ],
)
def test_negotiation(f, accept, expected):
    assert negotiation.choose(f, accept) == expected


def test_unknown_format_is_refused():
    with pytest.raises(InvalidInput):
        negotiation.choose("xml", None)


def test_paging_links():
    url = "http://h/ogcapi/collections/c/items"
    first = links.paging(url, {"bbox": "1,2,3,4"}, 0, 10, 10, 25, links.GEOJSON)
    assert (
        [x["rel"] for x in first] == ["next"]
        and "offset=10" in first[0]["href"]
        and "bbox=1%2C2%2C3%2C4" in first[0]["href"]
    )
    last = links.paging(url, {}, 20, 10, 5, 25, links.GEOJSON)
    assert [x["rel"] for x in last] == ["prev"] and "offset=10" in last[0]["href"]
