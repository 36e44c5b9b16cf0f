"""M33/M28: coal minimum scales by rank and method, non-coal, one deposit one enterprise, new coal mines."""

import pytest

from .helpers import IM, d, one

ON = d("2018-06-01")


def mine(**kw):
    return {"kind": "mine", "division": IM, "metals": ["煤"], "project_type": "new", "capacity_unit": "10^4 t/a", **kw}


@pytest.mark.parametrize(
    "rank,method,value,expected",
    [
        ("褐煤", "underground", 300, "pass"),
        ("褐煤", "underground", 299.99, "fail"),
        ("lignite", "open_pit", 500, "pass"),
        ("褐煤", "open_pit", 499.9, "fail"),
        ("烟煤", "underground", 120, "pass"),
        ("无烟煤", "underground", 119.9, "fail"),
        ("烟煤", "open_pit", 300, "pass"),
        ("烟煤", "open_pit", 299.9, "fail"),
        ("烟煤", "mixed", 299.9, "fail"),
        ("褐煤", "mixed", 499, "fail"),
        ("褐煤", "mixed", 500, "pass"),
    ],
)
def test_coal_minimum_scales(rank, method, value, expected):
    assert (
        one("facility", mine(coal_rank=rank, mining_method=method, capacity=value), ON, "mine.min_scale")[0] == expected
    )


def test_units_and_missing_inputs():
    assert (
        one(
            "facility",
            mine(coal_rank="烟煤", mining_method="underground", capacity=1_200_000, capacity_unit="t/a"),
            ON,
            "mine.min_scale",
        )[0]
        == "pass"
    )
    assert (
        one(
            "facility",
            mine(coal_rank="烟煤", mining_method="underground", capacity=5000, capacity_unit="t/d"),
            ON,
            "mine.min_scale",
        )[0]
        == "missing_data"
    )
    # between the floors the missing rank or way could pick: it depends on it
    assert one("facility", mine(mining_method="underground", capacity=200), ON, "mine.min_scale")[0] == "missing_data"
    assert one("facility", mine(coal_rank="烟煤", capacity=200), ON, "mine.min_scale")[0] == "missing_data"


def test_non_coal_minimum_scales_are_not_in_the_seed_so_missing():
    out, v = one("facility", mine(metals=["铜"], capacity=1), ON, "mine.min_scale")
    assert out == "missing_data" and "non-coal" in v["explanation"]["en"]


def test_existing_mine_below_minimum_is_flagged_to_upgrade_or_exit():
    """The floors are what new mines are built to; an existing mine below one is flagged (a warning) to
    upgrade or exit in order — seed 003: 凡是已设立的低于最低开采规模的矿山应积极进行技术改造…逐步有序退出."""
    out, v = one(
        "facility",
        mine(project_type="existing", coal_rank="褐煤", mining_method="underground", capacity=100),
        ON,
        "mine.min_scale",
    )
    assert out == "warning"
    assert "exit" in v["explanation"]["en"]
    assert "003.scale.existing_below_minimum" in [c["id"] for c in v["citations"]]


def test_mine_scale_binds_from_the_plan_and_in_inner_mongolia_only():
    rec = mine(coal_rank="烟煤", mining_method="underground", capacity=1)
    assert one("facility", rec, d("2017-10-31"), "mine.min_scale")[0] == "not_applicable"
    assert one("facility", {**rec, "division": "630000"}, ON, "mine.min_scale")[0] == "not_applicable"


def test_mining_rights_are_checked_on_their_designed_scale():
    right = {
        "kind": "mining",
        "division": IM,
        "minerals": ["煤炭"],
        "status": "valid",
        "coal_rank": "烟煤",
        "mining_method": "open_pit",
        "capacity": 299,
        "capacity_unit": "10^4 t/a",
    }
    assert one("right", right, ON, "mine.min_scale")[0] == "warning"  # a valid right: an existing mine
    assert one("right", {**right, "status": "applied"}, ON, "mine.min_scale")[0] == "fail"
    assert one("right", {**right, "status": "applied", "capacity": 300}, ON, "mine.min_scale")[0] == "pass"


@pytest.mark.parametrize(
    "minerals,value,expected",
    [
        (["褐煤"], 299, "fail"),
        (["褐煤"], 300, "pass"),
        (["无烟煤"], 119, "fail"),
        (["焦煤"], 120, "pass"),
        (["煤"], 200, "missing_data"),  # between the lignite and the other-coal floor
        (["褐煤", "烟煤"], 200, "missing_data"),
    ],
)
def test_coal_rank_from_the_mineral_name_when_not_recorded(minerals, value, expected):
    rec = mine(metals=minerals, mining_method="underground", capacity=value)
    assert one("facility", rec, ON, "mine.min_scale")[0] == expected
    # a recorded rank wins over the name
    assert one("facility", {**rec, "coal_rank": "烟煤", "capacity": 120}, ON, "mine.min_scale")[0] == "pass"


