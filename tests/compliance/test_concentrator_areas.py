"""Designated concentrator areas: drawn by leagues and cities around key mining areas AND mineralisation
belts (成矿区带), within 30 km — or drawn outright as a zone of their own."""

import copy

import pytest
from shapely.geometry import box

from kuangzheng.access.actor import Actor
from kuangzheng.compliance import services
from kuangzheng.registry import services as registry

ADMIN = Actor("t-admin", "admin")
DOC = {
    "subject": "facility",
    "as_of": "2016-06-01",
    "record": {"kind": "concentrator", "division": "150800", "metals": ["铜"], "daily_capacity": 299},
}


def _check(lon, lat):
    doc = copy.deepcopy(DOC)
    doc["record"].update(lon=lon, lat=lat)
    return {v["rule"]: v["outcome"] for v in services.check_whatif(ADMIN, doc)["verdicts"]}


@pytest.mark.parametrize("kind,code", [("mineralisation_belt", "CK-T"), ("designated_concentrator_area", "XK-T")])
def test_a_belt_or_a_drawn_area_makes_a_designated_area(reg, kind, code):
    far = (107.40, 41.00)  # no key mining area near it in the test registry
    assert "concentrator.min_capacity" not in _check(*far)  # outside: not applicable (left out)
    registry.create(
        ADMIN,
        "zone",
        {
            "code": code,
            "name": "狼山成矿带" if kind == "mineralisation_belt" else "某旗选矿厂划定区域",
            "kind": kind,
            "division": "150200",  # a division of the test registry
            "boundary": box(107.50, 40.95, 107.70, 41.05).wkt,  # ~8 km east of the plant
        },
    )
    inside_or_near = _check(*far) if kind == "mineralisation_belt" else _check(107.55, 41.0)
    assert inside_or_near["concentrator.min_capacity"] == "fail"  # 299 t/d < 300 t/d for copper
    if kind == "designated_concentrator_area":
        assert "concentrator.min_capacity" not in _check(*far)  # a drawn area counts inside only
