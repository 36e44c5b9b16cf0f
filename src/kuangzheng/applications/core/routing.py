"""Competent authority (分级审批, M82): which division decides an application (workflow.yaml `routing`)."""

from __future__ import annotations

from .machine import workflow


def at_level(division: str, level: str) -> str:
    """The GB/T 2260 code of the division at `level` containing `division`."""
    if level == "province":
        return division[:2] + "0000"
    if level == "prefecture":
        return division[:4] + "00"
    return division


def competent(kind: str, division: str, minerals: list[str]) -> tuple[str, str, str]:
    """(deciding division, level, source of the routing row) for an application."""
    for row in workflow()["routing"]:
        if "kinds" in row and kind not in row["kinds"]:
            continue
        if "minerals_any" in row and not set(minerals or []) & set(row["minerals_any"]):
            continue
        return at_level(division, row["level"]), row["level"], row["source"]
    raise LookupError("routing table has no default row")
