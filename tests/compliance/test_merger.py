"""Seed 001 (Qinghai): mergers on an equal-or-reduced capacity basis, checked on the merged plant."""

import pytest

from kuangzheng.access.actor import Actor
from kuangzheng.compliance import services

from .helpers import IM, QH, d, one

ON = d("2018-06-01")


def merged(**kw):
    return {"kind": "smelter", "division": QH, "metals": ["铜"], "capacity_unit": "10^4 t/a", **kw}


@pytest.mark.parametrize(
    "capacity,before,expected",
    [(20, 20, "pass"), (15, 20, "pass"), (20.01, 20, "fail"), (None, 20, "missing_data"), (30, None, "not_applicable")],
)
def test_a_merger_may_keep_or_reduce_capacity(capacity, before, expected):
    out, _ = one("facility", merged(capacity=capacity, merger_capacity_before=before), ON, "merger.equal_or_reduced")
    assert out == expected


def test_the_merger_rule_is_qinghais_and_in_force_from_2017():
    rec = merged(capacity=30, merger_capacity_before=20)
    assert one("facility", {**rec, "division": IM}, ON, "merger.equal_or_reduced")[0] == "not_applicable"
    assert one("facility", rec, d("2016-12-31"), "merger.equal_or_reduced")[0] == "not_applicable"
    out, v = one("facility", {**rec, "capacity": 200_001, "capacity_unit": "t/a"}, ON, "merger.equal_or_reduced")
    assert out == "fail" and "001.restructuring.merger_mode" in [c["id"] for c in v["citations"]]


def test_a_what_if_merger_states_the_capacity_before(reg):
    doc = {
        "subject": "facility",
        "as_of": "2018-06-01",
        "record": {"kind": "smelter", "division": QH, "metals": ["锌"], "capacity": 12, "project_type": "existing"},
        "context": {"merger_capacity_before": 10},
    }
    got = {v["rule"]: v["outcome"] for v in services.check_whatif(Actor("t", "admin"), doc)["verdicts"]}
    assert got["merger.equal_or_reduced"] == "fail"
