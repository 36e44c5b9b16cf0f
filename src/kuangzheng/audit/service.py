"""Recording and verifying the audit chain."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kuangzheng import bulkinsert

from . import anchor, state
from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _default(o):
    if isinstance(o, (date, datetime)):
        return o.isoformat()
    if isinstance(o, Decimal):
        return str(o)
    if isinstance(o, (bytes, memoryview)):
        return hashlib.sha256(bytes(o)).hexdigest()  # geometry blobs are recorded by digest
    raise TypeError(f"not JSON-serialisable: {type(o).__name__}")


def canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default)


_encode_str = json.encoder.encode_basestring  # what `canonical` writes for a str (ensure_ascii=False)


def _canonical_column(values: list) -> list[str]:
    """`canonical(v)` for every value of a column: str, int, float, None and blobs written directly,
    each distinct other value (a date, a list of minerals) through `canonical` once."""
    once = bulkinsert.memoised(_canonical_jsonable)
    out = []
    for v in values:
        t = type(v)
        if t is str:
            out.append(_encode_str(v))
        elif v is None:
            out.append("null")
        elif t is int:
            out.append(repr(v))  # how json writes ints (a bool is not an int here)
        elif t is float and math.isfinite(v):
            out.append(repr(_jsonb_float(v)))  # how json writes finite floats, as jsonb reads them back
        elif t is bytes:
            out.append(f'"{hashlib.sha256(v).hexdigest()}"')  # `_default`: a blob by its digest
        else:
            out.append(once(v))
    return out


class CanonicalText(bulkinsert.JSONText):
    """A snapshot already written as `canonical` text: hashed and stored as it is."""


def canonical_many(columns: dict[str, list]) -> list[CanonicalText]:
    """`canonical(jsonable(dict))` of many snapshots given a column at a time (field -> one value per
    record), built a column at a time: the same text, so the same hashes."""
    names = sorted(columns)
    parts = [
        [f"{key}:{text}" for text in _canonical_column(columns[name])]
        for name, key in zip(names, (_encode_str(n) for n in names))
    ]
    return [CanonicalText("{" + ",".join(row) + "}") for row in zip(*parts)]


def _jsonb_float(v: float) -> float | int:
    """A float as PostgreSQL's jsonb gives it back, so that what is hashed is what both databases read
    back: jsonb's numeric has no negative zero, and prints a float that Python writes with an exponent
    of 16 or more (every such float is whole) as the integer it is."""
    if v == 0:
        return 0.0
    if abs(v) >= 1e16 and math.isfinite(v):
        return int(Decimal(repr(v)))
    return v


def _parse_float(text: str) -> float | int:
    return _jsonb_float(float(text))


def jsonable(obj):
    """Make a snapshot JSON-safe the way it is hashed and stored (dates, decimals and blobs as text,
    floats as jsonb reads them back): `canonical` of the result is what every write hashes."""
    return json.loads(canonical(obj), parse_float=_parse_float) if obj is not None else None


def _canonical_jsonable(obj) -> str:
    return canonical(jsonable(obj))


def entry_hash(
    prev_hash: str, seq: int, at: str, actor: str, role: str, action: str, entity: str, entity_id: str, before, after
) -> str:
    body = canonical([seq, at, actor, role, action, entity, entity_id, before, after])
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def record(actor, action: str, entity: str, entity_id, before: dict | None, after: dict | None) -> AuditEntry:
    """Append one entry. Must run inside the caller's transaction so the write and its audit land together."""
    with transaction.atomic():
        AuditHead.objects.get_or_create(id=1)
        AuditHead.objects.filter(id=1).update(seq=F("seq") + 1)  # takes the lock before reading the tail
        head = AuditHead.objects.select_for_update().get(id=1)
        at = timezone.now().replace(microsecond=0)
        before, after = jsonable(before), jsonable(after)
        h = entry_hash(
            head.hash, head.seq, _iso(at), actor.username, actor.role, action, entity, str(entity_id), before, after
        )
        entry = AuditEntry.objects.create(
            seq=head.seq,
            at=at,
            actor=actor.username,
            role=actor.role,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=before,
            after=after,
            prev_hash=head.hash,
            hash=h,
        )
        AuditHead.objects.filter(id=1).update(hash=h)
        seq = head.seq
        transaction.on_commit(lambda: anchor.after_commit(seq))
        return entry


