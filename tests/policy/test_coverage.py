"""Coverage of seeds 000–002: every Arabic number in them is cited by some entry's quote, except
document numbers, section numbers, the plan's own dates and the "8337" slogan (not facts)."""

import re

import pytest

from kuangzheng.policy.catalogue import load_catalogue
from kuangzheng.policy.numbers import squash

NOT_FACTS = re.compile(
    r"〔\d{4}〕\d+号"  # document numbers 国发〔2011〕21号
    r"|“8337”"  # the region's development slogan
    r"|(?<![\d.])\d\.(?=\D)"  # list numbering 1. 2.
    r"|发布日期:\d{4}-\d{2}-\d{2}"  # the notice's own date (recorded as issued)
    r"|办公厅\d{4}年\d+月\d+日"  # the plan's own date (recorded in issued_inferred)
)


@pytest.mark.parametrize("code", ["000", "001", "002"])
def test_every_number_of_the_seed_is_cited(code):
    cat = load_catalogue()
    entries = cat.filter(doc=code)
    text = squash(cat.seed_text(entries[0].doc))
    covered = [False] * len(text)
    for e in entries:
        q = squash(e.quote)
        for m in re.finditer(re.escape(q), text):
            covered[m.start() : m.end()] = [True] * len(q)
    for m in NOT_FACTS.finditer(text):
        covered[m.start() : m.end()] = [True] * (m.end() - m.start())
    missing = [
        text[max(0, m.start() - 12) : m.end() + 8]
        for m in re.finditer(r"\d+(?:\.\d+)?", text)
        if not covered[m.start()]
    ]
    assert missing == [], missing
