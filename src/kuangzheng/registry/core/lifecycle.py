"""The life cycle of a mineral right: which event may follow which state, and the state an event
sequence leads to. Pure: the registry stores events; the state is always this fold over them."""

from __future__ import annotations

from kuangzheng.errors import FieldProblem

# event -> state it leads to
RESULT = {
    "applied": "applied",
    "granted": "valid",
    "renewed": "valid",
    "transferred": "valid",
    "reduced": "valid",
    "suspended": "suspended",
    "expired": "expired",
    "merged": "merged",
    "cancelled": "cancelled",
    "exited": "exited",
    "closed": "closed",
}

# state (None = not yet registered) -> events allowed from it
ALLOWED = {
    None: {"applied", "granted"},
    "applied": {"granted", "cancelled"},
    "valid": {"renewed", "transferred", "merged", "reduced", "suspended", "expired", "cancelled", "exited", "closed"},
    # a suspension ends by renewal (restoring validity) or by leaving the register
    "suspended": {"renewed", "expired", "cancelled", "exited", "closed"},
    "expired": {"cancelled", "exited", "closed"},
    "merged": set(),
    "cancelled": set(),
    "exited": set(),
    "closed": set(),
}

TERMINAL = {s for s, nxt in ALLOWED.items() if s and not nxt}


def check_transition(state: str | None, event: str) -> FieldProblem | None:
    if event not in RESULT:
        return FieldProblem("kind", f"未知的变更事项「{event}」", f"unknown event '{event}'")
    if event not in ALLOWED[state]:
        allowed = "、".join(sorted(ALLOWED[state])) or "无"
        return FieldProblem(
            "kind",
            f"当前状态「{state or '未登记'}」下不允许「{event}」（允许：{allowed}）",
            f"'{event}' is not allowed in state '{state or 'unregistered'}' (allowed: "
            f"{', '.join(sorted(ALLOWED[state])) or 'none'})",
        )
    return None


def state_after(events: list[str]) -> str | None:
    """Fold a sequence of event kinds into the current state, refusing an illegal sequence."""
    state = None
    for i, ev in enumerate(events, 1):
        p = check_transition(state, ev)
        if p:
            raise ValueError(f"event {i}: {p.en}")
        state = RESULT[ev]
    return state
