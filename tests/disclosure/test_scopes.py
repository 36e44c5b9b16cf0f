"""Who sees what through the Features API: the public sees public fields of public records, a
signed-in client (token or session) its scope, and nothing private leaks through any CRS, filter
or paging path. The small registry (tests/support/registry.py) has an `applied` right and
facilities with private capacity figures."""

import json

import pytest

from kuangzheng.disclosure.core import crs
from tests.support.access import bearer

ITEMS = "/ogcapi/collections/{}/items"
ZONE_37 = crs.epsg_uri(4525)  # 3° zone 37: Baotou and Hohhot
OFFERED = [crs.CRS84, crs.STORAGE, ZONE_37]
PRIVATE = {"designed_scale", "elevation_top", "elevation_bottom", "process", "daily_capacity", "single_series_capacity"}


def _get(client, path, **params):
    headers = params.pop("headers", {})
    r = client.get(path, params, **headers)
    return r.status_code, (json.loads(r.content) if r["Content-Type"].startswith("application") else r.content.decode())


def _every_page(client, collection, headers=None, **params):
    """All features through the `next` links, as a client would page."""
    out, path, query = [], ITEMS.format(collection), {"limit": 1, **params}
    while True:
        status, doc = _get(client, path, headers=headers or {}, **query)
        assert status == 200, doc
        out += doc["features"]
        nxt = [link["href"] for link in doc["links"] if link["rel"] == "next"]
        if not nxt:
            return out, doc["numberMatched"]
        path, _, qs = nxt[0].partition("?")
        path = path.replace("http://testserver", "")
        query = dict(p.split("=", 1) for p in qs.split("&"))
        from urllib.parse import unquote

        query = {k: unquote(v) for k, v in query.items()}


@pytest.mark.parametrize("crs_uri", OFFERED)
def test_public_never_sees_an_application_nor_a_private_field_in_any_crs(reg, client, crs_uri):
    for collection in ("mineral-rights", "facilities", "zones"):
        feats, matched = _every_page(client, collection, crs=crs_uri)
        assert matched == len(feats)
        for f in feats:
            assert not (PRIVATE & set(f["properties"])), f["properties"]
            assert f["properties"]["full_view"] is False
        if collection == "mineral-rights":
            assert {f["properties"]["licence_no"] for f in feats} == {reg.r_bt.licence_no, reg.r_hh.licence_no}


def test_the_application_is_hidden_by_id_and_by_every_filter(reg, client):
    status, _ = _get(client, ITEMS.format("mineral-rights") + f"/{reg.r_app.pk}")
    assert status == 404
    path = ITEMS.format("mineral-rights")
    for params in (
        {"licence_no": reg.r_app.licence_no},
        {"status": "applied"},
        {"bbox": "110.10,41.60,110.12,41.62"},  # the application's own box
        {"bbox": "41.60,110.10,41.62,110.12", "bbox-crs": crs.STORAGE},
        {"datetime": "2016-03-01"},
        {"offset": "2"},
    ):
        status, doc = _get(client, path, **params)
        assert status == 200, (params, doc)
        assert reg.r_app.licence_no not in json.dumps(doc["features"], ensure_ascii=False), params
        assert reg.r_app.pk not in [f["id"] for f in doc["features"]]
    status, doc = _get(client, path, status="applied")
    assert doc["numberMatched"] == 0


@pytest.mark.parametrize("field,value", [("designed_scale", "30"), ("elevation_top", "1200")])
def test_public_cannot_filter_on_a_private_field(reg, client, field, value):
    """A filter on a withheld field would let numberMatched reveal its value: it is refused as unknown."""
    status, doc = _get(client, ITEMS.format("mineral-rights"), **{field: value})
    assert status == 400 and doc["problems"][0]["field"] == field


def test_an_enterprise_token_sees_its_own_private_fields_and_the_public_view_of_others(reg, client):
    headers = bearer(reg.users["ent_a"])
    feats, _ = _every_page(client, "facilities", headers=headers)
    by_name = {f["properties"]["name"]: f["properties"] for f in feats}
    assert by_name["甲选矿厂"]["daily_capacity"] == 500 and by_name["甲选矿厂"]["process"] == "浮选"
    assert "single_series_capacity" not in by_name["乙冶炼厂"]
    # its own private fields are not filterable either: the filter would also run over others' records
    status, _ = _get(client, ITEMS.format("facilities"), headers=headers, single_series_capacity="12")
    assert status == 400


def test_a_regulator_token_sees_its_division_only_and_filters_on_every_field(reg, client):
    headers = bearer(reg.users["reg_bt"])
    feats, matched = _every_page(client, "mineral-rights", headers=headers)
    assert {f["properties"]["licence_no"] for f in feats} == {reg.r_bt.licence_no, reg.r_app.licence_no}
    status, doc = _get(client, ITEMS.format("mineral-rights"), headers=headers, designed_scale="30")
    assert status == 200 and doc["numberMatched"] == 2
    status, doc = _get(client, ITEMS.format("mineral-rights") + f"/{reg.r_hh.pk}", headers=headers)
    assert status == 404  # Hohhot is outside Baotou's scope
    feats, _ = _every_page(client, "mineral-rights", headers=bearer(reg.users["reg_qh"]))
    assert feats == []


def test_a_bad_token_is_refused_not_treated_as_public(reg, client):
    status, doc = _get(client, ITEMS.format("facilities"), headers={"HTTP_AUTHORIZATION": "Bearer kz_nonsense"})
    assert status == 401 and doc["message_en"]


def test_html_pages_show_only_what_the_json_shows(reg, client):
    page = client.get(ITEMS.format("facilities"), {"f": "html"}).content.decode()
    assert "甲选矿厂" in page
    detail = client.get(ITEMS.format("facilities") + f"/{reg.fac.pk}", {"f": "html"}).content.decode()
    assert "浮选" not in detail and "daily_capacity" not in detail
    assert client.get(ITEMS.format("mineral-rights") + f"/{reg.r_app.pk}", {"f": "html"}).status_code == 404


def test_queryables_list_what_each_caller_may_filter_on(reg, client):
    """Part 3 queryables: the public's list has no withheld field; a regulator's has them all; every
    listed property works as a query parameter."""
    status, doc = _get(client, "/ogcapi/collections/mineral-rights/queryables")
    assert status == 200 and doc["additionalProperties"] is False
    public = set(doc["properties"]) - {"geometry"}
    assert {"licence_no", "kind", "status", "division"} <= public and not (PRIVATE & public)
    status, doc = _get(client, "/ogcapi/collections/mineral-rights/queryables", headers=bearer(reg.users["reg_bt"]))
    assert {"designed_scale", "elevation_top"} <= set(doc["properties"])
    samples = {"string": reg.r_bt.licence_no, "number": "1", "integer": "1"}
    for name, schema in _get(client, "/ogcapi/collections/mineral-rights/queryables")[1]["properties"].items():
        if name == "geometry":
            continue
        value = (
            schema["enum"][0]
            if "enum" in schema
            else "2020-01-01"
            if schema.get("format") == "date"
            else samples[schema["type"]]
        )
        status, _ = _get(client, ITEMS.format("mineral-rights"), **{name: value})
        assert status == 200, name
