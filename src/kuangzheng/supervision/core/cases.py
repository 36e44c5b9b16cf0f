"""The enforcement case as a state machine: pure data and one check. A case opens on a finding (or a
zombie right); orders move it; the enterprise answers; the inspector verifies; what is not rectified is
closed with a public notice (M36: 限期整改 → 关停退出 → 网站公告). Reopening withdraws the notices."""

from __future__ import annotations

from dataclasses import dataclass

from kuangzheng.errors import FieldProblem

REGULATOR, ENTERPRISE, SYSTEM = "regulator", "enterprise", "system"

STATES = {
    "open": ("已立案", "open"),
    "rectifying": ("限期整改中", "rectifying"),
    "suspended": ("停产整顿中", "stopped for rectification"),
    "answered": ("已答复待核查", "answered, to verify"),
    "overdue": ("逾期未整改", "overdue"),
    "rectified": ("整改合格结案", "rectified"),
    "closed": ("关闭/取缔", "closed down"),
    "dismissed": ("不予处理结案", "dismissed"),
}
ENDED = {"rectified", "closed", "dismissed"}


@dataclass(frozen=True)
class Action:
    sources: frozenset
    target: str
    by: str
    zh: str
    en: str
    order: str | None = None  # the order this action issues (限期整改, 停产整顿, 关闭/取缔)
    needs_deadline: bool = False


def _a(sources, target, by, zh, en, **kw) -> Action:
    return Action(frozenset(sources), target, by, zh, en, **kw)


ACTIONS = {
    "order_rectification": _a(
        {"open", "overdue"},
        "rectifying",
        REGULATOR,
        "责令限期整改",
        "order rectification",
        order="rectify",
        needs_deadline=True,
    ),
    "order_stop_work": _a(
        {"open", "rectifying", "overdue"},
        "suspended",
        REGULATOR,
        "责令停产整顿",
        "order a stop for rectification",
        order="stop_work",
        needs_deadline=True,
    ),
    "answer": _a(
        {"rectifying", "suspended", "overdue"}, "answered", ENTERPRISE, "提交整改答复", "answer with evidence"
    ),
    "accept": _a({"answered"}, "rectified", REGULATOR, "核查通过", "verify: rectified"),
    "reject": _a(
        {"answered"}, "rectifying", REGULATOR, "核查不通过，继续整改", "verify: not rectified", needs_deadline=True
    ),
    "escalate": _a({"rectifying", "suspended"}, "overdue", SYSTEM, "逾期升级", "escalate as overdue"),
    "close": _a(
        {"overdue", "answered", "suspended"}, "closed", REGULATOR, "依法关闭/取缔", "close down", order="closure"
    ),
    "dismiss": _a({"open"}, "dismissed", REGULATOR, "不予处理", "dismiss"),
    "reopen": _a(ENDED, "open", REGULATOR, "重新立案", "reopen"),
}


def check(state: str, action: str, by: str) -> Action | FieldProblem:
    """The action if `by` may take it from `state`; otherwise the problem, naming what is allowed."""
    step = ACTIONS.get(action)
    if step is None:
        return FieldProblem("action", f"未知操作「{action}」", f"unknown action '{action}'")
    if state not in step.sources:
        allowed = sorted(a for a, s in ACTIONS.items() if state in s.sources)
        return FieldProblem(
            "action",
            f"案件处于「{STATES[state][0]}」，不能「{step.zh}」（可执行：{'、'.join(allowed) or '无'}）",
            f"the case is {STATES[state][1]}: cannot {step.en} (allowed: {', '.join(allowed) or 'none'})",
        )
    if step.by != by and not (by == REGULATOR and step.by == SYSTEM):
        who = {
            REGULATOR: ("监管人员", "a regulator"),
            ENTERPRISE: ("企业", "the enterprise"),
            SYSTEM: ("系统", "the system"),
        }
        return FieldProblem(
            "action", f"「{step.zh}」应由{who[step.by][0]}执行", f"'{step.en}' is for {who[step.by][1]}"
        )
    return step


def allowed(state: str, by: str) -> list[str]:
    return [a for a in ACTIONS if isinstance(check(state, a, by), Action)]
