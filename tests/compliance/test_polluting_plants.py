"""Seed 003: around Wuhai, no new coke, steel, cement, calcium-carbide or ferro-alloy plants — facility
kinds of their own, banned by the catalogue's list."""

import pytest

from kuangzheng.access.actor import Actor
from kuangzheng.compliance import services

from .helpers import d, one

ON = d("2018-06-01")
WUHAI = "150302"  # 海勃湾区


@pytest.mark.parametrize(
    "kind", ["coke_plant", "steel_plant", "cement_plant", "calcium_carbide_plant", "ferroalloy_plant"]
)
def test_new_polluting_plants_are_banned_in_wuhai(kind):
    rec = {"kind": kind, "division": WUHAI, "project_type": "new"}
    out, v = one("facility", rec, ON, "layout.wuhai_polluting_projects")
    assert out == "fail" and "乌海" in v["explanation"]["zh"]
    assert "003.layout.wuhai_prohibited_new_projects" in [c["id"] for c in v["citations"]]
    assert one("facility", {**rec, "division": "150200"}, ON, "layout.wuhai_polluting_projects")[0] == (
        "not_applicable"
    )  # Baotou: the ban is stated for Wuhai
    assert one("facility", {**rec, "project_type": "expansion"}, ON, "layout.wuhai_polluting_projects")[0] == (
        "not_applicable"
    )  # 禁止新建: new plants only
    assert one("facility", rec, d("2017-01-01"), "layout.wuhai_polluting_projects")[0] == "not_applicable"


def test_a_what_if_calcium_carbide_plant_in_wuhai(reg):
    doc = {"subject": "facility", "as_of": "2018-06-01", "record": {"kind": "calcium_carbide_plant", "division": WUHAI}}
    got = {v["rule"]: v["outcome"] for v in services.check_whatif(Actor("t", "admin"), doc)["verdicts"]}
    assert got["layout.wuhai_polluting_projects"] == "fail"  # a what-if plant is planned, so new
