"""Checks on an uploaded or imported file before any parser sees it, so that a small hostile file
cannot cost gigabytes: its size, and for zip-based formats (xlsx) the unpacked size and the
compression ratio as the zip's central directory states them (Python's zipfile never unpacks a member
beyond its stated size, so the statement bounds the work); for attachments also their type, read from
their first bytes (the name and the type the sender claims are not trusted). Limits: docs/limits.md.
Storing and serving attachments (Django) is kuangzheng.attachments."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping

from kuangzheng import limits
from kuangzheng.errors import FieldProblem, InvalidInput


def size_problem(size: int, field: str = "file", limit: str = "upload_bytes") -> FieldProblem | None:
    most = limits.get(limit)
    if size <= most:
        return None
    var = limits.variable(limit)
    return FieldProblem(
        field,
        f"文件过大（{size} 字节以上，上限 {most} 字节，由 {var} 设置）",
        f"the file is too large (over {size} bytes; the limit is {most} bytes, set by {var})",
    )


# The short names refusals list the accepted types by.
TYPE_NAMES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}


def sniff(data: bytes, types: Mapping[str, Iterable[str | bytes]]) -> str | None:
    """The accepted type (content type → its signatures; text signatures are Latin-1, as YAML holds
    them) whose signature `data` starts with, or None."""
    for content_type, signatures in types.items():
        for signature in signatures:
            if data.startswith(signature.encode("latin-1") if isinstance(signature, str) else signature):
                return content_type
    return None


def attachment_problems(
    data: bytes, types: Mapping[str, Iterable[str | bytes]], field: str = "file", limit: str = "upload_bytes"
) -> list[FieldProblem]:
    """Everything wrong with an attachment: empty, over the upload limit, or of a type not accepted."""
    if not data:
        return [FieldProblem(field, "文件为空", "the file is empty")]
    problems = [p for p in [size_problem(len(data), field, limit)] if p]
    if sniff(data, types) is None:
        names = [TYPE_NAMES.get(t, t) for t in types]
        problems.append(
            FieldProblem(
                field,
                f"文件类型不受支持（仅 {'、'.join(names)}，按文件内容而非文件名识别）",
                f"unsupported file type ({', '.join(names)} only, recognised by the content, not the name)",
            )
        )
    return problems


def zip_problem(data: bytes, field: str = "file") -> FieldProblem | None:
    """A problem if a zip-based file would unpack to more than the limits allow; None if it would
    not, or if it is no zip at all (the format's own parser then says what is wrong)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    unpacked = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    most, ratio = limits.get("unpacked_bytes"), limits.get("zip_ratio")
    if unpacked > most:
        var = limits.variable("unpacked_bytes")
        return FieldProblem(
            field,
            f"文件解压后为 {unpacked} 字节，超过上限 {most} 字节（由 {var} 设置）",
            f"the file unpacks to {unpacked} bytes, more than the limit of {most} bytes (set by {var})",
        )
    if unpacked > 1024 * 1024 and unpacked / packed > ratio:  # small files compress well and cost nothing
        var = limits.variable("zip_ratio")
        return FieldProblem(
            field,
            f"文件压缩比为 {unpacked / packed:.0f}:1，超过上限 {ratio}:1（由 {var} 设置），疑为压缩炸弹",
            f"the file is compressed {unpacked / packed:.0f}:1, beyond the limit of {ratio}:1 (set by {var}); "
            "it looks like a zip bomb",
        )
    return None


def check(data: bytes, field: str = "file", *, zipped: bool = False, limit: str = "upload_bytes") -> None:
    """Raise InvalidInput if the file is too large, or (zip-based) would unpack too far."""
    problem = size_problem(len(data), field, limit) or (zip_problem(data, field) if zipped else None)
    if problem:
        raise InvalidInput([problem])
