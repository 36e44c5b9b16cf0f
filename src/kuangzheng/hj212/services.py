"""The one way in for monitoring points, limits and their data. Scopes: admins see every point;
regulators the points in their divisions; an enterprise its own points, and the public points of
others; the public only points marked public. Points outside scope answer 404. Writes are staff
only, validated (every problem at once, zh + en), written in one transaction with an audit entry."""

from __future__ import annotations

import datetime as dt
import math
import re

from django.db import close_old_connections, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from kuangzheng.access.actor import Actor
from kuangzheng.audit import service as audit
from kuangzheng.errors import FieldProblem, InvalidInput, NotFound, StaleVersion
from kuangzheng.registry import services as registry

from . import alarms as alarm_rules
from . import ingest
from .core import codes
from .models import Alarm, Measurement, MonitoringPoint, PollutantLimit

RTD_INTERVAL = (30, 3600)  # HJ 212-2017: RtdInterval 30-3600 s
MIN_SILENCE = 5


def scoped(actor: Actor) -> QuerySet:
    qs = MonitoringPoint.objects.all()
    if actor.is_admin:
        return qs
    if actor.is_regulator:
        return qs.filter(division_code__startswith=actor.scope_prefix)
    if actor.is_enterprise and actor.enterprise_id is not None:
        return qs.filter(Q(enterprise_id=actor.enterprise_id) | Q(is_public=True))
    return qs.filter(is_public=True)


def sees_full(actor: Actor, p: MonitoringPoint) -> bool:
    if actor.is_admin:
        return True
    if actor.is_regulator:
        return actor.covers_division(p.division_code)
    return actor.is_enterprise and actor.enterprise_id is not None and p.enterprise_id == actor.enterprise_id


def get(actor: Actor, pk) -> MonitoringPoint:
    try:
        return scoped(actor).get(pk=pk)
    except (MonitoringPoint.DoesNotExist, ValueError, TypeError):
        raise NotFound("监测点", "monitoring point") from None


def _staff_point(actor: Actor, pk) -> MonitoringPoint:
    actor.require_staff()
    return get(actor, pk)


# ---------------------------------------------------------------- registering points and limits


def _clean_point(data: dict, current: MonitoringPoint | None = None) -> tuple[dict, list[FieldProblem]]:
    p: list[FieldProblem] = []
    v: dict = {}
    mn = str(data.get("mn", current.mn if current else "")).strip().upper()
    if not re.fullmatch(r"[0-9A-F]{24}", mn):
        p.append(FieldProblem("mn", "须为 24 位十六进制字符", "must be 24 hexadecimal characters"))
    elif MonitoringPoint.objects.filter(mn=mn).exclude(pk=current.pk if current else None).exists():
        p.append(FieldProblem("mn", "已被其他监测点使用", "is used by another monitoring point"))
    v["mn"] = mn
    pw = str(data.get("password", current.password if current else "")).strip()
    if not re.fullmatch(r"[0-9A-Za-z]{1,6}", pw):
        p.append(FieldProblem("password", "须为 1–6 位字母或数字", "must be 1-6 letters or digits"))
    v["password"] = pw
    v["name"] = str(data.get("name", current.name if current else "")).strip()[:100]
    if not v["name"]:
        p.append(FieldProblem("name", "必填", "is required"))
    v["medium"] = data.get("medium", current.medium if current else "")
    if v["medium"] not in ("air", "water"):
        p.append(FieldProblem("medium", "须为 air（废气）或 water（废水）", "must be air or water"))
    ints = {"rtd_interval": current.rtd_interval if current else 30}
    for key, default in ints.items():
        try:
            v[key] = int(data.get(key, default))
        except (TypeError, ValueError):
            p.append(FieldProblem(key, "须为整数（秒）", "must be a whole number of seconds"))
            v[key] = default
    lo, hi = RTD_INTERVAL
    if not lo <= v["rtd_interval"] <= hi:
        p.append(
            FieldProblem("rtd_interval", f"须在 {lo}–{hi} 秒之间（HJ 212-2017）", f"must be {lo}-{hi} s (HJ 212-2017)")
        )
    try:
        v["silence_allowed"] = int(
            data.get("silence_allowed", current.silence_allowed if current else 3 * v["rtd_interval"])
        )
        if v["silence_allowed"] < MIN_SILENCE:
            raise ValueError
    except (TypeError, ValueError):
        p.append(
            FieldProblem("silence_allowed", f"须为不小于 {MIN_SILENCE} 的秒数", f"must be at least {MIN_SILENCE} s")
        )
    for key, lo, hi, zh in (
        ("reference_o2", 0, 20.99, "基准氧含量须在 0–21% 之间"),
        ("capture_threshold", 0, 1, "须在 0–1 之间"),
    ):
        raw = data.get(key, getattr(current, key) if current else None)
        if raw in (None, ""):
            v[key] = None
            continue
        try:
            v[key] = float(raw)
            if not (math.isfinite(v[key]) and lo <= v[key] <= hi):
                raise ValueError
        except (TypeError, ValueError):
            p.append(FieldProblem(key, zh, f"must be a number from {lo} to {hi}"))
    if v.get("reference_o2") is not None and v["medium"] != "air":
        p.append(FieldProblem("reference_o2", "仅废气监测点有基准氧含量", "only flue-gas points have a reference O₂"))
    v["capture_source"] = str(data.get("capture_source", current.capture_source if current else "")).strip()[:300]
    if v.get("capture_threshold") is not None and not v["capture_source"]:
        p.append(
            FieldProblem("capture_source", "设定捕获率下限须注明依据", "a capture-rate threshold needs its source")
        )
    v["is_public"] = bool(data.get("is_public", current.is_public if current else True))
    return v, p


