"""Excel templates for the report types (openpyxl): data sheet with Chinese headers, English
headers, a units row and data validation, plus an instructions sheet."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .types import Field, ReportType, get_report_type

DATA_SHEET = "数据"
INSTRUCTIONS_SHEET = "说明"
HEADER_ROWS = 3  # Chinese header, English header, units
FIRST_DATA_ROW = HEADER_ROWS + 1
MAX_ROWS = 5000  # rows covered by data validation
TOTAL_LABEL = "合计"


def template_tag(rt: ReportType) -> str:
    """Stamped into the workbook's keywords so an upload can be matched to its report type."""
    return f"kuangzheng:{rt.id}:v{rt.version}"


def _validation(f: Field) -> DataValidation | None:
    err = dict(showErrorMessage=True, errorTitle="输入有误 Invalid entry")
    if f.type == "number":
        lo = f.min if f.min is not None else -1e15
        hi = f.max if f.max is not None else 1e15
        return DataValidation(
            "decimal",
            operator="between",
            formula1=str(lo),
            formula2=str(hi),
            allow_blank=not f.required,
            error=f"须为 {lo:g}–{hi:g} 之间的数值（{f.unit_zh}）/ a number from {lo:g} to {hi:g} ({f.unit})",
            **err,
        )
    if f.type == "choice":
        labels = ",".join(zh for _, zh in f.choices)
        return DataValidation(
            "list",
            formula1=f'"{labels}"',
            allow_blank=not f.required,
            error="请从下拉列表选择 / choose from the list",
            **err,
        )
    if f.type == "year":
        return DataValidation(
            "whole",
            operator="between",
            formula1="1949",
            formula2="2100",
            allow_blank=not f.required,
            error="四位年份 / a 4-digit year",
            **err,
        )
    if f.type == "month":
        return DataValidation(
            "textLength",
            operator="equal",
            formula1="7",
            allow_blank=not f.required,
            error="格式 YYYY-MM，如 2024-03 / format YYYY-MM",
            **err,
        )
    return None


def _instructions(ws, rt: ReportType) -> None:
    lines = [
        f"{rt.zh}（{rt.en}）模板版本 v{rt.version}",
        f"请在“{DATA_SHEET}”表第 {FIRST_DATA_ROW} 行起逐行填写，每行一个设施、一个报告期、一个品种；不要修改前三行表头。",
        f"Fill the “{DATA_SHEET}” sheet from row {FIRST_DATA_ROW}, one row per facility, period and metal; "
        "do not change the three header rows.",
        f"可选：设施编码填“{TOTAL_LABEL}”的一行为合计行，其各数值列须等于上方各行之和。",
        f"Optional: a row whose facility code is “{TOTAL_LABEL}” is a total row; its numbers must equal the sums of the rows.",
        "请按第3行所示单位填报（注意“吨”与“万吨”），与本设施以往数据相差约一万倍的数值将被提示为可能的单位错误。",
        "Report in the units of row 3 (mind 吨 versus 万吨): a value about 10,000 times off the facility's past "
        "reports is flagged as a probable unit error.",
        "",
        "字段 Field | 单位 Unit | 必填 Required | 范围 Range",
    ]
    for f in rt.fields:
        rng = f"{f.min:g} – {f.max:g}" if f.min is not None and f.max is not None else ""
        lines.append(f"{f.zh} {f.en} | {f.unit_zh or '—'} | {'是 yes' if f.required else '否 no'} | {rng}")
    lines += ["", "校验规则 Checks:"]
    for r in rt.rules:
        p = r.params
        if r.kind == "le":
            lines.append(f"{rt.field(p['a']).zh} ≤ {rt.field(p['b']).zh}")
        elif r.kind == "sum":
            lines.append(f"{rt.field(p['total']).zh} = " + " + ".join(rt.field(k).zh for k in p["parts"]))
        elif r.kind == "balance":
            lines.append(
                f"{rt.field(p['closing']).zh} = {rt.field(p['opening']).zh} + "
                f"{rt.field(p['add']).zh} − {rt.field(p['sub']).zh}"
            )
    for i, text in enumerate(lines, start=1):
        ws.cell(row=i, column=1, value=text)
    ws["A1"].font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 120


def build_template(report_type: str | ReportType) -> Workbook:
    """A blank workbook for ``report_type`` (id or ReportType)."""
    rt = get_report_type(report_type)
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    head = PatternFill("solid", fgColor="DDEBF7")
    for col, f in enumerate(rt.fields, start=1):
        letter = get_column_letter(col)
        for row, text in enumerate((f.zh + (" *" if f.required else ""), f.en, f.unit_zh), start=1):
            cell = ws.cell(row=row, column=col, value=text)
            cell.fill = head
            cell.font = Font(bold=row == 1)
        ws.column_dimensions[letter].width = max(12, 2 * len(f.zh) + 4)
        dv = _validation(f)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + MAX_ROWS - 1}")
        if f.type in ("month", "code"):
            for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 200):
                ws.cell(row=r, column=col).number_format = "@"  # keep 2024-03 as text
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    _instructions(wb.create_sheet(INSTRUCTIONS_SHEET), rt)
    wb.properties.keywords = template_tag(rt)
    wb.properties.title = f"{rt.zh} {rt.en}"
    return wb
