"""What-if subjects: a facility, right or zone described in JSON that is not in the registry (an
application before it is filed). The format is documented in docs/check-input.md. The record's and
the context's fields are the subject schema's (`registry.core.specs`, through
`compliance.core.schema`), cleaned by the registry's one cleaner (`specs.clean`). Every problem is
reported at once, naming the field and the reason in Chinese and English; a field the format does not
have is refused with the nearest known name; nothing is stored."""

from __future__ import annotations

import datetime as dt
import re

import shapely

from kuangzheng.compliance.core import schema
from kuangzheng.errors import FieldProblem, InvalidInput, unknown_field
from kuangzheng.geo import GeoError, to_lonlat
from kuangzheng.geo import parse as parse_corners
from kuangzheng.geo.area import ellipsoidal_area_km2
from kuangzheng.registry import geometry
from kuangzheng.registry import services as registry
from kuangzheng.registry.core import projects, specs
from kuangzheng.registry.core.specs import F

SUBJECTS = ("facility", "right", "zone")
DOCUMENT = ("subject", "as_of", "record", "context", "tender")
LISTS = {"facility": "metals", "right": "minerals", "zone": "minerals"}
# Registry fields a what-if record does not take (who owns a planned facility is not a rule's fact).
LEFT_OUT = {"enterprise", "external_id", "boundary"}
# What a what-if record takes besides its registry fields.
RECORD_EXTRAS = {
    "facility": [],
    "right": [],
    "zone": [F("area_km2", "面积(km²)", "area (km²)", "float", minimum=0)],
}
DEFAULT_CAPACITY_UNIT = "10^4 t/a"  # of a what-if capacity or designed scale given without its unit
GEOMETRY = ("boundary", "corner_points")  # rights and zones: one or the other
REPLACEMENT_PLAN = [
    F("retired_capacity", "置换退出产能(万吨/年)", "retired capacity (10^4 t/a)", "float", minimum=0),
    F("sources", "退出产能来源", "retired lines", "list"),  # kept for the reader; no rule reads it
]
AGREEMENT_CASES = (
    "state_council_project",
    "region_large_medium",
    "crisis_mine_replacement",
    "mining_right_expansion",
    "exploration_right_expansion",
)
AGREEMENT = ("case", "has_deep_processing", "original_licence_no", "original_boundary", "original_corner_points")
DIVISION_CODE = re.compile(r"\d{6}")


def record_specs(subject: str) -> list[F]:
    """The fields a what-if record of `subject` may have (docs/check-input.md)."""
    return [f for f in schema.fields(subject) if f.name not in LEFT_OUT] + RECORD_EXTRAS[subject]


def record_fields(subject: str) -> tuple[str, ...]:
    return (*(f.name for f in record_specs(subject)), *(GEOMETRY if subject != "facility" else ()))


CONTEXT_FIELDS = (*(f.name for f in specs.CONTEXT), "replacement_plan", "agreement")


class _Problems(list):
    def add(self, field, zh, en):
        self.append(FieldProblem(field, zh, en))

    def refuse_unknown(self, data: dict, known, prefix: str) -> None:
        """Each field not in `known` is a problem naming it and the nearest known name: a misspelt field
        would otherwise be ignored, and the rules that need it would silently not apply."""
        self.extend(unknown_field(f"{prefix}{key}", key, known) for key in data if key not in known)

    def clean(self, fields: list[F], data: dict, prefix: str) -> dict:
        """The given fields of `data`, cleaned by the registry's cleaner; problems named under `prefix`."""
        known = {f.name for f in fields}
        values, problems = specs.clean(fields, {k: v for k, v in data.items() if k in known}, _resolve, partial=True)
        self.extend(FieldProblem(f"{prefix}{p.field}", p.zh, p.en) for p in problems)
        return values


def _resolve(f: F, raw):
    """References in a what-if record: a division code (need not be in the registry), an enterprise id
    (the holder, whose own rights are no conflict), an industrial park by its code."""
    if f.type == "division":
        if isinstance(raw, str) and DIVISION_CODE.fullmatch(raw):
            return raw, None
        return None, _bad_division(f.name)
    if f.type == "enterprise":
        if str(raw).isdigit():
            return int(raw), None
        return None, FieldProblem(f.name, "应为登记簿中的企业编号（整数）", "must be an enterprise id (an integer)")
    if f.type == "zone":
        found = registry.industrial_park_id(str(raw))
        if found is None:
            return None, FieldProblem(f.name, f"没有编号为 {raw} 的工业园区", f"no industrial park with code {raw}")
        return found, None
    raise ValueError(f"a what-if record has no {f.type} field")


def _bad_division(field: str) -> FieldProblem:
    return FieldProblem(
        field, "应为6位行政区划代码（GB/T 2260），如 150200", "must be a 6-digit GB/T 2260 division code, e.g. 150200"
    )


def _date(v, field, probs) -> dt.date | None:
    if v in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        probs.add(field, f"日期格式应为 YYYY-MM-DD，实为 {v!r}", f"a date must be YYYY-MM-DD, not {v!r}")
        return None


