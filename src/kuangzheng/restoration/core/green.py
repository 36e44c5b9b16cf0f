"""Green-mine evaluation by an indicator sheet (M54). The sheet is configuration: criteria with their
maximum points and a pass mark; the seed names the system, not the scores."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    field: str
    zh: str
    en: str


def score(sheet: dict, scores) -> tuple[float | None, list[Problem]]:
    """The total of a filled sheet, or the problems with it (every criterion scored, 0..max)."""
    if not isinstance(scores, dict):
        return None, [Problem("scores", "须按评价表逐项打分", "score every criterion of the sheet")]
    problems, total = [], 0.0
    for key, c in sheet["criteria"].items():
        v = scores.get(key)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v:
            problems.append(Problem(f"scores.{key}", f"须为「{c['zh']}」打分", f"score '{c['en']}'"))
        elif not 0 <= v <= c["max"]:
            problems.append(
                Problem(
                    f"scores.{key}", f"「{c['zh']}」得分须在 0–{c['max']} 之间", f"'{c['en']}' is scored 0–{c['max']}"
                )
            )
        else:
            total += float(v)
    for key in scores:
        if key not in sheet["criteria"]:
            problems.append(Problem(f"scores.{key}", f"评价表没有「{key}」项", f"the sheet has no criterion '{key}'"))
    return (None, problems) if problems else (round(total, 2), [])


def passes(sheet: dict, total: float) -> bool:
    return total >= float(sheet["pass_mark"])


LEVEL_RANK = {"national": 3, "region": 2, "city": 1}


def highest(levels) -> str | None:
    levels = [x for x in levels if x in LEVEL_RANK]
    return max(levels, key=LEVEL_RANK.get) if levels else None