def register_point(actor: Actor, data: dict, generated: bool = False, source: str = "") -> MonitoringPoint:
    """A monitoring point on a facility the actor may see in full (staff in scope)."""
    actor.require_staff()
    problems = []
    facility = None
    try:
        facility = registry.get(actor, "facility", data.get("facility"))
        if not registry.sees_full(actor, "facility", facility):
            raise NotFound("设施", "facility")
    except NotFound:
        problems.append(
            FieldProblem("facility", "不存在或不在您的管辖范围内", "does not exist or is outside your scope")
        )
    values, more = _clean_point(data)
    problems += more
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        point = MonitoringPoint.objects.create(
            facility_id=facility.pk,
            division_code=facility.division_id,
            enterprise_id=facility.enterprise_id,
            is_generated=generated,
            source=source[:200],
            **values,
        )
        audit.record(actor, "create", "hj212_point", point.pk, None, snapshot(point))
    return point


def update_point(actor: Actor, pk, data: dict, version) -> MonitoringPoint:
    point = _staff_point(actor, pk)
    values, problems = _clean_point(data, point)
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        before = snapshot(point)
        n = MonitoringPoint.objects.filter(pk=point.pk, version=version).update(**values, version=point.version + 1)
        if not n:
            raise StaleVersion("监测点", "monitoring point")
        point.refresh_from_db()
        audit.record(actor, "update", "hj212_point", point.pk, before, snapshot(point))
    return point


def set_limit(actor: Actor, point_pk, data: dict) -> PollutantLimit:
    """The limit of one pollutant at one point, with its source (permit or the standard it names)."""
    point = _staff_point(actor, point_pk)
    problems = []
    code = str(data.get("code", "")).strip()
    pollutant = codes.get(code)
    if pollutant is None:
        problems.append(FieldProblem("code", "不是 HJ 212-2017 污染物编码", "is not an HJ 212-2017 pollutant code"))
    elif pollutant.medium != point.medium:
        problems.append(FieldProblem("code", "与监测点介质不符", "does not match the point's medium"))
    try:
        value = float(data.get("value"))
        if not math.isfinite(value) or value <= 0:
            raise ValueError
    except (TypeError, ValueError):
        problems.append(FieldProblem("value", "须为正数", "must be a positive number"))
        value = None
    basis = data.get("basis", "measured")
    if basis not in ("measured", "converted"):
        problems.append(FieldProblem("basis", "须为 measured 或 converted", "must be measured or converted"))
    elif basis == "converted" and point.reference_o2 is None:
        problems.append(
            FieldProblem(
                "basis", "监测点未设基准氧含量，不能按折算浓度比较", "the point has no reference O₂ to convert to"
            )
        )
    source = str(data.get("source", "")).strip()
    if not source:
        problems.append(
            FieldProblem("source", "须注明限值来源（排污许可证或其载明的排放标准）", "the limit's source is required")
        )
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        before = PollutantLimit.objects.filter(point=point, code=code).values().first()
        limit, _ = PollutantLimit.objects.update_or_create(
            point=point,
            code=code,
            defaults=dict(
                value=value,
                unit=pollutant.unit,
                basis=basis,
                source=source[:300],
                is_example=bool(data.get("is_example", False)),
                entered_by=actor.username,
            ),
        )
        audit.record(actor, "set_limit", "hj212_point", point.pk, _plain(before), limit_dict(limit))
    return limit


def _plain(d: dict | None) -> dict | None:
    return {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in d.items()} if d else None


def snapshot(p: MonitoringPoint) -> dict:
    keys = ("facility_id", "division_code", "enterprise_id", "mn", "name", "medium", "rtd_interval")
    keys += ("silence_allowed", "reference_o2", "capture_threshold", "capture_source", "is_public", "version")
    return {k: getattr(p, k) for k in keys}


# ---------------------------------------------------------------- reading


def limit_dict(limit: PollutantLimit) -> dict:
    pollutant = codes.get(limit.code)
    return {
        "code": limit.code,
        "name_zh": pollutant.name_zh if pollutant else limit.code,
        "name_en": pollutant.name_en if pollutant else limit.code,
        "value": limit.value,
        "unit": limit.unit,
        "basis": limit.basis,
        "source": limit.source,
        "is_example": limit.is_example,
    }


