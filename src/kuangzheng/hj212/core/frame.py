"""HJ 212-2017 frames: `##` + 4-digit length + data segment + 4 hex CRC + CR LF.

`parse` checks a frame in one of two modes. Strict refuses anything the standard does not allow,
with the reply code (QnRtn) the standard has for it. Lenient keeps what is readable from a broken
frame (field devices send wrong CRCs, wrong lengths, extra keys) and lists what was wrong with it, but
still refuses a frame whose identity (QN, CN, MN) cannot be read: without it nothing can be stored
once and only once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum

MAX_SEGMENT = 1024  # characters of the data segment
MAX_FRAME = 2 + 4 + MAX_SEGMENT + 4 + 2  # 1036 bytes
VERSION_2017 = 1  # Flag bits V5..V0 = 000001
FLAG_REPLY = 0b01  # bit A: the sender wants an answer
FLAG_SPLIT = 0b10  # bit D: one of several packets
HEADER_KEYS = ("QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO")


class QnRtn(IntEnum):
    """Request answer codes (CN 9011)."""

    READY = 1
    REJECTED = 2
    PW_ERROR = 3
    MN_ERROR = 4
    ST_ERROR = 5
    FLAG_ERROR = 6
    QN_ERROR = 7
    CN_ERROR = 8
    CRC_ERROR = 9
    UNKNOWN = 100


class ExeRtn(IntEnum):
    """Execution result codes (CN 9012)."""

    SUCCESS = 1
    FAILED = 2
    CONDITION_ERROR = 3
    TIMEOUT = 4
    BUSY = 5
    SYSTEM_ERROR = 6
    NO_DATA = 100


class FrameError(ValueError):
    """A frame refused; `rtn` is the code to answer with, `fields` what could be read of its header."""

    def __init__(self, rtn: QnRtn, reason: str, fields: dict | None = None):
        super().__init__(reason)
        self.rtn, self.reason, self.fields = rtn, reason, dict(fields or {})


@dataclass(frozen=True)
class Frame:
    qn: str
    st: str
    cn: str
    pw: str
    mn: str
    flag: int | None
    cp: str  # the text between CP=&& and the closing &&
    pnum: int | None = None
    pno: int | None = None
    crc_ok: bool = True
    problems: tuple[str, ...] = field(default=())  # what lenient parsing overlooked

    @property
    def wants_reply(self) -> bool:
        return bool(self.flag is not None and self.flag & FLAG_REPLY)

    @property
    def is_split(self) -> bool:
        return bool(self.flag is not None and self.flag & FLAG_SPLIT and self.pnum and self.pnum > 1)

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes a message unique: a re-sent frame repeats its QN."""
        return (self.mn, self.qn, self.cn)


def crc16_bitwise(data: bytes) -> int:
    """HJ 212-2017 Appendix A as written: start 0xFFFF; each byte is XORed into the HIGH byte
    (`crc >> 8`), then 8 shifts with 0xA001. Not CRC-16/MODBUS, which XORs it into the low byte."""
    crc = 0xFFFF
    for b in data:
        crc = (crc >> 8) ^ b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def _table() -> tuple[int, ...]:
    return tuple(crc16_bitwise_step(b) for b in range(256))


def crc16_bitwise_step(value: int) -> int:
    for _ in range(8):
        value = (value >> 1) ^ 0xA001 if value & 1 else value >> 1
    return value


_TABLE = _table()


def crc16(data: bytes) -> int:
    """The same CRC by table: after `(crc >> 8) ^ b` the value is below 256, so the 8 shifts are one
    look-up (a test checks it against `crc16_bitwise` on random input)."""
    crc = 0xFFFF
    table = _TABLE
    for b in data:
        crc = table[(crc >> 8) ^ b]
    return crc


def crc_text(segment: bytes) -> str:
    """Written as 4 hex digits, high byte first (upper case; readers compare case-insensitively)."""
    return f"{crc16(segment):04X}"


