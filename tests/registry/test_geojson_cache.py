"""The map's GeoJSON pages are cached per data version and per scope view: a viewer never gets a page
built for a wider view, and any write shows up in the next request."""

import json

from kuangzheng.registry import services
from tests.support.registry import ADMIN


def _features(client, query="rights?format=geojson&size=1000"):
    r = client.get(f"/api/v1/{query}")
    assert r.status_code == 200
    return {f["properties"]["licence_no"]: f for f in json.loads(r.content)["features"]}


def test_each_scope_view_gets_its_own_page_and_writes_show_at_once(reg, login):
    admin = _features(login("admin", reg))  # built first, for the widest view
    assert "designed_scale" in admin[reg.r_bt.licence_no]["properties"]
    assert reg.r_app.licence_no in admin  # applications: staff only

    public = _features(login("public", reg))
    assert reg.r_app.licence_no not in public
    props = public[reg.r_bt.licence_no]["properties"]
    assert "designed_scale" not in props and "version" not in props and props["full_view"] is False
    assert public[reg.r_bt.licence_no]["geometry"]["type"] == "Polygon"

    assert _features(login("reg_qh", reg)) == {}  # Qinghai's regulator: nothing outside Qinghai
    assert set(_features(login("reg_bt", reg))) == {reg.r_bt.licence_no, reg.r_app.licence_no}

    services.update(ADMIN, "right", reg.r_bt.pk, {"name": "改名后的矿山"}, reg.r_bt.version)
    assert _features(login("public", reg))[reg.r_bt.licence_no]["properties"]["name"] == "改名后的矿山"


def test_the_page_equals_the_features_the_service_builds(reg, login):
    got = _features(login("reg_bt", reg))
    for obj in services.search(services.Actor("x", "regulator", division_code="150200"), "right"):
        want = services.feature(services.Actor("x", "regulator", division_code="150200"), "right", obj)
        assert got[obj.licence_no]["properties"] == json.loads(json.dumps(want["properties"]))
        assert got[obj.licence_no]["geometry"]["coordinates"] == json.loads(json.dumps(want["geometry"]))["coordinates"]
