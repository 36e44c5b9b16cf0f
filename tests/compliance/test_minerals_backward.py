"""M32 mineral lists (exploration / mining) and M37 the backward-capacity catalogue."""

import pytest

from kuangzheng.compliance.core.rules import backward
from kuangzheng.policy.catalogue import load_catalogue

from .helpers import IM, d, one

ON = d("2018-06-01")


def right(kind, minerals, **kw):
    return {"kind": kind, "division": IM, "minerals": minerals, "status": "applied", **kw}


@pytest.mark.parametrize(
    "kind,minerals,expected",
    [
        ("exploration", ["超贫磁铁矿"], "fail"),
        ("mining", ["超贫磁铁矿"], "fail"),
        ("mining", ["河道砂金"], "fail"),
        ("mining", ["蓝石棉"], "fail"),
        ("mining", ["可耕地砖瓦用粘土"], "fail"),
        ("mining", ["砂金"], "pass"),  # only river placer gold is prohibited for mining
        ("exploration", ["砂金"], "warning"),
        ("exploration", ["砂铁"], "warning"),
        ("exploration", ["河道砂金"], "warning"),
        ("exploration", ["煤炭"], "warning"),
        ("mining", ["湿地泥炭"], "warning"),
        ("mining", ["砂石"], "warning"),
        ("mining", ["铜"], "pass"),
        ("exploration", ["铜"], "pass"),
        ("exploration", ["石英"], "pass"),
        ("exploration", ["铁"], "pass"),
        ("mining", ["铜", "超贫磁铁矿"], "fail"),
        ("mining", [], "missing_data"),
    ],
)
def test_mineral_lists(kind, minerals, expected):
    assert one("right", right(kind, minerals), ON, "mineral.policy")[0] == expected


def test_placer_exploration_conditions_met_is_a_pass_with_the_conditions_cited():
    out, v = one(
        "right", right("exploration", ["砂金"], eia_approved=True, environment_consent=True), ON, "mineral.policy"
    )
    assert out == "pass"
    assert "003.exploration.placer_new_project_conditions" in [c["id"] for c in v["citations"]]
    assert one("right", right("exploration", ["砂金"], eia_approved=True), ON, "mineral.policy")[0] == "warning"
    # recorded as not obtained: the 必须 is broken
    assert (
        one(
            "right", right("exploration", ["砂金"], eia_approved=False, environment_consent=True), ON, "mineral.policy"
        )[0]
        == "fail"
    )
    assert (
        one(
            "right", right("exploration", ["砂铁"], eia_approved=True, environment_consent=False), ON, "mineral.policy"
        )[0]
        == "fail"
    )


@pytest.mark.parametrize("inside,expected", [(True, "pass"), (False, "fail"), (None, "warning")])
def test_sand_gravel_clay_only_in_the_planned_quarry_areas(inside, expected):
    rec = right("mining", ["砂石"], in_designated_quarry_area=inside)
    assert one("right", rec, ON, "mineral.policy")[0] == expected


def test_encouraged_reason_and_dates():
    out, v = one("right", right("mining", ["copper"]), ON, "mineral.policy")
    assert "encouraged" in v["explanation"]["en"]
    assert one("right", right("mining", ["蓝石棉"]), d("2017-10-31"), "mineral.policy")[0] == "not_applicable"
    assert (
        one("right", {**right("mining", ["蓝石棉"]), "division": "630000"}, ON, "mineral.policy")[0] == "not_applicable"
    )


def fac(**kw):
    return {"kind": "smelter", "division": IM, "project_type": "existing", **kw}


@pytest.mark.parametrize(
    "metals,process,expected",
    [
        (["锌"], "马弗炉炼锌", "fail"),
        (["锌"], "湿法炼锌", "pass"),
        (["铅"], "烧结-鼓风炉炼铅工艺", "fail"),
        (["铜"], "闪速熔炼", "pass"),
        (["锑"], "赫氏炉", "fail"),
        (["锌"], "赫氏炉", "pass"),
        (["铜"], "", "missing_data"),
    ],
)
def test_process_keywords_by_metal(metals, process, expected):
    assert one("facility", fac(metals=metals, process=process), ON, "backward.catalogue")[0] == expected


