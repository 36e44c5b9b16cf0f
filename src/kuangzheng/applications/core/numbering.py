"""Licence numbers by a configurable pattern (workflow.yaml `numbering`): by default the national
layout, T (exploration) or C (mining) + division + year-month + serial. The serial itself is
counted by the services under a lock; this module only lays the number out."""

from __future__ import annotations

import datetime as dt

from .machine import workflow


def series_key(right_kind: str, division: str, day: dt.date) -> str:
    """The series a serial counts in: one per prefix, division and month."""
    return f"{prefix(right_kind)}{division}{day.year:04d}{day.month:02d}"


def prefix(right_kind: str) -> str:
    return workflow()["numbering"]["prefix"][right_kind]


def licence_number(right_kind: str, division: str, day: dt.date, serial: int, pattern: str | None = None) -> str:
    pat = pattern or workflow()["numbering"]["pattern"]
    return pat.format(prefix=prefix(right_kind), division=division, year=day.year, month=day.month, serial=serial)
