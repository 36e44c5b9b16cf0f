"""Validation of the catalogue: every defect as a `Problem` naming file, entry, field and reason.

Checks run on the raw YAML (so that a wrongly typed field is reported, not crashed on) and on the
seeds: quotes verbatim (whitespace ignored) and ≤ 120 characters, every number of a value stated
in its quote, list items named in their quote, ids unique, units known, links resolvable.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from . import numbers, wording
from .catalogue import (
    COMPARISONS,
    ENTRY_FIELDS,
    FILE_FIELDS,
    ID_RE,
    JURISDICTIONS,
    KINDS,
    MAX_QUOTE,
    NAME_RE,
    REQUIRED_FIELDS,
    UNITS_FILE,
    Catalogue,
    Problem,
    as_date,
    build,
    load_units,
)


class _Report:
    """Collects problems for one file; keeps the calls short."""

    def __init__(self, file: str):
        self.file, self.items = file, []

    def add(self, entry: str | None, fld: str, zh: str, en: str) -> None:
        self.items.append(Problem(self.file, entry, fld, zh, en))


_is_number = numbers.is_plain_number


def _check_date(rep: _Report, eid, fld: str, v) -> None:
    if v is None:
        return
    try:
        as_date(v)
    except (ValueError, TypeError):
        rep.add(eid, fld, f"应为 ISO 日期（YYYY-MM-DD），实为 {v!r}", f"must be an ISO date, got {v!r}")


def _check_header(rep: _Report, data: dict, seeds: set[str]) -> None:
    for k in data:
        if k not in FILE_FIELDS:
            rep.add(None, k, "未知的文件字段", "unknown file field")
    doc = data.get("doc")
    if doc not in seeds:
        rep.add(None, "doc", f"政策原文 {doc!r} 不存在", f"seed {doc!r} does not exist")
    elif not rep.file.startswith(str(doc)[:3]):
        rep.add(None, "doc", "文件名应以原文编号开头", "file name must start with the seed code")
    if data.get("jurisdiction") not in JURISDICTIONS:
        rep.add(None, "jurisdiction", f"辖区应为 {JURISDICTIONS} 之一", f"jurisdiction must be one of {JURISDICTIONS}")
    for fld in ("title_zh", "title_en"):
        if not isinstance(data.get(fld), str) or not data.get(fld).strip():
            rep.add(None, fld, "不能为空", "must be a non-empty string")
    _check_date(rep, None, "issued", data.get("issued"))
    if data.get("default_effective") is None:
        rep.add(None, "default_effective", "必须给出默认生效日期", "is required")
    _check_date(rep, None, "default_effective", data.get("default_effective"))
    if data.get("issued") is None and not data.get("issued_inferred"):
        rep.add(
            None,
            "issued_inferred",
            "原文未载明印发日期时须说明推断依据",
            "required when issued is null: say what the date is inferred from",
        )
    if not isinstance(data.get("entries"), list) or not data["entries"]:
        rep.add(None, "entries", "应为非空列表", "must be a non-empty list")
    for i, a in enumerate(data.get("ambiguities") or []):
        if not (isinstance(a, dict) and a.get("topic") and a.get("note")):
            rep.add(None, f"ambiguities[{i}]", "应有 topic 与 note", "needs topic and note")


def _check_ambiguity_quotes(rep: _Report, data: dict, seed: str | None) -> None:
    for i, a in enumerate(data.get("ambiguities") or []):
        quote = a.get("quote") if isinstance(a, dict) else None
        if quote and seed is not None and numbers.squash(quote) not in seed:
            rep.add(None, f"ambiguities[{i}].quote", "引文在原文中找不到", "quote does not occur verbatim in the seed")


def _check_value(rep: _Report, eid, e: dict, units: dict) -> None:
    cmp_, value, unit, kind = e.get("comparison"), e.get("value"), e.get("unit"), e.get("kind")
    if kind not in KINDS:
        rep.add(eid, "kind", f"类别 {kind!r} 不在允许集合 {KINDS} 中", f"kind {kind!r} not in {KINDS}")
    if cmp_ not in COMPARISONS:
        rep.add(
            eid,
            "comparison",
            f"比较符 {cmp_!r} 不在允许集合 {COMPARISONS} 中",
            f"comparison {cmp_!r} not in {COMPARISONS}",
        )
        return
    if cmp_ == "in":
        if not (isinstance(value, list) and value and all(isinstance(x, str) and x for x in value)):
            rep.add(
                eid,
                "value",
                "“in” 的取值应为非空字符串列表",
                'value of an "in" entry must be a non-empty list of strings',
            )
        if unit is not None:
            rep.add(eid, "unit", "列表条目不应有单位", 'an "in" list takes no unit')
        return
    if cmp_ == "range":
        ok = isinstance(value, list) and len(value) == 2 and all(map(_is_number, value)) and value[0] <= value[1]
        if not ok:
            rep.add(eid, "value", "“range” 的取值应为 [下限, 上限] 两个数", "range value must be [lo, hi]")
    elif not _is_number(value):
        rep.add(
            eid,
            "value",
            f"比较符 {cmp_} 的取值应为数字，实为 {value!r}",
            f"comparison {cmp_} needs a number, got {value!r}",
        )
    if unit is None:
        rep.add(eid, "unit", '数值条目必须有单位（无量纲用 "1"）', 'numeric entries need a unit ("1" if none)')
    elif str(unit) not in units:
        rep.add(eid, "unit", f"单位 {unit!r} 不在 units.yaml 中", f"unit {unit!r} is not in units.yaml")


def _check_quote(rep: _Report, eid, e: dict, seed: str | None) -> None:
    quote = e.get("quote")
    if not isinstance(quote, str) or not numbers.squash(quote):
        rep.add(eid, "quote", "缺少引文（每个条目都必须注明出处）", "missing quote: every entry must be cited")
        return
    q = numbers.squash(quote)
    if len(q) > MAX_QUOTE:
        rep.add(
            eid,
            "quote",
            f"引文 {len(q)} 字，超过 {MAX_QUOTE} 字",
            f"quote is {len(q)} characters, more than {MAX_QUOTE}",
        )
    if seed is not None and q not in seed:
        rep.add(
            eid,
            "quote",
            "引文在原文中找不到（去除空白后逐字比对）",
            "quote does not occur verbatim in the seed (whitespace removed)",
        )
    value, unit = e.get("value"), e.get("unit")
    if e.get("comparison") == "in" and isinstance(value, list):
        for item in value:
            if isinstance(item, str) and numbers.squash(item) not in q:
                rep.add(eid, "value", f"列表项“{item}”不在引文中", f"list item {item!r} is not in the quote")
        return
    nums = value if isinstance(value, list) else [value]
    for v in nums:
        if _is_number(v) and not numbers.occurs(v, quote, unit):
            rep.add(eid, "value", f"数值 {v} 在引文中找不到", f"number {v} does not occur in the quote")
    cmp_ = e.get("comparison")
    if cmp_ in (">=", "<=", ">", "<", "=", "~"):
        allowed = wording.contradicts(cmp_, value, quote)
        if allowed:
            rep.add(
                eid,
                "comparison",
                f"比较符 {cmp_} 与引文措辞不符（措辞对应 {' 或 '.join(sorted(allowed))}）",
                f"comparison {cmp_} contradicts the quote's wording (which means {' or '.join(sorted(allowed))})",
            )


def _check_fields(rep: _Report, eid, e: dict, code: str) -> None:
    for k in e:
        if k not in ENTRY_FIELDS:
            rep.add(eid, k, "未知的条目字段", "unknown entry field")
    for k in REQUIRED_FIELDS:
        if e.get(k) is None or e.get(k) == "":
            rep.add(eid, k, "必填字段缺失", "required field is missing")
    if not ID_RE.match(str(eid)) or not str(eid).startswith(code + "."):
        rep.add(
            eid,
            "id",
            f"编号应以 {code}. 开头且只含 [a-z0-9_.-]",
            f"id must start with {code}. and use only [a-z0-9_.-]",
        )
    for fld in ("applies_to", "param"):
        v = e.get(fld)
        if v is not None and not (isinstance(v, str) and NAME_RE.match(v)):
            rep.add(eid, fld, "应为 snake_case 名称（可用点号限定）", "must be a snake_case name (dots allowed)")
    for fld in ("description_zh", "description_en"):
        if e.get(fld) is not None and not isinstance(e.get(fld), str):
            rep.add(eid, fld, "应为文本", "must be text")
    if e.get("jurisdiction") is not None and e["jurisdiction"] not in JURISDICTIONS:
        rep.add(eid, "jurisdiction", f"辖区应为 {JURISDICTIONS} 之一", f"must be one of {JURISDICTIONS}")
    for fld in ("effective", "until", "deadline"):
        _check_date(rep, eid, fld, e.get(fld))
    for fld in ("year", "base_year"):
        v = e.get(fld)
        if v is not None and not (isinstance(v, int) and not isinstance(v, bool) and 1900 <= v <= 2100):
            rep.add(eid, fld, "应为 1900–2100 之间的年份整数", "must be an integer year 1900–2100")
    if e.get("principle") is not None and not isinstance(e.get("principle"), bool):
        rep.add(eid, "principle", "应为 true 或 false", "must be true or false")
    try:
        eff, until = as_date(e.get("effective")), as_date(e.get("until"))
        if eff and until and until <= eff:
            rep.add(eid, "until", "失效日期应晚于生效日期", "until must be after effective")
    except (ValueError, TypeError):
        pass


def _check_links(rep: _Report, eid, e: dict, ids: set[str]) -> None:
    growth = e.get("growth")
    if growth is not None:
        if not isinstance(growth, dict) or set(growth) - {"from", "to"} or not growth.get("to"):
            rep.add(
                eid,
                "growth",
                "应为 {from: 条目编号, to: 条目编号}（from 可省略）",
                "must be {from: ENTRY_ID, to: ENTRY_ID} (from may be omitted)",
            )
        else:
            for end in ("from", "to"):
                if growth.get(end) is not None and growth[end] not in ids:
                    rep.add(
                        eid,
                        f"growth.{end}",
                        f"指向不存在的条目 {growth[end]}",
                        f"points at missing entry {growth[end]}",
                    )
            if not growth.get("from") and e.get("base_year") is None:
                rep.add(eid, "growth", "没有 from 时须给出 base_year", "base_year is required when from is omitted")
    for part in e.get("sum_of") or []:
        if part not in ids:
            rep.add(eid, "sum_of", f"指向不存在的条目 {part}", f"points at missing entry {part}")


def check(
    catalogue: Catalogue | None = None, directory: Path | None = None, units_file: Path = UNITS_FILE
) -> list[Problem]:
    """Every problem of a catalogue (the shipped one by default); empty means it passes."""
    if catalogue is None:
        catalogue = build(directory) if directory else build()
    units = load_units(units_file)
    seeds_dir = Path(catalogue.seeds_dir)
    seed_names = {p.name for p in seeds_dir.glob("*.txt")}
    seed_cache: dict[str, str] = {}
    problems = list(catalogue.problems)
    all_ids = Counter(
        str(e.get("id"))
        for _, data in catalogue.raw
        if isinstance(data, dict)
        for e in data.get("entries") or []
        if isinstance(e, dict)
    )
    ids = set(all_ids)
    for name, data in catalogue.raw:
        if not isinstance(data, dict):
            continue
        rep = _Report(name)
        _check_header(rep, data, seed_names)
        doc = data.get("doc")
        seed = None
        if doc in seed_names:
            seed = seed_cache.setdefault(doc, numbers.squash((seeds_dir / doc).read_text(encoding="utf-8")))
        _check_ambiguity_quotes(rep, data, seed)
        code = name[:3]
        for i, e in enumerate(data.get("entries") or []):
            if not isinstance(e, dict):
                rep.add(f"#{i + 1}", "entry", "条目应为映射", "entry must be a mapping")
                continue
            eid = e.get("id") or f"#{i + 1}"
            if all_ids[str(e.get("id"))] > 1:
                rep.add(
                    eid,
                    "id",
                    f"编号重复（共 {all_ids[str(e.get('id'))]} 次）",
                    f"duplicate id ({all_ids[str(e.get('id'))]} times)",
                )
            _check_fields(rep, eid, e, code)
            _check_value(rep, eid, e, units)
            _check_quote(rep, eid, e, seed)
            _check_links(rep, eid, e, ids)
        problems.extend(rep.items)
    problems.extend(_check_versions(catalogue))
    return _dedupe(problems)


def _check_versions(catalogue: Catalogue) -> list[Problem]:
    """Two versions of one param in one jurisdiction must not take effect on the same day,
    or lookup could not tell which applies."""
    seen: dict[tuple, str] = {}
    out = []
    for e in catalogue.entries:
        if not e.param:
            continue
        key = (e.param, e.jurisdiction, e.effective)
        if key in seen:
            out.append(
                Problem(
                    e.file,
                    e.id,
                    "param",
                    f"与 {seen[key]} 同一参数、同一辖区、同一生效日期，查询无法取舍",
                    f"same param, jurisdiction and effective date as {seen[key]}: lookup would be ambiguous",
                )
            )
        else:
            seen[key] = e.id
    return out


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
