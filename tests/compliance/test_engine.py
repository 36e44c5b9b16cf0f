"""The engine's contracts: one rule definition for one subject and for many; missing data is never a
pass or a fail; verdicts cite the catalogue verbatim; spatial facts as the geometry core defines them."""

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from kuangzheng.compliance.core import batch, engine, spatial
from kuangzheng.geo.index import STRtreeIndex
from kuangzheng.policy.catalogue import load_catalogue

KINDS = ["al_line", "smelter", "concentrator", "mine", "refinery"]
PTYPES = ["new", "retrofit", "expansion", "existing"]
maybe = st.one_of(st.none(), st.floats(min_value=0, max_value=20000, allow_nan=False))
facility = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(KINDS),
        "project_type": st.sampled_from(PTYPES),
        "division": st.sampled_from(["150200", "630000", "540000", "110000"]),
        "metals": st.lists(st.sampled_from(["铝", "铜", "铅", "锌", "金", "煤", "铁"]), max_size=3),
        "cell_current_ka": maybe,
        "ac_molten_kwh_t": maybe,
        "ac_ingot_kwh_t": maybe,
        "current_efficiency_pct": maybe,
        "capital_ratio_pct": maybe,
        "single_series_capacity": maybe,
        "self_supply_pct": maybe,
        "daily_capacity": maybe,
        "capacity": maybe,
        "capacity_unit": st.sampled_from(["10^4 t/a", "t/a", ""]),
        "coal_rank": st.sampled_from(["", "褐煤", "烟煤"]),
        "mining_method": st.sampled_from(["", "underground", "open_pit"]),
        "in_concentrator_area": st.sampled_from([-1, 0, 1]),
        "in_nonferrous_park": st.sampled_from([-1, 0, 1]),
        "process": st.sampled_from(["", "马弗炉", "预焙槽", "再生铝"]),
    }
)
dates = st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2026, 12, 31))


@settings(max_examples=40, deadline=None)
@given(st.lists(facility, min_size=2, max_size=12), dates)
def test_a_subject_alone_gets_the_verdicts_it_gets_in_a_sweep(records, as_of):
    together = engine.evaluate([batch.from_records("facility", records, as_of)])
    for i, rec in enumerate(records):
        alone = engine.evaluate([batch.from_records("facility", [rec], as_of)])
        for ev_all, ev_one in zip(together, alone):
            assert ev_all.rule.id == ev_one.rule.id
            assert ev_all.outcome[i] == ev_one.outcome[0], ev_all.rule.id
            assert ev_all.reason[i] == ev_one.reason[0], ev_all.rule.id


THRESHOLD_FACTS = {
    "al.cell_current": "cell_current_ka",
    "al.ac_molten": "ac_molten_kwh_t",
    "al.ac_ingot": "ac_ingot_kwh_t",
    "al.current_efficiency": "current_efficiency_pct",
    "al.capital_ratio": "capital_ratio_pct",
    "smelting.single_series": "single_series_capacity",
    "smelting.self_supply": "self_supply_pct",
    "concentrator.min_capacity": "daily_capacity",
}


@settings(max_examples=40, deadline=None)
@given(st.lists(facility, min_size=1, max_size=12), dates)
def test_missing_data_is_never_a_pass_or_a_fail(records, as_of):
    for ev in engine.evaluate([batch.from_records("facility", records, as_of)]):
        fact = THRESHOLD_FACTS.get(ev.rule.id)
        if fact is None:
            continue
        unknown = np.isnan(ev.batch.num(fact))
        assert not np.isin(ev.outcome[unknown], (engine.PASS, engine.FAIL)).any(), ev.rule.id


def test_verdict_citations_are_the_catalogue_quotes_and_dates_are_the_batchs():
    rec = {"kind": "al_line", "project_type": "new", "division": "150200", "cell_current_ka": 350}
    ev = engine.evaluate([batch.from_records("facility", [rec], dt.date(2014, 1, 1))], ["al.cell_current"])[0]
    v = engine.verdict(ev, 0)
    cat = load_catalogue()
    assert v["outcome"] == "fail" and v["as_of"] == "2014-01-01"
    for c in v["citations"]:
        assert c["quote"] == cat.get(c["id"]).quote
    assert any("000.al.new.cell_current" in line for line in v["trace"])
    assert {"zh", "en"} <= set(v["explanation"]) and "350" in v["explanation"]["zh"]


