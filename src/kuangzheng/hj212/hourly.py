"""Hourly values derived from real-time or minute values when a data logger sent none (no 2061 for
that hour). Run before every alarm evaluation (`alarms.evaluate`, so by the receiver every
`--evaluate-every` seconds, `kz hj212 evaluate` and the API), and by `kz hj212 derive-hours` to
fill older hours. A derived row is a `kind="hour"` measurement marked `derived`, so exceedances are
judged on it exactly as on a reported one; a reported hourly value arriving later replaces it
(`ingest.HOUR_REPLACES_DERIVED`). An hour is derived once, when it ended `AFTER` ago: loggers send
their hourly values just after the hour, and the hour's real-time values are in by then."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from .core.quality import Sample, aggregate
from .ingest import HOUR_REPLACES_DERIVED, LOCAL, MEASUREMENT_COLUMNS, insert_rows
from .models import Measurement, MonitoringPoint

AFTER = dt.timedelta(minutes=15)  # how long after its end an hour without a 2061 is derived
LOOKBACK = dt.timedelta(hours=26)  # as far back as the alarms look for the latest hourly value
HOUR = dt.timedelta(hours=1)
CHUNK = 500  # point ids per query (SQLite's parameter limit)


def _floor_hour(t: dt.datetime) -> dt.datetime:
    return t.astimezone(LOCAL).replace(minute=0, second=0, microsecond=0)


def pending_hours(now: dt.datetime, lookback: dt.timedelta = LOOKBACK, after: dt.timedelta = AFTER):
    """The hours (local starts) that ended at least `after` before now, within the lookback."""
    last = _floor_hour(now - after)  # hours starting before this one ended by now - after
    hour, out = _floor_hour(now - lookback), []
    while hour < last:
        out.append(hour)
        hour += HOUR
    return out


def _samples(point_ids: list[int], start: dt.datetime) -> dict[tuple[int, str], dict[str, list[Sample]]]:
    """(point, code) -> kind -> the hour's samples."""
    out: dict = defaultdict(lambda: defaultdict(list))
    for k in range(0, len(point_ids), CHUNK):
        rows = Measurement.objects.filter(
            point_id__in=point_ids[k : k + CHUNK],
            kind__in=("rtd", "min"),
            data_time__gte=start,
            data_time__lt=start + HOUR,
            value__isnull=False,
        ).values_list("point_id", "code", "kind", "value", "flag", "zs", "min", "max", "cou")
        for pid, code, kind, value, flag, zs, lo, hi, cou in rows.iterator(chunk_size=10_000):
            out[(pid, code)][kind].append(Sample(value, flag, zs, lo, hi, cou))
    return out


def derive(now: dt.datetime | None = None, lookback: dt.timedelta = LOOKBACK, after: dt.timedelta = AFTER) -> dict:
    """Derive the hourly values of every point that sent data in an hour but no hourly value for it.
    Minute values are used when the hour has them (they are the logger's own aggregation), the
    real-time values otherwise. Idempotent: an hour that has hourly rows is left alone."""
    now = now or timezone.now()
    hours = pending_hours(now, lookback, after)
    if not hours:
        return {"hours": 0, "points": 0, "rows": 0}
    points = {
        pid: (medium, contact)
        for pid, medium, contact in MonitoringPoint.objects.filter(last_contact__gte=hours[0]).values_list(
            "id", "medium", "last_contact"
        )
    }
    have = set(
        Measurement.objects.filter(kind="hour", data_time__gte=hours[0], data_time__lt=hours[-1] + HOUR)
        .values_list("point_id", "data_time")
        .distinct()
    )
    rows, derived_points = [], set()
    for hour in hours:
        at = connection.ops.adapt_datetimefield_value(hour)
        missing = sorted(pid for pid, (_, contact) in points.items() if contact >= hour and (pid, hour) not in have)
        for (pid, code), by_kind in _samples(missing, hour).items():
            agg = aggregate(by_kind.get("min") or by_kind["rtd"], points[pid][0])
            if agg is None:
                continue
            derived_points.add(pid)
            rows.append((pid, "hour", at, code, agg.avg, agg.min, agg.max, agg.cou, agg.zs, agg.flag, True))
    with transaction.atomic():
        # a row written meanwhile (a 2061, or another evaluation) wins over this one only if reported
        insert_rows(Measurement, (*MEASUREMENT_COLUMNS, "derived"), rows, HOUR_REPLACES_DERIVED)
    return {"hours": len(hours), "points": len(derived_points), "rows": len(rows)}
