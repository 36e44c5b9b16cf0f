"""Findings of the compliance audit on backward.catalogue, smelting.single_series and
concentrator.min_capacity (A1–A4, A7, A8, C3): boundary cases written from the seeds' words."""

import dataclasses

import pytest

from kuangzheng.compliance.core import batch, engine
from kuangzheng.compliance.core.rules import backward
from kuangzheng.policy.catalogue import load_catalogue

from .helpers import IM, d, one

ON = d("2013-06-01")
HN = "410100"  # Henan: seed 004's catalogue is national
WAN = "10^4 t/a"


def fac(metals, process, **kw):
    return {"kind": "smelter", "division": HN, "project_type": "existing", "metals": metals, "process": process, **kw}


def backward_outcome(rec, as_of=ON):
    return one("facility", rec, as_of, "backward.catalogue")[0]


# A1: 以下 includes the number — a plant of exactly 1万吨/年, a furnace of exactly 50 t / 4 t is on the list
@pytest.mark.parametrize(
    "metals,process,extra,expected",
    [
        (["铝"], "再生铝", {"capacity": 1, "capacity_unit": WAN}, "fail"),  # audit B04
        (["铝"], "再生铝", {"capacity": 0.999, "capacity_unit": WAN}, "fail"),
        (["铝"], "再生铝", {"capacity": 1.001, "capacity_unit": WAN}, "pass"),
        (["铅"], "再生铅", {"capacity": 1, "capacity_unit": WAN}, "fail"),  # audit B08
        (["铅"], "再生铅熔炼", {"capacity": 1.001, "capacity_unit": WAN}, "pass"),
        (["铜"], "传统固定式反射炉再生铜", {"capacity": 5, "capacity_unit": WAN, "furnace_t": 50}, "fail"),  # B06
        (["铜"], "传统固定式反射炉再生铜", {"capacity": 5, "capacity_unit": WAN, "furnace_t": 49.9}, "fail"),
        (["铜"], "传统固定式反射炉再生铜", {"capacity": 5, "capacity_unit": WAN, "furnace_t": 50.1}, "pass"),
        (["铝"], "反射炉再生铝", {"capacity": 5, "capacity_unit": WAN, "furnace_t": 4}, "fail"),  # audit B07
        (["铝"], "反射炉再生铝", {"capacity": 5, "capacity_unit": WAN, "furnace_t": 3.9}, "fail"),
        (["铝"], "反射炉再生铝", {"capacity": 5, "capacity_unit": WAN, "furnace_t": 4.1}, "pass"),
    ],
)
def test_recycled_floors_include_the_number(metals, process, extra, expected):
    assert backward_outcome(fac(metals, process, **extra)) == expected


def test_recycled_floors_follow_the_catalogues_comparison():
    """The rule reads the entry's comparison: under a '>=' entry exactly 1万吨/年 would pass."""
    cat = load_catalogue()
    e = cat.get("004.backward.al.recycled_scale_min")
    assert (e.comparison, e.value) == (">", 1)
    varied = dataclasses.replace(
        cat, entries=tuple(dataclasses.replace(x, comparison=">=") if x.id == e.id else x for x in cat.entries)
    )
    rec = fac(["铝"], "再生铝", capacity=1, capacity_unit=WAN)
    for catalogue, expected in ((varied, "pass"), (cat, "fail")):
        (ev,) = engine.evaluate(
            [batch.from_records("facility", [rec], ON, catalogue=catalogue)], ["backward.catalogue"]
        )
        assert engine.OUTCOMES[ev.outcome[0]] == expected


# A2: the capacity is converted to 10^4 t/a first; an unconvertible unit is missing data
@pytest.mark.parametrize(
    "capacity,unit,expected",
    [
        (8000, "t/a", "fail"),  # audit B05
        (10000, "t/a", "fail"),
        (10001, "t/a", "pass"),
        (0.5, WAN, "fail"),
        (30, "t/d", "missing_data"),  # t/d needs working days no seed gives
        (2, "", "missing_data"),
    ],
)
def test_recycled_capacity_is_converted_before_comparing(capacity, unit, expected):
    rec = fac(["铝"], "再生铝", capacity=capacity, capacity_unit=unit)
    out, v = one("facility", rec, ON, "backward.catalogue")
    assert out == expected
    if out == "fail":  # the converted figure is shown beside the item
        assert f"{capacity / (1e4 if unit == 't/a' else 1):g} 万吨/年" in v["explanation"]["zh"]