@pytest.mark.parametrize("others,expected", [(0, "pass"), (1, "fail"), (None, "missing_data")])
def test_one_deposit_one_enterprise_for_new_non_coal_mines(others, expected):
    rec = {
        "kind": "mining",
        "division": IM,
        "minerals": ["铜"],
        "status": "applied",
        "other_holder_same_mineral_mining": others,
    }
    assert one("right", rec, ON, "mine.one_deposit_one_enterprise")[0] == expected
    assert one("right", {**rec, "status": "valid"}, ON, "mine.one_deposit_one_enterprise")[0] == "not_applicable"


@pytest.mark.parametrize(
    "as_of,expected", [("2017-10-31", "not_applicable"), ("2018-12-31", "warning"), ("2019-01-01", "pass")]
)
def test_new_coal_mine_moratorium_first_three_years(as_of, expected):
    assert one("facility", mine(coal_rank="烟煤"), d(as_of), "coal.new_mine_moratorium")[0] == expected


@pytest.mark.parametrize("retired,expected", [(200, "fail"), (200.01, "pass"), (None, "missing_data")])
def test_new_coal_mine_reduced_replacement_is_strict(retired, expected):
    rec = mine(coal_rank="烟煤", mining_method="underground", capacity=200, replacement_retired=retired)
    assert one("facility", rec, ON, "coal.reduced_replacement")[0] == expected


def test_proposed_gem_coal_mines_below_the_minimum_fail_as_new_mines():
    """Seed 003: 「新建矿山要严格按照最低生产建设规模要求」. GEM's proposed mines (new, or expansions not yet
    built) below the floor fail; the existing ones below it get the upgrade-or-exit warning."""
    from kuangzheng.compliance.core import batch, engine
    from kuangzheng.registry import demo_sources

    gem = [s for s in demo_sources.gem_sites({}) if s.province == "150000"]
    records = [{**s.values, "id": i, "division": s.prefecture or s.province} for i, s in enumerate(gem)]
    (ev,) = engine.evaluate([batch.from_records("facility", records, ON)], ["mine.min_scale"])
    got = [(r["status"], engine.OUTCOMES[o]) for r, o in zip(records, ev.outcome)]
    proposed_below = [o for status, o in got if status == "planned" and o in ("fail", "warning")]
    assert proposed_below == ["fail"] * 12
    assert ("operating", "warning") in got and ("operating", "fail") not in got


@pytest.mark.parametrize(
    "rank,read",
    [
        ("年轻褐煤", "褐煤"),
        ("年老褐煤", "褐煤"),
        ("HM2", "褐煤"),
        ("Lignite", "褐煤"),
        ("brown coal", "褐煤"),
        ("１/３焦煤", "烟煤"),
        ("长焰煤", "烟煤"),
        ("Subbituminous", "烟煤"),
        ("无烟煤二号", "无烟煤"),
    ],
)
def test_coal_ranks_are_read_on_the_gb_t_5751_vocabulary(rank, read):
    """A lignite class written as the field writes it is held to the lignite floor (300 underground);
    the verdict says what it read."""
    out, v = one("facility", mine(coal_rank=rank, mining_method="underground", capacity=299), ON, "mine.min_scale")
    assert out == ("fail" if read == "褐煤" else "pass")
    facts = {f["name"]: f["value"] for f in v["facts"]}
    assert facts["coal_rank_read"].endswith(f"→ {read}")


@pytest.mark.parametrize(
    "missing,capacity,expected",
    [
        ({"coal_rank": ""}, 119, "fail"),  # below 120, the lowest floor of any rank underground
        ({"coal_rank": ""}, 300, "pass"),  # at the highest (lignite underground 300)
        ({"mining_method": ""}, 119, "fail"),  # other coal: below 120 (underground) and 300 (open pit)
        ({"mining_method": ""}, 299, "missing_data"),  # meets underground, not open pit
        ({"mining_method": ""}, 300, "pass"),  # meets both (and 联合)
        ({"coal_rank": "", "mining_method": ""}, 119.99, "fail"),
        ({"coal_rank": "", "mining_method": ""}, 499, "missing_data"),
        ({"coal_rank": "", "mining_method": ""}, 500, "pass"),  # lignite open pit, the highest floor
    ],
)
def test_below_every_possible_floor_fails_without_the_detail_that_picks_it(missing, capacity, expected):
    rec = {**mine(coal_rank="烟煤", mining_method="underground", capacity=capacity), **missing}
    out, v = one("facility", rec, ON, "mine.min_scale")
    assert out == expected, v["explanation"]
    if expected == "fail":
        assert "whatever" in v["explanation"]["en"]
        assert {f["name"]: f["value"] for f in v["facts"]}["threshold"] == 120
    existing = one("facility", {**rec, "project_type": "existing"}, ON, "mine.min_scale")[0]
    assert existing == {"fail": "warning"}.get(expected, expected)
