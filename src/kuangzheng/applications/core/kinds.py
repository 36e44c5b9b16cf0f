"""Kinds of application and their required items (kinds.yaml), and the completeness check at
filing: an incomplete application is refused with every missing item named."""

from __future__ import annotations

import functools
from importlib import resources

import yaml

from kuangzheng.errors import FieldProblem

from .machine import workflow

CHANGES = ("holder_name", "area_reduced", "minerals", "scale")
# what each change carries besides its name (the registry field or event payload it sets)
CHANGE_CARRIES = {
    "holder_name": "holder_name",
    "area_reduced": "parcel",
    "minerals": "minerals",
    "scale": "designed_scale",
}


@functools.cache
def kinds() -> dict:
    return yaml.safe_load(resources.files(__package__).joinpath("kinds.yaml").read_text("utf-8"))["kinds"]


def kind(name: str) -> dict | None:
    return kinds().get(name)


def unknown_kind(name) -> FieldProblem:
    return FieldProblem(
        "kind",
        f"未知的申请类型「{name}」（可选：{'、'.join(kinds())}）",
        f"unknown kind '{name}' (one of {', '.join(kinds())})",
    )


def missing_items(name: str, record: dict, *, parcel: bool, right: bool, documents: set[str]) -> list[FieldProblem]:
    """Every required item of kind `name` that is missing: record fields, the parcel, the right the
    application is about, the change's content, each required document."""
    k = kinds()[name]
    out = []
    for f in k["record"]:
        if record.get(f) in (None, "", []):
            out.append(FieldProblem(f"record.{f}", "必填项未填写", "required item is missing"))
    if k["parcel"] and not parcel:
        out.append(
            FieldProblem(
                "corner_points", "缺少范围拐点坐标（或边界）", "the parcel's corner points (or boundary) are missing"
            )
        )
    if k["existing_right"] and not right:
        out.append(
            FieldProblem(
                "licence_no", "缺少所涉矿业权的许可证号", "the licence number of the right concerned is missing"
            )
        )
    if name == "change":
        change = record.get("change")
        if change not in (None, "") and change not in CHANGES:
            out.append(
                FieldProblem("record.change", f"应为 {'、'.join(CHANGES)} 之一", f"must be one of {', '.join(CHANGES)}")
            )
        elif change in CHANGES:
            carries = CHANGE_CARRIES[change]
            if carries == "parcel":
                if not parcel:
                    out.append(
                        FieldProblem(
                            "corner_points", "缩减范围须提交新的拐点坐标", "a reduction needs the new corner points"
                        )
                    )
            elif record.get(carries) in (None, "", []):
                out.append(FieldProblem(f"record.{carries}", "变更内容未填写", "the changed value is missing"))
    for key, doc in k["documents"].items():
        if key not in documents:
            out.append(FieldProblem(f"documents.{key}", f"缺少材料：{doc['zh']}", f"missing document: {doc['en']}"))
    return out


def attachment_types() -> dict[str, list[str]]:
    """The accepted attachment types and their signatures (first bytes)."""
    return workflow()["attachments"]["types"]
