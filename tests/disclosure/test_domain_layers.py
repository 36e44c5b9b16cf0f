"""Layers other domains register (`layers.register`): hj212's monitoring points and the notice
board, read by OWSLib from a real server on loopback (pytest-django's live server on the test
database), in every offered CRS, with the public fields only. (GDAL's OAPIF driver hung against
the single-threaded live server here; its test of these layers is still to come.)"""

import json
import urllib.request

import pytest
from owslib.ogcapi.features import Features
from pyproj import Transformer

from kuangzheng.access.actor import Actor
from kuangzheng.notices import services as notices
from kuangzheng.registry import services as registry
from tests.hj212.helpers import register
from tests.support.registry import ADMIN

pytestmark = pytest.mark.django_db(transaction=True)

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG4490 = "http://www.opengis.net/def/crs/EPSG/0/4490"
REG_BT = Actor("u-reg-bt", "regulator", division_code="150200")
# (lon, lat) known in advance: the answer each CRS must give back
PLANT = (109.84, 40.65)
NOTICE = (110.02, 41.61)


@pytest.fixture
def served(reg, live_server):
    fac = registry.create(
        ADMIN,
        "facility",
        {
            "name": "包头测试冶炼厂",
            "kind": "smelter",
            "division": "150200",
            "enterprise": reg.a.pk,
            "lon": PLANT[0],
            "lat": PLANT[1],
        },
    )
    public = register(fac.pk, name="1号烟囱", medium="air")
    register(fac.pk, mn="AB12CD34EF56AB12CD34EF57", name="内部排口", medium="water", is_public=False)
    notices.publish(
        REG_BT,
        kind=next(iter(notices.kinds())),
        source=f"registry.Facility:{fac.pk}",
        division="150200",
        title_zh="测试公示 <b>",
        title_en="Test notice",
        body_zh="正文",
        body_en="Body",
        location=NOTICE,
    )
    notices.publish(
        REG_BT,
        kind=next(iter(notices.kinds())),
        source="registry.Facility:0",
        division="150200",
        title_zh="无位置的公告",
        title_en="No location",
        body_zh="正文",
        body_en="Body",
    )
    return live_server.url, fac, public


def _json(url):
    with urllib.request.urlopen(url, timeout=60) as r:
        return json.loads(r.read())


def _expected(lon, lat, crs_uri):
    """The EPSG axis order: lat/lon under EPSG:4490, northing/easting in a Gauss–Krüger zone."""
    if crs_uri == CRS84:
        return lon, lat
    if crs_uri == EPSG4490:
        return lat, lon
    x, y = Transformer.from_crs("EPSG:4490", f"EPSG:{crs_uri.rsplit('/', 1)[1]}", always_xy=True).transform(lon, lat)
    return y, x


def test_owslib_reads_the_registered_layers_in_every_crs(served):
    base, fac, point = served
    api = Features(base + "/ogcapi")
    assert {"monitoring-points", "notices", "mineral-rights"} <= set(api.feature_collections())
    assert {"/collections/monitoring-points/items", "/collections/notices/items"} <= set(api.api()["paths"])
    for cid, where in (("monitoring-points", PLANT), ("notices", NOTICE)):
        offered = api.collection(cid)["crs"]
        assert CRS84 in offered and EPSG4490 in offered and len(offered) > 2  # and the GK zones
        for crs_uri in offered:
            doc = api.collection_items(cid, limit=100, crs=crs_uri)
            assert doc["numberMatched"] == doc["numberReturned"] == 1, (cid, crs_uri)
            got = doc["features"][0]["geometry"]["coordinates"]
            tol = 1e-9 if crs_uri in (CRS84, EPSG4490) else 1e-3
            assert tuple(got) == pytest.approx(_expected(*where, crs_uri), abs=tol), (cid, crs_uri)
    props = api.collection_items("monitoring-points")["features"][0]["properties"]
    # the public fields, and nothing of the device (MN, password) or its settings
    assert props == {
        "name": "1号烟囱",
        "facility": fac.pk,
        "facility_name": "包头测试冶炼厂",
        "division": "150200",
        "medium": "air",
        "state": "waiting",
    }
    notice = api.collection_items("notices")["features"][0]["properties"]
    assert notice["title_zh"] == "测试公示 <b>" and notice["withdrawn"] is False


def test_the_scope_of_the_caller_decides_the_points(served, client):
    base, fac, point = served
    public = _json(f"{base}/ogcapi/collections/monitoring-points/items")
    assert [f["id"] for f in public["features"]] == [point.pk]
    assert _json(f"{base}/ogcapi/collections/monitoring-points/items?medium=water")["numberMatched"] == 0
    # a filter on a field the public does not see is refused, so numberMatched cannot reveal it
    r = client.get("/ogcapi/collections/monitoring-points/items?mn=AB12CD34EF56AB12CD34EF57")
    assert r.status_code == 400 and b"mn" in r.content
    missing = client.get(f"/ogcapi/collections/monitoring-points/items/{point.pk + 1}")
    assert missing.status_code == 404  # the non-public point does not exist for the public
