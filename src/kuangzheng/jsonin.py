"""JSON that comes from outside (request bodies, uploaded and imported files), read strictly: it must be
well formed, numbers must be finite (no NaN, Infinity or 1e400, which Python's json accepts) and
nesting is bounded (KZ_MAX_JSON_DEPTH). Problems name the place (`record.capacity`, `attrs.a.b`) and
the reason in Chinese and English, so a hostile document gets a 400, never a crash further in."""

from __future__ import annotations

import json
import math

from kuangzheng import limits
from kuangzheng.errors import FieldProblem, InvalidInput

MAX_PROBLEMS = 10


def loads(data: str | bytes, field: str = "body"):
    """Parse and check a JSON document; raise InvalidInput naming `field` (or the place inside it)."""
    if isinstance(data, (bytes, bytearray)):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                [
                    FieldProblem(
                        field,
                        f"应为 UTF-8 编码的 JSON（第 {exc.start + 1} 字节无法解码）",
                        f"must be UTF-8 encoded JSON (byte {exc.start + 1} cannot be decoded)",
                    )
                ]
            ) from None
    try:
        doc = json.loads(data)
    except RecursionError:
        raise InvalidInput([_too_deep(field)]) from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            [
                FieldProblem(
                    field,
                    f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}",
                    f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                )
            ]
        ) from None
    check(doc, field)
    return doc


def check(doc, field: str = "body") -> None:
    """Raise InvalidInput if `doc` (parsed JSON) nests too deeply or holds a non-finite number or a NUL
    character (which no database column accepts). Walked with a stack, so depth costs no recursion."""
    max_depth = limits.get("json_depth")
    problems: list[FieldProblem] = []
    stack = [(doc, "", 0)]
    while stack and len(problems) < MAX_PROBLEMS:
        value, path, depth = stack.pop()
        where = path or field
        if isinstance(value, float) and not math.isfinite(value):
            problems.append(
                FieldProblem(
                    where,
                    "数值应为有限数（不接受 NaN、Infinity 或超出范围的数）",
                    "numbers must be finite (NaN, Infinity and out-of-range numbers are not accepted)",
                )
            )
        elif isinstance(value, str) and "\x00" in value:
            problems.append(FieldProblem(where, "文本不能含有空字符（NUL）", "text must not contain NUL characters"))
        elif isinstance(value, (dict, list)):
            if depth >= max_depth:
                problems.append(_too_deep(where))
                continue
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and "\x00" in key:
                    problems.append(FieldProblem(where, "键名不能含有空字符（NUL）", "keys must not contain NUL"))
                sub = f"{path}.{key}" if isinstance(value, dict) else f"{path}[{key}]"
                stack.append((item, sub.lstrip("."), depth + 1))
    if problems:
        raise InvalidInput(problems)


def _too_deep(field: str) -> FieldProblem:
    n, var = limits.get("json_depth"), limits.variable("json_depth")
    return FieldProblem(
        field,
        f"JSON 嵌套超过 {n} 层（上限由 {var} 设置）",
        f"JSON is nested deeper than {n} levels (the limit is set by {var})",
    )
