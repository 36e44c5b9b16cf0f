"""Cells for CSV and Excel exports that a spreadsheet shows as text and never evaluates.

Excel, LibreOffice and WPS read a cell that starts with = + - @ (or a tab or carriage return, which
they skip) as a formula: a record named `=HYPERLINK("http://…","点击")` becomes a live link, and
DDE formulas can run programs. Every export writes its cells through `inert`, which puts an
apostrophe before such text (OWASP's advice: the spreadsheet then shows the text as typed). Only
text is touched: numbers stay numbers, and text that is just a number ("-12.5") cannot be a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def inert(value):
    """`value` made safe for a spreadsheet cell (text that would start a formula gets a leading ')."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def inert_row(values: Iterable) -> list:
    """Every cell of a row through `inert`."""
    return [inert(v) for v in values]


def inert_record(record: Mapping) -> dict:
    """Every value of a record (a CSV DictWriter row) through `inert`; keys are left as they are."""
    return {k: inert(v) for k, v in record.items()}
