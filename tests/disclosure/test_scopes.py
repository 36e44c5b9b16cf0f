"""Who sees what through the Features API: the public sees public fields of public records, a
signed-in client (token or session) its scope, and nothing private leaks through any CRS, filter
or paging path. The small registry (tests/support/registry.py) has an `applied` right and
facilities with private capacity figures."""

import datetime as dt
import json

import pytest
from django.utils.html import escape

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


# --- credit's lists (credit/layer.py): entries without geometry, credit's own scope rule ----------

CREDIT = ITEMS.format("credit-list-entries")
ENTERED = dt.date.today() - dt.timedelta(days=30)  # in force: the abnormal list's term is three years


@pytest.fixture
def credit(reg):
    """Baotou's holder on the abnormal list (in force) and proposed for the three-rate list; Hohhot's
    holder entered on the geological-data blacklist and then removed."""
    from kuangzheng.credit import services as credit_services
    from tests.credit.helpers import actors, enter

    listed = enter(reg, entered_on=ENTERED)
    proposed = credit_services.propose(
        actors(reg)["reg_bt"], "three_rate_negative", reg.a.pk, "three_rate_failed", detail_zh="回采率未达标"
    )
    gone = enter(reg, "geodata_blacklist", "data_not_submitted", role="reg_im", enterprise=reg.b)
    gone = credit_services.remove(actors(reg)["reg_im"], gone.pk, "repair", "已汇交并核实", version=gone.version)
    return listed, proposed, gone


@pytest.mark.parametrize("crs_uri", [crs.CRS84, crs.STORAGE])
def test_public_sees_the_entries_in_force_with_public_fields_and_no_geometry(reg, client, credit, crs_uri):
    listed, _, _ = credit
    feats, matched = _every_page(client, "credit-list-entries", crs=crs_uri)
    assert matched == 1 and [f["id"] for f in feats] == [listed.pk]
    props = feats[0]["properties"]
    assert feats[0]["geometry"] is None and props["list_key"] == "abnormal" and props["enterprise_id"] == reg.a.pk
    assert not {"status", "proposed_by", "removal_requested", "version"} & set(props)


def test_a_removed_entry_is_no_longer_served_as_listed(reg, client, credit):
    _, proposed, gone = credit
    for pk in (gone.pk, proposed.pk):
        assert _get(client, f"{CREDIT}/{pk}")[0] == 404
    for params in ({"list_key": "geodata_blacklist"}, {"filter": f"enterprise_id = {reg.b.pk}"}):
        status, doc = _get(client, CREDIT, **params)
        assert status == 200 and doc["numberMatched"] == 0, params
    # the regulator of the division still reads it, marked removed, with its history
    status, doc = _get(client, f"{CREDIT}/{gone.pk}", headers=bearer(reg.users["reg_im"]))
    assert status == 200 and doc["properties"]["status"] == "removed" and doc["properties"]["removed_on"]


def test_credit_entries_for_staff_and_the_holder_follow_credits_scope(reg, client, credit):
    listed, proposed, gone = credit
    ids = lambda role: {f["id"] for f in _every_page(client, "credit-list-entries", headers=bearer(reg.users[role]))[0]}  # noqa: E731
    assert ids("reg_bt") == {listed.pk, proposed.pk}  # Hohhot's removed entry is outside Baotou
    assert ids("reg_im") == {listed.pk, proposed.pk, gone.pk}
    assert ids("ent_a") == {listed.pk, proposed.pk}  # its own proposal, in full
    assert ids("reg_qh") == {listed.pk}  # Qinghai: the public view only
    status, doc = _get(client, CREDIT, headers=bearer(reg.users["reg_bt"]), status="proposed")
    assert status == 200 and [f["id"] for f in doc["features"]] == [proposed.pk]


def test_public_cannot_filter_credit_entries_on_status(reg, client, credit):
    """A filter on status would count proposals the public may not see: refused as unknown."""
    for params in ({"status": "proposed"}, {"filter": "status = 'proposed'"}):
        status, doc = _get(client, CREDIT, **params)
        assert status == 400 and doc["problems"][0]["field"] in ("status", "filter"), params
    _, doc = _get(client, "/ogcapi/collections/credit-list-entries/queryables")
    assert "status" not in doc["properties"] and "list_key" in doc["properties"]


def test_credit_entries_by_datetime_property_cql2_and_bbox(reg, client, credit):
    listed, _, _ = credit
    for params in (
        {"datetime": ENTERED.isoformat()},
        {"datetime": f"{ENTERED - dt.timedelta(days=1)}/{ENTERED + dt.timedelta(days=1)}"},
        {"list_key": "abnormal"},
        {"division": "150200"},
        {"filter": f"entered_on BETWEEN DATE('{ENTERED}') AND DATE('{ENTERED}') AND reason = 'unreachable'"},
        {"filter": "division LIKE '1502%'"},
    ):
        status, doc = _get(client, CREDIT, **params)
        assert status == 200 and [f["id"] for f in doc["features"]] == [listed.pk], params
    for params in ({"datetime": f"{ENTERED + dt.timedelta(days=1)}/.."}, {"list_key": "serious_dishonesty"}):
        assert _get(client, CREDIT, **params)[1]["numberMatched"] == 0, params
    # Part 1: only features whose geometry intersects the box are in the result; an entry has none
    status, doc = _get(client, CREDIT, bbox="-180,-90,180,90")
    assert status == 200 and doc["numberMatched"] == 0 and doc["features"] == []


def test_credit_collection_names_its_time_and_no_place(reg, client, credit):
    status, doc = _get(client, "/ogcapi/collections/credit-list-entries")
    assert status == 200 and doc["extent"]["temporal"]["interval"] == [[ENTERED.isoformat()] * 2]
    page = client.get(CREDIT, {"f": "html"}).content.decode()
    assert status == 200 and f"/items/{credit[0].pk}?f=html" in page
    assert f"<td>{escape(credit[0].enterprise.name)}</td>" in page  # the list names each entry's enterprise
    # no geometry to filter on: the queryables say so, as a located collection's still offer it
    assert "geometry" not in _get(client, "/ogcapi/collections/credit-list-entries/queryables")[1]["properties"]
    assert "geometry" in _get(client, "/ogcapi/collections/mineral-rights/queryables")[1]["properties"]
