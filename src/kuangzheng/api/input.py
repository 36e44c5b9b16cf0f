"""How the API reads what callers send, and how it words what it refuses.

Bodies go through the strict JSON reader (finite numbers, bounded nesting, a size limit); query
strings and form fields may not carry NUL characters (files may); parameters that do not fit their declared type (`page=abc`)
are refused with 400 and the same problem list as the service layer's, in Chinese and English,
instead of ninja's English-only 422."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from ninja.parser import Parser

from kuangzheng import jsonin, limits
from kuangzheng.errors import FieldProblem, InvalidInput


def body_too_big() -> InvalidInput:
    most, var = limits.get("request_bytes"), limits.variable("request_bytes")
    return InvalidInput(
        [
            FieldProblem(
                "body",
                f"请求体超过上限 {most} 字节（由 {var} 设置）",
                f"the request body is larger than {most} bytes (the limit is set by {var})",
            )
        ]
    )


class StrictParser(Parser):
    def parse_body(self, request):
        try:
            body = request.body
        except RequestDataTooBig:
            raise body_too_big() from None
        return jsonin.loads(body, "body")

    def parse_querydict(self, data, list_fields, request):
        bad = [k for k in data.keys() if any(isinstance(v, str) and "\x00" in v for v in data.getlist(k))]
        if bad:
            raise InvalidInput(
                [FieldProblem(k, "查询参数不能含有空字符（NUL）", "query parameters must not contain NUL") for k in bad]
            )
        return super().parse_querydict(data, list_fields, request)


# pydantic's error types, in Chinese (the English is pydantic's own message)
REASONS_ZH = {
    "missing": "为必填项",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数值",
    "bool_parsing": "应为布尔值（true/false）",
    "greater_than_equal": "小于允许的最小值",
    "less_than_equal": "大于允许的最大值",
    "greater_than": "小于允许的最小值",
    "less_than": "大于允许的最大值",
    "string_type": "应为文本",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "model_attributes_type": "应为 JSON 对象",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
}


def validation_problems(errors: list[dict]) -> list[FieldProblem]:
    """ninja's validation errors (loc, type, msg) as field problems."""
    out = []
    for e in errors:
        loc = [str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body", "form", "file", "payload")]
        field = ".".join(loc) or "body"
        zh = REASONS_ZH.get(e.get("type", ""), "格式无效")
        bound = next(iter((e.get("ctx") or {}).values()), None)
        if e.get("type", "").startswith(("greater", "less")) and bound is not None:
            zh += f"（{bound}）"
        out.append(FieldProblem(field, f"「{field}」{zh}", f"'{field}': {e.get('msg', 'invalid value')}"))
    return out or [FieldProblem("body", "请求无效", "invalid request")]
