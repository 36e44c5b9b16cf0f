"""CQL2-text filtering (Part 3) on the small registry: the supported subset, and no way around the
caller's queryables."""

import json

import pytest

from tests.support.access import bearer

ITEMS = "/ogcapi/collections/{}/items"


def _get(client, collection, headers=None, **params):
    r = client.get(ITEMS.format(collection), {"limit": 1000, **params}, **(headers or {}))
    return r.status_code, json.loads(r.content)


def _ids(client, collection, text, headers=None):
    status, doc = _get(client, collection, headers, filter=text)
    assert status == 200, doc
    return {f["id"] for f in doc["features"]}


def test_comparisons_and_boolean_operators(reg, client):
    bt, hh = reg.r_bt.pk, reg.r_hh.pk
    assert _ids(client, "mineral-rights", f"licence_no = '{reg.r_bt.licence_no}'") == {bt}
    assert _ids(client, "mineral-rights", f"licence_no <> '{reg.r_bt.licence_no}'") == {hh}
    assert _ids(client, "mineral-rights", "kind = 'mining' AND division = '150100'") == {hh}
    assert _ids(client, "mineral-rights", "division = '150100' OR division = '150200'") == {bt, hh}
    assert _ids(client, "mineral-rights", "NOT (division = '150100')") == {bt}
    assert _ids(client, "mineral-rights", "valid_to > DATE('2030-01-01')") == {bt, hh}
    assert _ids(client, "mineral-rights", "valid_from < DATE('2015-01-01')") == set()
    assert _ids(client, "mineral-rights", "minerals = '铜'") == {bt, hh}


def test_like_in_between_is_null(reg, client):
    assert _ids(client, "facilities", "name LIKE '%选矿%'") == {reg.fac.pk}
    assert _ids(client, "facilities", "name LIKE '乙__厂'") == {reg.fac_b.pk}
    assert _ids(client, "facilities", "kind IN ('smelter', 'refinery')") == {reg.fac_b.pk}
    assert _ids(client, "facilities", "lon BETWEEN 111 AND 112") == {reg.fac_b.pk}
    assert _ids(client, "facilities", "commissioned IS NULL") == {reg.fac.pk, reg.fac_b.pk}


@pytest.mark.parametrize(
    "text", ["daily_capacity > 100", "process LIKE '%浮%'", "kind = 'mine' OR single_series_capacity >= 12"]
)
def test_the_public_cannot_filter_on_withheld_fields(reg, client, text):
    status, doc = _get(client, "facilities", filter=text)
    assert status == 400 and doc["problems"][0]["field"] == "filter"


def test_a_regulator_filters_on_every_field_of_its_scope(reg, client):
    assert _ids(client, "facilities", "daily_capacity > 100", bearer(reg.users["reg_im"])) == {reg.fac.pk}


def test_the_application_stays_hidden(reg, client):
    assert reg.r_app.pk not in _ids(client, "mineral-rights", "status = 'applied' OR kind = 'mining'")


@pytest.mark.parametrize(
    "params,field",
    [
        ({"filter": "kind = "}, "filter"),
        ({"filter": "S_INTERSECTS(geometry, POINT(110 41))"}, "filter"),
        ({"filter": "kind = 'mining'", "filter-lang": "cql2-json"}, "filter-lang"),
        ({"filter": "minerals > '铜'"}, "filter"),
    ],
)
def test_bad_or_unsupported_filters_name_the_parameter(reg, client, params, field):
    status, doc = _get(client, "mineral-rights", **params)
    assert status == 400 and doc["problems"][0]["field"] == field
