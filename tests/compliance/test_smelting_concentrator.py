"""M25 smelting and M26 concentrators at their thresholds (不低于: inclusive floors)."""

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from kuangzheng.compliance.core import spatial
from kuangzheng.geo.index import STRtreeIndex

from .helpers import IM, d, one

ON = d("2016-06-01")


def smelter(**kw):
    return {"kind": "smelter", "division": IM, "project_type": "new", **kw}


@pytest.mark.parametrize(
    "metals,value,expected",
    [
        (["铜"], 10, "pass"),
        (["铜"], 9.99, "fail"),
        (["zinc"], 10, "pass"),
        (["锌"], 9.99, "fail"),
        (["铅"], 8, "pass"),
        (["lead"], 7.99, "fail"),
        (["铅"], 8.01, "pass"),
        (["铅", "锌"], 10, "pass"),
        (["铅", "锌"], 7.99, "fail"),  # the series' metal unknown: every floor / none met
        (["铅", "锌"], 9, "missing_data"),  # between the lead and the zinc floor: which one binds is not recorded
        (["镁"], 1, "not_applicable"),
    ],
)
def test_single_series_capacity(metals, value, expected):
    assert (
        one("facility", smelter(metals=metals, single_series_capacity=value), ON, "smelting.single_series")[0]
        == expected
    )


def test_single_series_binds_projects_not_existing_smelters_and_missing_is_missing():
    assert (
        one(
            "facility",
            smelter(metals=["铜"], project_type="existing", single_series_capacity=1),
            ON,
            "smelting.single_series",
        )[0]
        == "not_applicable"
    )
    assert one("facility", smelter(metals=["铜"]), ON, "smelting.single_series")[0] == "missing_data"


@pytest.mark.parametrize(
    "level,expected",
    [
        ("intl_advanced", "pass"),
        ("domestic_advanced", "pass"),
        ("ordinary", "fail"),
        ("backward", "fail"),
        ("", "missing_data"),
    ],
)
def test_equipment_domestic_advanced(level, expected):
    assert one("facility", smelter(metals=["铜"], equipment_level=level), ON, "smelting.equipment")[0] == expected


@pytest.mark.parametrize(
    "ptype,flag,expected",
    [
        ("new", 1, "pass"),
        ("new", 0, "fail"),
        ("expansion", 0, "fail"),
        ("new", -1, "missing_data"),
        ("existing", 0, "not_applicable"),
        ("retrofit", 0, "not_applicable"),
    ],
)
def test_park_siting(ptype, flag, expected):
    rec = smelter(metals=["镁"], project_type=ptype, in_nonferrous_park=flag)
    assert one("facility", rec, ON, "smelting.park_siting")[0] == expected


@pytest.mark.parametrize(
    "ptype,value,expected",
    [("new", 30, "pass"), ("new", 29.99, "fail"), ("existing", 29.99, "fail"), ("existing", 30.01, "pass")],
)
def test_self_supply_binds_every_smelter(ptype, value, expected):
    rec = smelter(metals=["铜"], project_type=ptype, self_supply_pct=value)
    assert one("facility", rec, ON, "smelting.self_supply")[0] == expected


def conc(**kw):
    return {"kind": "concentrator", "division": IM, "project_type": "new", "in_concentrator_area": 1, **kw}


@pytest.mark.parametrize(
    "metals,value,expected",
    [
        (["铜"], 300, "pass"),
        (["铜"], 299.9, "fail"),
        (["金"], 100, "pass"),
        (["silver"], 99.9, "fail"),
        (["铅锌"], 1000, "pass"),
        (["锌"], 999, "fail"),
        (["铜", "铅"], 999, "fail"),
        (["铁"], 10, "not_applicable"),
        (["铜"], None, "missing_data"),
    ],
)
def test_concentrator_minimum_inside_designated_areas(metals, value, expected):
    assert one("facility", conc(metals=metals, daily_capacity=value), ON, "concentrator.min_capacity")[0] == expected


def test_concentrator_outside_areas_is_a_review_warning_and_unknown_site_is_missing():
    out = conc(metals=["铜"], daily_capacity=10, in_concentrator_area=0)
    assert one("facility", out, ON, "concentrator.min_capacity")[0] == "not_applicable"
    assert one("facility", out, ON, "concentrator.outside_area_scale")[0] == "warning"
    nowhere = conc(metals=["铜"], daily_capacity=10, in_concentrator_area=-1)
    assert one("facility", nowhere, ON, "concentrator.min_capacity")[0] == "missing_data"
    assert (
        one(
            "facility", conc(metals=["铜"], daily_capacity=10, project_type="existing"), ON, "concentrator.min_capacity"
        )[0]
        == "not_applicable"
    )


def test_designated_area_is_the_catalogue_radius_around_key_mining_areas():
    """Two points just inside and just outside 30 km north of a key mining area's edge."""
    area = box(110.0, 41.0, 110.2, 41.2)
    idx = STRtreeIndex({"zone:key_mining_area": ([1], [area])})
    # one degree of latitude at 41° is about 111.05 km; 30 km ≈ 0.2701°
    pts = shapely.points([(110.1, 41.2 + 0.2690), (110.1, 41.2 + 0.2712), (110.1, 41.1)])
    idx.add_layer("f", [10, 11, 12], pts)
    cols = spatial.facility_relations(idx, "f", np.array([10, 11, 12]), np.array([True, True, True]), 30_000)
    assert cols["in_concentrator_area"].tolist() == [1, 0, 1]
    assert 29.8 < cols["key_mining_area_km"][0] < 30.0
