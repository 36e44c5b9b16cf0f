"""CQL2-text filters (`filter=`, Part 3) turned into database conditions, on the caller's queryables
only. The text is parsed by pygeofilter; this server evaluates a subset: comparisons (= <> < <= > >=),
AND, OR, NOT, LIKE, IN, BETWEEN and IS NULL between a property and literals. A property the caller
may not filter on is refused exactly like one that does not exist, so a filter cannot reveal a
withheld value through `numberMatched`."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Q
from pygeofilter import ast
from pygeofilter.parsers.cql2_text import parse

from kuangzheng.errors import FieldProblem, InvalidInput, unknown_field

from .layers import element_match, prefix_match

COMPARISONS = {
    ast.Equal: "exact",
    ast.LessThan: "lt",
    ast.LessEqual: "lte",
    ast.GreaterThan: "gt",
    ast.GreaterEqual: "gte",
}


def _bad(zh: str, en: str) -> InvalidInput:
    return InvalidInput([FieldProblem("filter", zh, en)])


def parse_filter(text: str, lang: str | None, allowed: dict[str, dict]) -> Q:
    if lang not in (None, "", "cql2-text"):
        raise InvalidInput(
            [
                FieldProblem(
                    "filter-lang",
                    f"仅支持 cql2-text，收到「{lang[:30]}」",
                    f"only cql2-text is supported, not '{lang[:30]}'",
                )
            ]
        )
    try:
        node = parse(text)
    except Exception as exc:  # lark raises several error types for malformed text
        raise _bad(
            f"CQL2 过滤条件无法解析：{str(exc)[:200]}", f"the CQL2 filter cannot be parsed: {str(exc)[:200]}"
        ) from None
    return _q(node, allowed)


def _property(node, allowed: dict[str, dict]) -> tuple[str, dict]:
    if not isinstance(node, ast.Attribute):
        raise _bad("比较的左侧应为属性名", "the left side of a comparison must be a property")
    if node.name not in allowed:
        raise InvalidInput([unknown_field("filter", node.name, allowed)])
    return node.name, allowed[node.name]


def _literal(value, spec: dict):
    if isinstance(value, ast.Node) or isinstance(value, (list, dict)):
        raise _bad("比较的右侧应为字面值", "the right side of a comparison must be a literal")
    if spec["type"] == "date" and isinstance(value, dt.datetime):
        return value.date()
    return value


def _like_regex(pattern: str) -> str:
    """CQL2 LIKE: % any run, _ one character; everything else literal."""
    return "^" + "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern) + "$"


def _q(node, allowed: dict[str, dict]) -> Q:
    if isinstance(node, ast.And):
        return _q(node.lhs, allowed) & _q(node.rhs, allowed)
    if isinstance(node, ast.Or):
        return _q(node.lhs, allowed) | _q(node.rhs, allowed)
    if isinstance(node, ast.Not):
        return ~_q(node.sub_node, allowed)
    if isinstance(node, ast.IsNull):
        name, _ = _property(node.lhs, allowed)
        q = Q(**{f"{name}__isnull": True})
        return ~q if node.not_ else q
    if isinstance(node, (ast.Equal, ast.NotEqual, *COMPARISONS)):
        name, spec = _property(node.lhs, allowed)
        value = _literal(node.rhs, spec)
        if spec["type"] in ("list", "division"):
            if not isinstance(node, (ast.Equal, ast.NotEqual)):
                raise _bad(f"「{spec['zh']}」只能用 = 或 <> 比较", f"'{spec['en']}' takes only = or <>")
            q = element_match(name, str(value)) if spec["type"] == "list" else prefix_match(str(value))
        else:
            q = Q(**{f"{name}__{COMPARISONS.get(type(node), 'exact')}": value})
        return ~q & Q(**{f"{name}__isnull": False}) if isinstance(node, ast.NotEqual) else q
    if isinstance(node, ast.Like):
        name, _ = _property(node.lhs, allowed)
        q = Q(**{f"{name}__{'iregex' if node.nocase else 'regex'}": _like_regex(str(node.pattern))})
        return ~q if node.not_ else q
    if isinstance(node, ast.In):
        name, spec = _property(node.lhs, allowed)
        q = Q(**{f"{name}__in": [_literal(v, spec) for v in node.sub_nodes]})
        return ~q if node.not_ else q
    if isinstance(node, ast.Between):
        name, spec = _property(node.lhs, allowed)
        q = Q(**{f"{name}__range": (_literal(node.low, spec), _literal(node.high, spec))})
        return ~q if node.not_ else q
    raise _bad(
        f"本服务的 CQL2 子集不支持「{type(node).__name__}」",
        f"'{type(node).__name__}' is outside this server's CQL2 subset (comparisons, AND, OR, NOT, LIKE, IN, BETWEEN, IS NULL)",
    )
