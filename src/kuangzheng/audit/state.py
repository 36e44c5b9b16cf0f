"""The records' current state against the last audited state.

Every audited write stores the record's snapshot after it. Replaying the log per record gives the
state the records should be in now; a row changed, inserted or deleted by hand in SQL (outside the
service layer, so without an audit entry) no longer matches it. The audit app sits below the
registry, so the registry registers how to snapshot its current rows (`register`), at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .models import AuditEntry

Snapshots = Callable[[], Iterable[tuple[str, dict]]]  # (record id, snapshot as the audit log stores it)
_sources: dict[str, Snapshots] = {}


def register(entity: str, current: Snapshots) -> None:
    _sources[entity] = current


def compare(jsonable) -> tuple[list[str], int]:
    """Problems found and the number of records compared. `jsonable` makes a snapshot look the way
    the audit log stored it."""
    if not _sources:
        return [], 0
    audited: dict[tuple[str, str], tuple[int, dict | None]] = {}
    rows = AuditEntry.objects.filter(entity__in=list(_sources)).exclude(entity_id="*")
    for seq, entity, entity_id, after in rows.order_by("seq").values_list("seq", "entity", "entity_id", "after"):
        audited[(entity, entity_id)] = (seq, after)
    problems, n = [], 0
    for entity, current in sorted(_sources.items()):
        seen = set()
        for record_id, snap in current():
            n += 1
            seen.add(record_id)
            last = audited.get((entity, record_id))
            if last is None:
                problems.append(
                    f"{entity} {record_id}: no audit entry (inserted outside the service layer?) / 该记录无审计条目"
                )
                continue
            fields = differing_fields(jsonable(snap), last[1] or {})
            if fields:
                problems.append(
                    f"{entity} {record_id}: {', '.join(fields)} differ from the last audited state (seq {last[0]}):"
                    " changed outside the service layer / 与最后审计状态不符（绕过服务层修改）"
                )
        for (ent, record_id), (seq, after) in audited.items():
            if ent == entity and record_id not in seen and after is not None:
                problems.append(
                    f"{entity} {record_id}: audited (seq {seq}) but no longer in the database (deleted outside the"
                    " service layer?) / 记录被绕过服务层删除"
                )
    return problems, n


def differing_fields(now: dict, audited: dict) -> list[str]:
    """Fields whose current value is not the audited one. A field the audited snapshot does not hold
    was added by a later migration: it counts only once it holds something (an empty default is what
    the migration wrote, not an edit)."""
    return sorted(
        k
        for k in set(now) | set(audited)
        if now.get(k) != audited.get(k) and (k in audited or now[k] not in (None, "", [], {}))
    )
