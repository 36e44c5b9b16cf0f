"""The registry fixture (tests/support/registry.py) plus an electrolytic-aluminium project in Baotou (enterprise
a) that fails the cell-current condition, so sweeps have something to find."""

import pytest

from kuangzheng.registry import services
from tests.support.registry import ADMIN


@pytest.fixture
def comp(reg):  # noqa: F811
    reg.al = services.create(
        ADMIN,
        "facility",
        {
            "name": "甲电解铝项目",
            "kind": "al_line",
            "division": "150200",
            "enterprise": reg.a.pk,
            "metals": ["铝"],
            "project_type": "new",
            "lon": 110.03,
            "lat": 41.62,
            "cell_current_ka": 380,
            "ac_molten_kwh_t": 12600,
            "ac_ingot_kwh_t": 13100,
            "current_efficiency_pct": 93.5,
            "capital_ratio_pct": 45,
            "process": "预焙槽",
        },
    )
    return reg
