"""Split packets (Flag bit D, PNUM/PNO): the packets of one message share MN, QN and CN; their data
areas are joined in PNO order into one message."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import replace

from .frame import FLAG_SPLIT, Frame


class Reassembler:
    """Collects packets until every PNO of a message is in. Incomplete messages older than `ttl`
    seconds, or beyond `max_pending`, are dropped (oldest first), so a sender cannot fill memory."""

    def __init__(self, ttl: float = 120.0, max_pending: int = 10_000, clock=time.monotonic):
        self.ttl, self.max_pending, self.clock = ttl, max_pending, clock
        self.pending: OrderedDict[tuple, tuple[float, int, dict[int, Frame]]] = OrderedDict()
        self.dropped = 0

    def add(self, frame: Frame) -> Frame | None:
        """The whole message when this packet completes it (or is not split); else None."""
        if not frame.is_split:
            return frame
        self._expire()
        key = frame.key
        started, pnum, parts = self.pending.get(key, (self.clock(), frame.pnum, {}))
        if pnum != frame.pnum:  # a packet disagreeing on the count: the message cannot be trusted
            self.pending.pop(key, None)
            self.dropped += 1
            return None
        parts.setdefault(frame.pno, frame)  # a repeated packet changes nothing
        if len(parts) < pnum:
            self.pending[key] = (started, pnum, parts)
            while len(self.pending) > self.max_pending:
                self.pending.popitem(last=False)
                self.dropped += 1
            return None
        self.pending.pop(key, None)
        ordered = [parts[n] for n in range(1, pnum + 1)]
        return replace(
            ordered[0],
            cp=join_cp(p.cp for p in ordered),
            flag=ordered[0].flag & ~FLAG_SPLIT,
            pnum=None,
            pno=None,
            crc_ok=all(p.crc_ok for p in ordered),
            problems=tuple(x for p in ordered for x in p.problems),
        )

    def _expire(self) -> None:
        limit = self.clock() - self.ttl
        while self.pending:
            key, (started, _, _) = next(iter(self.pending.items()))
            if started >= limit:
                break
            self.pending.popitem(last=False)
            self.dropped += 1


def join_cp(parts) -> str:
    """Join data areas split at item boundaries: `;` between them unless one already ends there."""
    out = ""
    for p in parts:
        if not p:
            continue
        if out and not out.endswith((";", ",")) and not p.startswith((";", ",")):
            out += ";"
        out += p
    return out


def split_cp(cp: str, room: int) -> list[str]:
    """Cut a data area at `;` boundaries into chunks of at most `room` characters (for senders)."""
    chunks, cur = [], ""
    for item in cp.split(";"):
        if len(item) > room:
            raise ValueError(f"item of {len(item)} characters does not fit in {room}")
        if cur and len(cur) + 1 + len(item) > room:
            chunks.append(cur)
            cur = item
        else:
            cur = f"{cur};{item}" if cur else item
    chunks.append(cur)
    return chunks
