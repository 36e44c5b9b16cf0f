"""Restoration plans and their phases (M45, M48) and the acceptance checklist (M53).

A plan moves drafted → jointly_reviewed → public_notice → approved; its phases each cover one
cycle (three years, the catalogue's ``mine_geo_environment.phased_plan_cycle_years``) and move
planned → reported → accepted, or back from reported to planned (rejected, corrected, reported again).
"""

from __future__ import annotations

from dataclasses import dataclass

PLAN_STATES = {
    "drafted": "已编制",
    "jointly_reviewed": "已同步审查",
    "public_notice": "公示中",
    "approved": "已批准",
}
PLAN_MOVES = {  # action: (from, to, who)  who: "holder" = the right's enterprise or staff; "staff"
    "review": ("drafted", "jointly_reviewed", "staff"),
    "publish": ("jointly_reviewed", "public_notice", "staff"),
    "approve": ("public_notice", "approved", "staff"),
}
PHASE_STATES = {"planned": "计划中", "reported": "已报告完成", "accepted": "已验收"}

LAND_USES = {
    "cultivated": "耕地",
    "grassland": "草地",
    "forest": "林地",
    "construction": "建设用地",
    "water": "水域",
    "other": "其他",
}
MEASURES = {"damaged": "损毁", "occupied": "占用", "restored": "治理恢复", "reclaimed": "复垦"}

# M53: each item is a yes/no question the accepting officer answers; the answer that passes is given.
CHECKLIST = {
    "topsoil_kept": (
        True,
        "剥离的适宜耕地表层土壤已收集贮存并优先用于复垦",
        "stripped topsoil fit for farming was collected, stored and used first for reclamation",
    ),
    "toxic_material_used": (
        False,
        "使用了重金属或其他有毒有害物质超标的物料或污染土壤",
        "material over heavy-metal or toxic limits, or polluted soil, was used",
    ),
    "food_crops_on_failing_land": (
        False,
        "不符合相应土地利用环境保护标准的复垦土地种植了食用农产品",
        "food crops are grown on reclaimed land that fails the standard for its use",
    ),
    "land_use_standard_met": (
        True,
        "复垦土地满足相应土地利用的环境保护要求",
        "the reclaimed land meets the environmental requirements of its use",
    ),
}


@dataclass(frozen=True)
class Problem:
    field: str
    zh: str
    en: str


def move_plan(state: str, action: str) -> tuple[str | None, Problem | None]:
    if action not in PLAN_MOVES:
        return None, Problem("action", f"未知的操作「{action}」", f"unknown action '{action}'")
    src, dst, _who = PLAN_MOVES[action]
    if state != src:
        return None, Problem(
            "action",
            f"方案处于「{PLAN_STATES.get(state, state)}」状态，不能执行此操作",
            f"the plan is {state}; '{action}' needs it to be {src}",
        )
    return dst, None


def cycles(first_year: int, last_year: int, years: int) -> list[tuple[int, int]]:
    """The phases' (start, end) years covering first_year..last_year, ``years`` each."""
    out, y = [], first_year
    while y <= last_year:
        out.append((y, min(y + years - 1, last_year)))
        y += years
    return out


def clean_areas(raw, field: str) -> tuple[dict, list[Problem]]:
    """{land_use: {measure: hectares}}; unknown keys, negatives and non-numbers are problems."""
    if raw in (None, ""):
        return {}, []
    if not isinstance(raw, dict):
        return {}, [Problem(field, "面积须按地类给出（对象）", "areas are given per land use (an object)")]
    out, problems = {}, []
    for use, measures in raw.items():
        if use not in LAND_USES:
            problems.append(
                Problem(
                    f"{field}.{use}", f"未知地类「{use}」", f"unknown land use '{use}' (one of {', '.join(LAND_USES)})"
                )
            )
            continue
        if not isinstance(measures, dict):
            problems.append(Problem(f"{field}.{use}", "须给出各项面积", "give the areas of this land use"))
            continue
        row = {}
        for m, v in measures.items():
            where = f"{field}.{use}.{m}"
            if m not in MEASURES:
                problems.append(
                    Problem(where, f"未知面积项「{m}」", f"unknown measure '{m}' (one of {', '.join(MEASURES)})")
                )
            elif isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or v in (float("inf"), float("-inf")):
                problems.append(Problem(where, "面积须为数字（公顷）", "the area must be a number of hectares"))
            elif v < 0:
                problems.append(Problem(where, "面积不能为负", "the area cannot be negative"))
            else:
                row[m] = round(float(v), 4)
        out[use] = row
    return out, problems


def total(areas: dict, measure: str) -> float:
    return round(sum(float(m.get(measure, 0)) for m in areas.values()), 4)


def checklist_failures(answers: dict) -> tuple[list[Problem], list[Problem]]:
    """(missing or malformed answers, failed items). Acceptance needs both empty."""
    missing, failed = [], []
    for key, (passing, zh, en) in CHECKLIST.items():
        v = answers.get(key) if isinstance(answers, dict) else None
        if not isinstance(v, bool):
            missing.append(Problem(f"checklist.{key}", f"须回答：{zh}", f"answer yes or no: {en}"))
        elif v != passing:
            failed.append(
                Problem(
                    f"checklist.{key}",
                    f"验收不通过：{zh}" + ("" if passing else "（不得如此）"),
                    f"acceptance fails: {en}" + ("" if passing else " (not allowed)"),
                )
            )
    if isinstance(answers, dict):
        for key in answers:
            if key not in CHECKLIST:
                missing.append(Problem(f"checklist.{key}", f"未知检查项「{key}」", f"unknown checklist item '{key}'"))
    return missing, failed
