"""What-if subjects: a facility, right or zone described in JSON that is not in the registry (an
application before it is filed). The format is documented in docs/check-input.md. Every problem is
reported at once, naming the field and the reason in Chinese and English; nothing is stored."""

from __future__ import annotations

import datetime as dt
import re

import shapely

from kuangzheng.errors import FieldProblem, InvalidInput, unknown_field
from kuangzheng.geo import GeoError, to_lonlat
from kuangzheng.geo import parse as parse_corners
from kuangzheng.geo.area import ellipsoidal_area_km2
from kuangzheng.registry import geometry
from kuangzheng.registry.core import vocab
from kuangzheng.registry.models import MineralRight, Zone

SUBJECTS = ("facility", "right", "zone")
NUMBERS = {
    "facility": (
        "capacity",
        "single_series_capacity",
        "daily_capacity",
        "cell_current_ka",
        "ac_molten_kwh_t",
        "ac_ingot_kwh_t",
        "current_efficiency_pct",
        "capital_ratio_pct",
        "self_supply_pct",
        "lon",
        "lat",
        "commissioned",
    ),
    "right": ("designed_scale", "elevation_top", "elevation_bottom"),
    "zone": ("area_km2",),
}
TEXTS = {
    "facility": ("name", "process", "coal_rank"),
    "right": ("name", "licence_no", "coal_rank"),
    "zone": ("name", "code"),
}
CHOICES = {
    "facility": {
        "kind": vocab.FACILITY_KINDS,
        "project_type": vocab.PROJECT_TYPES,
        "equipment_level": vocab.EQUIPMENT_LEVELS,
        "mining_method": vocab.MINING_METHODS,
        "capacity_unit": vocab.CAPACITY_UNITS,
        "status": vocab.FACILITY_STATUS,
    },
    "right": {
        "kind": vocab.RIGHT_KINDS,
        "obtained_by": vocab.OBTAINED_BY,
        "mining_method": vocab.MINING_METHODS,
        "designed_scale_unit": vocab.CAPACITY_UNITS,
        "status": vocab.RIGHT_STATES,
    },
    "zone": {"kind": vocab.ZONE_KINDS},
}
CONTEXT_FLAGS = (
    "eia_approved",
    "environment_consent",
    "state_council_consent",
    "planning_review_passed",
    "findings",
    "in_designated_quarry_area",
    "integrated_agreement",
)
CONTEXT_NUMBERS = ("price_yuan", "mining_scale", "furnace_t", "idle_years")
AGREEMENT_CASES = (
    "state_council_project",
    "region_large_medium",
    "crisis_mine_replacement",
    "mining_right_expansion",
    "exploration_right_expansion",
)


DOCUMENT = ("subject", "as_of", "record", "context", "tender")
LISTS = {"facility": "metals", "right": "minerals", "zone": "minerals"}
RECORD_EXTRAS = {
    "facility": ("park",),
    "right": ("boundary", "corner_points", "holder", "valid_from", "valid_to", "first_transfer"),
    "zone": ("boundary", "corner_points", "release_date"),
}
REPLACEMENT_PLAN = ("retired_capacity", "sources")  # sources: the retired lines, kept for the reader
AGREEMENT = ("case", "has_deep_processing", "original_licence_no", "original_boundary", "original_corner_points")


def record_fields(subject: str) -> tuple[str, ...]:
    """The fields a what-if record of `subject` may have (docs/check-input.md)."""
    return (
        "division",
        LISTS[subject],
        *NUMBERS[subject],
        *TEXTS[subject],
        *CHOICES[subject],
        *RECORD_EXTRAS[subject],
    )


CONTEXT_FIELDS = (*CONTEXT_FLAGS, *CONTEXT_NUMBERS, "replacement_plan", "agreement")


def _refuse_unknown(data: dict, known, prefix: str, probs) -> None:
    """Each field not in `known` is a problem naming it and the nearest known name: a misspelt field
    would otherwise be ignored, and the rules that need it would silently not apply."""
    for key in data:
        if key not in known:
            probs.append(unknown_field(f"{prefix}{key}", key, known))


class _Problems(list):
    def add(self, field, zh, en):
        self.append(FieldProblem(field, zh, en))


def _date(v, field, probs) -> dt.date | None:
    if v in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        probs.add(field, f"日期格式应为 YYYY-MM-DD，实为 {v!r}", f"a date must be YYYY-MM-DD, not {v!r}")
        return None


def _number(v, field, probs, minimum=0.0):
    if v in (None, ""):
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        probs.add(field, "应为数字", "must be a number")
        return None
    try:
        x = float(v)
    except ValueError:
        probs.add(field, f"应为数字，实为 {v!r}", f"must be a number, not {v!r}")
        return None
    if minimum is not None and x < minimum:
        probs.add(field, f"不能小于 {minimum:g}", f"must not be less than {minimum:g}")
        return None
    return x


def _flag(v, field, probs):
    if v is None:
        return None
    if not isinstance(v, bool):
        probs.add(field, "应为 true 或 false", "must be true or false")
        return None
    return v


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


def _division(v, field, probs):
    if not (isinstance(v, str) and re.fullmatch(r"\d{6}", v)):
        probs.add(
            field,
            "应为6位行政区划代码（GB/T 2260），如 150200",
            "must be a 6-digit GB/T 2260 division code, e.g. 150200",
        )
        return None
    return v


