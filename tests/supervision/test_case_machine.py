"""Every transition of the case machine: the allowed ones lead where the table says, everything
else is refused with a reason naming what is allowed. Expected targets are written out here."""

import pytest

from kuangzheng.errors import FieldProblem
from kuangzheng.supervision.core import cases as m

R, E, S = m.REGULATOR, m.ENTERPRISE, m.SYSTEM
EXPECTED = {  # (state, action, by) -> target, written from the M36 sequence
    ("open", "order_rectification", R): "rectifying",
    ("overdue", "order_rectification", R): "rectifying",
    ("open", "order_stop_work", R): "suspended",
    ("rectifying", "order_stop_work", R): "suspended",
    ("overdue", "order_stop_work", R): "suspended",
    ("rectifying", "answer", E): "answered",
    ("suspended", "answer", E): "answered",
    ("overdue", "answer", E): "answered",
    ("answered", "accept", R): "rectified",
    ("answered", "reject", R): "rectifying",
    ("rectifying", "escalate", S): "overdue",
    ("suspended", "escalate", S): "overdue",
    ("rectifying", "escalate", R): "overdue",
    ("suspended", "escalate", R): "overdue",
    ("overdue", "close", R): "closed",
    ("answered", "close", R): "closed",
    ("suspended", "close", R): "closed",
    ("open", "dismiss", R): "dismissed",
    ("rectified", "reopen", R): "open",
    ("closed", "reopen", R): "open",
    ("dismissed", "reopen", R): "open",
}


@pytest.mark.parametrize("state", sorted(m.STATES))
@pytest.mark.parametrize("action", sorted(m.ACTIONS))
@pytest.mark.parametrize("by", [R, E, S])
def test_every_state_action_and_actor(state, action, by):
    got = m.check(state, action, by)
    want = EXPECTED.get((state, action, by))
    if want is None:
        assert isinstance(got, FieldProblem) and got.field == "action" and got.zh and got.en
    else:
        assert not isinstance(got, FieldProblem) and got.target == want


def test_enterprise_cannot_verify_its_own_answer():
    p = m.check("answered", "accept", E)
    assert isinstance(p, FieldProblem) and "监管人员" in p.zh


def test_unknown_action():
    assert isinstance(m.check("open", "pardon", R), FieldProblem)


def test_orders_and_deadlines_declared():
    assert m.ACTIONS["order_rectification"].order == "rectify" and m.ACTIONS["order_rectification"].needs_deadline
    assert m.ACTIONS["close"].order == "closure"
    assert m.allowed("answered", E) == []
