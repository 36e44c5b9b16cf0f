"""The draw: reproducible from the published file, and any change of pool or seed is caught."""

import copy

import pytest

from kuangzheng.supervision.core import draw as d

SUBJECTS = [
    {"id": f"C15020020{i:08d}", "division": "150200" if i % 2 else "150100", "enterprise": i % 7} for i in range(40)
]
INSPECTORS = [
    {"id": "I-01", "division": "150200", "links": []},
    {"id": "I-02", "division": "150200", "links": [3]},
    {"id": "I-03", "division": "150100", "links": []},
    {"id": "I-04", "division": "150100", "links": [5]},
    {"id": "I-05", "division": "150000", "links": []},
    {"id": "I-06", "division": "630000", "links": []},
    {"id": "I-07", "division": "640000", "links": [5]},
]
RULES = {"own_division": True, "linked": True}


def published(seed="2026-12-01 上证综指收盘 3312.45"):
    plan = {
        "id": 1,
        "ratio": 0.1,
        "count": None,
        "per_subject": 2,
        "recusal": RULES,
        "announced": {
            "subjects_sha256": d.pool_hash(SUBJECTS),
            "inspectors_sha256": d.pool_hash(INSPECTORS),
            "seed_source": "上证综指 2026-12-01 收盘点位",
        },
    }
    n = d.how_many(len(SUBJECTS), plan["ratio"], None)
    drawn = d.draw(seed, SUBJECTS, INSPECTORS, n, 2, RULES)
    return d.result_file(plan, seed, SUBJECTS, INSPECTORS, drawn)


def test_rank_is_sha256_of_seed_newline_id():
    import hashlib

    assert d.rank_key("s", "x") == hashlib.sha256(b"s\nx").hexdigest()


def test_draw_takes_lowest_keys_and_two_inspectors_without_recused_ones():
    f = published()
    assert len(f["drawn"]) == 4  # ceil(40 × 0.1)
    keys = sorted(d.rank_key(f["seed"], s["id"]) for s in SUBJECTS)[:4]
    assert [x["key"] for x in f["drawn"]] == keys
    by_id = {s["id"]: s for s in SUBJECTS}
    insp = {i["id"]: i for i in INSPECTORS}
    for x in f["drawn"]:
        assert len(x["inspectors"]) == 2
        s = by_id[x["subject"]]
        for i in x["inspectors"]:
            assert s["enterprise"] not in insp[i]["links"]  # never an enterprise they are linked to
            home = insp[i]["division"]
            home = home[:2] if home.endswith("0000") else home[:4]
            assert not s["division"].startswith(home)  # nor their own division's


def test_published_file_verifies():
    assert d.verify(published()) == []


@pytest.mark.parametrize(
    "tamper",
    [
        lambda f: f["subjects"].pop(),  # a subject removed after the announcement
        lambda f: f.__setitem__("seed", f["seed"] + "0"),  # another seed
        lambda f: f["drawn"].reverse(),  # the result edited
        lambda f: f["inspectors"][0].__setitem__("links", [1, 2, 3]),  # the recusal facts changed
    ],
)
def test_any_change_fails_verification(tamper):
    f = copy.deepcopy(published())
    tamper(f)
    assert d.verify(f)


def test_recomputed_pool_hash_still_must_match_the_announcement():
    f = copy.deepcopy(published())
    f["subjects"].pop()
    f["subjects_sha256"] = d.pool_hash(f["subjects"])  # the file made consistent with itself
    assert any("announced" in p for p in d.verify(f))


def test_ratio_rounds_up_and_count_is_capped():
    assert d.how_many(10, 0.03, None) == 1
    assert d.how_many(100, 0.03, None) == 3
    assert d.how_many(5, None, 9) == 5


def test_too_few_inspectors_after_recusal_is_refused():
    with pytest.raises(d.DrawProblem):
        d.draw("s", SUBJECTS, INSPECTORS[:2], 3, 2, RULES)
