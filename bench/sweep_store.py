"""Benchmark: storing a big sweep's results through the service layer, on SQLite and PostgreSQL.

    .venv/bin/python bench/sweep_store.py --n 100000     # default: the national-size synthetic sweep
    .venv/bin/python bench/sweep_store.py --n 3000       # CI size, seconds

The sweep is bench/sweep.py's synthetic registry (N facilities + N rights, seeded), evaluated by the
engine; what is timed is `compliance.services.store_sweep` — build the result rows column-wise, write
them (executemany on SQLite, COPY on PostgreSQL), counts, audit — in a fresh database of each kind:
a temporary SQLite file, and a temporary database on the server of DATABASE_URL when it is a
postgres:// URL (skipped with a message otherwise). Printed per database: rows stored, time, rows per
second, and the peak memory (max RSS) during the store, beside the memory held before it (the
synthetic registry, its batches and evaluations). It then reads back a sample of stored rows and checks that they
render exactly as the engine renders the same verdicts (exit code 1 if not).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kuangzheng.settings"
    os.environ.setdefault("KZ_DATA_DIR", tempfile.mkdtemp(prefix="kz-bench-"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _rss() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _reset_peak() -> bool:
    """Reset the process's peak RSS (Linux: 5 > /proc/self/clear_refs), so that the peak read after the
    store is the store's own, not the evaluation's before it."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _peak(fresh: bool) -> float:
    if fresh:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # since the process started


def subject_labels(fb, rb, rng):
    from kuangzheng.compliance.store import Labels

    def of(b, word):
        n = len(b)
        return Labels.of(
            b.ids,
            [f"{word}{i}" for i in b.ids.tolist()],
            list(map(str, b.text("division"))),
            rng.integers(1, max(2, n // 5), n).tolist(),
        )

    return {"facility": of(fb, "合成设施"), "right": of(rb, "C150000合成矿业权")}


def measure(n: int, sample: int) -> int:
    """One database (the one DATABASE_URL names): store the sweep, print figures, check a sample."""
    import numpy as np

    sys.path.insert(0, str(HERE))
    from django.db import connection

    import sweep as synthetic  # bench/sweep.py: the synthetic registry
    from kuangzheng.access.actor import Actor
    from kuangzheng.compliance import services
    from kuangzheng.compliance.core import engine
    from kuangzheng.compliance.models import SweepResult

    fb, rb = synthetic.sweep(n)[:2]  # (facility batch, right batch, timings…)
    evals = engine.evaluate([fb, rb])
    labels = subject_labels(fb, rb, np.random.default_rng(7))
    admin = Actor("bench-admin", "admin")
    services.store_sweep(admin, synthetic.AS_OF, evals[:1], labels)  # warm-up: connection, statements
    before = _rss()
    fresh_peak = _reset_peak()
    t0 = time.perf_counter()
    run = services.store_sweep(admin, synthetic.AS_OF, evals, labels)
    seconds = time.perf_counter() - t0
    peak = _peak(fresh_peak)
    rows = SweepResult.objects.filter(run=run).count()
    print(
        f"{connection.vendor:10s} {rows:>9,} rows in {seconds:6.2f} s = {rows / seconds:>9,.0f} rows/s; "
        f"peak memory (max RSS) {peak:,.0f} MiB during the store, {peak - before:+,.0f} MiB over the "
        f"{before:,.0f} MiB held before it (registry, batches, evaluations)",
        flush=True,
    )
    # stored verdicts render exactly as the engine's own
    by_key = {(ev.rule.id, ev.batch.kind): ev for ev in evals}
    ids = {ev.batch.kind: {int(x): i for i, x in enumerate(ev.batch.ids.tolist())} for ev in evals}
    pks = list(SweepResult.objects.filter(run=run).values_list("pk", flat=True))
    bad = 0
    for row in SweepResult.objects.filter(pk__in=random.Random(1).sample(pks, min(sample, len(pks)))):
        ev = by_key[(row.rule, row.subject_kind)]
        want = engine.verdict(ev, ids[row.subject_kind][row.subject_id])
        got = services.render_row(row, run.as_of)
        got["subject"] = want["subject"]
        bad += got != want
    print(
        f"{'':10s} {min(sample, len(pks)):,} stored rows read back: "
        f"{'all render as the engine renders them' if not bad else f'{bad} DIFFER'}"
    )
    return 1 if bad else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="facilities and rights (each) of the synthetic sweep")
    ap.add_argument("--sample", type=int, default=2000, help="stored rows read back and compared")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: measure the database this URL names
    a = ap.parse_args(argv)
    if a.one:
        setup_django(a.one)
        return measure(a.n, a.sample)
    # one process per database: Django binds to one database per process, and peak memory is per process
    print(
        f"storing the results of a synthetic sweep of {a.n:,} facilities + {a.n:,} rights "
        f"(bench/sweep.py) through compliance.services.store_sweep",
        flush=True,
    )
    code = 0
    with tempfile.TemporaryDirectory(prefix="kz-bench-") as tmp:
        code |= subprocess.call(
            [
                sys.executable,
                __file__,
                "--n",
                str(a.n),
                "--sample",
                str(a.sample),
                "--one",
                f"sqlite:///{tmp}/store.sqlite3",
            ]
        )
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("postgresql skipped: DATABASE_URL is not a postgres:// URL")
        return code
    import psycopg

    dbname = f"kz_bench_store_{os.getpid()}"
    admin_url = url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"create database {dbname}")
    try:
        code |= subprocess.call(
            [
                sys.executable,
                __file__,
                "--n",
                str(a.n),
                "--sample",
                str(a.sample),
                "--one",
                url.rsplit("/", 1)[0] + "/" + dbname,
            ]
        )
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"drop database if exists {dbname} with (force)")
    return code


if __name__ == "__main__":
    sys.exit(main())
