"""Seed 000: inside an integrated-exploration zone, the state-funded part of a right is priced by
appraisal, the blank part by the yearly rate — so the state-funded area is taken off the blank area."""

from shapely.geometry import box

from kuangzheng.access.actor import Actor
from kuangzheng.compliance import services
from kuangzheng.registry import services as registry

ADMIN = Actor("t-admin", "admin")


def _zone(code, kind, geom):
    registry.create(
        ADMIN, "zone", {"code": code, "name": code, "kind": kind, "division": "150200", "boundary": geom.wkt}
    )


def _fees():
    doc = {
        "subject": "right",
        "as_of": "2018-06-01",
        "record": {
            "kind": "exploration",
            "division": "150200",
            "minerals": ["铜"],
            "obtained_by": "tender",
            "boundary": box(110.60, 41.50, 110.70, 41.56).wkt,
        },
    }
    return services.check_whatif(ADMIN, doc)["fees"]


def test_the_state_funded_part_is_priced_by_appraisal_not_by_the_blank_rate(reg):
    _zone("ZZ-SF", "integrated_exploration_zone", box(110.5, 41.4, 110.9, 41.7))
    before = _fees()
    assert before["kind"] == "integrated_exploration" and before["state_funded_km2"] == 0
    _zone("GJ-SF", "state_funded_exploration_area", box(110.60, 41.50, 110.65, 41.56))  # half of the right
    after = _fees()
    assert after["state_funded_km2"] > 0
    assert abs(after["blank_km2"] + after["state_funded_km2"] - before["blank_km2"]) <= 2e-4
    assert after["schedule"][0]["amount_yuan"] < before["schedule"][0]["amount_yuan"]
    assert "000.fee.integrated.state_funded_method" in [c["id"] for c in after["citations"]]
    assert "评估" in after["state_funded_method"]
