"""The core and CRS assertions of the OGC test suite ets-ogcapi-features10 (Part 1 Core, Part 2
"Coordinate Reference Systems by Reference"), ported to pytest because the suite cannot be built
here. Each test names the abstract test it ports. Run against a real server with the demo data."""

import datetime as dt
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from pyproj import Transformer

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG4490 = "http://www.opengis.net/def/crs/EPSG/0/4490"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"


def fetch(url: str, accept: str | None = "application/json", **params):
    """(status, headers, decoded JSON or text)."""
    if params:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            status, headers, body = r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        status, headers, body = e.code, e.headers, e.read()
    ctype = headers.get("Content-Type", "")
    return status, headers, (json.loads(body) if "json" in ctype else body.decode())


def rel(links, name, type_=None):
    return [link for link in links if link["rel"] == name and (type_ is None or link["type"].startswith(type_))]


@pytest.fixture(scope="module")
def root(portal_server):
    return portal_server + "/ogcapi"


@pytest.fixture(scope="module")
def collections(root):
    return fetch(root + "/collections")[2]["collections"]


def items_url(collection):
    return rel(collection["links"], "items", "application/geo+json")[0]["href"]


# ------------------------------------------------------------ Part 1 core


def test_ats_core_root_op_and_success(root):
    """/ats/core/root-op, /ats/core/root-success: the landing page links the API definition, the
    conformance declaration and the collections."""
    status, _, doc = fetch(root + "/")
    assert status == 200
    assert rel(doc["links"], "service-desc", OPENAPI) and rel(doc["links"], "conformance") and rel(doc["links"], "data")
    assert rel(doc["links"], "self")


def test_ats_core_api_definition(root):
    """/ats/core/api-definition-op, /ats/oas30/oas-definition-1: the service-desc link answers an
    OpenAPI 3.0 document with the OpenAPI media type."""
    _, _, landing = fetch(root + "/")
    href = rel(landing["links"], "service-desc")[0]["href"]
    status, headers, doc = fetch(href, accept=OPENAPI)
    assert status == 200 and headers["Content-Type"] == OPENAPI
    assert doc["openapi"].startswith("3.0")
    assert {"/", "/conformance", "/collections"} <= set(doc["paths"])


def test_ats_core_conformance(root):
    """/ats/core/conformance-op, -success; and the CRS class is declared (/conf/crs/crs-conformance)."""
    status, _, doc = fetch(root + "/conformance")
    assert status == 200
    for cls in (
        "ogcapi-features-1/1.0/conf/core",
        "ogcapi-features-1/1.0/conf/geojson",
        "ogcapi-features-2/1.0/conf/crs",
    ):
        assert "http://www.opengis.net/spec/" + cls in doc["conformsTo"]


def test_ats_core_http_no_accept_header_gives_json(root):
    """/ats/core/http: the server answers without an Accept header (OWSLib sends none) — JSON."""
    for path in ("/", "/conformance", "/collections"):
        status, headers, _ = fetch(root + path, accept=None)
        assert status == 200 and headers["Content-Type"].startswith("application/json"), path
    status, headers, _ = fetch(root + "/", accept="*/*")
    assert headers["Content-Type"].startswith("application/json")


def test_ats_html_content(root):
    """/ats/html/content: a browser gets HTML."""
    status, headers, page = fetch(root + "/collections", accept="text/html,application/xhtml+xml,*/*;q=0.8")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and "mineral-rights" in page


@pytest.fixture(scope="module")
def populated(collections):
    """The collections with features to test on: like the OGC test suite, tests that need features
    skip an empty collection (the demo's notices carry no location)."""
    out = [c for c in collections if fetch(items_url(c), limit=1)[2]["numberMatched"] >= 2]
    assert {"mineral-rights", "zones", "facilities"} <= {c["id"] for c in out}
    return out


def test_ats_core_fc_md(collections):
    """/ats/core/fc-md-op, -success, -links, -extent: every collection has an id, an items link and
    a spatial extent of four numbers."""
    assert {c["id"] for c in collections} == {
        "mineral-rights",
        "zones",
        "facilities",
        "monitoring-points",
        "notices",
        "credit-list-entries",
    }
    for c in collections:
        assert c["itemType"] == "feature"
        assert rel(c["links"], "items", "application/geo+json")
        (bbox,) = c["extent"]["spatial"]["bbox"]
        assert len(bbox) == 4 and bbox[0] < bbox[2] and bbox[1] < bbox[3]


def test_ats_core_sfc_md(root, collections):
    """/ats/core/sfc-md-op, -success: /collections/{id} describes the same collection."""
    for c in collections:
        status, _, doc = fetch(f"{root}/collections/{c['id']}")
        assert status == 200 and doc["id"] == c["id"] and doc["crs"] == c["crs"]
    assert fetch(root + "/collections/no-such-collection")[0] == 404


