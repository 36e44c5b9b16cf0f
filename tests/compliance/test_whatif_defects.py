"""Defects an outside check found in the what-if input: a right without a boundary, a GeoJSON
FeatureCollection as `kz geo` writes it, the floor price without the way the right was obtained, and
a facility's project type when it is not given (derived from its status, on both paths)."""

import copy
import json

import pytest
from click.testing import CliRunner
from shapely.geometry import box

from kuangzheng.access.actor import Actor
from kuangzheng.access.users import create_user
from kuangzheng.cli import main
from kuangzheng.compliance import services
from kuangzheng.errors import InvalidInput
from kuangzheng.geo.layers import write_layer
from kuangzheng.registry import services as registry
from kuangzheng.registry.core import projects, vocab

from .helpers import d, one

ADMIN = Actor("t-admin", "admin")
RIGHT = {
    "subject": "right",
    "as_of": "2018-06-01",
    "record": {"kind": "exploration", "division": "150200", "minerals": ["铜"], "obtained_by": "listing"},
}


def outcomes(result):
    return {v["rule"]: v["outcome"] for v in result["verdicts"]}


def test_a_right_without_a_boundary_is_checked_with_its_spatial_facts_missing(reg, tmp_path):
    """The docs require only kind and division; the check used to end in `KeyError: no layer named subject`."""
    create_user("admin", "x-pass-123", "admin")
    f = tmp_path / "right.json"
    f.write_text(json.dumps(RIGHT, ensure_ascii=False), encoding="utf-8")
    r = CliRunner().invoke(main, ["check", str(f)])
    assert r.exit_code == 0, r.output
    got = outcomes(json.loads(r.output))
    assert got["plan.right_overlap"] == "missing_data"
    assert got["mineral.policy"] == "pass"  # rules that need no boundary still decide


def test_a_feature_collection_as_kz_geo_writes_it_is_a_boundary(reg, tmp_path):
    geom = box(110.3, 41.7, 110.35, 41.73)
    path = write_layer([({"name": "某铜矿勘查"}, geom)], tmp_path / "b.geojson")
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    doc = copy.deepcopy(RIGHT)
    doc["record"]["boundary"] = collection
    as_collection = services.check_whatif(ADMIN, copy.deepcopy(doc))
    doc["record"]["boundary"] = geom.wkt
    assert outcomes(as_collection) == outcomes(services.check_whatif(ADMIN, doc))
    assert as_collection["fees"]["area_km2"] > 0

    doc["record"]["boundary"] = {**collection, "features": collection["features"] * 2}
    with pytest.raises(InvalidInput) as e:
        services.check_whatif(ADMIN, doc)
    (p,) = e.value.problems
    assert p.field == "record.boundary" and "exactly 1 feature" in p.en and "1 个要素" in p.zh


FP = {"kind": "exploration", "division": "150200", "status": "applied", "in_integrated_zone": 0, "area_km2": 10.0}


@pytest.mark.parametrize("price", [100, 100000, 200000])
def test_floor_price_without_the_way_obtained_is_missing_data(price):
    """The floor binds competitive sales only; with the way unknown, the verdict depends on it."""
    out, v = one("right", {**FP, "obtained_by": "", "price_yuan": price}, d("2018-06-01"), "fee.floor_price")
    assert out == "missing_data"
    assert "obtained_by" in v["explanation"]["en"]
    assert (
        one("right", {**FP, "obtained_by": "listing", "price_yuan": 100}, d("2018-06-01"), "fee.floor_price")[0]
        == "fail"
    )


def test_project_type_is_derived_from_the_status_in_one_place():
    assert [projects.project_type_of("", s) for s, _ in vocab.FACILITY_STATUS] == [
        "new",
        "new",
        "existing",
        "existing",
        "existing",
    ]
    assert projects.project_type_of("expansion", "operating") == "expansion"


COAL = {
    "kind": "mine",
    "division": "150200",
    "metals": ["煤"],
    "coal_rank": "烟煤",
    "mining_method": "underground",
    "capacity": 60,
    "capacity_unit": "10^4 t/a",
}


@pytest.mark.parametrize(
    "status,expected", [("planned", "fail"), ("under_construction", "fail"), ("operating", "warning")]
)
def test_a_mine_without_project_type_gets_the_same_verdict_in_the_registry_and_in_a_what_if_check(
    reg, status, expected
):
    fac = registry.create(ADMIN, "facility", {**COAL, "name": f"某煤矿{status}", "status": status})
    reg_verdict = {v["rule"]: v["outcome"] for v in services.check_subject(ADMIN, "facility", fac.pk, d("2018-06-01"))}
    whatif = outcomes(
        services.check_whatif(
            ADMIN, {"subject": "facility", "as_of": "2018-06-01", "record": {**COAL, "status": status}}
        )
    )
    assert reg_verdict["mine.min_scale"] == whatif["mine.min_scale"] == expected


def test_a_what_if_facility_without_status_is_a_planned_new_project(reg):
    got = outcomes(services.check_whatif(ADMIN, {"subject": "facility", "as_of": "2018-06-01", "record": COAL}))
    assert got["mine.min_scale"] == "fail"