def test_items_with_a_2011_deadline_warn_before_it_and_fail_after():
    rec = fac(kind="al_line", metals=["铝"], cell_current_ka=100)
    assert one("facility", rec, d("2011-12-31"), "backward.catalogue")[0] == "warning"
    out, v = one("facility", rec, d("2012-01-01"), "backward.catalogue")
    assert out == "fail" and "100KA及以下预焙槽" in v["explanation"]["zh"]
    assert one("facility", {**rec, "cell_current_ka": 100.1}, d("2012-01-01"), "backward.catalogue")[0] == "pass"
    assert one("facility", rec, d("2010-12-31"), "backward.catalogue")[0] == "not_applicable"


WAN = "10^4 t/a"


@pytest.mark.parametrize(
    "metals,process,extra,expected",
    [  # 以下 includes the number
        (["铝"], "再生铝熔炼", {"capacity": 0.99, "capacity_unit": WAN}, "fail"),
        (["铝"], "再生铝熔炼", {"capacity": 1.0, "capacity_unit": WAN}, "fail"),
        (["铝"], "再生铝熔炼", {"capacity": 1.01, "capacity_unit": WAN}, "pass"),
        (["铅"], "再生铅", {"capacity": 0.5, "capacity_unit": WAN}, "fail"),
        (["铜"], "再生铜反射炉", {"furnace_t": 49}, "fail"),
        (["铜"], "再生铜反射炉", {"furnace_t": 50}, "fail"),
        (["铜"], "再生铜反射炉", {"furnace_t": 50.1}, "pass"),
        (["铜"], "再生铜反射炉", {}, "missing_data"),
        (["铝"], "再生铝反射炉", {"furnace_t": 3.9, "capacity": 2, "capacity_unit": WAN}, "fail"),
        (["铝"], "再生铝反射炉", {"furnace_t": 4, "capacity": 2, "capacity_unit": WAN}, "fail"),
        (["铝"], "再生铝反射炉", {"furnace_t": 4.1, "capacity": 2, "capacity_unit": WAN}, "pass"),
    ],
)
def test_scale_thresholds_of_recycled_metal(metals, process, extra, expected):
    assert one("facility", fac(metals=metals, process=process, **extra), ON, "backward.catalogue")[0] == expected


def test_every_keyword_is_the_catalogue_items_own_wording():
    cat = load_catalogue()
    for entry_id, (_, words) in backward.KEYWORDS.items():
        items = "".join(cat.get(entry_id).value)
        for w in words:
            assert w in items, (entry_id, w)


@pytest.mark.parametrize(
    "metals,process,keyword",
    [
        (["锑"], "坩锅炉炼锑", "坩埚炉"),
        (["锌"], "马福炉炼锌", "马弗炉"),
        (["锌"], "平罐炼锌", "横罐"),
        (["锑"], "赫式炉", "赫氏炉"),
        (["铅"], "土高炉炼铅", "简易高炉"),
        (["铅"], "烧结机—鼓风炉炼铅", "烧结-鼓风炉"),
        (["铝"], "侧插自焙槽", "自焙电解槽"),
        (["铝"], "ＳＯＤＥＲＢＥＲＧ 自焙槽", "自焙电解槽"),
    ],
)
def test_variant_spellings_of_catalogue_processes_are_matched_and_reported(metals, process, keyword):
    out, v = one("facility", fac(metals=metals, process=process), ON, "backward.catalogue")
    assert out in ("fail", "warning"), v["explanation"]
    facts = {f["name"]: f["value"] for f in v["facts"]}
    assert f"= {keyword}" in facts["process_read"]


def test_every_variant_belongs_to_a_catalogue_keyword():
    from kuangzheng.compliance.core import words
    from kuangzheng.compliance.core.rules.backward import KEYWORDS

    keywords = {w for _, ws in KEYWORDS.values() for w in ws}
    assert set(words.process_variants()) <= keywords


@pytest.mark.parametrize(
    "name,key",
    [
        ("动力煤", "coal"),
        ("铁矿石", "iron"),
        ("lanthanides", "rare_earth"),
        ("fluorspar", "fluorite"),
        ("CBM", "coalbed_methane"),
    ],
)
def test_rules_understand_every_spelling_of_the_registry_vocabulary(name, key):
    """Spellings the registry's mineral vocabulary knows (ICMM's, GEM's, the seeds') reach the rules."""
    from kuangzheng.compliance.core import minerals as mn

    assert mn.names_in(mn.mask_of([name])) == [key]
    assert mn.names_in(mn.mask_of(["砂金"])) == ["placer_gold"]  # still whole names: placer gold is not gold
