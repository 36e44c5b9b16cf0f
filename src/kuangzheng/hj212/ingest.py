"""Storing what the receiver accepted: a batch of parsed frames in one transaction.

A frame is stored once per (MN, QN, CN): a re-sent frame is recognised and answered again but not
stored again (the measurements' own unique key catches two copies racing in two batches). Unknown
MNs and wrong passwords are refused in both modes: lenient mode forgives a broken format, not a
wrong identity. Data times are local (Beijing) time, as data loggers send them.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from .core import codes
from .core.cp import CPError, DataArea, parse_cp, parse_time
from .core.frame import Frame, QnRtn
from .core.quality import converted
from .core.replies import Outcome
from .models import Measurement, MonitoringPoint, ReceivedFrame

log = logging.getLogger("kuangzheng.hj212")
LOCAL = ZoneInfo("Asia/Shanghai")
KIND_OF_CN = {"2011": "rtd", "2051": "min", "2061": "hour", "2031": "day", "2041": "runtime", "2021": "status"}
STORED_ONLY = {"2081", "9011", "9012", "9013", "9014", "1011", "1061", "1063"}  # kept in the frame log
EQUIPMENT = ("SB",)  # SB1-RS (status), SB1-RT (run time)


@dataclass(frozen=True)
class PointRef:
    id: int
    password: str
    medium: str
    reference_o2: float | None


class PointCache:
    """MN -> point, reloaded at most every `refresh` seconds when an MN is not found."""

    def __init__(self, refresh: float = 2.0):
        self.refresh, self.loaded_at, self.points = refresh, float("-inf"), {}

    def get(self, mn: str) -> PointRef | None:
        found = self.points.get(mn)
        if found is None and time.monotonic() - self.loaded_at > self.refresh:
            self.reload()
            found = self.points.get(mn)
        return found

    def reload(self) -> None:
        rows = MonitoringPoint.objects.values_list("mn", "id", "password", "medium", "reference_o2")
        self.points = {mn: PointRef(pk, pw, medium, o2) for mn, pk, pw, medium, o2 in rows}
        self.loaded_at = time.monotonic()


def _local(t: dt.datetime) -> dt.datetime:
    return t.replace(tzinfo=LOCAL)


def _code(raw: str, strict: bool) -> str | None:
    if raw.startswith(EQUIPMENT) and raw[2:].isdigit():
        return raw
    if codes.get(raw):
        return raw
    return None if strict else codes.current_code(raw)


MEASUREMENT_COLUMNS = ("point_id", "kind", "data_time", "code", "value", "min", "max", "cou", "zs", "flag")
FRAME_COLUMNS = ("mn", "qn", "cn", "point_id", "data_time", "received_at", "crc_ok", "problems", "raw")


def _insert_new(model, columns, rows) -> None:
    """INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL), with executemany: the ORM's
    bulk_create spends most of a batch building model instances and SQL per row."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cur:
        cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT DO NOTHING", rows)


def rows_of(point: PointRef, kind: str, area: DataArea, when: dt.datetime, strict: bool) -> list[tuple]:
    """The measurement rows of one data area; values converted to the reference O₂ where the point
    has one and the logger did not send them converted."""
    at = connection.ops.adapt_datetimefield_value(when)
    o2 = area.values.get(codes.OXYGEN, {})
    o2_value = o2.get("Rtd" if kind == "rtd" else "Avg")
    out = []
    for raw_code, fields in area.values.items():
        code = _code(raw_code, strict)
        if code is None:
            area.problems.append(f"unknown code {raw_code[:10]}")
            continue
        if kind in ("runtime", "status"):
            value = fields.get("RT" if kind == "runtime" else "RS")
            zs = None
        else:
            value = fields.get("Rtd" if kind == "rtd" else "Avg")
            zs = fields.get("ZsRtd" if kind == "rtd" else "ZsAvg")
        if zs is None and value is not None and point.medium == "air" and code != codes.OXYGEN:
            if point.reference_o2 is not None and isinstance(o2_value, float):
                zs = converted(value, o2_value, point.reference_o2)
        flag = fields.get("Flag", "N")
        out.append((point.id, kind, at, code, value, fields.get("Min"), fields.get("Max"), fields.get("Cou"), zs, flag))
    return out


def _check(frame: Frame, point: PointRef | None, strict: bool):
    """(kind, data area, data time) of an acceptable frame, or an Outcome refusing it."""
    if point is None:
        return Outcome(False, QnRtn.MN_ERROR, reason=f"unknown MN {frame.mn}")
    if frame.pw != point.password:
        return Outcome(False, QnRtn.PW_ERROR, reason="wrong password")
    kind = KIND_OF_CN.get(frame.cn)
    if kind is None and frame.cn not in STORED_ONLY:
        if strict:
            return Outcome(False, QnRtn.CN_ERROR, reason=f"CN {frame.cn} is not an upload")
        return (None, DataArea(), None)
    try:
        area = parse_cp(frame.cp, strict=strict)
    except CPError as exc:
        return Outcome(False, QnRtn.REJECTED, reason=str(exc))
    when = area.data_time
    if kind and when is None:
        if strict:
            return Outcome(False, QnRtn.REJECTED, reason="no DataTime")
        try:
            when = parse_time(frame.qn[:14])
        except CPError:
            return Outcome(False, QnRtn.QN_ERROR, reason="no DataTime and no time in QN")
        area.problems.append("no DataTime: QN time used")
    return (kind, area, _local(when) if when else None)


def store(frames: list[tuple[Frame, bytes]], cache: PointCache, strict: bool = True) -> list[Outcome]:
    """Store a batch in one transaction; one Outcome per frame, in order."""
    now = timezone.now()
    received = connection.ops.adapt_datetimefield_value(now)
    outcomes: list[Outcome | None] = [None] * len(frames)
    new_frames, rows, seen, contacted = [], [], set(), set()
    keys = {f.key for f, _ in frames}
    existing = set(
        ReceivedFrame.objects.filter(mn__in={k[0] for k in keys}, qn__in={k[1] for k in keys}).values_list(
            "mn", "qn", "cn"
        )
    )
    for i, (frame, raw) in enumerate(frames):
        point = cache.get(frame.mn)
        checked = _check(frame, point, strict)
        if isinstance(checked, Outcome):
            outcomes[i] = checked
            log.info("refused %s %s: %s", frame.mn, frame.qn, checked.reason)
            continue
        contacted.add(point.id)
        if frame.key in existing or frame.key in seen:
            outcomes[i] = Outcome(True, duplicate=True)
            continue
        seen.add(frame.key)
        kind, area, when = checked
        if kind:
            rows += rows_of(point, kind, area, when, strict)
        problems = "; ".join([*frame.problems, *area.problems])[:500]
        if problems:
            log.warning("kept %s %s despite: %s", frame.mn, frame.qn, problems)
        new_frames.append(
            (
                frame.mn,
                frame.qn,
                frame.cn,
                point.id,
                connection.ops.adapt_datetimefield_value(when),
                received,
                frame.crc_ok,
                problems,
                raw.decode("utf-8", "replace").rstrip("\r\n"),
            )
        )
        outcomes[i] = Outcome(True)
    with transaction.atomic():
        _insert_new(ReceivedFrame, FRAME_COLUMNS, new_frames)
        _insert_new(Measurement, MEASUREMENT_COLUMNS, rows)
        if contacted:
            MonitoringPoint.objects.filter(pk__in=contacted).update(last_contact=now)
    return outcomes
