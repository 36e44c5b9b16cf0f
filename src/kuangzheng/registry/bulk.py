"""Writing an import batch: short transactions, all or nothing.

A batch of already validated records (`services.prepare_many`) is written into the real tables in
chunks, each chunk in its own short transaction with its audit entries, every record tagged with the
batch (`ImportBatch`). Until the batch is marked `done` its records are invisible to every read
(`services.scoped`), so readers see all of it or none of it, and other writers (web forms, logins)
wait at most one chunk for the database instead of the whole import. If a chunk fails — or the
process dies and the batch goes stale — the batch is deleted again chunk by chunk, each record with
an `import-rollback` audit entry, so the chain stays linear and tells what happened.

Why not one transaction: on SQLite it holds the only write lock for the whole import (minutes at
100,000 rows), and every other writer fails after its busy timeout. Why not a staging table then one
`INSERT … SELECT`: the swap is still one long transaction, and the audit entries (hashes over each
record) would have to be written inside it too.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Callable

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from kuangzheng import bulkinsert
from kuangzheng.audit import service as audit

from .models import ImportBatch, MineralRight, RightEvent

CHUNK = 2000  # records per transaction: ~0.1 s of write lock on SQLite
STALE_AFTER = dt.timedelta(minutes=10)  # a running batch not written to for this long is dead


def running_batches() -> QuerySet:
    """The ids of the batches still being written (a query): their records are not visible yet."""
    return ImportBatch.objects.filter(state="running").values("id")


def pending_batches() -> list[int]:
    """Ids of the batches still being written: their records are not visible yet."""
    return list(running_batches().values_list("id", flat=True))


def write(
    actor,
    name: str,
    model: type,
    records: list[dict],
    first_events: list[dict] | None,
    snapshot: Callable,
    snapshot_columns: Callable,
    *,
    source: str = "",
    chunk: int = CHUNK,
    progress: Callable | None = None,
) -> ImportBatch:
    """Insert `records` (column values by attname) in chunks with their audit entries (and, for
    rights, their first events); publish them at the end, or roll every written chunk back.
    `snapshot_columns(name, columns)` is `snapshot` of every row of a chunk, a column at a time
    (what `audit.canonical_many` writes); `snapshot(name, record)` is used for the rollback."""
    batch = ImportBatch.objects.create(
        entity=name,
        actor=actor.username,
        source=source[:200],
        rows=len(records),
        host=socket.gethostname(),
        pid=os.getpid(),
    )
    defaults = (
        {
            f.attname: f.get_default()
            for f in model._meta.concrete_fields
            if not f.primary_key and f.attname not in records[0]
        }
        if records
        else {}
    )
    try:
        for start in range(0, len(records), chunk):
            part = records[start : start + chunk]
            with transaction.atomic():
                now = timezone.now()
                ids = bulkinsert.reserve_ids(model, len(part))
                columns = {name: [r[name] for r in part] for name in part[0]}
                columns.update({name: [v] * len(part) for name, v in defaults.items()})
                columns.update(id=ids, import_batch_id=[batch.pk] * len(part), created_at=[now] * len(part))
                columns["updated_at"] = columns["created_at"]
                bulkinsert.insert_columns(model, columns)
                if first_events is not None:
                    events = first_events[start : start + chunk]
                    event_columns = {name: [e[name] for e in events] for name in events[0]}
                    event_columns.update(
                        id=bulkinsert.reserve_ids(RightEvent, len(part)),
                        right_id=ids,
                        seq=[1] * len(part),
                        actor=[actor.username] * len(part),
                        recorded_at=[now] * len(part),
                    )
                    bulkinsert.insert_columns(RightEvent, event_columns)
                afters = audit.canonical_many(snapshot_columns(name, columns))
                audit.record_many(actor, "create", name, [(pk, None, after) for pk, after in zip(ids, afters)])
                ImportBatch.objects.filter(pk=batch.pk).update(written=F("written") + len(part), heartbeat=now)
            if progress:
                progress(len(part))
        with transaction.atomic():
            ImportBatch.objects.filter(pk=batch.pk).update(state="done", finished_at=timezone.now())
    except BaseException as exc:  # also KeyboardInterrupt: never leave a half-written batch behind
        rollback(actor, batch, model, snapshot, problem=f"{type(exc).__name__}: {exc}")
        raise
    batch.refresh_from_db()
    return batch


def rollback(actor, batch: ImportBatch, model: type, snapshot: Callable, problem: str = "", chunk: int = CHUNK) -> int:
    """Delete every record of `batch`, a chunk per transaction, each with an audit entry."""
    removed = 0
    while True:
        with transaction.atomic():
            part = list(model.objects.filter(import_batch_id=batch.pk).order_by("pk")[:chunk])
            if not part:
                break
            audit.record_many(
                actor, "import-rollback", batch.entity, [(o.pk, snapshot(batch.entity, o), None) for o in part]
            )
            ids = [o.pk for o in part]
            if model is MineralRight:
                RightEvent.objects.filter(right_id__in=ids).delete()
            model.objects.filter(pk__in=ids).delete()
            removed += len(part)
    ImportBatch.objects.filter(pk=batch.pk).update(
        state="rolled_back", finished_at=timezone.now(), problem=problem[:2000]
    )
    return removed


def stale_batches() -> list[ImportBatch]:
    """Running batches whose writer stopped (killed mid-import): its process is gone from this
    host, or (another host) it has not written for STALE_AFTER. To be rolled back."""
    host, old = socket.gethostname(), timezone.now() - STALE_AFTER
    return [
        b
        for b in ImportBatch.objects.filter(state="running")
        if (b.host == host and b.pid and not _alive(b.pid)) or b.heartbeat < old
    ]


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True
