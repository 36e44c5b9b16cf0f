"""`kz hj212 simulate`: data loggers sending valid HJ 212-2017 frames over TCP, one connection each,
plus faults on request: wrong CRCs, split packets, points that fall silent, values above the limits,
an analyser in fault. For the demo, the tests and the benchmark; it sends only to the address given
(loopback by default). Each real-time frame asks for an answer (Flag=5) and the time to the answer
is recorded."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
from dataclasses import dataclass, field

from .core import frame as fr
from .core import replies
from .core.packets import split_cp

ST = {"air": "31", "water": "32"}
TYPICAL = {  # plausible real-time values where no limit guides them
    "a21026": 35.0,
    "a21002": 80.0,
    "a34013": 8.0,
    "a19001": 9.0,
    "a20043": 0.05,
    "a20025": 0.01,
    "a20057": 0.005,
    "a20007": 0.02,
    "w01018": 40.0,
    "w21003": 3.0,
    "w20120": 50.0,
    "w20115": 5.0,
    "w20119": 20.0,
}


@dataclass
class LoggerSpec:
    mn: str
    password: str
    medium: str
    codes: list[str]
    limits: dict[str, tuple[float, str]] = field(default_factory=dict)  # code -> (value, basis)


@dataclass
class Faults:
    bad_crc: float = 0.0  # share of real-time frames sent with a wrong CRC
    split: float = 0.0  # share of real-time frames sent as split packets
    exceed: set[str] = field(default_factory=set)  # MNs whose values are 1.5 x their limits
    silent: set[str] = field(default_factory=set)  # MNs that stop after `silent_after` frames
    silent_after: int = 3
    fault: set[str] = field(default_factory=set)  # MNs whose analysers report D (fault)


@dataclass
class Stats:
    sent: int = 0
    answered: int = 0
    refused: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)

    def summary(self) -> dict:
        lat = sorted(self.latencies)
        pick = lambda q: round(lat[min(len(lat) - 1, int(q * len(lat)))] * 1000, 2) if lat else None
        return {
            "sent": self.sent,
            "answered": self.answered,
            "refused": self.refused,
            "errors": self.errors,
            "p50_ms": pick(0.50),
            "p99_ms": pick(0.99),
            "max_ms": pick(1.0),
        }


def qn(now: dt.datetime, seq: int) -> str:
    return now.strftime("%Y%m%d%H%M%S") + f"{seq % 1000:03d}"


def values_cp(spec: LoggerSpec, faults: Faults, kind: str, rng: random.Random) -> str:
    """The pollutant items of one frame: `kind` is Rtd (real time) or Avg (aggregates)."""
    items = []
    for code in spec.codes:
        limit, basis = spec.limits.get(code, (None, "measured"))
        base = limit * 0.5 if limit else TYPICAL.get(code, 10.0)
        v = (limit * 1.5 if spec.mn in faults.exceed and limit else base) * rng.uniform(0.95, 1.05)
        flag = "D" if spec.mn in faults.fault else "N"
        zs = "Zs" + kind
        extra = f",{code}-{zs}={v:.4g}" if spec.medium == "air" and code != "a19001" else ""
        if kind == "Avg":
            extra += f",{code}-Min={v * 0.9:.4g},{code}-Max={v * 1.1:.4g}"
        items.append(f"{code}-{kind}={v:.4g}{extra},{code}-Flag={flag}")
    return ";".join(items)


def frames_for(spec: LoggerSpec, faults: Faults, cn: str, data_time: dt.datetime, seq: int, rng) -> list[bytes]:
    """One upload as one frame, or as split packets, with a wrong CRC when the fault asks."""
    kind = "Rtd" if cn == "2011" else "Avg"
    cp = f"DataTime={data_time:%Y%m%d%H%M%S};" + values_cp(spec, faults, kind, rng)
    q = qn(dt.datetime.now(), seq)
    if cn == "2011" and rng.random() < faults.split:
        chunks = split_cp(cp, max(60, len(cp) // 2 + 1))
        return [
            fr.build(q, ST[spec.medium], cn, spec.password, spec.mn, 7, c, len(chunks), n + 1)
            for n, c in enumerate(chunks)
        ]
    seg = fr.segment_of(q, ST[spec.medium], cn, spec.password, spec.mn, 5, cp)
    if cn == "2011" and rng.random() < faults.bad_crc:
        good = fr.crc16(seg.encode())
        return [fr.wrap(seg, f"{good ^ 0x5A5A:04X}")]
    return [fr.wrap(seg)]


async def _exchange(reader, writer, packets: list[bytes], stats: Stats, timeout: float) -> None:
    for packet in packets:
        started = time.perf_counter()
        writer.write(packet)
        await writer.drain()
        stats.sent += 1
        line = await asyncio.wait_for(reader.readuntil(b"\r\n"), timeout)
        answer = fr.parse(line, strict=False)
        if answer.cn == "9014":
            stats.answered += 1
            stats.latencies.append(time.perf_counter() - started)
        elif answer.cn == "9011":
            stats.refused += 1
        elif answer.cn not in ("9013",):  # a request from the platform: answered as a logger does
            for out in replies.answer_request(answer):
                writer.write(out)


async def run_logger(spec, host, port, interval, until, faults, stats, rng, start_delay=0.0, timeout=10.0):
    await asyncio.sleep(start_delay)
    seq = rng.randrange(1000)
    hour_sent = None
    sent = 0
    reader = writer = None
    while time.monotonic() < until:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            now = dt.datetime.now().replace(microsecond=0)
            last_hour = now.replace(minute=0, second=0) - dt.timedelta(hours=1)
            if hour_sent != last_hour:  # the last complete hour's averages, as loggers send after each hour
                await _exchange(reader, writer, frames_for(spec, faults, "2061", last_hour, seq, rng), stats, timeout)
                hour_sent = last_hour
                seq += 1
            if spec.mn in faults.silent and sent >= faults.silent_after:
                break
            await _exchange(reader, writer, frames_for(spec, faults, "2011", now, seq, rng), stats, timeout)
            seq += 1
            sent += 1
        except (OSError, TimeoutError, asyncio.IncompleteReadError, fr.FrameError, asyncio.LimitOverrunError):
            stats.errors += 1
            if writer is not None:
                writer.close()
            reader = writer = None
        await asyncio.sleep(max(0.0, interval))
    if writer is not None:
        writer.close()


async def simulate(specs, host, port, interval, duration, faults=None, seed=212) -> Stats:
    faults = faults or Faults()
    stats = Stats()
    until = time.monotonic() + duration
    rng = random.Random(seed)
    tasks = [
        run_logger(s, host, port, interval, until, faults, stats, random.Random(rng.random()), rng.uniform(0, interval))
        for s in specs
    ]
    await asyncio.gather(*tasks)
    return stats


def synthetic_specs(n: int, seed: int = 212) -> list[LoggerSpec]:
    """N flue-gas loggers with made-up MNs (for a receiver whose points the caller registered)."""
    rng = random.Random(seed)
    return [
        LoggerSpec(f"{rng.getrandbits(96):024X}", "123456", "air", ["a21026", "a21002", "a34013", "a19001"])
        for _ in range(n)
    ]
