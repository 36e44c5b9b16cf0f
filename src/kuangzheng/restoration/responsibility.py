"""The responsibility ledger (M49, M50, M52): geo-environment problems classified new or old, each
with its responsible party; old problems restored by government projects with their funding source
and mode. Each league/city keeps its ledger (staff see their division prefix); the region sees all."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kuangzheng.access.actor import Actor
from kuangzheng.audit import service as audit
from kuangzheng.errors import FieldProblem, InvalidInput, NotFound
from kuangzheng.registry import services as registry
from kuangzheng.supervision import enforcement

from . import config, scope
from .core import responsibility as rules
from .core.ledger import to_cents, yuan
from .models import GovernmentProject, Problem

REF_MAX = 80


def problems(actor: Actor):
    return scope.filter_division(actor, Problem.objects.all())


def get_problem(actor: Actor, pk) -> Problem:
    return scope.one(problems(actor), pk, "地质环境问题", "geo-environment problem")


def _date(raw, field, out):
    try:
        return dt.date.fromisoformat(str(raw))
    except (TypeError, ValueError):
        out.append(FieldProblem(field, "须为日期（YYYY-MM-DD）", "must be a date (YYYY-MM-DD)"))
        return None


def _number(raw, field, out, zh="面积", en="area"):
    if isinstance(raw, bool):
        raw = None
    try:
        v = float(raw)
    except (TypeError, ValueError):
        out.append(FieldProblem(field, f"{zh}须为数字", f"the {en} must be a number"))
        return None
    if v != v or v < 0 or v == float("inf"):
        out.append(FieldProblem(field, f"{zh}须为非负数", f"the {en} must be a non-negative number"))
        return None
    return v


def _str(data, field, zh, en, out, most=200, required=True) -> str:
    v = data.get(field)
    v = "" if v is None else v
    if not isinstance(v, str):
        out.append(FieldProblem(field, f"{zh}须为文本", f"{en} must be text"))
        return ""
    v = v.strip()
    if required and not v:
        out.append(FieldProblem(field, f"须填写{zh}", f"{en} is required"))
    elif len(v) > most:
        out.append(FieldProblem(field, f"{zh}不能超过 {most} 字", f"{en} is longer than {most} characters"))
    return v


def record_problem(actor: Actor, data: dict, *, generated: bool = False) -> Problem:
    """A problem found by a survey, an inspection or a report, classified new/old on the way in."""
    actor.require_staff()
    if not isinstance(data, dict):
        raise InvalidInput([FieldProblem("body", "须提交对象", "send an object")])
    out: list[FieldProblem] = []
    division = str(data.get("division") or "")
    right = None
    if data.get("right") not in (None, ""):
        try:
            right = registry.scoped(actor, "right").get(pk=int(data["right"]))
            division = division or right.division_id
        except (registry.entity("right").model.DoesNotExist, TypeError, ValueError):
            out.append(
                FieldProblem(
                    "right", "矿业权不存在或不在您的权限范围内", "mining right not found or outside your scope"
                )
            )
    if not registry.divisions().filter(code=division).exists():
        out.append(FieldProblem("division", "须给出有效的行政区划代码", "give a valid division code"))
    elif not actor.covers_division(division):
        out.append(FieldProblem("division", "该区划不在您的权限范围内", "the division is outside your scope"))
    site = _str(data, "site", "场地名称", "site", out)
    ptype = _str(data, "problem_type", "问题类型", "problem type", out, 64)
    party = _str(data, "responsible_party", "责任主体", "responsible party", out, required=False)
    area = _number(data.get("area_ha"), "area_ha", out)
    arose = _date(data.get("arose_on"), "arose_on", out)
    state = data.get("mine_state")
    if state not in rules.MINE_STATES:
        out.append(
            FieldProblem(
                "mine_state",
                f"矿山状态须为：{'、'.join(rules.MINE_STATES.values())}",
                f"mine_state must be one of {', '.join(rules.MINE_STATES)}",
            )
        )
    exists = data.get("party_exists")
    if not isinstance(exists, bool):
        out.append(
            FieldProblem(
                "party_exists", "须说明责任人是否存在（是/否）", "say whether the responsible party exists (true/false)"
            )
        )
    source = data.get("source", "survey")
    if source not in rules.SOURCES:
        out.append(
            FieldProblem(
                "source",
                f"来源须为：{'、'.join(rules.SOURCES.values())}",
                f"source must be one of {', '.join(rules.SOURCES)}",
            )
        )
    ref = _str(data, "source_ref", "来源记录", "source reference", out, REF_MAX, required=False)
    if source == "inspection" and not out:
        out += _inspection_ref(actor, ref)
    lon, lat = data.get("lon"), data.get("lat")
    if lon is not None or lat is not None:
        lon, lat = _number(lon, "lon", out, "经度", "longitude"), _number(lat, "lat", out, "纬度", "latitude")
        if lon is not None and lat is not None and not (73 <= lon <= 136 and 3 <= lat <= 54):
            out.append(FieldProblem("lon", "坐标不在中国范围内", "the point lies outside China"))
    if out:
        raise InvalidInput(out)
    if not party:
        party = right.holder.name if right and exists else "县级以上人民政府"
    cls, reason = rules.classify(arose, state, exists, config.effective_date())
    with transaction.atomic():
        p = Problem.objects.create(
            division_id=division,
            right=right,
            site=site,
            problem_type=ptype,
            area_ha=round(area, 4),
            arose_on=arose,
            mine_state=state,
            party_exists=exists,
            responsible_party=party if cls == "new" else (party if exists else "县级以上人民政府"),
            classification=cls,
            reason=reason,
            source=source,
            source_ref=ref,
            lon=lon,
            lat=lat,
            is_generated=generated,
            created_by=actor.username,
        )
        audit.record(actor, "create", "restoration_problem", p.pk, None, problem_dict(p))
    return p


def _inspection_ref(actor: Actor, ref: str | None) -> list[FieldProblem]:
    """A problem found by an inspection cites the supervision finding ("supervision.Finding:<id>"), which
    must exist and be in the caller's scope: the ledger never points at evidence nobody can open."""
    prefix = "supervision.Finding:"
    pk = ref[len(prefix) :] if ref and ref.startswith(prefix) else ""
    if pk.isdigit():
        try:
            enforcement.finding(actor, int(pk))
            return []
        except NotFound:
            pass
    return [
        FieldProblem(
            "source_ref",
            "督查发现的问题须引用本辖区的检查发现（supervision.Finding:编号）",
            "a problem found by inspection cites a finding in your scope (supervision.Finding:<id>)",
        )
    ]


