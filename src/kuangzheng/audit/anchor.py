"""Signed checkpoints anchor the audit chain outside the database.

The hash chain alone only shows that the log is consistent with itself: whoever can write the
database can delete the last entries and rewind the head, or rewrite an entry and recompute every
later hash. A checkpoint records (seq, head hash, time) signed with an Ed25519 key that is not in the
database, is appended to a log file outside it, and the latest one is published (portal and API) for
others to keep. A chain that no longer reaches a checkpoint's seq, or whose entry at that seq has
another hash, is then detected, and a new checkpoint cannot be forged without the key.

Ed25519 rather than HMAC: verifying needs only the public key, which is published with the
checkpoint, so an outside auditor can check a copied checkpoint without being able to forge one.

The key: the environment variable KZ_AUDIT_KEY (base64 of the 32-byte private key, for a secret
manager) or the PEM file `settings.AUDIT_SIGNING_KEY_FILE`, created with mode 0600 on first use.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import AuditCheckpoint, AuditEntry

log = logging.getLogger(__name__)
DOMAIN = "kuangzheng-audit-checkpoint/1"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str  # ISO 8601, UTC
    key_id: str
    signature: str  # base64

    def message(self) -> bytes:
        return f"{DOMAIN}\n{self.seq}\n{self.hash}\n{self.at}".encode()


# ---------------------------------------------------------------- the key


def private_key(create: bool = False) -> Ed25519PrivateKey | None:
    env = os.environ.get("KZ_AUDIT_KEY", "").strip()
    if env:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(env))
    path = Path(settings.AUDIT_SIGNING_KEY_FILE)
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


def public_key_info() -> dict | None:
    key = private_key()
    if key is None:
        return None
    raw = public_bytes(key)
    return {"key_id": key_id(raw), "public_key": base64.b64encode(raw).decode(), "algorithm": "Ed25519"}


# ---------------------------------------------------------------- making checkpoints


def _of_row(c: AuditCheckpoint) -> Checkpoint:
    return Checkpoint(c.seq, c.head_hash, _iso(c.at), c.key_id, c.signature)


def _iso(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat()


def latest() -> Checkpoint | None:
    c = AuditCheckpoint.objects.order_by("-seq").first()
    return _of_row(c) if c else None


def checkpoint() -> Checkpoint | None:
    """Sign the committed head of the chain, store it and append it to the checkpoint log. Returns the
    latest checkpoint (the existing one when the head has not moved); None for an empty chain."""
    head = AuditEntry.objects.order_by("-seq").values("seq", "hash").first()
    if head is None:
        return None
    last = latest()
    if last and last.seq >= head["seq"]:
        return last
    key = private_key(create=True)
    at = timezone.now().replace(microsecond=0)
    unsigned = Checkpoint(head["seq"], head["hash"], _iso(at), key_id(public_bytes(key)), "")
    cp = Checkpoint(**{**asdict(unsigned), "signature": base64.b64encode(key.sign(unsigned.message())).decode()})
    try:
        with transaction.atomic():
            AuditCheckpoint.objects.create(
                seq=cp.seq, head_hash=cp.hash, at=at, key_id=cp.key_id, signature=cp.signature
            )
            _append_to_log(cp)  # inside the transaction: a failed write leaves no row without its line
    except IntegrityError:  # a concurrent writer anchored the same head
        return latest()
    _remember(cp)
    return cp


def _append_to_log(cp: Checkpoint) -> None:
    path = Path(settings.AUDIT_CHECKPOINT_LOG)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(asdict(cp), sort_keys=True) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


_recent: dict = {}  # this process's view of the last checkpoint: spares a query on every write


def _remember(cp: Checkpoint) -> None:
    _recent.update(seq=cp.seq, day=dt.datetime.fromisoformat(cp.at).astimezone(timezone.get_current_timezone()).date())


def forget() -> None:
    """Drop this process's memory of the last checkpoint (after a restore, between test databases)."""
    _recent.clear()