def _boundary(rec: dict, field: str, probs):
    """GeoJSON / WKT in lon/lat under `boundary`, or corner-point text under `corner_points`."""
    if rec.get("corner_points"):
        try:
            geom = to_lonlat(parse_corners(str(rec["corner_points"])))
        except GeoError as exc:
            probs.add(f"{field}.corner_points", f"拐点坐标无法解析：{exc}", f"the corner points cannot be read: {exc}")
            return None
        except Exception as exc:  # the parser raises several types for malformed text
            probs.add(f"{field}.corner_points", f"拐点坐标无法解析：{exc}", f"the corner points cannot be read: {exc}")
            return None
        return geom
    geom, problem = geometry.parse(rec.get("boundary"), f"{field}.boundary")
    if problem:
        probs.append(problem)
    return geom


def parse(data, as_of: dt.date | None = None) -> dict:
    """Validate a what-if document. Returns {subject, as_of, record, geometry, tender}; raises InvalidInput."""
    probs = _Problems()
    if not isinstance(data, dict):
        raise InvalidInput([FieldProblem("(document)", "应为 JSON 对象", "must be a JSON object")])
    subject = data.get("subject")
    if subject not in SUBJECTS:
        probs.add("subject", f"应为 {'、'.join(SUBJECTS)} 之一", f"must be one of {', '.join(SUBJECTS)}")
        raise InvalidInput(probs)
    raw = data.get("record")
    if not isinstance(raw, dict):
        probs.add(
            "record", "缺少 record 对象（被审查对象的属性）", "the record object (the subject's attributes) is missing"
        )
        raise InvalidInput(probs)
    ctx = data.get("context") or {}
    if not isinstance(ctx, dict):
        probs.add("context", "应为 JSON 对象", "must be a JSON object")
        ctx = {}
    probs.refuse_unknown(data, DOCUMENT, "")
    probs.refuse_unknown(raw, record_fields(subject), "record.")
    probs.refuse_unknown(ctx, CONTEXT_FIELDS, "context.")
    when = as_of or _date(data.get("as_of"), "as_of", probs) or dt.date.today()
    fields = record_specs(subject)
    values = probs.clean(fields, raw, "record.")
    if "division" not in raw:
        probs.append(_bad_division("record.division"))
    rec: dict = {"id": -1, "division": values.get("division")}
    for f in fields:  # every field of the subject is a column: absent ones are missing data
        v = values.get(f.name)
        if f.type in ("float", "int", "date", "bool"):
            rec[f.name] = v
        elif f.type in ("str", "choice"):
            if v or f.type == "str":
                rec[f.name] = v or ""
    if raw.get("kind") in (None, ""):
        probs.add("record.kind", "缺少类型", "the kind is missing")
    rec[LISTS[subject]] = values.get(LISTS[subject]) or []
    geom = None
    if subject == "facility":
        # not in the registry: planned unless stated; the project type as the registry derives it
        rec["status"] = rec.get("status") or "planned"
        rec["project_type"] = projects.project_type_of(rec.get("project_type", ""), rec["status"])
        if (rec["lon"] is None) != (rec["lat"] is None):
            probs.add("record.lon", "经度和纬度须同时给出", "longitude and latitude must be given together")
        rec["park_id"] = values.get("park")
    else:
        geom = _boundary(raw, "record", probs)
        if geom is not None:
            rec["boundary"] = shapely.to_wkb(geom)
            rec["area_km2"] = round(float(ellipsoidal_area_km2(geom)), 4)
    if subject == "right":
        rec["status"] = rec.get("status") or "applied"
        rec["holder_id"] = values.get("holder") or 0
        rec["valid_from"] = rec["valid_from"] or when
        rec["capacity"], rec["capacity_unit"] = rec.pop("designed_scale"), rec.pop("designed_scale_unit", "")
        rec["mining_method"] = rec.get("mining_method", "")
    if rec.get("capacity") is not None and not rec.get("capacity_unit"):
        rec["capacity_unit"] = DEFAULT_CAPACITY_UNIT  # documented: a bare capacity is in 10^4 t/a
    rec.update(dict.fromkeys(f.name for f in specs.CONTEXT))  # unknown unless stated
    rec.update(probs.clean(specs.CONTEXT, ctx, "context."))
    plan = ctx.get("replacement_plan")
    if plan is not None:
        if not isinstance(plan, dict):
            probs.add("context.replacement_plan", "应为 JSON 对象", "must be a JSON object")
        else:
            probs.refuse_unknown(plan, [f.name for f in REPLACEMENT_PLAN], "context.replacement_plan.")
            rec["replacement_retired"] = probs.clean(REPLACEMENT_PLAN, plan, "context.replacement_plan.").get(
                "retired_capacity"
            )
    agreement = ctx.get("agreement")
    if agreement is not None:
        _agreement(agreement, rec, geom, probs)
    if probs:
        raise InvalidInput(probs)
    return {"subject": subject, "as_of": when, "record": rec, "geometry": geom, "tender": data.get("tender")}


