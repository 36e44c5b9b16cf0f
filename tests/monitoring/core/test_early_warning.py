"""Early-warning evaluation: rules × indicator values → warnings."""

import numpy as np
import pytest

from kuangzheng.monitoring.core import indicators as ind
from kuangzheng.monitoring.core.early_warning import WarningRule, evaluate, stack
from kuangzheng.monitoring.core.errors import MonitorInputError

# Thresholds here are test fixtures standing in for catalogue entries, not the seeds' numbers.
UTIL = WarningRule(
    "w-util", "capacity_utilisation", "<", 80, "%", "warning", "cite-util", metal="al", jurisdiction="63"
)
UTIL_SEVERE = WarningRule(
    "w-util-severe", "capacity_utilisation", "<", 60, "%", "severe", "cite-util", metal="al", jurisdiction="63"
)


def values():
    util = ind.capacity_utilisation(
        [75, 50, 90, 70],
        [100, 100, 100, 100],
        {
            "division": ["630100", "632800", "630100", "150200"],
            "metal": ["al"] * 4,
            "period": ["2024-01", "2024-01", "2024-02", "2024-01"],
        },
    )
    energy = ind.unit_energy(
        [13600 * 10, 13400 * 10, 14000 * 10],
        [10, 10, 10],
        {"division": ["150200", "630100", "150200"], "metal": ["al"] * 3, "period": ["2015", "2016", "2016"]},
    )
    return stack([util, energy])


def test_rules_fire_only_within_metal_jurisdiction_and_threshold():
    got = evaluate([UTIL, UTIL_SEVERE], values())
    seen = {(w.rule_id, w.division, w.period) for w in got}
    # 630100 Jan 0.75 < 0.80; 632800 Jan 0.50 < 0.80 and < 0.60; 630100 Feb 0.90 fine;
    # 150200 (Inner Mongolia) 0.70 is outside the Qinghai rule's jurisdiction
    assert seen == {
        ("w-util", "630100", "2024-01"),
        ("w-util", "632800", "2024-01"),
        ("w-util-severe", "632800", "2024-01"),
    }
    w = next(w for w in got if w.rule_id == "w-util-severe")
    assert (w.value, w.threshold, w.unit, w.severity, w.citation_id) == (0.5, 0.6, "1", "severe", "cite-util")


def test_threshold_unit_converted_and_effective_years_respected():
    rule = WarningRule("w-e", "unit_energy", ">", 13500, "kWh/t", "warning", "c", effective_from=2016)
    got = evaluate([rule], values())
    # 2015's 13600 is before the rule; 2016: 13400 fine, 14000 breaches
    assert [(w.division, w.period, w.value) for w in got] == [("150200", "2016", 14000.0)]
    wrong = WarningRule("w-bad", "unit_energy", ">", 1, "t", "warning", "c")
    with pytest.raises(MonitorInputError, match="cannot be converted"):
        evaluate([wrong], values())


def test_nan_never_breaches_and_bad_comparison_rejected():
    t = ind.capacity_utilisation([0], [0], {"division": ["630100"], "metal": ["al"], "period": ["2024"]})
    assert np.isnan(t.value[0])
    assert evaluate([UTIL], stack([t])) == []
    with pytest.raises(MonitorInputError):
        WarningRule("x", "capacity_utilisation", "≈", 1, "%", "warning", "c")


def test_emissions_above_path_and_unreplaced_capacity():
    em = ind.emissions_to_path(
        [100, 95, 120],
        [2012, 2016, 2020],
        {"division": ["15"] * 3},
        baseline_year=2012,
        target_year=2020,
        target_ratio=1.0,
    )
    un = ind.unreplaced_capacity([100], [100], {"division": ["63"], "period": ["2024"]}, ratio=1.0)
    rules = [
        WarningRule("w-em", "emissions_to_path", ">", 1, "1", "warning", "c-em"),
        WarningRule("w-rep", "unreplaced_capacity", ">", 0, "t/a", "severe", "c-rep"),
    ]
    got = evaluate(rules, stack([em, un]))
    # 2016: 95 ≤ 100 on the path; 2020: 120 > 100; the project's 100 t/a is fully replaced
    assert [(w.rule_id, w.period) for w in got] == [("w-em", "2020")]
    un = ind.unreplaced_capacity([100], [50], {"division": ["63"], "period": ["2024"]}, ratio=1.0)
    assert [(w.rule_id, w.value) for w in evaluate(rules, stack([un]))] == [("w-rep", 50.0)]
