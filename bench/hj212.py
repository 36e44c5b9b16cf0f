"""Benchmark: the HJ 212-2017 receiver against the simulator on loopback, on SQLite and PostgreSQL.

    .venv/bin/python bench/hj212.py                                    # full size: 10,000 points at 30 s
    .venv/bin/python bench/hj212.py --points 200 --duration 5 --burst 3000 --parse 20000   # CI size

Printed first, without a database: the parser alone (frame + data area of a typical real-time frame
with 4 pollutants, frames/s on one core) beside the physical bound of the loopback socket (the same
frames pushed through a TCP connection on 127.0.0.1 and read back, nothing parsed). Then per
database, in a fresh one of each kind (a temporary SQLite file; a temporary database on the server of
DATABASE_URL when it is postgres://, skipped otherwise), with `kz hj212 serve` in its own process:

- sustained: N simulated data loggers, one TCP connection each, a real-time frame every S seconds
  (their starts spread over S), each asking for an answer; the time from sending a frame to its 9014
  answer is the reply latency (p50 / p99 / max). The answer is sent once the frame is stored.
- burst: B frames sent as fast as 32 connections can pipeline them (64 in flight each); frames/s is
  B over the time from the first byte sent to the last answer read.

Every stored frame is counted afterwards; the run exits non-zero if any is missing or refused.
Beside each phase: the receiver's CPU time per frame (from /proc; the machine's other load inflates
it far less than the wall-clock figures) and the load average, to judge those by.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
KZ = str(Path(sys.executable).with_name("kz"))
TARGETS = "targets: 10,000 points at 30 s (333 frames/s) with p99 < 50 ms; burst >= 3,000 frames/s"


def typical_frame(mn="0123456789ABCDEF01234567", qn="20240501101500001") -> bytes:
    from kuangzheng.hj212.core import frame as fr

    cp = "DataTime=20240501101500;" + ";".join(
        f"{c}-Rtd={v},{c}-ZsRtd={v * 1.1:.4g},{c}-Flag=N"
        for c, v in [("a21026", 35.2), ("a21002", 80.4), ("a34013", 6.1)]
    )
    return fr.build(qn, "31", "2011", "123456", mn, 5, cp + ";a19001-Rtd=9.1,a19001-Flag=N")


def parser_alone(n: int) -> float:
    from kuangzheng.hj212.core.cp import parse_cp
    from kuangzheng.hj212.core.frame import parse

    raw = typical_frame()
    t0 = time.perf_counter()
    for _ in range(n):
        parse_cp(parse(raw).cp)
    return n / (time.perf_counter() - t0)


def loopback_bound(seconds: float = 1.0) -> float:
    """Frames/s the loopback TCP socket carries when nothing is parsed (one writer, one reader)."""
    raw = typical_frame()
    block = raw * 256
    srv = socket.create_server(("127.0.0.1", 0))
    port = srv.getsockname()[1]
    got = [0]

    def reader():
        conn, _ = srv.accept()
        while chunk := conn.recv(1 << 20):
            got[0] += len(chunk)
        conn.close()

    t = threading.Thread(target=reader)
    t.start()
    c = socket.create_connection(("127.0.0.1", port))
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        c.sendall(block)
    c.close()
    t.join()
    elapsed = time.perf_counter() - t0
    srv.close()
    return got[0] / len(raw) / elapsed


# ---------------------------------------------------------------- one database


def _setup(url: str, points: int) -> list:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kuangzheng.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from kuangzheng.hj212 import partitions
    from kuangzheng.hj212.models import MonitoringPoint
    from kuangzheng.registry.models import Division, Facility

    partitions.ensure()
    div = Division.objects.create(code="150200", name_zh="包头市", level="prefecture")
    fac = Facility.objects.create(name="基准测试冶炼厂", kind="smelter", division=div, is_generated=True)
    MonitoringPoint.objects.bulk_create(
        [
            MonitoringPoint(
                facility=fac,
                division_code="150200",
                mn=f"{k:024X}",
                password="123456",
                name=f"基准点{k}",
                medium="air",
                reference_o2=6.0,
                is_generated=True,
            )
            for k in range(1, points + 1)
        ],
        batch_size=2000,
    )
    return list(MonitoringPoint.objects.values_list("mn", flat=True))


def _start_receiver(url: str, port: int, data_dir: str) -> subprocess.Popen:
    """The receiver, its log (and the stats it prints when it stops) to a file in data_dir."""
    env = {**os.environ, "DATABASE_URL": url, "KZ_DATA_DIR": data_dir}
    proc = subprocess.Popen(
        [KZ, "hj212", "serve", "--port", str(port), "--evaluate-every", "0", "--max-connections", "15000"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(data_dir) / "receiver.log", "wb"),  # noqa: SIM115 - closed with the process
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the receiver did not start")


async def _burst(port: int, mns: list[str], total: int, conns: int = 32, window: int = 64) -> float:
    from kuangzheng.hj212.core import frame as fr

    base = dt.datetime(2024, 5, 1, 10, 15)
    per = total // conns

    async def one(c: int):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        frames = []
        for k in range(per):
            n = c * per + k
            when = base + dt.timedelta(seconds=30 * (n // len(mns)))
            frames.append(typical_frame(mns[n % len(mns)], when.strftime("%Y%m%d%H%M%S") + "999"))
        for i in range(0, per, window):
            chunk = frames[i : i + window]
            writer.write(b"".join(chunk))
            await writer.drain()
            for _ in chunk:
                answer = fr.parse(await reader.readuntil(b"\r\n"))
                if answer.cn != "9014":
                    raise RuntimeError(f"refused: {answer.cp}")
        writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(one(c) for c in range(conns)))
    return (per * conns) / (time.perf_counter() - t0)


def measure(url: str, points: int, interval: float, duration: float, burst: int) -> int:
    mns = _setup(url, points)
    from django.db import connection

    from kuangzheng.hj212 import simulator
    from kuangzheng.hj212.models import ReceivedFrame
    from kuangzheng.hj212.server import run

    vendor = connection.vendor
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="kz-bench-hj212-") as data_dir:
        proc = _start_receiver(url, port, data_dir)
        try:
            cpu = _cpu_now(proc.pid)
            specs = [simulator.LoggerSpec(mn, "123456", "air", ["a21026", "a21002", "a34013", "a19001"]) for mn in mns]
            stats = run(simulator.simulate(specs, "127.0.0.1", port, interval, duration))
            s = stats.summary()
            rate = s["answered"] / duration
            print(
                f"{vendor:10s} sustained: {points:,} points every {interval:g} s for {duration:g} s: "
                f"{s['answered']:,} frames answered ({rate:,.0f} frames/s with each logger's first hourly frame; "
                f"real-time offered {points / interval:,.0f}/s); "
                f"reply latency p50 {s['p50_ms']} ms, p99 {s['p99_ms']} ms, max {s['max_ms']} ms; "
                f"errors {s['errors']}, refused {s['refused']}; {_cost(proc.pid, cpu, s['answered'])}",
                flush=True,
            )
            stored_before = ReceivedFrame.objects.count()
            cpu = _cpu_now(proc.pid)
            fps = run(_burst(port, mns, burst))
            cost = _cost(proc.pid, cpu, (burst // 32) * 32)
            stored = ReceivedFrame.objects.count() - stored_before
            print(
                f"{vendor:10s} burst: {burst:,} frames pipelined on 32 connections: {fps:,.0f} frames/s parsed and stored; "
                + cost
            )
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            print(f"{'':10s} receiver counters: {_last_line(Path(data_dir) / 'receiver.log')}", flush=True)
    want = (burst // 32) * 32
    ok = s["errors"] == 0 and s["refused"] == 0 and stored == want
    print(
        f"{'':10s} burst frames counted in the database: {stored:,} of {want:,} "
        f"({'all stored once' if stored == want else 'MISSING'}); sustained phase: {s['errors']} client errors "
        f"(timeouts of 10 s or dropped connections), {s['refused']} refused -> {'OK' if ok else 'FAILED'}"
    )
    return 0 if ok else 1


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process so far (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_pids() -> list[int]:
    """The PostgreSQL backends serving the receiver (the other sessions on the bench's database)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return [r[0] for r in cur.fetchall()]


def _cpu_now(pid: int) -> dict:
    return {
        "receiver": _cpu_seconds(pid),
        "backends": {p: _cpu_seconds(p) for p in _server_pids()},
        "simulator": _cpu_seconds(os.getpid()),
    }


def _cost(pid: int, before: dict, frames: int) -> str:
    """CPU per frame over a phase: of the receiver, of the simulator (this process: the loggers'
    side, not on the receiver's machine in the field) and on PostgreSQL of its backends (one that
    started during the phase counts from its start). The other processes' load inflates these far
    less than the wall-clock figures; the load average says how far those can be trusted."""
    after = _cpu_now(pid)
    parts = []
    if frames and before["receiver"] is not None and after["receiver"] is not None:
        parts.append(f"receiver CPU {(after['receiver'] - before['receiver']) / frames * 1e6:,.0f} µs/frame")
    if frames and before["simulator"] is not None and after["simulator"] is not None:
        parts.append(f"simulator CPU {(after['simulator'] - before['simulator']) / frames * 1e6:,.0f} µs/frame")
    backends = [(t, before["backends"].get(p) or 0.0) for p, t in after["backends"].items() if t is not None]
    if frames and backends:
        parts.append(f"PostgreSQL backend CPU {sum(t - t0 for t, t0 in backends) / frames * 1e6:,.0f} µs/frame")
    parts.append("load average " + "/".join(f"{x:.1f}" for x in os.getloadavg()))
    return "; ".join(parts)


def _last_line(path: Path) -> str:
    lines = path.read_text(errors="replace").strip().splitlines()
    return lines[-1] if lines and lines[-1].startswith("{") else "(none printed)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, default=10_000)
    ap.add_argument("--interval", type=float, default=30.0)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of the sustained phase")
    ap.add_argument("--burst", type=int, default=30_000, help="frames of the burst phase")
    ap.add_argument("--parse", type=int, default=200_000, help="frames for the parser alone")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.one:
        return measure(a.one, a.points, a.interval, a.duration, a.burst)
    sys.path.insert(0, str(HERE.parent / "src"))
    size = len(typical_frame())
    print(f"HJ 212 receiver; {TARGETS}", flush=True)
    print(
        f"parser alone (frame + data area, {size}-byte real-time frame, one core): {parser_alone(a.parse):,.0f} frames/s; "
        f"loopback socket bound (same frames, nothing parsed): {loopback_bound():,.0f} frames/s; "
        f"load average {'/'.join(f'{x:.1f}' for x in os.getloadavg())}",
        flush=True,
    )
    args = ["--points", str(a.points), "--interval", str(a.interval), "--duration", str(a.duration)]
    args += ["--burst", str(a.burst)]
    code = 0
    with tempfile.TemporaryDirectory(prefix="kz-bench-") as tmp:
        code |= subprocess.call([sys.executable, __file__, *args, "--one", f"sqlite:///{tmp}/hj212.sqlite3"])
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("postgresql skipped: DATABASE_URL is not a postgres:// URL")
        return code
    import psycopg

    dbname = f"kz_bench_hj212_{os.getpid()}"
    admin_url = url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"create database {dbname}")
    try:
        code |= subprocess.call([sys.executable, __file__, *args, "--one", url.rsplit("/", 1)[0] + "/" + dbname])
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"drop database if exists {dbname} with (force)")
    return code


if __name__ == "__main__":
    sys.exit(main())