def test_ats_core_fc_response_and_links(collections):
    """/ats/core/fc-response, /ats/core/fc-links, /ats/geojson/content: a FeatureCollection with
    self and alternate links, numberReturned equal to the features, numberMatched at least that,
    and a timeStamp."""
    for c in collections:
        status, headers, doc = fetch(items_url(c), accept="application/geo+json")
        assert status == 200 and headers["Content-Type"].startswith("application/geo+json")
        assert doc["type"] == "FeatureCollection"
        assert rel(doc["links"], "self") and rel(doc["links"], "alternate", "text/html")
        assert doc["numberReturned"] == len(doc["features"]) <= 10
        assert doc["numberMatched"] >= doc["numberReturned"]
        assert dt.datetime.strptime(doc["timeStamp"], "%Y-%m-%dT%H:%M:%SZ")
        for f in doc["features"]:
            assert f["type"] == "Feature" and "id" in f and "properties" in f
            assert f["geometry"] is None or f["geometry"]["type"] in ("Point", "Polygon", "MultiPolygon")


def test_ats_core_fc_limit(collections):
    """/ats/core/fc-limit-definition, -response: at most `limit` features; a limit above the
    maximum is no error; 10,000 in one page."""
    for c in collections:
        for limit in (1, 5, 10000, 20000):
            status, _, doc = fetch(items_url(c), limit=limit)
            assert status == 200 and doc["numberReturned"] <= limit
        assert fetch(items_url(c), limit=10000)[2]["numberReturned"] == doc["numberMatched"]


def test_ats_core_fc_paging(collections):
    """/ats/core/fc-next-1..3: following `next` returns the following features, each once."""
    c = next(c for c in collections if c["id"] == "mineral-rights")
    status, _, doc = fetch(items_url(c), limit=50)
    seen = [f["id"] for f in doc["features"]]
    pages = 1
    while rel(doc["links"], "next"):
        doc = fetch(rel(doc["links"], "next")[0]["href"])[2]
        assert rel(doc["links"], "prev")
        seen += [f["id"] for f in doc["features"]]
        pages += 1
    assert len(seen) == len(set(seen)) == doc["numberMatched"] and pages > 1


def _inside(geom, bbox):
    def coords(c):
        return [c] if isinstance(c[0], (int, float)) else [p for part in c for p in coords(part)]

    if geom is None:  # a record without a boundary intersects no box
        return False
    pts = coords(geom["coordinates"])
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return max(xs) >= bbox[0] and min(xs) <= bbox[2] and max(ys) >= bbox[1] and min(ys) <= bbox[3]


def test_ats_core_fc_bbox(populated):
    """/ats/core/fc-bbox-definition, -response: only features intersecting the box (lon/lat)."""
    for c in populated:
        x0, y0, x1, y1 = c["extent"]["spatial"]["bbox"][0]
        box = [x0, y0, (x0 + x1) / 2, (y0 + y1) / 2]
        status, _, doc = fetch(items_url(c), bbox=",".join(map(str, box)), limit=10000)
        assert status == 200
        everything = fetch(items_url(c), limit=10000)[2]
        assert 0 < doc["numberMatched"] < everything["numberMatched"]
        assert all(_inside(f["geometry"], box) for f in doc["features"])
        outside = [f for f in everything["features"] if not _inside(f["geometry"], box)]
        assert {f["id"] for f in outside}.isdisjoint(f["id"] for f in doc["features"])


def test_ats_core_fc_time(collections):
    """/ats/core/fc-time-definition, -response: instants and half-open intervals select by the
    rights' validity."""
    c = next(c for c in collections if c["id"] == "mineral-rights")
    doc = fetch(items_url(c), datetime="2000-01-01/..", limit=10000)[2]
    assert all(f["properties"]["valid_to"] >= "2000-01-01" for f in doc["features"])
    doc = fetch(items_url(c), datetime="2010-06-01", limit=10000)[2]
    assert doc["numberMatched"] > 0
    assert all(f["properties"]["valid_from"] <= "2010-06-01" <= f["properties"]["valid_to"] for f in doc["features"])


def test_ats_core_query_param_invalid_and_unknown(collections):
    """/ats/core/query-param-invalid (limit=unlimited) and /ats/core/query-param-unknown: 400."""
    for c in collections:
        assert fetch(items_url(c), limit="unlimited")[0] == 400
        assert fetch(items_url(c), unknownQueryParameter12345=1)[0] == 400
        assert fetch(items_url(c), bbox="1,2,3")[0] == 400
        assert fetch(items_url(c), datetime="not-a-time")[0] == 400


def test_ats_core_f_op(collections):
    """/ats/core/f-op, -success: every feature of a page answers at its own URL, 404 for a missing one."""
    for c in collections:
        doc = fetch(items_url(c), limit=3)[2]
        base = items_url(c).split("?")[0]
        for f in doc["features"]:
            status, _, one = fetch(f"{base}/{f['id']}", accept="application/geo+json")
            assert status == 200 and one["id"] == f["id"] and one["geometry"] == f["geometry"]
            assert rel(one["links"], "self") and rel(one["links"], "collection")
        assert fetch(f"{base}/999999999")[0] == 404


