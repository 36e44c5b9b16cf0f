"""Monthly partitions of the measurements table on PostgreSQL (nothing to do elsewhere), and the
retention setting: real-time and minute values and raw frames older than KZ_HJ212_RETENTION_DAYS
are deleted (on PostgreSQL the delete only reads the old months' partitions)."""

from __future__ import annotations

import datetime as dt
import os

from django.db import connection, transaction

from .models import Measurement, ReceivedFrame

SHORT_LIVED = ("rtd", "min")


def _month(d: dt.date, add: int = 0) -> dt.date:
    m = d.year * 12 + d.month - 1 + add
    return dt.date(m // 12, m % 12 + 1, 1)


def _name(month: dt.date) -> str:
    return f"hj212_measurement_y{month.year}m{month.month:02d}"


def ensure(around: dt.date | None = None, before: int = 2, after: int = 2) -> list[str]:
    """Create the month partitions from `before` months before to `after` months after `around`."""
    if connection.vendor != "postgresql":
        return []
    around = around or dt.date.today()
    made = []
    with connection.cursor() as cur:
        cur.execute("SELECT relname FROM pg_class WHERE relname LIKE 'hj212_measurement_y%%'")
        existing = {r[0] for r in cur.fetchall()}
        for k in range(-before, after + 1):
            start = _month(around, k)
            name = _name(start)
            if name in existing:
                continue
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF hj212_measurement "
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{_month(start, 1).isoformat()}')"
            )
            made.append(name)
    return made


def retention_days() -> int | None:
    """KZ_HJ212_RETENTION_DAYS: how long real-time and minute values and raw frames are kept (unset:
    kept for ever). Hourly and daily values are always kept: they are the compliance record."""
    raw = os.environ.get("KZ_HJ212_RETENTION_DAYS", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


def purge(now: dt.datetime, days: int | None = None) -> dict:
    days = days if days is not None else retention_days()
    if not days:
        return {"retention_days": None, "measurements": 0, "frames": 0}
    cutoff = now - dt.timedelta(days=days)
    with transaction.atomic():
        n, _ = Measurement.objects.filter(kind__in=SHORT_LIVED, data_time__lt=cutoff).delete()
        f, _ = ReceivedFrame.objects.filter(received_at__lt=cutoff).delete()
    return {"retention_days": days, "cutoff": cutoff.isoformat(), "measurements": n, "frames": f}
