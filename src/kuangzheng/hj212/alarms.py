"""Evaluate the alarm rules (core/alarms.py) over the stored data, keep each alarm with its history,
and pass the open ones to the monitoring warnings (`monitoring.warnings.sync_external`), where the
regulators' warning list, acknowledgement and releases take them up."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from kuangzheng.monitoring import warnings

from . import hourly
from .core import alarms as rules
from .core.quality import capture_rate
from .ingest import LOCAL
from .models import Alarm, Measurement, MonitoringPoint, PollutantLimit, ReceivedFrame

PREFIX = "hj212."
COMPARISON = {"exceedance": ">", "device": "=", "silence": ">", "capture": "<"}
LOOKBACK = dt.timedelta(hours=26)  # the latest hourly average is looked for this far back


def _limits() -> dict[int, dict[str, rules.Limit]]:
    out: dict[int, dict] = {}
    for lim in PollutantLimit.objects.all():
        out.setdefault(lim.point_id, {})[lim.code] = rules.Limit(
            lim.code, lim.value, lim.basis, lim.source, lim.is_example
        )
    return out


def _latest_hours(now: dt.datetime, point_ids) -> dict[int, list[rules.HourValue]]:
    latest: dict[tuple, rules.HourValue] = {}
    rows = Measurement.objects.filter(point_id__in=point_ids, kind="hour", data_time__gte=now - LOOKBACK)
    for pid, code, t, avg, zs, flag, derived in rows.values_list(
        "point_id", "code", "data_time", "value", "zs", "flag", "derived"
    ):
        if (pid, code) not in latest or latest[(pid, code)].hour < t:
            latest[(pid, code)] = rules.HourValue(code, t.astimezone(LOCAL), avg, zs, flag, derived)
    out: dict[int, list] = {}
    for (pid, _), h in latest.items():
        out.setdefault(pid, []).append(h)
    return out


def _latest_flags(now: dt.datetime) -> dict[int, dict[str, tuple[str, dt.datetime]]]:
    """The flag of the latest real-time value of each pollutant, over the last hour."""
    recent = Measurement.objects.filter(kind="rtd", data_time__gte=now - dt.timedelta(hours=1))
    last = {(r["point_id"], r["code"]): r["t"] for r in recent.values("point_id", "code").annotate(t=Max("data_time"))}
    out: dict[int, dict] = {}
    for pid, code, t, flag in recent.exclude(flag="N").values_list("point_id", "code", "data_time", "flag"):
        if last.get((pid, code)) == t:
            out.setdefault(pid, {})[code] = (flag, t.astimezone(LOCAL))
    return out


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), LOCAL)
    return start, start + dt.timedelta(days=1)


def received_per_point(start: dt.datetime, end: dt.datetime, point_ids=None) -> dict[int, int]:
    qs = ReceivedFrame.objects.filter(cn="2011", data_time__gte=start, data_time__lt=end)
    if point_ids is not None:
        qs = qs.filter(point_id__in=point_ids)
    return dict(qs.values("point_id").annotate(n=Count("id")).values_list("point_id", "n"))


def capture_rates(points, now: dt.datetime | None = None) -> dict[int, dict]:
    """Yesterday's capture rate and today's so far, per point."""
    now = (now or timezone.now()).astimezone(LOCAL)
    today = now.date()
    y0, y1 = day_bounds(today - dt.timedelta(days=1))
    t0, _ = day_bounds(today)
    ids = [p.pk for p in points]
    yesterday, so_far = received_per_point(y0, y1, ids), received_per_point(t0, now, ids)
    elapsed = max(1, int((now - t0).total_seconds()))
    return {
        p.pk: {
            "yesterday": capture_rate(yesterday.get(p.pk, 0), p.rtd_interval, 86400) if p.created_at < y0 else None,
            "today": capture_rate(so_far.get(p.pk, 0), p.rtd_interval, elapsed),
        }
        for p in points
    }


def compute(now: dt.datetime) -> dict[int, list[rules.Alarm]]:
    points = list(MonitoringPoint.objects.all())
    limits = _limits()
    hours = _latest_hours(now, [p.pk for p in points if p.pk in limits])
    flags = _latest_flags(now)
    rates = capture_rates([p for p in points if p.capture_threshold is not None], now)
    yesterday = (now.astimezone(LOCAL) - dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    found: dict[int, list] = {}
    for p in points:
        out = rules.exceedances(hours.get(p.pk, []), limits.get(p.pk, {}))
        out += rules.device_states(flags.get(p.pk, {}))
        quiet = rules.silence(p.last_contact, p.created_at, now, p.silence_allowed)
        out += [quiet] if quiet else []
        rate = rates.get(p.pk, {}).get("yesterday")
        low = rules.capture(rate, p.capture_threshold, yesterday, p.capture_source) if rate is not None else None
        out += [low] if low else []
        found[p.pk] = out
    return found


def evaluate(now: dt.datetime | None = None) -> dict:
    """Derive the hourly values loggers did not send; open, update and close alarms; then pass the
    open ones to the monitoring warnings."""
    now = now or timezone.now()
    derived = hourly.derive(now)
    found = compute(now)
    opened = closed = 0
    with transaction.atomic():
        open_now = {(a.point_id, a.kind, a.code): a for a in Alarm.objects.filter(ended_at__isnull=True)}
        for pid, alarms in found.items():
            for a in alarms:
                current = open_now.pop((pid, a.kind, a.code), None)
                values = dict(
                    at=a.at,
                    value=a.value,
                    threshold=a.threshold,
                    unit=a.unit,
                    severity=a.severity,
                    message_zh=a.message_zh[:300],
                    message_en=a.message_en[:300],
                    source=a.source[:300],
                )
                if current is None:
                    Alarm.objects.create(point_id=pid, kind=a.kind, code=a.code, **values)
                    opened += 1
                else:
                    for k, v in values.items():
                        setattr(current, k, v)
                    current.save()
        for stale in open_now.values():
            stale.ended_at = now
            stale.save(update_fields=["ended_at", "last_seen"])
            closed += 1
        synced = warnings.sync_external(
            PREFIX, [_warning(a) for a in Alarm.objects.filter(ended_at__isnull=True).select_related("point")]
        )
    return {"opened": opened, "closed": closed, "warnings": synced, "derived_hours": derived}


def _warning(a: Alarm) -> dict:
    p = a.point
    return {
        "rule_id": f"{PREFIX}{a.kind}.{p.mn}",
        "citation_id": (a.source or "HJ 212-2017")[:120],
        "severity": a.severity,
        "indicator": f"hj212_{a.kind}",
        "division": p.division_code,
        "metal": a.code,
        "period": a.started_at.astimezone(LOCAL).strftime("%Y-%m"),
        "value": a.value if a.value is not None else 0.0,
        "threshold": a.threshold if a.threshold is not None else 0.0,
        "unit": a.unit[:24],
        "comparison": COMPARISON[a.kind],
        "message_zh": f"{p.name}：{a.message_zh}"[:300],
        "message_en": f"{p.name}: {a.message_en}"[:300],
    }