def after_commit(seq: int) -> None:
    """Called when a transaction that appended entry `seq` commits: anchor the chain on the first
    write of each day and every AUDIT_CHECKPOINT_EVERY entries. Never fails the (committed) write."""
    try:
        if not _recent:
            last = latest()
            if last:
                _remember(last)
        due = (
            not _recent
            or _recent["day"] != timezone.localdate()
            or seq - _recent["seq"] >= settings.AUDIT_CHECKPOINT_EVERY
        )
        if due:
            checkpoint()
    except Exception:  # the write is committed; a missed checkpoint is made by the next one or by cron
        log.exception("audit checkpoint failed")


# ---------------------------------------------------------------- verifying


def _read_log() -> tuple[list[Checkpoint], list[str]]:
    path = Path(settings.AUDIT_CHECKPOINT_LOG)
    found, problems = [], []
    if not path.exists():
        return found, problems
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            found.append(Checkpoint(**json.loads(line)))
        except (ValueError, TypeError):
            problems.append(f"checkpoint log line {n} unreadable / 检查点日志第 {n} 行无法解析")
    return found, problems


def check(hash_at: dict[int, str], last_seq: int) -> tuple[list[str], list[str], int]:
    """Check every checkpoint (from the database and the log file) against the chain: `hash_at` maps
    the checkpoints' seqs to the chain's hashes there. Returns (problems, warnings, checkpoints)."""
    from_log, problems = _read_log()
    from_db = [_of_row(c) for c in AuditCheckpoint.objects.order_by("seq")]
    warnings: list[str] = []
    log_keys, db_keys = {(c.seq, c.hash) for c in from_log}, {(c.seq, c.hash) for c in from_db}
    for c in from_db:
        if from_log and (c.seq, c.hash) not in log_keys:
            warnings.append(f"checkpoint seq {c.seq} is in the database but not in the checkpoint log")
    for c in from_log:
        if (c.seq, c.hash) not in db_keys:
            warnings.append(f"checkpoint seq {c.seq} is in the checkpoint log but not in the database (deleted?)")
    every = {(c.seq, c.hash, c.signature): c for c in from_db + from_log}.values()
    key = private_key()
    public: Ed25519PublicKey | None = key.public_key() if key else None
    own_id = key_id(public_bytes(key)) if key else None
    for c in sorted(every, key=lambda c: c.seq):
        if public is None:
            problems.append(f"checkpoint seq {c.seq}: no signing key to verify it with (KZ_AUDIT_KEY_FILE)")
        elif c.key_id != own_id:
            problems.append(f"checkpoint seq {c.seq}: signed with another key ({c.key_id}) / 签名密钥不符")
        else:
            try:
                public.verify(base64.b64decode(c.signature), c.message())
            except (InvalidSignature, ValueError):
                problems.append(f"checkpoint seq {c.seq}: signature does not verify (forged?) / 检查点签名无效")
        if c.seq > last_seq:
            problems.append(
                f"checkpoint seq {c.seq} (signed {c.at}) is beyond the chain's end at seq {last_seq}: "
                f"entries {last_seq + 1}–{c.seq} missing (truncated and the head rewound?) / 审计链被截断"
            )
        elif hash_at.get(c.seq) != c.hash:
            problems.append(
                f"checkpoint seq {c.seq}: the chain's hash there differs from the signed one (entries rewritten "
                "and later hashes recomputed?) / 审计链与签名检查点不符"
            )
    if last_seq and not every:
        warnings.append("no checkpoint yet: the chain is not anchored (run `kz audit checkpoint`)")
    return problems, warnings, len(every)


def seqs() -> set[int]:
    """Every seq a checkpoint (database or log) names: the chain's hashes there are collected."""
    return {c.seq for c in _read_log()[0]} | set(AuditCheckpoint.objects.values_list("seq", flat=True))
