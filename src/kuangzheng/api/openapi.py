"""Every status an operation can answer, in the OpenAPI document.

The service layer's errors reach every handler the same way (routes.py turns them into responses),
so they are documented once here rather than on each handler: any operation may answer 400 (bad
input, named by field), 401 (wrong HTTP Basic credentials), 403 (role) and 404 (absent or outside the
caller's scope); writes may also answer 409 (a stale `version`) and 413 (a body larger than `kz serve`
reads at all). An operation that answers something
other than 200 on success declares it itself (creates: 201). schemathesis checks the document
against the live server (tests/api/test_schemathesis.py)."""

from __future__ import annotations

ERROR = {
    "title": "Error",
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "InvalidInput, Forbidden, NotFound, StaleVersion, HttpError"},
        "message_zh": {"type": "string"},
        "message_en": {"type": "string"},
        "problems": {
            "type": "array",
            "description": "for 400: each problem names the field (and the row, for imports)",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message_zh": {"type": "string"},
                    "message_en": {"type": "string"},
                    "row": {"type": "integer"},
                },
            },
        },
    },
    "required": ["error", "message_zh", "message_en"],
}
ERRORS = {
    "400": "输入有误 Invalid input: the problems name each field and the reason (zh + en)",
    "401": "HTTP Basic 用户名或密码错误 Wrong HTTP Basic credentials",
    "403": "无权执行 Not allowed for this role",
    "404": "不存在或不在权限范围内 Not found, or outside the caller's scope",
}
WRITE_ERRORS = {
    "409": "记录已被他人修改 Stale version: the record changed since it was read",
    "413": "请求体超过服务器上限 Request body larger than the server reads (docs/limits.md)",
}


def document_errors(schema: dict) -> dict:
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in schema.get("paths", {}).values():
        for method, op in operations.items():
            responses = op.setdefault("responses", {})
            codes = ERRORS | (WRITE_ERRORS if method in ("post", "put", "patch", "delete") else {})
            for code, text in codes.items():
                responses.setdefault(code, {"description": text, "content": ref})
    return schema
