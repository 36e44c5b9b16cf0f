"""The shipped catalogue passes every check, and each kind of planted defect is caught."""

import pytest

from kuangzheng.policy.catalogue import CATALOGUE_DIR, MAX_QUOTE, load_catalogue, locate
from kuangzheng.policy.numbers import squash
from kuangzheng.policy.validate import check

from .helpers import copy_file, find, planted


def test_shipped_catalogue_has_no_problems():
    problems = check(load_catalogue())
    assert problems == [], "\n".join(p.text() for p in problems)


def test_my_seeds_are_covered_and_every_entry_is_cited():
    cat = load_catalogue()
    for code in ("000", "001", "002"):
        assert len(cat.filter(doc=code)) >= 40, code
    for e in cat.entries:
        assert e.quote and e.doc and len(squash(e.quote)) <= MAX_QUOTE
        start, end = locate(e)
        assert squash(cat.seed_text(e.doc)[start:end]) == squash(e.quote)


def test_every_catalogue_file_is_checked():
    files = {p.name for p in CATALOGUE_DIR.glob("*.yaml")}
    assert {"000.yaml", "001.yaml", "002.yaml"} <= files
    assert {d.file for d in load_catalogue().docs} == files


def _problems(tmp_path, mutate, file="000.yaml"):
    return check(planted(tmp_path, mutate, file))


def _has(problems, entry, field, needle=""):
    return any(p.entry == entry and p.field == field and needle in p.en for p in problems)


def test_the_unchanged_copy_is_clean(tmp_path):
    assert _problems(tmp_path, lambda d: None) == []


def test_wrong_quote_is_detected(tmp_path):
    def mutate(d):
        find(d, "000.al.new.cell_current")["quote"] = "新建及改造电解铝项目，必须采用500KA及以上大型预焙槽工艺"

    ps = _problems(tmp_path, mutate)
    assert _has(ps, "000.al.new.cell_current", "quote", "does not occur verbatim")


def test_whitespace_in_a_quote_is_ignored(tmp_path):
    def mutate(d):
        find(d, "000.al.new.cell_current")["quote"] = "新建及改造电解铝项目，\n 必须采用400KA　及以上大型预焙槽工艺"

    assert _problems(tmp_path, mutate) == []


def test_number_not_in_its_quote_is_detected(tmp_path):
    ps = _problems(tmp_path, lambda d: find(d, "000.al.new.ac_liquid").update(value=12570))
    assert _has(ps, "000.al.new.ac_liquid", "value", "12570")


def test_range_bound_not_in_quote_is_detected(tmp_path):
    ps = _problems(
        tmp_path, lambda d: find(d, "000.concentrator.cu.min_capacity").update(comparison="range", value=[300, 350])
    )
    assert _has(ps, "000.concentrator.cu.min_capacity", "value", "350")


def test_list_item_not_in_quote_is_detected(tmp_path):
    ps = _problems(tmp_path, lambda d: find(d, "000.flyash.demo_projects")["value"].append("华能一期"))
    assert _has(ps, "000.flyash.demo_projects", "value", "华能一期")


def test_duplicate_id_is_detected(tmp_path):
    def mutate(d):
        d["entries"][1]["id"] = d["entries"][0]["id"]

    ps = _problems(tmp_path, mutate)
    assert any(p.field == "id" and "duplicate" in p.en for p in ps)


def test_duplicate_id_across_files_is_detected(tmp_path):
    copy_file(tmp_path, "001.yaml")
    ps = _problems(tmp_path, lambda d: d["entries"][0].update(id="001.al.capacity_utilisation"))
    assert sum(1 for p in ps if p.field == "id" and "duplicate" in p.en) == 2


def test_unknown_unit_is_detected(tmp_path):
    ps = _problems(tmp_path, lambda d: find(d, "000.al.new.cell_current").update(unit="KA"))
    assert _has(ps, "000.al.new.cell_current", "unit", "not in units.yaml")


