"""Capacity-replacement ledger rules: balances, no overdraft or double use, invariants."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kuangzheng.monitoring.core.errors import MonitorInputError
from kuangzheng.monitoring.core.ledger import (
    Movement,
    apply,
    balances,
    check_invariants,
    check_replacement,
    quota_states,
    validate_movement,
)


def ledger():
    moves = []
    for m in [
        Movement("m1", "retire", "Q1", 100_000, "A", province="150000"),
        Movement("m2", "retire", "Q2", 50_000, "B", province="630000"),
        Movement("m3", "transfer", "Q1", 40_000, "A", to_holder="C", province="150000", to_province="630000"),
        Movement("m4", "consume", "Q1", 30_000, "C", project_id="P1"),
    ]:
        moves = apply(m, moves)
    return moves


def test_balances_and_quota_states():
    moves = ledger()
    assert balances(moves) == {("Q1", "A"): 60_000, ("Q1", "C"): 10_000, ("Q2", "B"): 50_000}
    s = quota_states(moves)["Q1"]
    assert (s.retired, s.available, s.consumed) == (100_000, 70_000, 30_000)
    assert check_invariants(moves) == []


def messages(m, moves):
    return " ".join(str(e) for e in validate_movement(m, moves))


def test_no_overdraft_and_no_double_consumption():
    moves = ledger()
    # C holds 10 000 of Q1 after consuming 30 000: consuming 30 000 again is refused
    assert "exceeds the available balance" in messages(
        Movement("m5", "consume", "Q1", 30_000, "C", project_id="P2"), moves
    )
    # replaying the same consumption request (same id) is refused even if a balance remains
    assert "already recorded" in messages(Movement("m4", "consume", "Q1", 5_000, "C", project_id="P1"), moves)
    # A cannot transfer more than it holds
    assert "exceeds" in messages(Movement("m6", "transfer", "Q1", 60_001, "A", to_holder="D"), moves)
    assert validate_movement(Movement("m6", "transfer", "Q1", 60_000, "A", to_holder="D"), moves) == []


def test_movement_shape_errors():
    moves = ledger()
    assert "already retired" in messages(Movement("m9", "retire", "Q1", 1, "A"), moves)
    assert "no such quota" in messages(Movement("m9", "consume", "Q9", 1, "A", project_id="P"), moves)
    assert "different receiving holder" in messages(Movement("m9", "transfer", "Q1", 1, "A", to_holder="A"), moves)
    assert "must name the new project" in messages(Movement("m9", "consume", "Q1", 1, "A"), moves)
    assert "positive whole number" in messages(Movement("m9", "retire", "Q7", 1.5, "A"), moves)
    assert "kind must be" in messages(Movement("m9", "borrow", "Q1", 1, "A"), moves)
    with pytest.raises(MonitorInputError, match="movement m9"):
        apply(Movement("m9", "consume", "Q1", 10**9, "A", project_id="P"), moves)


def test_invariants_catch_a_tampered_ledger():
    moves = ledger()
    overdrawn = moves + [Movement("x1", "consume", "Q2", 60_000, "B", project_id="P3")]
    assert any("below zero" in p for p in check_invariants(overdrawn))
    dup = moves + [Movement("m1", "retire", "Q3", 1, "A")]
    assert any("duplicate movement ids" in p for p in check_invariants(dup))
    twice = moves + [Movement("x2", "retire", "Q2", 5, "B")]
    assert any("retired more than once" in p for p in check_invariants(twice))


def test_check_replacement_equal_or_reduced():
    moves = ledger()
    ok = check_replacement(50_000, [("Q2", 50_000)], 1.0, holder="B", movements=moves)
    assert ok.sufficient and ok.shortfall == 0
    reduced = check_replacement(50_000, [("Q2", 50_000)], 1.25, holder="B", movements=moves)
    assert not reduced.sufficient and reduced.shortfall == pytest.approx(12_500)
    dup = check_replacement(10, [("Q2", 5), ("Q2", 5)], 1.0)
    assert not dup.sufficient and "appears twice" in str(dup.errors[0])
    over = check_replacement(60_000, [("Q1", 60_001)], 1.0, holder="A", movements=moves)
    assert not over.sufficient and "available balance 60000" in str(over.errors[0])
    with pytest.raises(MonitorInputError, match="ratio"):
        check_replacement(10, [("Q2", 10)], 0.8)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["retire", "transfer", "consume"]),
            st.sampled_from(["Q1", "Q2", "Q3"]),
            st.integers(1, 100),
            st.sampled_from(["A", "B", "C"]),
            st.sampled_from(["A", "B", "C"]),
        ),
        max_size=40,
    )
)
def test_accepted_movements_always_keep_the_ledger_balanced(requests):
    moves = []
    for i, (kind, q, amount, h, to) in enumerate(requests):
        m = Movement(
            f"r{i}",
            kind,
            q,
            amount,
            h,
            to_holder=to if kind == "transfer" else "",
            project_id="P" if kind == "consume" else "",
        )
        if not validate_movement(m, moves):
            moves = apply(m, moves)
    assert check_invariants(moves) == []
    assert all(b >= 0 for b in balances(moves).values())
