"""Field specifications of the registry's writable records, and one cleaner for all of them.

The API, the portal forms, the importers, the admin and the CLI hand raw values (strings from a
form or CSV, JSON values from the API) to `clean`, which returns typed values or every problem at
once, each naming the field in Chinese and English.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from kuangzheng.errors import FieldProblem, unknown_field

from . import vocab
from .codes import credit_code_problem


@dataclass(frozen=True)
class F:
    name: str
    zh: str
    en: str
    type: str = "str"  # str | int | float | bool | date | choice | list | json | division | enterprise | zone | facility | geometry
    required: bool = False
    choices: tuple = ()
    max_length: int | None = None
    public: bool = True  # shown to anonymous visitors
    minimum: float | None = None
    maximum: float | None = None
    extra: dict = field(default_factory=dict)


def _choices(c):
    return tuple(code for code, _ in c)


ENTERPRISE = [
    F("name", "企业名称", "name", required=True, max_length=200),
    F("credit_code", "统一社会信用代码", "unified social credit code", max_length=18),
    F("division", "所在区划", "division", "division", required=True),
    F("ownership", "所有制类型", "ownership", "choice", choices=_choices(vocab.OWNERSHIP)),
    F("legal_representative", "法定代表人", "legal representative", max_length=64, public=False),
    F("address", "地址", "address", max_length=200, public=False),
]

FACILITY = [
    F("name", "名称", "name", required=True, max_length=200),
    F("name_en", "英文名称", "English name", max_length=200),
    F("kind", "类型", "kind", "choice", required=True, choices=_choices(vocab.FACILITY_KINDS)),
    F("division", "所在区划", "division", "division", required=True),
    F("enterprise", "企业", "enterprise", "enterprise"),
    F("metals", "金属/矿种", "metals", "list"),
    F("status", "状态", "status", "choice", choices=_choices(vocab.FACILITY_STATUS)),
    F("project_type", "项目类型", "project type", "choice", choices=_choices(vocab.PROJECT_TYPES)),
    F("lon", "经度", "longitude", "float", minimum=73, maximum=136),
    F("lat", "纬度", "latitude", "float", minimum=3, maximum=54),
    F("park", "所在园区", "industrial park", "zone"),
    F("process", "工艺", "process", max_length=200, public=False),
    F("capacity", "产能", "capacity", "float", minimum=0, public=False),
    F("capacity_unit", "产能单位", "capacity unit", "choice", choices=_choices(vocab.CAPACITY_UNITS), public=False),
    F(
        "single_series_capacity",
        "单系列产能(万吨/年)",
        "single-series capacity (10^4 t/a)",
        "float",
        minimum=0,
        public=False,
    ),
    F("daily_capacity", "处理能力(吨/日)", "daily capacity (t/d)", "float", minimum=0, public=False),
    F("cell_current_ka", "槽电流(kA)", "cell current (kA)", "float", minimum=0, maximum=1000, public=False),
    F(
        "ac_molten_kwh_t",
        "铝液电解交流电耗(kWh/t)",
        "AC consumption, molten aluminium (kWh/t)",
        "float",
        minimum=0,
        maximum=30000,
        public=False,
    ),
    F(
        "ac_ingot_kwh_t",
        "铝锭综合交流电耗(kWh/t)",
        "AC consumption, ingot (kWh/t)",
        "float",
        minimum=0,
        maximum=30000,
        public=False,
    ),
    F("current_efficiency_pct", "电流效率(%)", "current efficiency (%)", "float", minimum=0, maximum=100, public=False),
    F("capital_ratio_pct", "资本金比例(%)", "capital ratio (%)", "float", minimum=0, maximum=100, public=False),
    F(
        "self_supply_pct",
        "自给资源保障(%)",
        "self-supplied resources (%)",
        "float",
        minimum=0,
        maximum=100,
        public=False,
    ),
    F(
        "equipment_level",
        "装备工艺水平",
        "equipment level",
        "choice",
        choices=_choices(vocab.EQUIPMENT_LEVELS),
        public=False,
    ),
    F("mining_method", "开采方式", "mining method", "choice", choices=_choices(vocab.MINING_METHODS)),
    F("coal_rank", "煤种", "coal rank", max_length=24),
    F("commissioned", "投产年份", "year commissioned", "int", minimum=1900, maximum=2100),
    F("external_id", "外部编号", "external id", max_length=64),
    F("source_ids", "各来源编号", "ids in every source", "list"),
]

RIGHT = [
    F("licence_no", "许可证号", "licence number", required=True, max_length=40),
    F("kind", "类别", "kind", "choice", required=True, choices=_choices(vocab.RIGHT_KINDS)),
    F("name", "项目/矿山名称", "name", required=True, max_length=200),
    F("holder", "权利人", "holder", "enterprise", required=True),
    F("division", "所在区划", "division", "division", required=True),
    F("minerals", "矿种", "minerals", "list", required=True),
    F("valid_from", "有效期起", "valid from", "date", required=True),
    F("valid_to", "有效期止", "valid to", "date", required=True),
    F("obtained_by", "取得方式", "how obtained", "choice", required=True, choices=_choices(vocab.OBTAINED_BY)),
    F("designed_scale", "设计规模", "designed scale", "float", minimum=0, public=False),
    F("designed_scale_unit", "规模单位", "scale unit", "choice", choices=_choices(vocab.CAPACITY_UNITS), public=False),
    F("elevation_top", "开采标高上限(m)", "top elevation (m)", "float", minimum=-9000, maximum=9000, public=False),
    F(
        "elevation_bottom",
        "开采标高下限(m)",
        "bottom elevation (m)",
        "float",
        minimum=-9000,
        maximum=9000,
        public=False,
    ),
    F("facility", "对应矿山", "mine (facility)", "facility"),
    F("boundary", "边界", "boundary", "geometry"),
]

REFERENCES = ("division", "enterprise", "zone", "facility")  # field types that name another record

ZONE = [
    F("code", "编号", "code", required=True, max_length=64),
    F("name", "名称", "name", required=True, max_length=200),
    F("kind", "类型", "kind", "choice", required=True, choices=_choices(vocab.ZONE_KINDS)),
    F("division", "所在区划", "division", "division", required=True),
    F("minerals", "矿种", "minerals", "list"),
    F("plan", "所属规划", "plan", max_length=64),
    F("release_date", "投放时间", "release date", "date"),
    F("attrs", "其他属性", "other attributes", "json"),
    F("boundary", "边界", "boundary", "geometry"),
]

# Facts about a subject that the registry does not keep but a check may state (the what-if document's
# `context`, docs/check-input.md). The compliance engine reads them under these names; with the
# records above they are the one subject schema (compliance/core/schema.py derives its columns).
CONTEXT = [
    F("eia_approved", "已通过环境影响评估", "EIA passed", "bool"),
    F("environment_consent", "已征得环保部门同意", "environment department's consent", "bool"),
    F(
        "state_council_consent",
        "已经国务院授权的有关主管部门同意",
        "consent of a State Council-authorised department",
        "bool",
    ),
    F("planning_review_passed", "已通过规划论证与审查", "planning argument and review passed", "bool"),
    F("findings", "有找矿成果", "exploration findings", "bool"),
    F("in_designated_quarry_area", "位于集中开采区或备选开采区", "in a designated quarry area", "bool"),
    F("integrated_agreement", "依整装勘查协议持有", "held under an integrated-exploration agreement", "bool"),
    F("price_yuan", "出让价款(元)", "transfer price (yuan)", "float", minimum=0),
    F("mining_scale", "配套采矿规模(万吨/年)", "supplying mines' scale (10^4 t/a)", "float", minimum=0),
    F("furnace_t", "反射炉炉容(吨)", "reverberatory furnace size (t)", "float", minimum=0),
    F("idle_years", "未勘查年数", "years held without exploring", "float", minimum=0),
    F(
        "merger_capacity_before",
        "兼并重组前各方合计产能(万吨/年)",
        "merging parties' combined capacity before the merger (10^4 t/a)",
        "float",
        minimum=0,
    ),
]

EVENT = [
    F("kind", "变更事项", "event", "choice", required=True, choices=_choices(vocab.RIGHT_EVENTS)),
    F("date", "日期", "date", "date", required=True),
    F("reason", "事由", "reason", max_length=500, public=False),
    F("document_ref", "文号", "document reference", max_length=120),
]


def _missing(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or v == []


def _one(f: F, raw, resolve):
    """Clean one value: return (value, problem)."""
    if _missing(raw):
        if f.required:
            return None, FieldProblem(f.name, f"「{f.zh}」为必填项", f"'{f.en}' is required")
        return (
            [] if f.type == "list" else {} if f.type == "json" else "" if f.type in ("str", "choice") else None
        ), None
    try:
        if f.type == "str":
            v = str(raw).strip()
            if f.max_length and len(v) > f.max_length:
                return None, FieldProblem(
                    f.name,
                    f"「{f.zh}」不能超过{f.max_length}个字符",
                    f"'{f.en}' is longer than {f.max_length} characters",
                )
            return v, None
        if f.type in ("int", "float"):
            v = int(raw) if f.type == "int" else float(raw)
            if f.minimum is not None and v < f.minimum or f.maximum is not None and v > f.maximum:
                return None, FieldProblem(
                    f.name,
                    f"「{f.zh}」应在 {f.minimum} 到 {f.maximum} 之间，实为 {v}",
                    f"'{f.en}' must be between {f.minimum} and {f.maximum}, is {v}",
                )
            return v, None
        if f.type == "date":
            return (raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw).strip())), None
        if f.type == "bool":
            if isinstance(raw, bool):
                return raw, None
            return None, FieldProblem(f.name, f"「{f.zh}」应为 true 或 false", f"'{f.en}' must be true or false")
        if f.type == "choice":
            v = str(raw).strip()
            if v not in f.choices:
                return None, FieldProblem(
                    f.name,
                    f"「{f.zh}」的值「{v}」不在允许范围内（{'、'.join(f.choices)}）",
                    f"'{f.en}' value '{v}' is not one of {', '.join(f.choices)}",
                )
            return v, None
        if f.type == "list":
            items = raw if isinstance(raw, (list, tuple)) else str(raw).replace("，", ",").replace("、", ",").split(",")
            return [str(i).strip() for i in items if str(i).strip()], None
        if f.type == "json":
            return (raw if isinstance(raw, dict) else json.loads(raw)), None
        return resolve(f, raw)
    except (ValueError, TypeError) as exc:
        kind_zh = {"int": "整数", "float": "数值", "date": "日期（YYYY-MM-DD）", "json": "JSON 对象"}.get(
            f.type, f.type
        )
        return None, FieldProblem(
            f.name, f"「{f.zh}」应为{kind_zh}：{raw!r}", f"'{f.en}' must be a {f.type}: {raw!r} ({exc})"
        )


def clean(specs: list[F], data: dict, resolve, partial: bool = False) -> tuple[dict, list[FieldProblem]]:
    """Clean `data` against `specs`. With `partial`, only the keys present are cleaned (an update).
    `resolve(f, raw)` turns references (division, enterprise, zone, geometry) into objects."""
    known = {f.name for f in specs}
    problems = [unknown_field(k, k, known) for k in data if k not in known]
    out = {}
    for f in specs:
        if partial and f.name not in data:
            continue
        v, p = _one(f, data.get(f.name), resolve)
        if p:
            problems.append(p)
        else:
            out[f.name] = v
    return out, problems


def credit_code_check(value: str) -> FieldProblem | None:
    why = credit_code_problem(value)
    if why:
        return FieldProblem("credit_code", f"统一社会信用代码{why[0]}", f"unified social credit code {why[1]}")
    return None


def by_name(specs: list[F]) -> dict[str, F]:
    return {f.name: f for f in specs}


REPEATING = ("int", "float", "date", "choice", "list", "json", "division", "enterprise", "zone")


def clean_many(specs: list[F], rows: list[dict], resolve) -> list[tuple[dict, list[FieldProblem]]]:
    """`clean` over many rows: the same values and problems, computed a column at a time with each
    distinct raw value of a repeating kind (dates, choices, references, numbers) cleaned once."""
    known = {f.name for f in specs}
    out = [
        (
            {},
            []
            if data.keys() <= known  # the usual row: no unknown field, checked in one set operation
            else [FieldProblem(k, f"未知字段「{k}」", f"unknown field '{k}'") for k in data if k not in known],
        )
        for data in rows
    ]
    for f in specs:
        name, memo = f.name, {} if f.type in REPEATING else None
        for data, (values, problems) in zip(rows, out):
            raw = data.get(name)
            if memo is None:
                v, p = _one(f, raw, resolve)
            else:
                key = (type(raw), raw)  # 1, 1.0 and True are equal keys but not the same input
                try:
                    v, p = memo[key]
                except KeyError:
                    v, p = memo[key] = _one(f, raw, resolve)
                except TypeError:  # unhashable (a list or dict from JSON): clean it on its own
                    v, p = _one(f, raw, resolve)
            if p:
                problems.append(p)
            else:
                values[name] = list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v  # unshared
    return out
