"""Filters of the Features API on the small registry: bbox by exact shape (not just by the bounding
box), property filters, datetime, in CRS84 and in other CRSs."""

import json

from shapely.geometry import Polygon

from kuangzheng.registry import services
from tests.support.registry import ADMIN, GRANT, right_data

ITEMS = "/ogcapi/collections/{}/items"


def _ids(client, collection, **params):
    r = client.get(ITEMS.format(collection), {"limit": 1000, **params})
    assert r.status_code == 200, r.content
    doc = json.loads(r.content)
    assert doc["numberMatched"] == len(doc["features"])
    return {f["id"] for f in doc["features"]}


def test_bbox_selects_by_the_exact_shape(reg, client):
    """A triangle's bounding box overlaps the query box, its shape does not: not matched."""
    triangle = Polygon([(110.30, 41.60), (110.40, 41.60), (110.30, 41.70)])
    tri = services.create(
        ADMIN, "right", right_data("C1502002015000009", reg.a.pk, "150200", triangle), first_event=GRANT
    )
    assert tri.pk in _ids(client, "mineral-rights", bbox="110.30,41.60,110.32,41.62")  # its corner
    assert tri.pk not in _ids(client, "mineral-rights", bbox="110.38,41.68,110.41,41.71")  # the empty corner
    # the same empty corner stated latitude first in EPSG:4490
    assert tri.pk not in _ids(
        client,
        "mineral-rights",
        bbox="41.68,110.38,41.71,110.41",
        **{"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/4490"},
    )


def test_bbox_latitude_first_under_4490(reg, client):
    baotou_lonlat = _ids(client, "facilities", bbox="110.0,41.6,110.05,41.65")
    assert baotou_lonlat == {reg.fac.pk}
    latlon = _ids(
        client,
        "facilities",
        bbox="41.6,110.0,41.65,110.05",
        **{"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/4490"},
    )
    assert latlon == {reg.fac.pk}
    # read as lon/lat by mistake, the box would lie in the Indian Ocean and match nothing
    assert _ids(client, "facilities", bbox="41.6,110.0,41.65,110.05") == set()


def test_property_filters(reg, client):
    assert _ids(client, "mineral-rights", licence_no=reg.r_bt.licence_no) == {reg.r_bt.pk}
    assert _ids(client, "mineral-rights", division="150100") == {reg.r_hh.pk}
    assert _ids(client, "mineral-rights", division="150000") == {reg.r_bt.pk, reg.r_hh.pk}
    assert _ids(client, "facilities", kind="smelter") == {reg.fac_b.pk}
    assert _ids(client, "facilities", metals="锌") == {reg.fac_b.pk}
    assert _ids(client, "zones", kind="key_mining_area") == {reg.zone.pk}
    r = client.get(ITEMS.format("facilities"), {"commissioned": "soon"})
    assert r.status_code == 400 and json.loads(r.content)["problems"][0]["field"] == "commissioned"


def test_datetime_on_validity(reg, client):
    assert _ids(client, "mineral-rights", datetime="2020-01-01") == {reg.r_bt.pk, reg.r_hh.pk}
    assert _ids(client, "mineral-rights", datetime="2010-01-01/2014-12-31") == set()
    assert _ids(client, "mineral-rights", datetime="2035-01-02/..") == set()
    assert _ids(client, "mineral-rights", datetime="../2015-01-01") == {reg.r_bt.pk, reg.r_hh.pk}


def test_a_new_wide_right_is_found_by_bbox_at_once(reg, client):
    """The bbox query bounds min_lon by the widest right (an index range); a new, wider right must be
    found at once, by its far end too."""
    from shapely.geometry import box

    assert _ids(client, "mineral-rights", bbox="110.9,41.0,111.0,41.1") == set()  # caches the current width
    wide = services.create(
        ADMIN,
        "right",
        right_data("C1502002015000010", reg.a.pk, "150200", box(109.0, 41.0, 111.0, 41.05)),
        first_event=GRANT,
    )
    assert _ids(client, "mineral-rights", bbox="110.9,41.0,111.0,41.1") == {wide.pk}
