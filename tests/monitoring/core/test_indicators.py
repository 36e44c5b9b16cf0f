"""Indicators on hand-computed cases (the expected numbers are worked out in the comments)."""

import numpy as np
import pytest

from kuangzheng.monitoring.core import indicators as ind
from kuangzheng.monitoring.core.errors import MonitorInputError

DIV = np.array(["150100", "150100", "150100", "630100", "630100"])
METAL = np.array(["al", "al", "cu", "al", "al"])
PERIOD = np.array(["2024", "2024", "2024", "2024", "2024"])
BY = {"division": DIV, "metal": METAL, "period": PERIOD}


def as_dict(table):
    return {tuple(str(table.keys[k][i]) for k in table.keys): table.value[i] for i in range(len(table))}


def test_capacity_utilisation_is_ratio_of_sums_not_mean_of_ratios():
    # 150100/al: (70 + 10) / (100 + 100) = 0.4 (mean of ratios would be 0.4 too, so use 630100:
    # (90 + 0) / (100 + 50) = 0.6, whereas the mean of 0.9 and 0.0 is 0.45)
    t = ind.capacity_utilisation([70, 10, 5, 90, 0], [100, 100, 10, 100, 50], BY)
    got = as_dict(t)
    assert got[("150100", "al", "2024")] == pytest.approx(0.4)
    assert got[("150100", "cu", "2024")] == pytest.approx(0.5)
    assert got[("630100", "al", "2024")] == pytest.approx(0.6)
    assert t.unit == "1" and list(t.denominator) == [200, 10, 150]


def test_zero_denominator_is_undefined_not_infinite():
    t = ind.capacity_utilisation([0, 5], [0, 10], {"division": ["150100", "630100"]})
    assert np.isnan(t.value[0]) and t.value[1] == 0.5


def test_bad_input_names_row_and_column():
    with pytest.raises(MonitorInputError) as e:
        ind.capacity_utilisation([1, -2], [3, 3], {"division": ["1", "2"]})
    assert e.value.field == "output[1]" and "非负" in str(e.value) and "non-negative" in str(e.value)
    with pytest.raises(MonitorInputError, match="length 1, expected 2"):
        ind.capacity_utilisation([1, 2], [3], {"division": ["1", "2"]})


def test_processing_conversion_rate():
    t = ind.processing_conversion_rate([90, 0, 30], [100, 50, 60], {"division": ["15", "15", "63"]})
    assert list(t.value) == pytest.approx([90 / 150, 0.5])


def test_recycled_share():
    t = ind.recycled_share([240, 458, 400, 1577], [True, False, True, False], {"metal": ["cu", "cu", "al", "al"]})
    got = as_dict(t)
    assert got[("cu",)] == pytest.approx(240 / 698) and got[("al",)] == pytest.approx(400 / 1977)


def test_concentration_sums_facilities_per_enterprise_before_ranking():
    # group A: enterprise e1 has two facilities 30 + 30 = 60, e2 50, e3 40, e4 20 → total 170.
    # CR2 = (60 + 50) / 170; ranking facilities instead would give (50 + 40) / 170.
    # group B: one enterprise → CR2 = 1.
    ent = ["e1", "e1", "e2", "e3", "e4", "x"]
    grp = ["A", "A", "A", "A", "A", "B"]
    t = ind.concentration([30, 30, 50, 40, 20, 7], ent, {"metal": grp}, top_n=2)
    assert t.indicator == "concentration_top2"
    assert list(t.value) == pytest.approx([110 / 170, 1.0])
    assert list(t.extra["enterprises"]) == [4, 1]
    t10 = ind.concentration([30, 30, 50, 40, 20, 7], ent, {"metal": grp}, top_n=10)
    assert list(t10.value) == pytest.approx([1.0, 1.0])
    with pytest.raises(MonitorInputError):
        ind.concentration([1], ["e"], {"metal": ["A"]}, top_n=0)