def test_comparison_outside_the_allowed_set_is_detected(tmp_path):
    ps = _problems(tmp_path, lambda d: find(d, "000.al.new.cell_current").update(comparison="≥"))
    assert _has(ps, "000.al.new.cell_current", "comparison")


def test_kind_and_jurisdiction_outside_the_allowed_sets_are_detected(tmp_path):
    ps = _problems(tmp_path, lambda d: find(d, "000.al.new.cell_current").update(kind="rule", jurisdiction="mongolia"))
    assert _has(ps, "000.al.new.cell_current", "kind") and _has(ps, "000.al.new.cell_current", "jurisdiction")


def test_uncited_entry_is_detected(tmp_path):
    ps = _problems(tmp_path, lambda d: find(d, "000.al.new.cell_current").pop("quote"))
    assert _has(ps, "000.al.new.cell_current", "quote", "missing quote")


def test_overlong_quote_is_detected(tmp_path):
    long_quote = (
        "新建及改造电解铝项目，必须采用400KA及以上大型预焙槽工艺，铝液电解交流电耗必须低于12750千瓦时/吨铝，"
        "铝锭综合交流电耗必须低于13200千瓦时/吨铝，电流效率原则上不应低于93%。现有电解铝生产线要达到160KA及以上预焙槽，"
        "铝液电解交流电耗必须低于13350千瓦时/吨铝"
    )
    ps = _problems(tmp_path, lambda d: find(d, "000.al.new.cell_current").update(quote=long_quote))
    assert _has(ps, "000.al.new.cell_current", "quote", "more than 120")
    assert not _has(ps, "000.al.new.cell_current", "quote", "does not occur")


def test_dangling_growth_link_is_detected(tmp_path):
    ps = _problems(
        tmp_path,
        lambda d: find(d, "000.capacity.five_metals.growth_to_2017")["growth"].update(
            to="000.capacity.five_metals.2018"
        ),
    )
    assert _has(ps, "000.capacity.five_metals.growth_to_2017", "growth.to", "missing entry")


def test_wrong_types_and_bad_dates_are_reported_not_crashed_on(tmp_path):
    def mutate(d):
        find(d, "000.al.new.cell_current").update(value="400", year="2017", effective="2013-13-01")

    ps = _problems(tmp_path, mutate)
    assert _has(ps, "000.al.new.cell_current", "value", "needs a number")
    assert _has(ps, "000.al.new.cell_current", "year")


def test_undated_file_must_say_what_the_date_is_inferred_from(tmp_path):
    ps = _problems(tmp_path, lambda d: d.pop("issued_inferred"))
    assert any(p.field == "issued_inferred" and p.entry is None for p in ps)


def test_ambiguous_lookup_versions_are_detected(tmp_path):
    def mutate(d):
        find(d, "000.al.existing.ac_liquid.from_2016")["effective"] = "2012-01-01"

    ps = _problems(tmp_path, mutate)
    assert _has(ps, "000.al.existing.ac_liquid.from_2016", "param", "ambiguous")


@pytest.mark.parametrize("field", ["description_en", "applies_to", "kind"])
def test_missing_required_field_is_detected(tmp_path, field):
    ps = _problems(tmp_path, lambda d: find(d, "000.al.new.cell_current").pop(field))
    assert _has(ps, "000.al.new.cell_current", field)


@pytest.mark.parametrize(
    "entry_id,wrong",
    [
        ("000.al.new.ac_liquid", "<="),  # 低于 is strict
        ("000.smelting.pb.single_series", ">"),  # 不低于 is inclusive
        ("000.concentrator.zone_radius", "<"),
    ],
)  # 以内 is inclusive
def test_comparison_contradicting_the_wording_is_detected(tmp_path, entry_id, wrong):
    ps = _problems(tmp_path, lambda d: find(d, entry_id).update(comparison=wrong))
    assert _has(ps, entry_id, "comparison", "contradicts the quote's wording")
