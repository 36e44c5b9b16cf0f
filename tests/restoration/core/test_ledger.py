"""The fund ledger's pure rules: legs balance, holdings never go negative, amounts are exact cents."""

import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kuangzheng.restoration.core import ledger as L


def test_to_cents_is_exact_and_refuses_floats_and_fractions_of_a_cent():
    assert L.to_cents("12.34") == (1234, None)
    assert L.to_cents(Decimal("0.10")) == (10, None)
    assert L.to_cents(5) == (500, None)
    for bad in ("1.001", "abc", "-3", "0", "NaN", "Infinity", 1.5, True, ""):
        cents, problem = L.to_cents(bad)
        assert cents is None and problem.field == "amount" and problem.zh and problem.en


def test_spend_needs_an_accepted_phase_and_enough_in_the_fund():
    fund = {"fund": 1000, "bond": 0}
    assert [p.field for p in L.validate(L.Posting("spend", 500, "fund", phase_accepted=False), fund)] == ["phase"]
    assert L.validate(L.Posting("spend", 500, "fund", phase_accepted=True), fund) == []
    too_much = L.validate(L.Posting("spend", 1001, "fund", phase_accepted=True), fund)
    assert [p.field for p in too_much] == ["amount"] and "10.00" in too_much[0].zh
    assert [p.field for p in L.validate(L.Posting("refund", 1, ""), fund)] == ["source"]


def test_bond_conversion_refunds_paid_minus_spent_or_nothing_when_the_party_is_gone():
    assert L.conversion(100_000, 30_000, party_exists=True) == {"refund": 70_000, "carry_over": 0}
    assert L.conversion(100_000, 30_000, party_exists=False) == {"refund": 0, "carry_over": 70_000}
    assert L.conversion(100, 300, party_exists=True) == {"refund": 0, "carry_over": 0}


def test_seed_style_totals():
    ps = [L.Posting("bond_deposit", 900), L.Posting("refund", 100, "bond"), L.Posting("carry_over", 300)]
    assert L.totals(ps) == {"deposited": 900, "returned": 100, "carried_over": 300, "spent": 0, "provided": 0}


def _random_postings(rng, n):
    kinds = sorted(L.KINDS)
    for _ in range(n):
        kind = rng.choice(kinds)
        # amounts from one cent to ten million yuan, skewed small so that spends often fit
        cents = rng.choice([rng.randint(1, 999), rng.randint(1, 10**6), rng.randint(1, 10**9)])
        source = rng.choice(["fund", "bond"]) if len(L.KINDS[kind][1]) > 1 else ""
        yield L.Posting(kind, cents, source, phase_accepted=rng.random() < 0.8)


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=2000, max_value=5000))
def test_thousands_of_random_postings_balance_to_the_cent(seed, n):
    """Apply every posting the rules accept; the books balance to the cent, the holdings never go
    negative, and the balance equals the Decimal sum of the accepted amounts (no float anywhere)."""
    accepted, current = [], L.balances([])
    expected_fund = Decimal(0)
    for p in _random_postings(random.Random(seed), n):
        if L.validate(p, current):
            continue
        accepted.append(p)
        for account, c in L.legs(p):
            current[account] += c
            if account == "fund":
                expected_fund += L.yuan(c)
    assert len(accepted) > n // 4  # most postings are accepted: the test exercises the books
    assert L.check_invariants(accepted) == []
    b = L.balances(accepted)
    assert b == current and sum(b.values()) == 0
    assert b["fund"] >= 0 and b["bond"] >= 0
    assert L.yuan(b["fund"]) == expected_fund