# A7: a recycled plant of unknown capacity is missing data, not a pass (audit X21, X22)
@pytest.mark.parametrize("metals,process", [(["铝"], "再生铝"), (["铅"], "再生铅熔炼")])
def test_recycled_plant_of_unknown_capacity_is_missing(metals, process):
    out, v = one("facility", fac(metals, process), ON, "backward.catalogue")
    assert out == "missing_data"
    assert "10^4 t/a" in v["explanation"]["en"] and "万吨/年" in v["explanation"]["zh"]


def test_a_listed_process_fails_even_when_the_capacity_is_unknown():
    assert backward_outcome(fac(["铅"], "再生铅，烧结锅熔炼")) == "fail"


# A3: the copper furnaces are copper smelting; slag cleaning is not; reverberatory smelting is
@pytest.mark.parametrize(
    "process,expected",
    [
        ("闪速熔炼-闪速吹炼，电炉贫化渣", "pass"),  # audit B09
        ("艾萨炉熔炼-转炉吹炼-阳极炉精炼，电炉沉降渣", "pass"),  # audit X28
        ("熔炼渣电炉贫化", "pass"),
        ("闪速熔炼及贫化电炉", "pass"),
        ("反射炉熔炼", "fail"),  # audit B10
        ("反射炉炼铜", "fail"),
        ("反射炉熔炼-转炉吹炼", "fail"),
        ("密闭鼓风炉熔炼", "fail"),
        ("电炉熔炼", "fail"),
        ("矿热电炉炼铜", "fail"),
        ("鼓风炉", "fail"),
        ("阳极炉精炼，反射炉精炼", "pass"),
        ("中频感应电炉熔化", "pass"),
    ],
)
def test_copper_furnaces_as_the_smelting_step(process, expected):
    assert backward_outcome(fac(["铜"], process)) == expected


def test_copper_furnace_is_a_2011_item_and_needs_copper():
    assert backward_outcome(fac(["铜"], "反射炉熔炼"), d("2011-06-01")) == "warning"
    out, v = one("facility", fac(["铜"], "反射炉熔炼"), d("2012-01-01"), "backward.catalogue")
    assert out == "fail" and "反射炉炼铜" in v["explanation"]["zh"]
    assert "004.backward.cu.2011" in [c["id"] for c in v["citations"]]
    assert backward_outcome(fac(["锌"], "电炉熔炼")) == "pass"
    # a recycled-copper reverberatory furnace is the 50 t item, not 反射炉炼铜
    assert backward_outcome(fac(["铜"], "再生铜反射炉", furnace_t=60)) == "pass"


# A4: dashes and spaces do not hide an item
@pytest.mark.parametrize(
    "process,expected",
    [
        ("烧结鼓风炉炼铅", "fail"),  # audit B11
        ("烧结—鼓风炉炼铅", "fail"),  # audit X27 (em dash)
        ("烧结–鼓风炉炼铅", "fail"),
        ("烧结－鼓风炉", "fail"),
        ("烧结 - 鼓风炉炼铅", "fail"),
        ("烧结-鼓风炉炼铅工艺", "fail"),
        ("富氧底吹-鼓风炉还原", "pass"),
        ("富氧底吹熔炼-侧吹还原", "pass"),
    ],
)
def test_lead_sinter_blast_furnace_without_the_ascii_hyphen(process, expected):
    assert backward_outcome(fac(["铅"], process)) == expected


def test_normalising_keeps_other_items_and_metals():
    assert backward_outcome(fac(["铜"], "铜线杆(黑杆)生产")) == "fail"
    assert backward_outcome(fac(["锌"], "横 罐炼锌")) == "fail"
    assert backward_outcome(fac(["铜"], "烧结-鼓风炉")) == "fail"  # copper: a blast furnace is 鼓风炉炼铜
    assert backward_outcome(fac(["锌"], "烧结-鼓风炉")) == "pass"


def test_every_copper_furnace_keyword_is_in_the_item():
    items = "".join(load_catalogue().get(backward.COPPER_FURNACES).value)
    assert all(w in items for w in backward.KEYWORDS[backward.COPPER_FURNACES][1])


# A8: one series capacity per smelter; a series smelts one metal
def smelter(metals, value, **kw):
    return {
        "kind": "smelter",
        "division": IM,
        "project_type": "new",
        "metals": metals,
        "single_series_capacity": value,
        **kw,
    }


