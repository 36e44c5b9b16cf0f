"""The rule vocabulary: `select` gives each row the reason beside the first condition that holds; every
rule's docstring quotes the clause it implements, verbatim; `kz policy show ID` lists the rules that
read the entry (from a clause to its code and back)."""

import json
import re

import numpy as np
from click.testing import CliRunner

from kuangzheng.cli import main
from kuangzheng.compliance.core import engine
from kuangzheng.policy.catalogue import load_catalogue


def test_select_takes_the_first_condition_that_holds_else_the_default():
    a, b = np.array([True, True, False, False]), np.array([False, True, True, False])
    got = engine.reason_keys(engine.select((a, "pass"), (b, "fail"), (True, "missing"), default="not_subject"))
    assert got.tolist() == ["pass", "pass", "fail", "missing"]
    got = engine.reason_keys(engine.select((a, "pass"), (b, "fail"), default="not_subject"))
    assert got.tolist() == ["pass", "pass", "fail", "not_subject"]


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_rule_quotes_the_clause_it_implements_verbatim():
    cat = load_catalogue()
    seen = set()
    for r in engine.load_rules().values():
        if r.id in seen:
            continue
        seen.add(r.id)
        quotes = [_plain(cat.get(e).quote) for e in r.entries]
        quotes += [_plain(e.quote) for e in cat.entries if e.param in r.params]
        cited = re.findall(r"「(.+?)」", r.fn.__doc__ or "", flags=re.S)
        if not quotes:  # a registry check no seed states as a rule
            assert "no catalogue entry" in r.fn.__doc__, r.id
            continue
        assert cited, r.id
        for piece in (p for c in cited for p in _plain(c).split("…") if len(p) >= 4):
            assert any(piece in q for q in quotes), (r.id, piece)


def test_kz_policy_show_lists_the_rules_that_read_the_entry():
    r = CliRunner().invoke(main, ["policy", "show", "000.al.new.cell_current"])  # read through its parameter
    assert r.exit_code == 0, r.output
    assert [x["id"] for x in json.loads(r.stdout)["rules"]] == ["al.cell_current"]
    r = CliRunner().invoke(main, ["policy", "show", "003.scale.existing_below_minimum"])  # read by id
    rules = {x["id"]: x["subjects"] for x in json.loads(r.stdout)["rules"]}
    assert rules == {"mine.min_scale": ["facility", "right"]}
