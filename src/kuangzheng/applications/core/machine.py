"""The approval path as pure data (workflow.yaml): which action may be taken in which state, by whom,
and where it leads. The services store the history; this module decides every transition."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import yaml

from kuangzheng.errors import FieldProblem

APPLICANT, REGULATOR = "applicant", "regulator"


@functools.cache
def workflow() -> dict:
    return yaml.safe_load(resources.files(__package__).joinpath("workflow.yaml").read_text("utf-8"))


def states() -> dict:
    return workflow()["states"]


def actions() -> dict:
    return workflow()["actions"]


@dataclass(frozen=True)
class Step:
    action: str
    source: str
    target: str
    by: str


def allowed(state: str) -> list[str]:
    """The actions that may be taken in `state`, in the file's order."""
    return [name for name, a in actions().items() if state in a["from"]]


def check(state: str, action: str, by: str) -> Step | FieldProblem:
    """The step `action` takes from `state` when taken by `by` (applicant | regulator), or the reason not."""
    a = actions().get(action)
    if a is None:
        return FieldProblem("action", f"未知的办理动作「{action}」", f"unknown action '{action}'")
    if state not in a["from"]:
        names = "、".join(actions()[n]["zh"] for n in allowed(state)) or "无"
        return FieldProblem(
            "action",
            f"当前状态「{states()[state]['zh']}」下不能「{a['zh']}」（可办理：{names}）",
            f"'{action}' is not allowed in state '{state}' (allowed: {', '.join(allowed(state)) or 'none'})",
        )
    if a["by"] != by:
        who = ("申请人", "the applicant") if a["by"] == APPLICANT else ("审批机关", "the approving authority")
        return FieldProblem("action", f"「{a['zh']}」只能由{who[0]}办理", f"'{action}' is taken by {who[1]} only")
    return Step(action, state, a["to"], by)


def is_terminal(state: str) -> bool:
    return state in workflow()["terminal"]


def review_roles(kind_entry: dict) -> list[str]:
    """The review tasks an application of this kind gets when review starts: one per reviewer role,
    plus the planning joint review (会审) for the kinds that create a right."""
    roles = list(workflow()["review_roles"])
    if kind_entry.get("joint_review"):
        roles.append(workflow()["joint_review"]["role"])
    return roles