@pytest.mark.parametrize(
    "metals,value,process,expected",
    [
        (["铅", "锌"], 9, "铅冶炼（回收锌）", "pass"),  # audit S04: the process names lead smelting
        (["铅", "锌"], 8, "铅冶炼", "pass"),
        (["铅", "锌"], 7.99, "铅冶炼", "fail"),
        (["铅", "锌"], 9, "湿法炼锌", "fail"),
        (["铅", "锌"], 10, "湿法炼锌", "pass"),
        (["铅", "锌"], 10, "", "pass"),  # at the highest floor: passes whichever metal the series is
        (["铅", "锌"], 9.99, "", "missing_data"),  # in between: which floor binds is not recorded
        (["铅", "锌"], 8, "", "missing_data"),
        (["铅", "锌"], 7.99, "", "fail"),  # below the lowest
        (["铅", "锌"], 9, "铅锌冶炼", "missing_data"),  # names both metals
        (["铜"], 9, "铅冶炼", "fail"),  # a metal the smelter does not have is no record of its series
        (["铜", "铅"], 9, "富氧底吹", "missing_data"),
        (["铜", "锌"], 9.99, "", "fail"),
    ],
)  # Cu and Zn: same floor
def test_series_metal_decides_the_floor(metals, value, process, expected):
    assert (
        one("facility", smelter(metals, value, process=process), d("2016-06-01"), "smelting.single_series")[0]
        == expected
    )


def test_series_metal_unknown_explains_itself_and_missing_capacity_is_missing():
    out, v = one("facility", smelter(["铅", "锌"], 9), d("2016-06-01"), "smelting.single_series")
    assert out == "missing_data" and "not recorded" in v["explanation"]["en"] and "未记录" in v["explanation"]["zh"]
    assert {"000.smelting.pb.single_series", "000.smelting.zn.single_series"} <= {c["id"] for c in v["citations"]}
    out, v = one("facility", smelter(["铅", "锌"], 9, process="铅冶炼"), d("2016-06-01"), "smelting.single_series")
    assert [c["id"] for c in v["citations"]] == ["000.smelting.pb.single_series"]
    assert one("facility", smelter(["铅", "锌"], None), d("2016-06-01"), "smelting.single_series")[0] == "missing_data"


# C3: concentrators compare with the entries' comparisons (one capacity held to every metal's floor)
@pytest.mark.parametrize(
    "metals,value,expected",
    [
        (["铅", "锌", "银"], 500, "fail"),
        (["铅", "锌", "银"], 1000, "pass"),
        (["铅", "锌", "银"], 999.9, "fail"),
        (["金"], 100, "pass"),
        (["金"], 99.9, "fail"),
        (["铜", "金"], 299, "fail"),
        (["铜", "金"], 300, "pass"),
        (["铜"], None, "missing_data"),
    ],
)
def test_concentrator_floors(metals, value, expected):
    rec = {
        "kind": "concentrator",
        "division": IM,
        "project_type": "new",
        "metals": metals,
        "in_concentrator_area": 1,
        "daily_capacity": value,
    }
    out, v = one("facility", rec, d("2016-06-01"), "concentrator.min_capacity")
    assert out == expected
    facts = {f["name"]: f["value"] for f in v["facts"]}
    assert facts["op"] == ">="


def vary(entry_id, comparison):
    cat = load_catalogue()
    return dataclasses.replace(
        cat,
        entries=tuple(dataclasses.replace(x, comparison=comparison) if x.id == entry_id else x for x in cat.entries),
    )


@pytest.mark.parametrize(
    "entry_id,rule_id,rec",
    [
        (
            "000.concentrator.pbzn.min_capacity",
            "concentrator.min_capacity",
            {"kind": "concentrator", "metals": ["铅", "锌"], "in_concentrator_area": 1, "daily_capacity": 1000},
        ),
        (
            "000.smelting.pb.single_series",
            "smelting.single_series",
            {"kind": "smelter", "metals": ["铅"], "single_series_capacity": 8},
        ),
    ],
)
def test_floors_follow_the_entrys_comparison(entry_id, rule_id, rec):
    """At the floor: a pass under the catalogue's '>=' (不低于), a fail if the entry said '>'."""
    rec = {"division": IM, "project_type": "new", **rec}
    assert load_catalogue().get(entry_id).comparison == ">="
    for catalogue, expected in ((None, "pass"), (vary(entry_id, ">"), "fail")):
        (ev,) = engine.evaluate(
            [batch.from_records("facility", [rec], d("2016-06-01"), catalogue=catalogue)], [rule_id]
        )
        assert engine.OUTCOMES[ev.outcome[0]] == expected