def problem_dict(p: Problem) -> dict:
    zh, en = rules.REASONS[p.reason]
    return {
        "id": p.pk,
        "division": p.division_id,
        "right": p.right_id,
        "site": p.site,
        "problem_type": p.problem_type,
        "area_ha": p.area_ha,
        "restored_ha": p.restored_ha,
        "arose_on": p.arose_on.isoformat(),
        "mine_state": p.mine_state,
        "party_exists": p.party_exists,
        "responsible_party": p.responsible_party,
        "classification": p.classification,
        "classification_zh": "新问题（企业治理）" if p.classification == "new" else "老问题（政府治理）",
        "reason_zh": zh,
        "reason_en": en,
        "source": p.source,
        "source_ref": p.source_ref,
        "lon": p.lon,
        "lat": p.lat,
        "is_generated": p.is_generated,
        "projects": [x.pk for x in p.projects.all()] if p.pk else [],
    }


def create_project(actor: Actor, data: dict, *, generated: bool = False) -> GovernmentProject:
    """A government project restoring old problems (only old ones: new damage is the enterprise's)."""
    actor.require_staff()
    if not isinstance(data, dict):
        raise InvalidInput([FieldProblem("body", "须提交对象", "send an object")])
    out: list[FieldProblem] = []
    name = _str(data, "name", "项目名称", "name", out)
    funding = _str(data, "funding_source", "资金来源", "funding source", out)
    contractor = _str(data, "contractor", "治理单位", "contractor", out, required=False)
    mode = data.get("mode")
    if mode not in rules.FUNDING_MODES:
        out.append(
            FieldProblem(
                "mode",
                f"治理模式须为：{'、'.join(rules.FUNDING_MODES.values())}",
                f"mode must be one of {', '.join(rules.FUNDING_MODES)}",
            )
        )
    cents, cp = to_cents(data.get("budget", "0.01") or "0.01", "budget")
    if cp:
        out.append(FieldProblem(cp.field, cp.zh, cp.en))
    try:
        year = int(data.get("year"))
        assert 1949 <= year <= 2100
    except (TypeError, ValueError, AssertionError):
        out.append(FieldProblem("year", "须为年份", "must be a year"))
        year = None
    ids = data.get("problems")
    found = []
    if not isinstance(ids, list) or not ids:
        out.append(FieldProblem("problems", "须列出所治理的问题", "list the problems it restores"))
    else:
        for i in ids:
            try:
                p = get_problem(actor, i)
            except NotFound:
                out.append(
                    FieldProblem(
                        "problems",
                        f"问题 {i} 不存在或不在您的权限范围内",
                        f"problem {i} not found or outside your scope",
                    )
                )
                continue
            if p.classification != "old":
                out.append(
                    FieldProblem(
                        "problems",
                        f"问题 {i} 是新问题，应由矿山企业治理",
                        f"problem {i} is new: the enterprise restores it",
                    )
                )
            found.append(p)
    if out:
        raise InvalidInput(out)
    division = found[0].division_id
    with transaction.atomic():
        g = GovernmentProject.objects.create(
            division_id=division,
            name=name,
            funding_source=funding,
            mode=mode,
            budget_cents=cents,
            contractor=contractor,
            year=year,
            is_generated=generated,
            created_by=actor.username,
        )
        g.problems.set(found)
        audit.record(actor, "create", "restoration_project", g.pk, None, project_dict(g))
    return g


def projects(actor: Actor):
    return scope.filter_division(actor, GovernmentProject.objects.all())


def project_dict(g: GovernmentProject) -> dict:
    return {
        "id": g.pk,
        "division": g.division_id,
        "name": g.name,
        "funding_source": g.funding_source,
        "mode": g.mode,
        "mode_zh": rules.FUNDING_MODES[g.mode],
        "budget": str(yuan(g.budget_cents)),
        "contractor": g.contractor,
        "year": g.year,
        "problems": [p.pk for p in g.problems.all()],
        "is_generated": g.is_generated,
    }


def record_restored(actor: Actor, pk, restored_ha) -> Problem:
    """Staff record the area of a problem restored so far (never more than the problem's area)."""
    actor.require_staff()
    p = get_problem(actor, pk)
    out: list[FieldProblem] = []
    v = _number(restored_ha, "restored_ha", out)
    if v is not None and v > p.area_ha:
        out.append(
            FieldProblem(
                "restored_ha",
                f"治理面积不能超过问题面积 {p.area_ha} 公顷",
                f"cannot exceed the problem's {p.area_ha} ha",
            )
        )
    if out:
        raise InvalidInput(out)
    with transaction.atomic():
        before = problem_dict(p)
        Problem.objects.filter(pk=p.pk).update(restored_ha=round(v, 4))
        p.refresh_from_db()
        audit.record(actor, "restored", "restoration_problem", p.pk, before, problem_dict(p))
    return p
