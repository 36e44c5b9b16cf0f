"""Limits on what one request, upload or import may ask of the server, so that hostile or careless
input is refused early with a clear message instead of exhausting memory or time.

Each limit has a default here and an environment variable that overrides it; they are read when
used, so a deployment sets them like its other settings. docs/limits.md lists them with their reasons.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    variable: str
    default: int
    zh: str
    en: str


LIMITS = {
    "json_depth": Limit("KZ_MAX_JSON_DEPTH", 32, "JSON 嵌套层数", "JSON nesting depth"),
    "vertices": Limit("KZ_MAX_VERTICES", 20_000, "一个几何的顶点数", "vertices of one geometry"),
    "request_bytes": Limit("KZ_MAX_REQUEST_BYTES", 5 * MIB, "请求体字节数", "bytes of a request body"),
    "upload_bytes": Limit("KZ_MAX_UPLOAD_BYTES", 10 * MIB, "上传文件字节数", "bytes of an uploaded file"),
    "import_bytes": Limit("KZ_MAX_IMPORT_BYTES", 512 * MIB, "导入文件字节数", "bytes of an imported file"),
    "unpacked_bytes": Limit(
        "KZ_MAX_UNPACKED_BYTES", 100 * MIB, "压缩文件解压后字节数", "unpacked bytes of a compressed file"
    ),
    "zip_ratio": Limit("KZ_MAX_ZIP_RATIO", 100, "压缩比", "compression ratio"),
    "sheet_rows": Limit("KZ_MAX_SHEET_ROWS", 10_000, "工作表行数", "rows of a worksheet"),
    "sheet_columns": Limit("KZ_MAX_SHEET_COLUMNS", 200, "工作表列数", "columns of a worksheet"),
}


def get(name: str) -> int:
    """The limit in force: its environment variable if set (a positive integer), else the default."""
    limit = LIMITS[name]
    raw = os.environ.get(limit.variable, "").strip().replace("_", "")
    if not raw:
        return limit.default
    if not raw.isdigit() or int(raw) <= 0:
        raise ValueError(
            f"设置 {limit.variable} 应为正整数，实为 {raw!r} / setting {limit.variable} must be a positive integer, not {raw!r}"
        )
    return int(raw)


def variable(name: str) -> str:
    return LIMITS[name].variable