def parse(data, as_of: dt.date | None = None) -> dict:
    """Validate a what-if document. Returns {subject, as_of, record, geometry, context}; raises InvalidInput."""
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
    _refuse_unknown(data, DOCUMENT, "", probs)
    _refuse_unknown(raw, record_fields(subject), "record.", probs)
    _refuse_unknown(ctx, CONTEXT_FIELDS, "context.", probs)
    for name, known in (("replacement_plan", REPLACEMENT_PLAN), ("agreement", AGREEMENT)):
        if isinstance(ctx.get(name), dict):
            _refuse_unknown(ctx[name], known, f"context.{name}.", probs)
    when = as_of or _date(data.get("as_of"), "as_of", probs) or dt.date.today()
    rec: dict = {"id": -1, "division": _division(raw.get("division"), "record.division", probs)}
    for name in NUMBERS[subject]:
        minimum = None if name in ("lon", "lat", "elevation_top", "elevation_bottom") else 0.0
        rec[name] = _number(raw.get(name), f"record.{name}", probs, minimum)
    for name in TEXTS[subject]:
        rec[name] = str(raw.get(name) or "")
    for name, choices in CHOICES[subject].items():
        v = raw.get(name)
        if v in (None, ""):
            continue
        if v not in dict(choices):
            probs.add(
                f"record.{name}",
                f"取值 {v!r} 无效，应为 {', '.join(dict(choices))} 之一",
                f"{v!r} is not valid; use one of {', '.join(dict(choices))}",
            )
        else:
            rec[name] = v
    if "kind" not in rec:
        probs.add("record.kind", "缺少类型", "the kind is missing")
    lists = raw.get("metals" if subject == "facility" else "minerals")
    if lists is not None and not (isinstance(lists, list) and all(isinstance(x, str) for x in lists)):
        probs.add(
            f"record.{'metals' if subject == 'facility' else 'minerals'}", "应为字符串列表", "must be a list of strings"
        )
        lists = []
    rec["metals" if subject == "facility" else "minerals"] = lists or []
    geom = None
    if subject == "facility":
        rec.setdefault("project_type", "new")
        if (rec["lon"] is None) != (rec["lat"] is None):
            probs.add("record.lon", "经度和纬度须同时给出", "longitude and latitude must be given together")
        park = raw.get("park")
        rec["park_id"] = None
        if park:
            z = Zone.objects.filter(code=str(park), kind="industrial_park").first()
            if z is None:
                probs.add("record.park", f"没有编号为 {park} 的工业园区", f"no industrial park with code {park}")
            else:
                rec["park_id"] = z.pk
        if rec.get("commissioned") is not None:
            rec["commissioned"] = int(rec["commissioned"])
    else:
        geom = _boundary(raw, "record", probs)
        if geom is not None:
            rec["boundary"] = shapely.to_wkb(geom)
            rec["area_km2"] = round(float(ellipsoidal_area_km2(geom)), 4)
    if subject == "right":
        rec["status"] = rec.get("status") or "applied"
        rec["holder_id"] = int(raw["holder"]) if str(raw.get("holder", "")).isdigit() else 0
        rec["valid_from"] = _date(raw.get("valid_from"), "record.valid_from", probs) or when
        rec["valid_to"] = _date(raw.get("valid_to"), "record.valid_to", probs)
        rec["capacity"], rec["capacity_unit"] = rec.pop("designed_scale"), rec.pop("designed_scale_unit", "")
        rec["mining_method"] = rec.get("mining_method", "")
        rec["first_transfer"] = _date(raw.get("first_transfer"), "record.first_transfer", probs)
    if subject == "zone":
        rec["release_date"] = _date(raw.get("release_date"), "record.release_date", probs)
    for name in CONTEXT_FLAGS:
        rec[name] = _flag(ctx.get(name), f"context.{name}", probs)
    for name in CONTEXT_NUMBERS:
        rec[name] = _number(ctx.get(name), f"context.{name}", probs)
    plan = ctx.get("replacement_plan")
    if plan is not None:
        if not isinstance(plan, dict):
            probs.add("context.replacement_plan", "应为 JSON 对象", "must be a JSON object")
        else:
            rec["replacement_retired"] = _number(
                plan.get("retired_capacity"), "context.replacement_plan.retired_capacity", probs
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
    case = a.get("case")
    if case not in AGREEMENT_CASES:
        probs.add(
            "context.agreement.case",
            f"应为 {', '.join(AGREEMENT_CASES)} 之一（五种准许情形）",
            f"must be one of {', '.join(AGREEMENT_CASES)} (the five admissible cases)",
        )
    rec["agreement_case"] = case or ""
    rec["obtained_by"] = "agreement"
    rec["has_deep_processing"] = _flag(a.get("has_deep_processing"), "context.agreement.has_deep_processing", probs)
    if case not in ("mining_right_expansion", "exploration_right_expansion"):
        return
    original = None
    if a.get("original_licence_no"):
        r = MineralRight.objects.filter(licence_no=str(a["original_licence_no"])).first()
        if r is None or not r.boundary:
            probs.add(
                "context.agreement.original_licence_no",
                "没有该许可证号的矿业权或其无边界",
                "no right with this licence number, or it has no boundary",
            )
        else:
            original = geometry.load(r.boundary)
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
