"""Report templates and cell-by-cell validation of uploaded workbooks."""

import io
import math

import pytest
from openpyxl import load_workbook

from kuangzheng.monitoring.core.errors import MonitorInputError
from kuangzheng.monitoring.core.reports import build_template, history_flag, parse_workbook, report_types

MONTHLY = "monthly_production"
ANNUAL = "annual_resources_environment"


def filled(report_type, rows):
    """A template filled with ``rows`` (lists of cell values from column A), as xlsx bytes."""
    wb = build_template(report_type)
    ws = wb["数据"]
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            ws.cell(row=4 + i, column=j + 1, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = ["F-0001", "2024-03", "铝", 8000, 100000, 95000, 11000, 9000, 12]


def test_template_has_headers_units_validation_and_instructions():
    for rt in report_types().values():
        wb = build_template(rt.id)
        ws = wb["数据"]
        assert [c.value for c in ws[1]][:2] == [f.zh + (" *" if f.required else "") for f in rt.fields[:2]]
        assert [c.value for c in ws[3]] == [f.unit_zh for f in rt.fields]
        kinds = {dv.type for dv in ws.data_validations.dataValidation}
        assert {"decimal", "list"} <= kinds
        assert "说明" in wb.sheetnames and rt.zh in wb["说明"]["A1"].value
    with pytest.raises(MonitorInputError, match="unknown report type"):
        build_template("weekly")


def test_round_trip_of_a_good_report():
    rows, errors = parse_workbook(filled(MONTHLY, [GOOD]), MONTHLY)
    assert errors == []
    assert rows == [
        {
            "_row": 4,
            "facility_code": "F-0001",
            "period": "2024-03",
            "metal": "al",
            "output": 8000.0,
            "capacity": 100000.0,
            "operating_capacity": 95000.0,
            "electricity": 11000.0,
            "energy_tce": 9000.0,
            "so2": 12.0,
        }
    ]


def where(errors):
    return {(e.sheet, e.row, e.column) for e in errors}


def test_errors_name_sheet_row_column_and_reason_in_both_languages():
    bad = [
        GOOD,
        ["F-0002", "2024-13", "铝", 8000, 100000, 95000, 11000, 9000, None],  # B5 month
        ["F-0003", "2024-03", "金", "八千", 100000, 120000, 11000, 9000, None],  # C6, D6, F6 > E6
        ["F-0004", "2024-03", "铝", 8000, None, 95000, 11000, -1, None],  # E7 required, H7 range
        GOOD,  # duplicate of row 4
    ]
    rows, errors = parse_workbook(filled(MONTHLY, bad), MONTHLY)
    assert [r["_row"] for r in rows] == [4]
    assert where(errors) == {
        ("数据", 5, "B"),
        ("数据", 6, "C"),
        ("数据", 6, "D"),
        ("数据", 6, "F"),
        ("数据", 7, "E"),
        ("数据", 7, "H"),
        ("数据", 8, ""),
    }
    by = {(e.row, e.column): e for e in errors}
    assert "YYYY-MM" in by[(5, "B")].en and "格式" in by[(5, "B")].zh
    assert "must not exceed" in by[(6, "F")].en and "不应大于" in by[(6, "F")].zh
    assert "is required" in by[(7, "E")].en
    assert "duplicates row 4" in by[(8, "")].en
    assert str(by[(7, "H")]).startswith("数据!H7：")


def test_totals_and_balance_rules_in_the_annual_report():
    row = ["M-01", 2024, "铜", 50000, 92, 88, 60, 10, 1, 0.5, 2, 1.5, 15, 300, 12, 10, 500, 100, 50, 550]
    bad_sum = row[:12] + [99] + row[13:]  # M: total ≠ 10 + 1 + 0.5 + 2 + 1.5
    bad_bond = ["M-03"] + row[1:19] + [600]  # T: 500 + 100 − 50 ≠ 600
    other = ["M-02"] + row[1:]
    total = ["合计", None, None, 100000] + [None] * 3 + [20, 2, 1, 4, 3, 30, 600, 24, 20, 1000, 200, 100, 1100]
    rows, errors = parse_workbook(filled(ANNUAL, [row, other, total]), ANNUAL)
    assert errors == [] and len(rows) == 2
    wrong_total = total[:13] + [601] + total[14:]  # N (SO2) total 601 ≠ 600
    _, errors = parse_workbook(filled(ANNUAL, [row, other, wrong_total]), ANNUAL)
    assert where(errors) == {("数据", 6, "N")} and "sum of the rows" in errors[0].en
    _, errors = parse_workbook(filled(ANNUAL, [bad_sum, bad_bond]), ANNUAL)
    assert where(errors) == {("数据", 4, "M"), ("数据", 5, "T")}


def test_history_flags_probable_unit_errors():
    # output entered in 万吨 (0.8) where 吨 is asked; electricity in kWh where 万千瓦时 is asked
    history = {"F-0001": {"output": [8100, 7900, 8300, 0], "electricity": [110, 108, 112]}}
    in_wan = ["F-0001", "2024-03", "铝", 0.8, 100000, 95000, 1_100_000, 9000, None]
    rows, errors = parse_workbook(filled(MONTHLY, [in_wan]), MONTHLY, history=history)
    assert len(rows) == 1  # warnings do not drop the row
    assert {(e.column, e.severity) for e in errors} == {("D", "warning"), ("G", "warning")}
    assert all("unit error" in e.en and "单位错误" in e.zh for e in errors)
    ok = ["F-0001", "2024-03", "铝", 8000, 100000, 95000, 115, 9000, None]
    _, errors = parse_workbook(filled(MONTHLY, [ok]), MONTHLY, history=history)
    assert errors == []


def test_history_rule_boundaries():
    past = [100, 100, 100]
    assert history_flag(100 * 10**3.49, past).kind == "far_from_history"
    assert history_flag(100 * 10**3.51, past).kind == "unit_error"
    assert history_flag(100 * 10**4.49, past).kind == "unit_error"
    assert history_flag(100 * 10**4.51, past).kind == "far_from_history"
    assert history_flag(100 * 10**-4, past).kind == "unit_error"
    assert history_flag(100 * 10**1.99, past) is None
    assert history_flag(100 * 10**2.01, past).kind == "far_from_history"
    assert history_flag(1e6, [100, 100]) is None  # too little history
    assert history_flag(0, past) is None  # a stopped plant
    assert math.isclose(history_flag(1e6, [1, 100, 1e4]).median, 100)


def test_wrong_file_wrong_template_and_changed_headers():
    _, errors = parse_workbook(b"not an excel file", MONTHLY)
    assert errors[0].row == 0 and "cannot read" in errors[0].en
    _, errors = parse_workbook(filled(ANNUAL, []), MONTHLY)
    assert "wrong template" in errors[0].en
    wb = load_workbook(io.BytesIO(filled(MONTHLY, [GOOD])))
    wb["数据"]["D1"] = "产量（万吨）"
    wb.properties.keywords = None
    buf = io.BytesIO()
    wb.save(buf)
    _, errors = parse_workbook(buf.getvalue(), MONTHLY)
    assert where(errors) == {("数据", 1, "D")} and "do not change" in errors[0].en