def test_jurisdiction_from_division_codes():
    assert engine.jurisdictions(["150200", "632800", "540100", "110000"]).tolist() == [
        "inner_mongolia",
        "qinghai",
        "tibet",
        "national",
    ]


def test_right_relations_touching_is_not_overlap_and_stacked_elevations_do_not_clash():
    a, b, c, blk = (
        box(0.0 + 110, 41, 110.1, 41.1),
        box(110.1, 41, 110.2, 41.1),
        box(110.05, 41.05, 110.15, 41.15),
        box(109.9, 40.9, 110.3, 41.3),
    )
    reg = {
        "id": np.array([1, 2, 3]),
        "holder": np.array([10, 20, 30]),
        "kind": np.array(["mining"] * 3),
        "mask": np.array([1, 1, 1], dtype=np.uint64),
        "top": np.array([1000.0, 1000.0, 500.0]),
        "bottom": np.array([600.0, 600.0, 100.0]),
        "live": np.array([1, 1, 1]),
        "has_geom": np.array([True] * 3),
    }
    idx = STRtreeIndex(
        {"rights": ([1, 2, 3], [a, b, c]), "zone:nature_reserve": ([7], [box(110.15, 41.0, 110.3, 41.1)])}
    )
    cols = spatial.right_relations(idx, "rights", reg, reg)
    # 1 and 2 only touch; 3 overlaps both in plan but lies below them (100–500 m vs 600–1000 m)
    assert cols["conflicts"].tolist() == [0, 0, 0]
    assert cols["in_nature_reserve"].tolist() == [0, 1, 0]
    reg["top"][2] = 700.0
    cols = spatial.right_relations(idx, "rights", reg, reg)
    assert cols["conflicts"].tolist() == [1, 1, 2]
    assert cols["other_holder_same_mineral_mining"].tolist() == [1, 1, 2]
    # one exploration planning block holding three holders' exploration rights
    reg["kind"] = np.array(["exploration"] * 3)
    idx.add_layer("zone:exploration_planning_block", [5], [blk])
    cols = spatial.right_relations(idx, "rights", reg, reg)
    assert cols["block_other_subjects"].tolist() == [2, 2, 2]
    assert cols["exploration_blocks"].tolist() == [1, 1, 1]


flag = st.sampled_from([None, True, False])
count = st.one_of(st.none(), st.integers(0, 3))
right = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["exploration", "mining"]),
        "status": st.sampled_from(["applied", "valid", "expired", "suspended"]),
        "division": st.sampled_from(["150200", "630000", "540000", "110000", ""]),
        "minerals": st.lists(
            st.sampled_from(["铜", "煤炭", "砂金", "河道砂金", "超贫磁铁矿", "砂石", "湿地泥炭", "金"]), max_size=3
        ),
        "obtained_by": st.sampled_from(["application", "listing", "agreement", "tender"]),
        "agreement_case": st.sampled_from(["", "mining_right_expansion", "exploration_right_expansion", "other"]),
        "has_deep_processing": flag,
        "adjacent": flag,
        "findings": flag,
        "eia_approved": flag,
        "added_km2": maybe,
        "original_km2": maybe,
        "price_yuan": maybe,
        "area_km2": maybe,
        "capacity": maybe,
        "capacity_unit": st.sampled_from(["10^4 t/a", "t/d"]),
        "valid_from": st.one_of(st.none(), dates),
        "first_transfer": st.one_of(st.none(), dates),
        "in_prohibited": count,
        "in_nature_reserve": count,
        "in_restricted": count,
        "exploration_blocks": count,
        "mining_blocks": count,
        "block_other_subjects": count,
        "conflicts": count,
        "other_holder_same_mineral_mining": count,
        "in_integrated_zone": count,
        "straddles_integrated_zone": count,
        "in_fragile_area": count,
    }
)


@settings(max_examples=40, deadline=None)
@given(st.lists(right, min_size=2, max_size=10), dates)
def test_rights_alone_and_together_agree_and_every_verdict_renders(records, as_of):
    together = engine.evaluate([batch.from_records("right", records, as_of)])
    for i, rec in enumerate(records):
        alone = engine.evaluate([batch.from_records("right", [rec], as_of)])
        for ev_all, ev_one in zip(together, alone):
            assert (ev_all.outcome[i], ev_all.reason[i]) == (ev_one.outcome[0], ev_one.reason[0]), ev_all.rule.id
            v = engine.verdict(ev_all, i)
            assert v["explanation"]["zh"] and v["explanation"]["en"] and "{" not in v["explanation"]["en"]
