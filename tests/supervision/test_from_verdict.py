"""A failing compliance verdict opens a finding tied to its rule and the catalogue entry it cites;
a verdict that does not fail opens nothing."""

import datetime as dt

import pytest

from kuangzheng.compliance import services as compliance
from kuangzheng.compliance.core import engine
from kuangzheng.compliance.models import SweepResult
from kuangzheng.errors import InvalidInput
from kuangzheng.supervision import enforcement
from tests.support.registry import ADMIN


def test_failing_verdict_opens_a_finding(sup):
    from kuangzheng.registry import services as registry

    registry.create(  # a new copper smelter below the single-series floor: a failing verdict in Baotou
        ADMIN,
        "facility",
        {
            "name": "甲冶炼厂",
            "kind": "smelter",
            "division": "150200",
            "enterprise": sup.a.pk,
            "metals": ["铜"],
            "project_type": "new",
            "single_series_capacity": 5,
            "lon": 110.03,
            "lat": 41.62,
        },
    )
    run = compliance.run_sweep(ADMIN, dt.date(2016, 6, 1))
    rows = SweepResult.objects.filter(run=run, division_code__startswith="1502").exclude(enterprise_id=None)
    failing = rows.filter(outcome=engine.FAIL).first()
    assert failing is not None
    case = enforcement.finding_from_verdict(sup.actors["reg_bt"], run.pk, failing.pk)
    assert case.finding.rule == failing.rule and case.finding.verdict == f"compliance.SweepResult:{failing.pk}"
    assert case.enterprise_id == failing.enterprise_id and case.state == "open"
    cited = [e if isinstance(e, str) else e.get("id") for e in failing.entries]
    assert case.finding.entry == (cited[0] if cited else "")
    passing = rows.filter(outcome=engine.PASS).first()
    with pytest.raises(InvalidInput):
        enforcement.finding_from_verdict(sup.actors["reg_bt"], run.pk, passing.pk)