def facility_names(actor: Actor, ids) -> dict[int, dict]:
    """Name and position of the points' facilities, read through the registry's services."""
    rows = registry.scoped(actor, "facility").filter(pk__in=set(ids)).values("id", "name", "lon", "lat")
    return {r["id"]: r for r in rows}


def state_of(point: MonitoringPoint, open_alarms: list[Alarm]) -> str:
    kinds = {a.kind for a in open_alarms}
    for kind in ("silence", "exceedance", "device", "capture"):
        if kind in kinds:
            return kind
    return "normal" if point.last_contact else "waiting"


def serialize(actor: Actor, p: MonitoringPoint, facilities: dict | None = None, alarms: list | None = None) -> dict:
    fac = (facilities or facility_names(actor, [p.facility_id])).get(p.facility_id, {})
    open_alarms = alarms if alarms is not None else list(p.alarms.filter(ended_at__isnull=True))
    out = {
        "id": p.pk,
        "name": p.name,
        "facility": p.facility_id,
        "facility_name": fac.get("name"),
        "lon": fac.get("lon"),
        "lat": fac.get("lat"),
        "division": p.division_code,
        "medium": p.medium,
        "rtd_interval": p.rtd_interval,
        "state": state_of(p, open_alarms),
        "last_contact": timezone.localtime(p.last_contact).isoformat() if p.last_contact else None,
        "limits": [limit_dict(x) for x in p.limits.all()],
        "is_generated": p.is_generated,
        "full_view": sees_full(actor, p),
    }
    if out["full_view"]:
        out.update(
            mn=p.mn,
            silence_allowed=p.silence_allowed,
            reference_o2=p.reference_o2,
            capture_threshold=p.capture_threshold,
            capture_source=p.capture_source,
            is_public=p.is_public,
            version=p.version,
        )
    return out


def points(actor: Actor) -> list[dict]:
    qs = list(scoped(actor).prefetch_related("limits"))
    facilities = facility_names(actor, [p.facility_id for p in qs])
    open_by_point: dict[int, list] = {}
    for a in Alarm.objects.filter(ended_at__isnull=True, point__in=qs):
        open_by_point.setdefault(a.point_id, []).append(a)
    return [serialize(actor, p, facilities, open_by_point.get(p.pk, [])) for p in qs]


def series(actor: Actor, pk, code: str = "", kind: str = "rtd", hours: int = 6) -> dict:
    """The values of one point (one pollutant or all) over the last hours, oldest first:
    [time, value, converted value, flag, derived] (derived: an hourly value the platform computed)."""
    point = get(actor, pk)
    hours = max(1, min(int(hours), 24 * 31))
    since = timezone.now() - dt.timedelta(hours=hours)
    qs = Measurement.objects.filter(point_id=point.pk, kind=kind, data_time__gte=since)
    if code:
        qs = qs.filter(code=code)
    out: dict[str, list] = {}
    rows = qs.order_by("data_time").values_list("code", "data_time", "value", "zs", "flag", "derived")
    for code_, t, value, zs, flag, derived in rows[:50_000]:
        out.setdefault(code_, []).append([t.isoformat(), value, zs, flag, derived])
    return {"point": point.pk, "kind": kind, "series": out}


def alarm_dict(a: Alarm) -> dict:
    return {
        "id": a.pk,
        "point": a.point_id,
        "point_name": a.point.name,
        "kind": a.kind,
        "code": a.code,
        "at": a.at.isoformat(),
        "value": a.value,
        "threshold": a.threshold,
        "unit": a.unit,
        "severity": a.severity,
        "message_zh": a.message_zh,
        "message_en": a.message_en,
        "source": a.source,
        "started_at": timezone.localtime(a.started_at).isoformat(),
        "ended_at": timezone.localtime(a.ended_at).isoformat() if a.ended_at else None,
    }


def alarms(actor: Actor, open_only: bool = True, point=None) -> list[dict]:
    qs = Alarm.objects.filter(point__in=scoped(actor))
    if not (actor.is_admin or actor.is_regulator):  # others see the alarms of the points they see in full
        qs = qs.filter(point__enterprise_id=actor.enterprise_id) if actor.is_enterprise else qs.none()
    if open_only:
        qs = qs.filter(ended_at__isnull=True)
    if point is not None:
        qs = qs.filter(point_id=point)
    return [alarm_dict(a) for a in qs.select_related("point").order_by("-started_at")[:1000]]


# ---------------------------------------------------------------- the receiver's writes


def evaluate_in_receiver() -> dict:
    """Called by the receiver's evaluation thread: a dropped database connection is replaced first."""
    close_old_connections()
    return alarm_rules.evaluate()


def store_frames(batch, cache: ingest.PointCache, strict: bool) -> list:
    """Called by the receiver's writer thread: a dropped database connection is replaced first."""
    if not connection.in_atomic_block:
        close_old_connections()
    return ingest.store(batch, cache, strict)