def _agreement(a, rec: dict, geom, probs) -> None:
    if not isinstance(a, dict):
        probs.add("context.agreement", "应为 JSON 对象", "must be a JSON object")
        return
    probs.refuse_unknown(a, AGREEMENT, "context.agreement.")
    case = a.get("case")
    if case not in AGREEMENT_CASES:
        probs.add(
            "context.agreement.case",
            f"应为 {', '.join(AGREEMENT_CASES)} 之一（五种准许情形）",
            f"must be one of {', '.join(AGREEMENT_CASES)} (the five admissible cases)",
        )
    rec["agreement_case"] = case or ""
    rec["obtained_by"] = "agreement"
    deep = F("has_deep_processing", "申请人有深加工项目", "the applicant has a deep-processing project", "bool")
    rec["has_deep_processing"] = probs.clean([deep], a, "context.agreement.").get("has_deep_processing")
    if case not in ("mining_right_expansion", "exploration_right_expansion"):
        return
    original = None
    if a.get("original_licence_no"):
        found = registry.right_boundary(str(a["original_licence_no"]))
        if found is None:
            probs.add(
                "context.agreement.original_licence_no",
                "没有该许可证号的矿业权或其无边界",
                "no right with this licence number, or it has no boundary",
            )
        else:
            original = geometry.load(found)
    elif a.get("original_boundary") or a.get("original_corner_points"):
        original = _boundary(
            {"boundary": a.get("original_boundary"), "corner_points": a.get("original_corner_points")},
            "context.agreement.original",
            probs,
        )
    else:
        probs.add(
            "context.agreement.original_licence_no",
            "扩大范围须给出原矿业权（许可证号或边界）",
            "an expansion needs the original right (licence number or boundary)",
        )
    if original is None or geom is None:
        return
    added = shapely.difference(geom, original)
    rec["added_km2"] = float(ellipsoidal_area_km2(added))  # not rounded: exactly one third must stay allowed
    rec["original_km2"] = float(ellipsoidal_area_km2(original))
    rec["adjacent"] = bool(shapely.intersects(geom, original))


# What a field takes, for the reader of the field reference (the portal's help page).
TYPE_WORDS = {
    "str": ("文本", "text"),
    "float": ("数值", "number"),
    "int": ("整数", "integer"),
    "bool": ("true / false", "true / false"),
    "date": ("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
    "list": ("名称列表", "list of names"),
    "json": ("JSON 对象", "JSON object"),
    "division": ("6位行政区划代码", "6-digit division code"),
    "enterprise": ("登记簿企业编号", "enterprise id in the registry"),
    "zone": ("工业园区编号", "industrial-park code"),
}


def _row(f: F) -> dict:
    zh, en = TYPE_WORDS.get(f.type, ("", ""))
    if f.choices:
        zh = en = " | ".join(f.choices)
    limits = ""
    if f.minimum is not None or f.maximum is not None:
        limits = f"{'' if f.minimum is None else f.minimum} – {'' if f.maximum is None else f.maximum}"
    return {"name": f.name, "zh": f.zh, "en": f.en, "takes_zh": zh, "takes_en": en, "limits": limits}


def field_reference() -> dict:
    """Every field a what-if document takes, by part, as the parser reads it (the help page)."""
    geometry = [
        {
            "name": "boundary",
            "zh": "边界",
            "en": "boundary",
            "takes_zh": "GeoJSON（几何、Feature，或仅含一个要素的 FeatureCollection）或 WKT，经度在前，CGCS2000",
            "takes_en": "GeoJSON (geometry, Feature, or FeatureCollection of one feature) or WKT, longitude first, CGCS2000",
            "limits": "",
        },
        {
            "name": "corner_points",
            "zh": "拐点坐标",
            "en": "corner points",
            "takes_zh": "拐点坐标文本（与 kz geo 相同的格式）",
            "takes_en": "corner-point text (as kz geo reads it)",
            "limits": "",
        },
    ]
    parts = {s: [_row(f) for f in record_specs(s)] + (geometry if s != "facility" else []) for s in SUBJECTS}
    context = [_row(f) for f in specs.CONTEXT]
    context += [_row(F(f"replacement_plan.{f.name}", f.zh, f.en, f.type)) for f in REPLACEMENT_PLAN]
    context.append(_row(F("agreement.case", "协议出让情形", "agreement case", "choice", choices=AGREEMENT_CASES)))
    context += [
        _row(F(f"agreement.{name}", zh, en, typ))
        for name, zh, en, typ in (
            ("has_deep_processing", "申请人有深加工项目", "the applicant has a deep-processing project", "bool"),
            ("original_licence_no", "原矿业权许可证号", "licence number of the original right", "str"),
            ("original_boundary", "原矿业权边界", "boundary of the original right", "str"),
            ("original_corner_points", "原矿业权拐点坐标", "corner points of the original right", "str"),
        )
    ]
    return {"record": parts, "context": context}
