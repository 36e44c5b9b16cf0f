"""The mineral vocabulary: every mineral the seeds' lists name resolves; sources' spellings map to one name."""

from pathlib import Path

import pytest
import yaml

from kuangzheng.registry.core import minerals

CATALOGUE = Path(minerals.__file__).resolve().parents[2] / "policy" / "catalogue"
NOT_MINERAL_TOPICS = {"products", "tech"}  # lists of products and techniques named after metals


def _mineral_lists():
    """Catalogue list entries whose values are minerals: about minerals by their subject or their id."""
    for path in sorted(CATALOGUE.glob("*.yaml")):
        for e in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]:
            if e.get("kind") != "list" or not isinstance(e.get("value"), list):
                continue
            subject = e.get("applies_to", "").split(".")
            parts = e["id"].split(".")
            by_subject = {"mineral", "minerals"} & set(subject) or subject == ["mineral_policy"]
            by_id = parts[-1].endswith(("minerals", "metals")) and parts[1] not in NOT_MINERAL_TOPICS
            if by_subject or by_id:
                yield e


def test_the_catalogue_has_mineral_lists_to_check():
    ids = {e["id"] for e in _mineral_lists()}
    assert {"003.mining.prohibited", "003.exploration.encouraged", "004.scope.ten_metals"} <= ids
    assert len(ids) >= 30


@pytest.mark.parametrize("entry", list(_mineral_lists()), ids=lambda e: e["id"])
def test_every_mineral_in_the_seeds_lists_resolves(entry):
    unknown = [item for item in entry["value"] if minerals.lookup(item) is None]
    assert not unknown, f"{entry['id']}: not in registry/core/minerals.yaml: {unknown}"


@pytest.mark.parametrize(
    "name, zh, group",
    [
        ("thermal coal", "煤", "energy"),
        ("metallurgical coal", "煤", "energy"),
        ("iron ore", "铁", "metal"),
        ("Iron Ore ", "铁", "metal"),
        ("lanthanides", "稀土", "metal"),
        ("Copper", "铜", "metal"),
        ("煤炭", "煤", "energy"),
        ("铀矿", "铀", "energy"),
        ("可燃冰", "天然气水合物", "energy"),
        ("fluorspar", "萤石", "non-metal"),
        ("饮用天然矿泉水", "矿泉水", "water-gas"),
    ],
)
def test_source_spellings_resolve_to_one_mineral(name, zh, group):
    m = minerals.resolve(name)
    assert m is not None and m.zh == zh and m.group == group


def test_whole_names_only_and_varieties_keep_their_own_name():
    assert minerals.resolve("砂金").zh == "砂金" and minerals.resolve("砂金").variety_of == "gold"
    assert minerals.lineage("river_placer_gold") == ["river_placer_gold", "placer_gold", "gold"]
    assert minerals.resolve("铜镍") is None  # no substring matching
    assert minerals.resolve("稀有、稀土及分散元素矿产") is None  # a collective name is not a mineral
    assert minerals.lookup("稀有、稀土及分散元素矿产").members


def test_normalise_keeps_unknown_names_and_reports_them():
    names, unknown = minerals.normalise(["thermal coal", "metallurgical coal", "iron ore", "unobtainium"])
    assert names == ["煤", "铁", "unobtainium"] and unknown == ["unobtainium"]
    assert minerals.display_list(["铜", "lanthanides"], "en") == ["copper", "rare earths"]


def test_every_entry_names_a_known_group_and_source():
    v = minerals.vocabulary()
    assert "矿产资源分类细目" in v.source["zh"]
    assert {m.group for m in v.minerals.values()} == set(v.groups) == {"energy", "metal", "non-metal", "water-gas"}
    for m in v.minerals.values():
        assert m.variety_of is None or m.variety_of in v.minerals
        assert all(code in v.minerals for code in m.members)
    for c in v.categories.values():
        assert all(code in v.minerals for code in c.members) and set(c.groups) <= set(v.groups)