_QN = re.compile(r"\d{17}")
_QN_LENIENT = re.compile(r"\d{1,20}")
_MN = re.compile(r"[0-9A-Fa-f]{24}")
_MN_LENIENT = re.compile(r"[0-9A-Za-z_-]{1,24}")
_DIGITS = re.compile(r"\d+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _segment_bounds(raw: bytes, strict: bool, problems: list[str]) -> tuple[bytes, bytes]:
    """Split `##LLLL<segment><CRC>` into segment and CRC text, checking the declared length."""
    if len(raw) > MAX_FRAME:
        raise FrameError(QnRtn.REJECTED, f"frame longer than {MAX_FRAME} bytes")
    if not raw.startswith(b"##"):
        raise FrameError(QnRtn.REJECTED, "frame does not start with ##")
    declared = raw[2:6]
    if len(raw) < 10 or not declared.isdigit():
        raise FrameError(QnRtn.REJECTED, "no 4-digit length after ##")
    length = int(declared)
    if length > MAX_SEGMENT:
        raise FrameError(QnRtn.REJECTED, f"declared length {length} above {MAX_SEGMENT}")
    if len(raw) != 6 + length + 4:
        if strict:
            raise FrameError(QnRtn.REJECTED, f"declared length {length}, data segment is {len(raw) - 10} bytes")
        problems.append(f"declared length {length}, data segment is {len(raw) - 10} bytes")
    return raw[6:-4], raw[-4:]


def _header(text: str, strict: bool, problems: list[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for item in text.split(";"):
        if not item:
            continue
        key, eq, value = item.partition("=")
        if not eq or key not in HEADER_KEYS:
            if strict:
                raise FrameError(QnRtn.REJECTED, f"unknown header item {item[:30]!r}", fields)
            problems.append(f"ignored header item {item[:30]!r}")
            continue
        if key in fields:
            raise FrameError(QnRtn.REJECTED, f"{key} given twice", fields)
        fields[key] = value
    return fields


def _int_field(fields: dict, key: str, rtn: QnRtn, limit: int) -> int | None:
    value = fields.get(key)
    if value is None:
        return None
    if not _DIGITS.fullmatch(value) or int(value) > limit:
        raise FrameError(rtn, f"{key}={value[:20]!r} is not a number up to {limit}", fields)
    return int(value)


def _check_identity(f: dict, strict: bool, problems: list[str]) -> None:
    for key, rtn in (("QN", QnRtn.QN_ERROR), ("CN", QnRtn.CN_ERROR), ("MN", QnRtn.MN_ERROR)):
        if not f.get(key):
            raise FrameError(rtn, f"{key} missing", f)
    if not (_QN if strict else _QN_LENIENT).fullmatch(f["QN"]) or not _valid_qn_time(f["QN"], strict):
        raise FrameError(QnRtn.QN_ERROR, f"QN={f['QN'][:24]!r} is not YYYYMMDDhhmmsszzz", f)
    if not re.fullmatch(r"\d{4}", f["CN"]):
        raise FrameError(QnRtn.CN_ERROR, f"CN={f['CN'][:10]!r} is not 4 digits", f)
    if not (_MN if strict else _MN_LENIENT).fullmatch(f["MN"]):
        raise FrameError(QnRtn.MN_ERROR, f"MN={f['MN'][:30]!r} is not 24 hexadecimal characters", f)
    if not re.fullmatch(r"\d{2}", f.get("ST", "")):
        if strict:
            raise FrameError(QnRtn.ST_ERROR, f"ST={f.get('ST', '')[:10]!r} is not 2 digits", f)
        problems.append(f"ST={f.get('ST', '')[:10]!r} is not 2 digits")
    if len(f.get("PW", "")) > 6:
        if strict:
            raise FrameError(QnRtn.PW_ERROR, "PW longer than 6 characters", f)
        problems.append("PW longer than 6 characters")


def _valid_qn_time(qn: str, strict: bool) -> bool:
    if not strict:
        return True
    from datetime import datetime

    try:
        datetime(int(qn[:4]), int(qn[4:6]), int(qn[6:8]), int(qn[8:10]), int(qn[10:12]), int(qn[12:14]))
    except ValueError:
        return False
    return True


def loose_fields(raw: bytes) -> dict[str, str]:
    """QN, MN and PW found anywhere in a frame too broken to parse, to address the refusal to."""
    text = raw[:MAX_FRAME].decode("ascii", "replace")
    found = {}
    for key, pattern in (("QN", r"\d{1,20}"), ("MN", r"[0-9A-Za-z]{1,24}"), ("PW", r"[0-9A-Za-z]{1,6}")):
        m = re.search(rf"(?:^|[;#\d]){key}=({pattern})(?=;)", text)
        if m:
            found[key] = m.group(1)
    return found


def parse(raw: bytes, *, strict: bool = True) -> Frame:
    """One frame, with or without its CR LF. Raises FrameError with the QnRtn to answer (and what
    could be read of the header, to address the answer to)."""
    try:
        return _parse(raw, strict)
    except FrameError as exc:
        if not exc.fields:
            exc.fields = loose_fields(raw)
        raise


def _parse(raw: bytes, strict: bool) -> Frame:
    problems: list[str] = []
    if raw.endswith(b"\r\n"):
        raw = raw[:-2]
    elif strict:
        raise FrameError(QnRtn.REJECTED, "frame does not end with CR LF")
    segment, crc_given = _segment_bounds(raw, strict, problems)
    try:
        text = segment.decode("utf-8")
    except UnicodeDecodeError:
        raise FrameError(QnRtn.REJECTED, "data segment is not UTF-8") from None
    if _CONTROL.search(text):
        raise FrameError(QnRtn.REJECTED, "control character in the data segment")
    crc_ok = crc_given.upper() == crc_text(segment).encode()
    head, cp_mark, rest = text.partition("CP=&&")
    fields = _header(head, strict, problems)
    if not crc_ok:
        if strict:
            raise FrameError(
                QnRtn.CRC_ERROR, f"CRC {crc_given.decode(errors='replace')} != {crc_text(segment)}", fields
            )
        problems.append(f"CRC {crc_given.decode(errors='replace')} != {crc_text(segment)}")
    if not strict and "QN" not in fields:  # HJ/T 212-2005 frames have no QN: their DataTime names them
        found = re.search(r"DataTime=(\d{14})", rest)
        if found:
            fields["QN"] = found.group(1) + "000"
            problems.append("no QN: DataTime used in its place")
    _check_identity(fields, strict, problems)
    flag = _int_field(fields, "Flag", QnRtn.FLAG_ERROR, 255)
    if strict and (flag is None or flag >> 2 != VERSION_2017):
        raise FrameError(QnRtn.FLAG_ERROR, f"Flag={fields.get('Flag')!r} does not carry version 2017 (000001)", fields)
    if flag is None or flag >> 2 != VERSION_2017:
        problems.append(f"Flag={fields.get('Flag')!r} does not carry version 2017 (000001)")
    pnum = _int_field(fields, "PNUM", QnRtn.REJECTED, 9999)
    pno = _int_field(fields, "PNO", QnRtn.REJECTED, 9999)
    if flag is not None and flag & FLAG_SPLIT:
        if not pnum or not pno or pno > pnum:
            raise FrameError(QnRtn.REJECTED, "split packet without a valid PNUM/PNO", fields)
    if not cp_mark or not rest.endswith("&&"):
        if strict:
            raise FrameError(QnRtn.REJECTED, "no CP=&&…&& data area", fields)
        problems.append("no closing && of the data area")
        cp = rest.rstrip("&")
    else:
        cp = rest[:-2]
    return Frame(
        qn=fields["QN"],
        st=fields.get("ST", ""),
        cn=fields["CN"],
        pw=fields.get("PW", ""),
        mn=fields["MN"],
        flag=flag,
        cp=cp,
        pnum=pnum,
        pno=pno,
        crc_ok=crc_ok,
        problems=tuple(problems),
    )


def segment_of(qn: str, st: str, cn: str, pw: str, mn: str, flag: int, cp: str, pnum=None, pno=None) -> str:
    parts = [f"QN={qn}", f"ST={st}", f"CN={cn}", f"PW={pw}", f"MN={mn}", f"Flag={flag}"]
    if pnum is not None:
        parts += [f"PNUM={pnum}", f"PNO={pno}"]
    return ";".join(parts) + f";CP=&&{cp}&&"


def wrap(segment: str, crc: str | None = None) -> bytes:
    """`##` + length + segment + CRC + CR LF; `crc` overrides the computed one (to test refusals)."""
    data = segment.encode("utf-8")
    if len(data) > MAX_SEGMENT:
        raise ValueError(f"data segment of {len(data)} bytes is above {MAX_SEGMENT}")
    return b"##%04d" % len(data) + data + (crc or crc_text(data)).encode() + b"\r\n"


def build(qn: str, st: str, cn: str, pw: str, mn: str, flag: int, cp: str, pnum=None, pno=None) -> bytes:
    return wrap(segment_of(qn, st, cn, pw, mn, flag, cp, pnum, pno))
