"""Errors the service layer raises. Every message exists in Chinese and English and names the field.

The API, the portal forms, the importers and the CLI all turn these into their own shape, so a
rule is worded once, here or at the place that checks it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    field: str
    zh: str
    en: str
    row: int | None = None  # set by importers: the 1-based data row the problem is in

    def as_dict(self) -> dict:
        d = {"field": self.field, "message_zh": self.zh, "message_en": self.en}
        if self.row is not None:
            d["row"] = self.row
        return d

    def text(self, lang: str = "zh") -> str:
        where = (
            f"第{self.row}行 "
            if (self.row is not None and lang == "zh")
            else (f"row {self.row}: " if self.row is not None else "")
        )
        return f"{where}{self.field}: {self.zh if lang == 'zh' else self.en}"


def unknown_field(path: str, name: str, known: Iterable[str]) -> FieldProblem:
    """An unknown field, named, with the nearest known name suggested (a typo is the usual cause)."""
    close = difflib.get_close_matches(str(name), sorted(known), n=1, cutoff=0.6)
    if close:
        return FieldProblem(
            path, f"未知字段「{name}」，是否应为「{close[0]}」？", f"unknown field '{name}'; did you mean '{close[0]}'?"
        )
    return FieldProblem(path, f"未知字段「{name}」", f"unknown field '{name}'")


class ServiceError(Exception):
    status = 400

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en

    def as_dict(self) -> dict:
        return {"error": type(self).__name__, "message_zh": self.zh, "message_en": self.en}


class InvalidInput(ServiceError):
    """One or more fields are wrong; nothing was written."""

    status = 400

    def __init__(self, problems: list[FieldProblem]):
        self.problems = list(problems)
        zh = "；".join(p.text("zh") for p in self.problems)
        en = "; ".join(p.text("en") for p in self.problems)
        super().__init__(f"输入有误：{zh}", f"Invalid input: {en}")

    def as_dict(self) -> dict:
        d = super().as_dict()
        d["problems"] = [p.as_dict() for p in self.problems]
        return d


class Forbidden(ServiceError):
    status = 403

    def __init__(self, zh: str = "无权执行此操作", en: str = "You are not allowed to do this"):
        super().__init__(zh, en)


class NotFound(ServiceError):
    """Also raised for records outside the actor's scope, so scopes do not leak existence."""

    status = 404

    def __init__(self, what: str = "记录", what_en: str = "record"):
        super().__init__(f"{what}不存在或不在您的权限范围内", f"{what_en} not found or outside your scope")


class StaleVersion(ServiceError):
    """Optimistic locking: someone saved the record after this editor loaded it."""

    status = 409

    def __init__(self, current: int, given: int):
        super().__init__(
            f"该记录已被他人修改（当前版本 {current}，您编辑的是版本 {given}），请刷新后重新编辑",
            f"This record was changed by someone else (now version {current}, you edited version {given});"
            " reload it and edit again",
        )
        self.current, self.given = current, given


def problem(field: str, zh: str, en: str) -> FieldProblem:
    return FieldProblem(field, zh, en)
