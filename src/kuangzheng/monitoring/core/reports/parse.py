"""Reading a filled-in report workbook: cell-by-cell validation, errors by sheet, row and column."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from kuangzheng import limits, uploads

from .history import history_flag
from .template import DATA_SHEET, FIRST_DATA_ROW, TOTAL_LABEL, template_tag
from .types import Field, ReportType, get_report_type

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$")
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class ReportError:
    sheet: str
    row: int  # Excel row number (1-based); 0 for the whole workbook
    column: str  # Excel column letters; "" for a whole row or workbook
    field: str  # field key; "" when not about one field
    zh: str
    en: str
    severity: str = "error"  # "error" blocks acceptance; "warning" asks for a second look

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.column}{self.row}" if self.row else self.sheet or "workbook"
        return f"{where}：{self.zh} / {where}: {self.en}"


class _Problem(Exception):
    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en


def _number(value) -> float:
    if isinstance(value, bool):
        raise _Problem("须为数值", "must be a number")
    if isinstance(value, (int, float)):
        v = float(value)
    elif isinstance(value, str):
        try:
            v = float(value.strip().replace(",", ""))
        except ValueError:
            raise _Problem(f"“{value}”不是数值", f"“{value}” is not a number") from None
    else:
        raise _Problem("须为数值", "must be a number")
    if not np.isfinite(v):
        raise _Problem("须为有限数值", "must be a finite number")
    return v


def _convert(f: Field, value):
    """The cell's value as the field's type, or _Problem."""
    if f.type == "number":
        v = _number(value)
        if f.min is not None and v < f.min or f.max is not None and v > f.max:
            raise _Problem(
                f"{v:g} 超出合理范围 {f.min:g}–{f.max:g}（{f.unit_zh}）",
                f"{v:g} is outside the plausible range {f.min:g}–{f.max:g} ({f.unit})",
            )
        return v
    if f.type == "year":
        v = _number(value)
        if v != int(v) or not 1949 <= v <= 2100:
            raise _Problem("须为四位年份", "must be a 4-digit year")
        return int(v)
    if f.type == "month":
        if isinstance(value, (dt.datetime, dt.date)):
            return f"{value.year:04d}-{value.month:02d}"
        m = MONTH_RE.match(str(value).strip())
        if not m:
            raise _Problem(f"“{value}”须为 YYYY-MM 格式，如 2024-03", f"“{value}” must be YYYY-MM, e.g. 2024-03")
        return m.group(0)
    if f.type == "choice":
        text = str(value).strip()
        for code, zh in f.choices:
            if text in (code, zh):
                return code
        raise _Problem(
            f"“{text}”不在可选项中（{'、'.join(zh for _, zh in f.choices)}）",
            f"“{text}” is not one of the choices ({', '.join(c for c, _ in f.choices)})",
        )
    text = str(value).strip()
    if not CODE_RE.match(text):
        raise _Problem(
            f"编码“{text}”格式有误（字母数字、-、_，2–40 位）",
            f"code “{text}” is malformed (letters, digits, - or _, 2–40 characters)",
        )
    return text


def _close(a: float, b: float, rel: float) -> bool:
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), 0.01)


def _rule_problems(rt: ReportType, row: dict):
    """(field key, zh, en) for each cross-field rule the row breaks (fields present only)."""
    for r in rt.rules:
        p = r.params
        if r.kind == "le" and p["a"] in row and p["b"] in row and row[p["a"]] > row[p["b"]]:
            a, b = rt.field(p["a"]), rt.field(p["b"])
            yield (
                p["a"],
                f"{a.zh}（{row[p['a']]:g}）不应大于{b.zh}（{row[p['b']]:g}）",
                f"{a.en} ({row[p['a']]:g}) must not exceed {b.en} ({row[p['b']]:g})",
            )
        elif r.kind == "sum" and all(k in row for k in [p["total"], *p["parts"]]):
            parts = sum(row[k] for k in p["parts"])
            if not _close(row[p["total"]], parts, p.get("tolerance", 0.0)):
                t = rt.field(p["total"])
                yield (
                    p["total"],
                    f"{t.zh}（{row[p['total']]:g}）不等于各分项之和（{parts:g}）",
                    f"{t.en} ({row[p['total']]:g}) is not the sum of its parts ({parts:g})",
                )
        elif r.kind == "balance" and all(k in row for k in (p["closing"], p["opening"], p["add"], p["sub"])):
            expect = row[p["opening"]] + row[p["add"]] - row[p["sub"]]
            if not _close(row[p["closing"]], expect, p.get("tolerance", 0.0)):
                c = rt.field(p["closing"])
                yield (
                    p["closing"],
                    f"{c.zh}（{row[p['closing']]:g}）应为 年初 + 缴存 − 返还 = {expect:g}",
                    f"{c.en} ({row[p['closing']]:g}) should be opening + deposited − returned = {expect:g}",
                )


def _workbook_error(zh: str, en: str) -> list:
    return [ReportError("", 0, "", "", zh, en)]


def parse_workbook(
    file_or_bytes,
    report_type: str | ReportType,
    *,
    history: Mapping[str, Mapping[str, object]] | Callable[[list[str]], Mapping] | None = None,
):
    """Validate a filled-in template; return ``(rows, errors)``.

    ``rows`` are dicts (field key → value, plus ``_row``, the Excel row) for the data rows that
    have no error (a 合计 total row is checked, not returned). ``errors`` are ``ReportError``s
    naming sheet, row, column letters and the reason in Chinese and English; severity "warning"
    marks the history heuristics (probable unit error, far from history), which do not drop
    the row. ``history`` maps facility code → field key → past values of that facility, or is a
    function from the codes of the valid rows to that map (so the file is read once).

    Before anything is parsed, the zip's stated unpacked size and ratio and the sheet's stated
    dimension are checked against the limits (docs/limits.md); the sheet is then streamed
    (openpyxl's read-only mode) and reading stops at the row limit.
    """
    rt = get_report_type(report_type)
    data = bytes(file_or_bytes) if isinstance(file_or_bytes, (bytes, bytearray)) else file_or_bytes.read()
    packed = uploads.zip_problem(data)
    if packed:
        return [], _workbook_error(packed.zh, packed.en)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file that is not xlsx
        return [], _workbook_error(
            f"无法读取 Excel 文件（{type(exc).__name__}）", f"cannot read the Excel file ({type(exc).__name__})"
        )
    try:
        return _parse(wb, rt, history)
    except Exception as exc:  # a malformed sheet found while streaming it
        return [], _workbook_error(
            f"无法读取 Excel 文件（{type(exc).__name__}）", f"cannot read the Excel file ({type(exc).__name__})"
        )
    finally:
        wb.close()


def _parse(wb, rt: ReportType, history):
    errors: list[ReportError] = []
    if wb.properties.keywords and wb.properties.keywords != template_tag(rt):
        errors.append(
            ReportError(
                "",
                0,
                "",
                "",
                f"模板不符：此文件为 {wb.properties.keywords}，应为 {template_tag(rt)}",
                f"wrong template: file is {wb.properties.keywords}, expected {template_tag(rt)}",
            )
        )
        return [], errors
    if DATA_SHEET not in wb.sheetnames:
        return [], [ReportError(DATA_SHEET, 0, "", "", f"缺少工作表“{DATA_SHEET}”", f"sheet “{DATA_SHEET}” is missing")]
    ws = wb[DATA_SHEET]
    last_row = FIRST_DATA_ROW + limits.get("sheet_rows") - 1
    if (ws.max_row or 0) > last_row:  # the sheet's stated dimension
        return [], [_too_many_rows(ws.max_row)]
    header = next(ws.iter_rows(min_row=1, max_row=1, max_col=len(rt.fields), values_only=True), ())
    for col, f in enumerate(rt.fields, start=1):
        head = str((header[col - 1] if col <= len(header) else None) or "").replace("*", "").strip()
        if head != f.zh:
            errors.append(
                ReportError(
                    DATA_SHEET,
                    1,
                    get_column_letter(col),
                    f.key,
                    f"表头应为“{f.zh}”，实为“{head}”（请勿改动模板列）",
                    f"header should be “{f.zh}”, found “{head}” (do not change the template's columns)",
                )
            )
    if errors:
        return [], errors

    rows, parsed, total_row, seen = [], [], None, {}
    for r, cells in enumerate(
        ws.iter_rows(min_row=FIRST_DATA_ROW, max_col=len(rt.fields), values_only=True), start=FIRST_DATA_ROW
    ):
        if r > last_row:  # the sheet states no dimension, or a false one
            return [], [_too_many_rows(r)]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        is_total = str(cells[0]).strip() == TOTAL_LABEL
        row, row_ok = {"_row": r}, True
        for col, (f, value) in enumerate(zip(rt.fields, cells), start=1):
            if is_total and not f.total:
                continue
            letter = get_column_letter(col)
            if value is None or (isinstance(value, str) and not value.strip()):
                if f.required:
                    errors.append(
                        ReportError(DATA_SHEET, r, letter, f.key, f"“{f.zh}”为必填项", f"“{f.en}” is required")
                    )
                    row_ok = False
                continue
            try:
                row[f.key] = _convert(f, value)
            except _Problem as p:
                errors.append(ReportError(DATA_SHEET, r, letter, f.key, f"{f.zh}：{p.zh}", f"{f.en}: {p.en}"))
                row_ok = False
        if is_total:
            total_row = row
            continue
        parsed.append(row)
        for key, zh, en in _rule_problems(rt, row):
            errors.append(ReportError(DATA_SHEET, r, _letter(rt, key), key, zh, en))
            row_ok = False
        key = tuple(row.get(k) for k in rt.key)
        if None not in key:
            if key in seen:
                errors.append(
                    ReportError(
                        DATA_SHEET,
                        r,
                        "",
                        "",
                        f"与第 {seen[key]} 行重复（同一设施、期间、品种）",
                        f"duplicates row {seen[key]} (same facility, period and metal)",
                    )
                )
                row_ok = False
            seen.setdefault(key, r)
        if row_ok:
            rows.append(row)
    past = history([r["facility_code"] for r in rows if "facility_code" in r]) if callable(history) else history
    for row in parsed:
        errors.extend(_history_warnings(rt, row, past))
    if total_row is not None:
        errors.extend(_total_problems(rt, total_row, parsed))
    return rows, errors


def _too_many_rows(rows: int) -> ReportError:
    most, var = limits.get("sheet_rows"), limits.variable("sheet_rows")
    return ReportError(
        DATA_SHEET,
        0,
        "",
        "",
        f"工作表至少有 {rows} 行，数据行超过上限 {most} 行（由 {var} 设置）；请分多个文件报送",
        f"the sheet has at least {rows} rows, more data rows than the limit of {most} (set by {var}); "
        "split it into several files",
    )


def _letter(rt: ReportType, key: str) -> str:
    return get_column_letter([f.key for f in rt.fields].index(key) + 1)


def _history_warnings(rt: ReportType, row: dict, history):
    past = (history or {}).get(row.get("facility_code"), {})
    for f in rt.fields:
        if not f.history or f.key not in row or f.key not in past:
            continue
        flag = history_flag(row[f.key], past[f.key])
        if flag is None:
            continue
        if flag.kind == "unit_error":
            zh = (
                f"{f.zh} {row[f.key]:g} 约为本设施以往中位数 {flag.median:g} 的 {flag.ratio:.3g} 倍，"
                f"疑似单位错误（如“吨”与“万吨”混用），应以{f.unit_zh}填报"
            )
            en = (
                f"{f.en} {row[f.key]:g} is {flag.ratio:.3g} × the facility's past median {flag.median:g}: "
                f"probably a unit error (e.g. 吨 and 万吨 mixed up); report in {f.unit}"
            )
        else:
            zh = f"{f.zh} {row[f.key]:g} 为本设施以往中位数 {flag.median:g} 的 {flag.ratio:.3g} 倍，请核实"
            en = f"{f.en} {row[f.key]:g} is {flag.ratio:.3g} × the facility's past median {flag.median:g}; please check"
        yield ReportError(DATA_SHEET, row["_row"], _letter(rt, f.key), f.key, zh, en, severity="warning")


def _total_problems(rt: ReportType, total: dict, rows: list[dict]):
    for f in rt.fields:
        if not f.total or f.key not in total:
            continue
        s = sum(r.get(f.key, 0.0) for r in rows)
        if not _close(total[f.key], s, 1e-6):
            yield ReportError(
                DATA_SHEET,
                total["_row"],
                _letter(rt, f.key),
                f.key,
                f"合计行 {f.zh} {total[f.key]:g} 不等于各行之和 {s:g}",
                f"total row: {f.en} {total[f.key]:g} is not the sum of the rows, {s:g}",
            )