def test_unit_energy_weighted_and_against_limit():
    # two smelters: 13000 kWh/t on 100 t and 14000 kWh/t on 300 t → (1.3e6 + 4.2e6) / 400 = 13750
    energy = [13000 * 100, 14000 * 300]
    t = ind.unit_energy(energy, [100, 300], {"metal": ["al", "al"]}, limit=13500)
    assert t.value[0] == pytest.approx(13750)
    assert t.extra["facilities_above_limit"][0] == 1
    assert t.extra["output_share_above_limit"][0] == pytest.approx(0.75)


def test_three_rate_compliance_counts_mines_not_rates():
    rates = {
        "mining_recovery": [90, 80, 95, np.nan, 70],
        "processing_recovery": [85, 85, 80, 90, np.nan],
        "comprehensive_utilisation": [50, 50, 50, 50, 50],
    }
    standards = {
        "mining_recovery": [85, 85, 85, 85, np.nan],
        "processing_recovery": [80, 80, 85, 80, np.nan],
        "comprehensive_utilisation": [np.nan, np.nan, 40, 40, np.nan],
    }
    # mine 0 passes; mine 1 fails mining; mine 2 fails processing; mine 3 lacks a reported
    # mining rate (missing data, left out); mine 4 has no standard (not assessed) → 1 / 3
    t = ind.three_rate_compliance(rates, standards, {"division": ["15"] * 5})
    assert t.value[0] == pytest.approx(1 / 3)
    assert (t.numerator[0], t.denominator[0], t.extra["missing_data"][0]) == (1, 3, 1)


def test_large_medium_share_by_count_and_capacity():
    count, cap = ind.large_medium_share(
        ["large", "small", "medium", "small"], [100, 5, 30, 15], {"division": ["15"] * 4}
    )
    assert count.value[0] == 0.5 and cap.value[0] == pytest.approx(130 / 150)
    with pytest.raises(MonitorInputError, match=r"scale\[1\]"):
        ind.large_medium_share(["large", "huge"], [1, 1], {"division": ["15", "15"]})


def test_restoration_balance_per_three_year_cycle():
    years = [2016, 2017, 2018, 2019, 2020]
    t = ind.restoration_balance(
        [1, 2, 3, 4, 0], [2, 2, 2, 2, 2], years, {"division": ["15"] * 5}, cycle_start_year=2016
    )
    # cycle 2016–2018: 6 / 6 = 1; cycle 2019–2021 (2019, 2020): 4 / 4 = 1
    assert list(t.keys["cycle"]) == [2016, 2019]
    assert list(t.value) == pytest.approx([1.0, 1.0])
    # restoring less in 2019 unbalances the second cycle only: 1 / 4
    t = ind.restoration_balance(
        [1, 2, 3, 1, 0], [2, 2, 2, 2, 2], years, {"division": ["15"] * 5}, cycle_start_year=2016
    )
    assert list(t.value) == pytest.approx([1.0, 0.25])


def test_emissions_against_baseline_and_path():
    years = [2012, 2012, 2016, 2016, 2020]
    em = [60, 40, 95, 0, 100]
    by = {"division": ["15"] * 5, "metal": ["Pb"] * 5}
    t = ind.emissions_vs_baseline(em, years, by, baseline_year=2012)
    assert list(t.keys["year"]) == [2012, 2016, 2020]
    assert list(t.value) == pytest.approx([1.0, 0.95, 1.0])
    # path from 2012 (1.0) to 2020 (0.8): 2016 allows 0.9 × 100 = 90 → 95 / 90; 2020: 100 / 80
    p = ind.emissions_to_path(em, years, by, baseline_year=2012, target_year=2020, target_ratio=0.8)
    assert list(p.extra["path"]) == pytest.approx([1.0, 0.9, 0.8])
    assert list(p.value) == pytest.approx([1.0, 95 / 90, 100 / 80])


