"""The demo's real sites: Chinese names from GEM's wiki addresses, GEM phases, unknown capacities,
and one record per real mine across ICMM and GEM; generated boundaries like registered ones."""

import random

import pytest

from kuangzheng.geo.area import official_area_lonlat_km2
from kuangzheng.registry import demo_sources
from kuangzheng.registry.core import demo_bounds, sites


@pytest.fixture(scope="module")
def loaded():
    stats: dict = {}
    gem = demo_sources.gem_sites(stats)
    icmm = demo_sources.icmm_sites(stats)
    kept = demo_sources.merge_duplicates(icmm, gem, stats)
    return stats, gem, icmm, kept


def test_chinese_names_come_from_the_wiki_address():
    url = "https://www.gem.wiki/%E6%96%B0%E7%96%86%E7%84%A6%E7%85%A4%EF%BC%88%E9%9B%86%E5%9B%A2%EF%BC%89%E6%9C%89%E9%99%90%E8%B4%A3%E4%BB%BB%E5%85%AC%E5%8F%B8%E4%B8%80%E5%85%AB%E4%B9%9D%E3%80%87%E7%85%A4%E7%9F%BF"
    assert sites.zh_name_from_wiki_url(url) == "新疆焦煤（集团）有限责任公司一八九〇煤矿"
    assert sites.zh_name_from_wiki_url("https://www.gem.wiki/????????") is None
    assert sites.company_in_name("内蒙古平西白音华煤业有限公司（白音华一号露天煤矿）") == (
        "内蒙古平西白音华煤业有限公司",
        "白音华一号露天煤矿",
    )
    assert sites.enterprise_name_for("白家梁煤矿", "煤业") == "白家梁煤业有限公司"


def test_gem_mines_carry_chinese_names_and_english_beside_them(loaded):
    stats, gem, _, _ = loaded
    by_id = {s.values["external_id"]: s for s in gem}
    assert by_id["M0175"].values["name"] == "内蒙古平西白音华煤业有限公司（白音华一号露天煤矿）"
    assert by_id["M0175"].values["name_en"] == "Baiyinhua No.1 Surface Mine"
    assert by_id["M0175"].owner == "内蒙古平西白音华煤业有限公司"  # the operating company, from the name
    bases = [s for s in gem if "/" not in s.values["external_id"]]
    recovered = sum(s.values["name"] != s.values["name_en"] for s in bases)
    assert recovered + len(stats["names_not_recovered"]) == len(bases) and recovered > 190
    assert "M2393 Dawei Coal Mine" in stats["names_not_recovered"]  # its address was damaged upstream


def test_expansion_phases_are_projects_of_their_own(loaded):
    _, gem, _, _ = loaded
    phases = {s.values["external_id"]: s.values for s in gem if s.values["external_id"].startswith("M0336")}
    assert set(phases) == {"M0336", "M0336/Stage 2", "M0336/Stage 3"}
    assert phases["M0336"]["status"] == "operating" and phases["M0336"]["capacity"] == 1000
    assert phases["M0336/Stage 2"]["project_type"] == "expansion" and phases["M0336/Stage 2"]["capacity"] == 2000
    assert phases["M0336/Stage 2"]["name"].endswith("扩建项目（二期）")


def test_zero_capacity_is_unknown(loaded):
    _, gem, _, _ = loaded
    by_id = {s.values["external_id"]: s.values for s in gem}
    assert by_id["M2575"]["capacity"] is None and by_id["M2575"]["capacity_unit"] == ""
    assert by_id["M2569"]["capacity"] is None


def test_no_real_mine_appears_twice(loaded):
    stats, gem, icmm, kept = loaded
    merged = {s.values["external_id"] for s in icmm} - {s.values["external_id"] for s in kept}
    assert len(merged) == len(stats["cross_source_matches"]) >= 150
    ids = [i for s in gem + kept for i in s.values["source_ids"]]
    assert len(ids) == len(set(ids))  # every source id on exactly one record
    assert merged <= set(ids)
    # a kept ICMM coal mine is not a GEM mine of the same name within a few km
    gem_names = {(s.values["name_en"], round(float(s.values["lon"]), 1)) for s in gem}
    assert not [s for s in kept if (s.values["name"], round(float(s.values["lon"]), 1)) in gem_names]
    assert stats["cross_source_doubtful"]  # reported for a person to check, not merged


def test_numbered_neighbours_are_not_merged():
    a = sites.Site("a", "Yuka No. 2 Coal Mine", 95.0, 38.0, frozenset({"煤"}))
    b = sites.Site("b", "Yuka No. 1 Coal Mine", 95.0, 38.0, frozenset({"煤"}))
    c = sites.Site("c", "Yuka No. 2 Coal Mine", 95.001, 38.0, frozenset({"铜"}))
    assert not sites.match_sites([a], [b]).matches
    assert not sites.match_sites([c], [a]).matches  # another commodity


def test_minerals_of_the_sources_are_stored_in_chinese(loaded):
    _, gem, icmm, _ = loaded
    assert all(s.values["metals"] == ["煤"] for s in gem)
    names = {m for s in icmm for m in s.values["metals"]}
    assert names and all(not n.isascii() for n in names), names


def test_generated_boundaries_look_registered():
    rng = random.Random(3)
    layout = demo_bounds.Layout()
    points = [(110.0 + 0.004 * i, 41.0 + 0.003 * (i % 3)) for i in range(12)]
    radius = demo_bounds.room(points)
    for (lon, lat), r in zip(points, radius):
        geom = demo_bounds.place_mining(layout, lon, lat, 20.0, rng, r)
        assert geom is not None and geom.is_valid
        layout.add(geom)
    for i, g in enumerate(layout.geoms):  # crowded mines, parcels still apart
        assert not any(g.intersects(h.buffer(-1e-7)) for h in layout.geoms[i + 1 :])
    parcel = demo_bounds.mining_polygon(110.3, 41.2, 5.0, rng)
    assert 0.6 * 5.0 < official_area_lonlat_km2(parcel) <= 5.01  # a notched corner takes up to 40 %
    block = demo_bounds.place_exploration(layout, 110.02, 41.0, rng)
    assert block is not None and demo_bounds.on_minute_grid(block) and layout.free(block)
