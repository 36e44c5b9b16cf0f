"""Seed 004: no new, rebuilt or expanded heavy-metal projects in nature reserves or drinking-water source
protection areas — the zone kind, the location test against the registry, and the rule's subjects."""

import pytest
from shapely.geometry import box

from kuangzheng.access.actor import Actor
from kuangzheng.compliance import services
from kuangzheng.registry import services as registry

from .helpers import IM, d, one

ADMIN = Actor("t-admin", "admin")
ON = d("2018-06-01")


def project(**kw):
    return {"kind": "smelter", "division": IM, "metals": ["铅"], "project_type": "new", **kw}


@pytest.mark.parametrize(
    "facts,expected",
    [
        ({"in_water_source_area": 1, "in_nature_reserve_site": 0}, "fail"),
        ({"in_water_source_area": 0, "in_nature_reserve_site": 1}, "fail"),
        ({"in_water_source_area": 0, "in_nature_reserve_site": 0}, "pass"),
        ({"in_water_source_area": -1, "in_nature_reserve_site": -1}, "missing_data"),
        ({"in_water_source_area": 1, "project_type": "existing"}, "not_applicable"),  # 新建、改建、扩建 only
        ({"in_water_source_area": 1, "metals": ["铝"]}, "not_applicable"),  # not a heavy metal
        ({"in_water_source_area": 1, "project_type": "retrofit", "kind": "concentrator"}, "fail"),
    ],
)
def test_heavy_metal_projects_in_protected_areas(facts, expected):
    assert one("facility", project(**facts), ON, "heavy_metal.protected_area")[0] == expected


def test_a_what_if_smelter_inside_a_drinking_water_source_area_fails(reg):
    registry.create(
        ADMIN,
        "zone",
        {
            "code": "SY-T",
            "name": "某水库饮用水水源保护区",
            "kind": "drinking_water_protection_area",
            "division": "150200",
            "boundary": box(110.5, 41.5, 110.6, 41.6).wkt,
        },
    )
    doc = {"subject": "facility", "as_of": "2018-06-01", "record": {**project(lon=110.55, lat=41.55)}}
    v = {v["rule"]: v for v in services.check_whatif(ADMIN, doc)["verdicts"]}["heavy_metal.protected_area"]
    assert v["outcome"] == "fail" and "饮用水水源保护区" in v["explanation"]["zh"]
    assert "004.zoning.heavy_metal_project_ban" in [c["id"] for c in v["citations"]]
    doc["record"].update(lon=110.7, lat=41.55)
    outside = {v["rule"]: v["outcome"] for v in services.check_whatif(ADMIN, doc)["verdicts"]}
    assert outside["heavy_metal.protected_area"] == "pass"