def test_green_mines_and_unreplaced_capacity():
    g = ind.green_mine_count([True, False, True], {"division": ["15", "15", "63"]})
    assert list(g.value) == [1, 1] and list(g.denominator) == [2, 1]
    # project 1: 100 new, 120 retired at ratio 1.2 → covers 100 → 0; project 2: 100 new, 60 → 50
    u = ind.unreplaced_capacity([100, 100], [120, 60], {"division": ["63", "63"]}, ratio=1.2)
    assert u.value[0] == pytest.approx(50)
    with pytest.raises(MonitorInputError):
        ind.unreplaced_capacity([1], [1], {"division": ["63"]}, ratio=0.9)


def test_groupby_is_columnar_at_volume():
    rng = np.random.default_rng(1)
    n = 200_000
    div = rng.integers(0, 300, n).astype(str)
    out = rng.random(n)
    cap = out + rng.random(n)
    t = ind.capacity_utilisation(out, cap, {"division": div})
    i = int(np.flatnonzero(t.keys["division"] == "7")[0])
    sel = div == "7"
    assert t.value[i] == pytest.approx(out[sel].sum() / cap[sel].sum())


def test_rows_are_plain_dicts():
    t = ind.capacity_utilisation([1], [2], {"division": np.array(["150100"])})
    assert t.rows() == [
        {
            "indicator": "capacity_utilisation",
            "unit": "1",
            "division": "150100",
            "value": 0.5,
            "numerator": 1.0,
            "denominator": 2.0,
        }
    ]


def test_concentration_matches_a_plain_loop_on_random_data():
    rng = np.random.default_rng(7)
    n = 400
    grp = rng.integers(0, 6, n).astype(str)
    ent = rng.integers(0, 40, n).astype(str)
    out = rng.random(n).round(3)
    t = ind.concentration(out, ent, {"g": grp}, top_n=3)
    for i, g in enumerate(t.keys["g"]):
        per = {}
        for e, o in zip(ent[grp == g], out[grp == g]):
            per[e] = per.get(e, 0) + o
        top = sorted(per.values(), reverse=True)[:3]
        assert t.value[i] == pytest.approx(sum(top) / sum(per.values()))


def test_contributors_counts_distinct_enterprises_per_cell():
    # rows: (division, year, enterprise); enterprise 7 has two facilities in 15/2020
    row_keys = {"division": np.array(["15", "15", "15", "63", "15"]), "year": np.array([2020, 2020, 2020, 2020, 2021])}
    ent = [7, 7, 8, 9, 7]
    t = ind.total([1, 2, 3, 4, 5], row_keys, indicator="x", unit="t")
    n = ind.contributors(t.keys, row_keys, ent)
    cells = {(d, int(y)): int(c) for d, y, c in zip(t.keys["division"], t.keys["year"], n)}
    assert cells == {("15", 2020): 2, ("15", 2021): 1, ("63", 2020): 1}
    # a table cell no row falls in counts 0 (fail closed), and the key columns must match
    assert list(ind.contributors({"division": np.array(["54"]), "year": np.array([2020])}, row_keys, ent)) == [0]
    with pytest.raises(MonitorInputError):
        ind.contributors({"division": np.array(["15"])}, row_keys, ent)


def test_total_green_share_and_cycles():
    t = ind.total([10, 5, 2], {"division": ["15", "15", "63"]}, indicator="land_restored", unit="ha")
    assert t.rows()[0] == {
        "indicator": "land_restored",
        "unit": "ha",
        "division": "15",
        "value": 15.0,
        "numerator": 15.0,
        "denominator": 2,
    }
    s = ind.green_mine_share([True, False, False, True], {"division": ["15", "15", "15", "63"]})
    assert [round(v, 4) for v in s.value] == [0.3333, 1.0] and list(s.denominator) == [3, 1]
    assert list(ind.cycle_of([2015, 2016, 2018, 2019, 2021], 2016, 3)) == [2013, 2016, 2016, 2019, 2019]
    with pytest.raises(MonitorInputError):
        ind.cycle_of([2016], 2016, 0)
