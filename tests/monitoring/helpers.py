"""Filled-in workbooks for the upload tests, written with openpyxl like an enterprise would."""

import io

from kuangzheng.monitoring.core.reports import build_template
from kuangzheng.monitoring.core.reports.template import DATA_SHEET, FIRST_DATA_ROW


def workbook(rows, report_type="monthly_production") -> bytes:
    wb = build_template(report_type)
    ws = wb[DATA_SHEET]
    for i, row in enumerate(rows):
        for j, v in enumerate(row, start=1):
            ws.cell(row=FIRST_DATA_ROW + i, column=j, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def al_line(reg, division="150200", enterprise=None, capacity=50, project_type="existing"):
    from kuangzheng.registry import services
    from tests.support.registry import ADMIN

    return services.create(
        ADMIN,
        "facility",
        {
            "name": f"测试电解铝{division}{project_type}",
            "kind": "al_line",
            "division": division,
            "enterprise": (enterprise or reg.a).pk,
            "capacity": capacity,
            "capacity_unit": "10^4 t/a",
            "project_type": project_type,
        },
    )
