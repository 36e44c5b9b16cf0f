"""Enterprise periodic reports: report types as data, Excel templates, and validation.

build_template(report_type) -> openpyxl.Workbook
parse_workbook(file_or_bytes, report_type, history=...) -> (rows, errors)
"""

from .history import HistoryFlag, history_flag
from .parse import ReportError, parse_workbook
from .template import build_template
from .types import Field, ReportType, get_report_type, report_types

__all__ = [
    "Field",
    "HistoryFlag",
    "ReportError",
    "ReportType",
    "build_template",
    "get_report_type",
    "history_flag",
    "parse_workbook",
    "report_types",
]