def record_many(actor, action: str, entity: str, items: list[tuple]) -> int:
    """Append one entry per ``(entity_id, before, after)``, in order, inside the caller's transaction:
    the entries `record` would append one by one (the same hashes), under one lock of the head and
    written in one statement. A side given as `CanonicalText` (`canonical_many`) is used as it is.
    Returns the sequence number of the last entry."""
    if not items:
        return 0
    with transaction.atomic():
        AuditHead.objects.get_or_create(id=1)
        AuditHead.objects.filter(id=1).update(seq=F("seq") + len(items))  # the lock, as in record()
        head = AuditHead.objects.select_for_update().get(id=1)
        at = timezone.now().replace(microsecond=0)
        at_iso, prev, seq = _iso(at), head.hash, head.seq - len(items)
        ids = bulkinsert.reserve_ids(AuditEntry, len(items))
        # the hashed body is `canonical([seq, at, actor, role, action, entity, entity_id, before, after])`,
        # written from its parts: the fixed middle once, each side's text once (also what is stored)
        middle = canonical([at_iso, actor.username, actor.role, action, entity])[1:-1]
        hashes, befores, afters = [], [], []
        for entity_id, before, after in items:
            seq += 1
            before_text, after_text = _text(before), _text(after)
            body = f"[{seq},{middle},{_encode_str(str(entity_id))},{before_text},{after_text}]"
            prev = hashlib.sha256((prev + body).encode("utf-8")).hexdigest()
            hashes.append(prev)
            befores.append(None if before is None else bulkinsert.JSONText(before_text))
            afters.append(None if after is None else bulkinsert.JSONText(after_text))
        n = len(items)
        first = seq - n + 1
        rows = {
            "id": ids,
            "seq": list(range(first, seq + 1)),
            "at": [at] * n,
            "actor": [actor.username] * n,
            "role": [actor.role] * n,
            "action": [action] * n,
            "entity": [entity] * n,
            "entity_id": [str(i) for i, _, _ in items],
            "before": befores,
            "after": afters,
            "prev_hash": [head.hash, *hashes[:-1]],
            "hash": hashes,
        }
        bulkinsert.insert_columns(AuditEntry, rows)
        AuditHead.objects.filter(id=1).update(hash=prev)
        return seq


@dataclass
class ChainReport:
    ok: bool
    checked: int
    problems: list[str]
    warnings: list[str] = field(default_factory=list)
    checkpoints: int = 0
    records: int = 0  # registry records compared with their last audited state


def verify(records: bool = True) -> ChainReport:
    """Recompute every hash in order (gaps, broken links, altered entries); check the chain against
    its signed checkpoints (truncation, recomputed chains); and, with `records`, compare the current
    records with their last audited state (direct edits of the tables)."""
    problems: list[str] = []
    anchored, hash_at = anchor.seqs(), {}
    prev, expected_seq, n = GENESIS, 1, 0
    for e in AuditEntry.objects.order_by("seq").iterator():
        if e.seq in anchored:
            hash_at[e.seq] = e.hash
        n += 1
        if e.seq != expected_seq:
            problems.append(f"seq {expected_seq}–{e.seq - 1}: entries missing (deleted?) / 条目缺失（可能被删除）")
        if e.prev_hash != prev:
            problems.append(f"seq {e.seq}: prev_hash does not match the previous entry / 与前一条目的哈希不衔接")
        h = entry_hash(
            e.prev_hash, e.seq, _iso(e.at), e.actor, e.role, e.action, e.entity, e.entity_id, e.before, e.after
        )
        if h != e.hash:
            problems.append(f"seq {e.seq}: content altered (hash mismatch) / 内容被篡改（哈希不符）")
        prev, expected_seq = e.hash, e.seq + 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and n and (head.seq != expected_seq - 1 or head.hash != prev):
        problems.append(
            f"chain head says seq {head.seq}, log ends at {expected_seq - 1}: entries missing at the end"
            " / 链头与日志末尾不一致（末尾条目可能被删除）"
        )
    anchor_problems, warnings, checkpoints = anchor.check(hash_at, expected_seq - 1)
    problems += anchor_problems
    state_problems, compared = state.compare(jsonable) if records else ([], 0)
    problems += state_problems
    return ChainReport(not problems, n, problems, warnings, checkpoints, compared)


def _text(side) -> str:
    return side if isinstance(side, CanonicalText) else _canonical_jsonable(side)


def _iso(at) -> str:
    return at.astimezone(UTC).isoformat()


def history(entity: str, entity_id) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(entity=entity, entity_id=str(entity_id)).order_by("seq"))


def head() -> tuple[int, str]:
    """The chain's head (sequence number, hash): it changes with every audited write, so it versions
    any view built from audited records (the hash too, so a database restored or rebuilt to the same
    length does not pass for the same data)."""
    return AuditHead.objects.filter(id=1).values_list("seq", "hash").first() or (0, GENESIS)
