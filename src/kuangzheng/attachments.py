"""Attachments kept in the database, the same for every domain: one abstract model (the file's name,
its type as read from its bytes, size, SHA-256 and the bytes, who uploaded it and when), one way to
read an upload, one to check and store it, one to serve it.

What stays in each domain: the types it accepts, the rows an attachment belongs to, who may upload
and who may download (its scope rule, applied before these are called), and its audit entry, written
in the same transaction as the row. The checks themselves are pure (kuangzheng.uploads)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

from django.db import models, transaction
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from kuangzheng import limits, uploads
from kuangzheng.errors import FieldProblem, InvalidInput

NAME_LENGTH = 200


class StoredFile(models.Model):
    filename = models.CharField(max_length=NAME_LENGTH)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_by = models.CharField(max_length=150)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


def read(upload, limit: str = "upload_bytes") -> bytes:
    """The bytes of an uploaded file (Django's UploadedFile; None gives b""), never more than one
    byte past the limit into memory, so the size check can still say it was too large."""
    return upload.read(limits.get(limit) + 1) if upload is not None else b""


def clean_name(filename, default: str) -> str:
    """The name to keep: the last part of what the browser sent, without control characters."""
    name = str(filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:NAME_LENGTH] or default


def store(
    model: type[StoredFile],
    uploaded_by: str,
    filename,
    content: bytes,
    types: Mapping[str, Iterable[str | bytes]],
    *,
    default_name: str = "file",
    problems: Sequence[FieldProblem] = (),
    **owner,
) -> StoredFile:
    """Check the file (empty, size, type by its first bytes) and store it as a row of `model` with
    its SHA-256; `owner` names the rows it belongs to. The domain's own `problems` are reported with
    the file's, all at once; with any problem nothing is written."""
    every = [*problems, *uploads.attachment_problems(content, types)]
    if every:
        raise InvalidInput(every)
    with transaction.atomic():
        return model.objects.create(
            filename=clean_name(filename, default_name),
            content_type=uploads.sniff(content, types),
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=bytes(content),
            uploaded_by=uploaded_by,
            **owner,
        )


def response(stored: StoredFile) -> HttpResponse:
    """The file as a download: never shown inline, its stored type not second-guessed by the browser."""
    resp = HttpResponse(bytes(stored.content), content_type=stored.content_type)
    resp["Content-Disposition"] = content_disposition_header(True, stored.filename)
    resp["X-Content-Type-Options"] = "nosniff"
    return resp
