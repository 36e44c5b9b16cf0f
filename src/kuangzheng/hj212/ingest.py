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
from functools import lru_cache
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


@lru_cache(maxsize=4096)  # a handful of codes repeat in every frame
def _code(raw: str, strict: bool) -> str | None:
    if raw.startswith(EQUIPMENT) and raw[2:].isdigit():
        return raw
    if codes.get(raw):
        return raw
    return None if strict else codes.current_code(raw)


MEASUREMENT_COLUMNS = ("point_id", "kind", "data_time", "code", "value", "min", "max", "cou", "zs", "flag")
FRAME_COLUMNS = ("mn", "qn", "cn", "point_id", "data_time", "received_at", "crc_ok", "problems", "raw")
SQLITE_ROWS = 500  # rows per multi-row INSERT on SQLite (at most 11 columns: 5,500 of its 32,766 parameters)
# a reported hourly value replaces one the platform derived from real-time data, never one reported
HOUR_REPLACES_DERIVED = (
    " ON CONFLICT (point_id, kind, data_time, code) DO UPDATE SET value = excluded.value, min = excluded.min,"
    " max = excluded.max, cou = excluded.cou, zs = excluded.zs, flag = excluded.flag, derived = excluded.derived"
    " WHERE {table}.derived"
)


def insert_rows(model, columns, rows, conflict: str = " ON CONFLICT DO NOTHING", returning: tuple = ()) -> list:
    """Insert many rows in few statements, and return the `returning` columns of the rows that went
    in (not those a conflict skipped). On PostgreSQL: COPY into a temporary table of the same
    columns, then one `INSERT … SELECT … RETURNING` (COPY cannot skip a conflicting row). On SQLite:
    multi-row VALUES, without RETURNING: the sqlite3 module steps once per returned row and lets go
    of the GIL at each step, and with the receiver's event loop busy each step then waits for it
    (seconds per batch). A chunk whose count of changes says nothing was skipped went in whole;
    otherwise its new rows are those above the largest id before it (ids only grow: AUTOINCREMENT,
    and the transaction holds SQLite's write lock). The ORM's bulk_create spends most of a batch
    building model instances, and executemany costs a round trip (PostgreSQL) or a step (SQLite)
    per row."""
    if not rows:
        return []
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    cols = ", ".join(q(c) for c in columns)
    tail = conflict.format(table=table)
    wanted = ", ".join(q(c) for c in returning)
    out: list = []
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            stage = q(f"{model._meta.db_table}_stage{len(columns)}")  # the columns' types, no constraints
            cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {stage} AS SELECT {cols} FROM {table} WITH NO DATA")
            cur.execute(f"TRUNCATE {stage}")
            with cur.cursor.copy(f"COPY {stage} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cur.execute(
                f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage}{tail}"
                + (f" RETURNING {wanted}" if returning else "")
            )
            return [tuple(r) for r in cur.fetchall()] if returning else []
        marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
        picks = [columns.index(c) for c in returning]
        for start in range(0, len(rows), SQLITE_ROWS):
            chunk = rows[start : start + SQLITE_ROWS]
            if returning:
                cur.execute(f"SELECT max(id) FROM {table}")
                before = cur.fetchone()[0] or 0
            values = ", ".join([marks] * len(chunk))
            cur.execute(f"INSERT INTO {table} ({cols}) VALUES {values}{tail}", [v for row in chunk for v in row])
            if not returning:
                continue
            if cur.rowcount == len(chunk):
                out += [tuple(row[i] for i in picks) for row in chunk]
            else:
                cur.execute(f"SELECT {wanted} FROM {table} WHERE id > %s", [before])
                out += [tuple(r) for r in cur.fetchall()]
    return out


def rows_of(point: PointRef, kind: str, area: DataArea, at, strict: bool) -> list[tuple]:
    """The measurement rows of one data area (`at`: its data time as the database takes it); values
    converted to the reference O₂ where the point has one and the logger did not send them converted."""
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
    """Store a batch in one transaction; one Outcome per frame, in order. The frames go in first and
    say which of them are new (`RETURNING`): only their measurements are written, so a re-sent frame
    is stored once even when two receivers take it at the same time."""
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    received = adapt(now)
    outcomes: list[Outcome | None] = [None] * len(frames)
    accepted, frame_rows, seen, contacted = [], [], set(), set()
    for i, (frame, raw) in enumerate(frames):
        point = cache.get(frame.mn)
        checked = _check(frame, point, strict)
        if isinstance(checked, Outcome):
            outcomes[i] = checked
            log.info("refused %s %s: %s", frame.mn, frame.qn, checked.reason)
            continue
        contacted.add(point.id)
        if frame.key in seen:
            outcomes[i] = Outcome(True, duplicate=True)
            continue
        seen.add(frame.key)
        kind, area, when = checked
        at = adapt(when)
        rows = rows_of(point, kind, area, at, strict) if kind else []
        problems = "; ".join([*frame.problems, *area.problems])[:500]
        if problems:
            log.warning("kept %s %s despite: %s", frame.mn, frame.qn, problems)
        frame_rows.append(
            (
                frame.mn,
                frame.qn,
                frame.cn,
                point.id,
                at,
                received,
                frame.crc_ok,
                problems,
                raw.decode("utf-8", "replace").rstrip("\r\n"),
            )
        )
        accepted.append((i, frame.key, rows))
    with transaction.atomic():
        new = set(insert_rows(ReceivedFrame, FRAME_COLUMNS, frame_rows, returning=("mn", "qn", "cn")))
        hours, others = [], []
        for i, key, rows in accepted:
            outcomes[i] = Outcome(True, duplicate=key not in new)
            for row in rows if key in new else ():
                (hours if row[1] == "hour" else others).append(row)
        insert_rows(Measurement, MEASUREMENT_COLUMNS, others)
        insert_rows(Measurement, MEASUREMENT_COLUMNS, hours, HOUR_REPLACES_DERIVED)
        if contacted:
            MonitoringPoint.objects.filter(pk__in=contacted).update(last_contact=now)
    return outcomes