# ------------------------------------------------------------ Part 2 CRS by reference


def test_conf_crs_discovery(collections):
    """/conf/crs/crs-uri, /conf/crs/default-crs, /conf/crs/storageCrs: every crs is a URI, CRS84 is
    listed, storageCrs (CGCS2000) is listed."""
    for c in collections:
        assert all(re.match(r"^https?://www\.opengis\.net/def/crs/", uri) for uri in c["crs"])
        assert CRS84 in c["crs"]
        assert c["storageCrs"] == EPSG4490 and c["storageCrs"] in c["crs"]


def test_conf_crs_crs_parameter_and_header(populated):
    """/conf/crs/crs-parameter, /req/crs/ogc-crs-header-value: for every offered CRS, items and one
    feature answer 200 with Content-Crs naming it; without `crs` the header names CRS84."""
    for c in populated:
        url = items_url(c)
        assert fetch(url)[1]["Content-Crs"] == f"<{CRS84}>"
        fid = fetch(url, limit=1)[2]["features"][0]["id"]
        for uri in c["crs"]:
            status, headers, doc = fetch(url, crs=uri, limit=5)
            assert status == 200 and headers["Content-Crs"] == f"<{uri}>", uri
            status, headers, _ = fetch(f"{url.split('?')[0]}/{fid}", crs=uri)
            assert status == 200 and headers["Content-Crs"] == f"<{uri}>", uri


def test_conf_crs_crs_parameter_invalid(populated):
    """/conf/crs/crs-parameter-invalid: an unsupported CRS is a 400 on items and on a feature."""
    for c in populated:
        url = items_url(c)
        fid = fetch(url, limit=1)[2]["features"][0]["id"]
        assert fetch(url, crs="http://www.opengis.net/def/crs/EPSG/0/3857")[0] == 400
        assert fetch(f"{url.split('?')[0]}/{fid}", crs="http://www.opengis.net/def/crs/EPSG/0/3857")[0] == 400


def test_conf_crs_crs_parameter_transform(populated):
    """/conf/crs/crs-parameter-transform: coordinates in another CRS are the transformed CRS84 ones
    in that CRS's axis order (EPSG:4490 latitude first, Gauss–Krüger northing first)."""
    for c in populated:
        url = items_url(c)
        base = fetch(url, limit=20)[2]["features"]
        for uri in c["crs"][1:4]:
            code = int(uri.rsplit("/", 1)[1])
            tr = Transformer.from_crs("EPSG:4490", f"EPSG:{code}", always_xy=True)
            other = fetch(url, crs=uri, limit=20)[2]["features"]
            for a, b in zip(base, other):
                assert a["id"] == b["id"]
                lon, lat = _first(a["geometry"])
                x, y = tr.transform(lon, lat)
                assert _first(b["geometry"]) == pytest.approx((y, x), abs=1e-3)


def _first(geom):
    c = geom["coordinates"]
    while isinstance(c[0], list):
        c = c[0]
    return c[0], c[1]


def test_conf_crs_bbox_crs_parameter(collections):
    """/conf/crs/bbox-crs-parameter: a bbox stated in each offered CRS (in its axis order) selects the
    same features as the lon/lat box it covers; EPSG:4490 takes latitude first."""
    c = next(c for c in collections if c["id"] == "facilities")
    url = items_url(c)
    lonlat = fetch(url, bbox="109,40,112,42", limit=10000)[2]
    assert lonlat["numberMatched"] > 0
    latlon = fetch(url, bbox="40,109,42,112", **{"bbox-crs": EPSG4490}, limit=10000)[2]
    assert sorted(f["id"] for f in latlon["features"]) == sorted(f["id"] for f in lonlat["features"])
    # the same box in the Gauss–Krüger zone of Baotou, northing first: a superset (the zone box covers it)
    zone = "http://www.opengis.net/def/crs/EPSG/0/4525"
    tr = Transformer.from_crs("EPSG:4490", "EPSG:4525", always_xy=True)
    es, ns = zip(*(tr.transform(lon, lat) for lon in (109, 112) for lat in (40, 42)))
    gk = fetch(url, bbox=f"{min(ns)},{min(es)},{max(ns)},{max(es)}", **{"bbox-crs": zone}, limit=10000)[2]
    assert {f["id"] for f in lonlat["features"]} <= {f["id"] for f in gk["features"]}


def test_conf_crs_bbox_crs_parameter_invalid(collections):
    """/conf/crs/bbox-crs-parameter-invalid: an unsupported bbox-crs is a 400."""
    for c in collections:
        assert (
            fetch(items_url(c), bbox="1,2,3,4", **{"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/3857"})[0] == 400
        )
