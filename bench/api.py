"""Benchmark: the map's data — a page of rights as GeoJSON — served by a real `kz serve` under load.

    .venv/bin/python bench/api.py --rights 5000 --seconds 20    # default
    .venv/bin/python bench/api.py --rights 1000 --seconds 3     # CI size

A fresh SQLite registry (a temporary directory) gets the shipped divisions and N synthetic rights with
boundaries (bench/spatial.py's cadastre, imported through `transfer.import_rows`); then `kz serve`
(waitress, 8 threads) runs on loopback and C clients (threads, keep-alive connections) ask for
`/api/v1/rights?format=geojson&size=1000` as the public map does, for a bounded time. Printed: requests,
throughput, p50 / p99 latency beside the target (p99 < 300 ms under 20 clients), and, measured in the
same run in-process on the same database, the time to build that page the old way (a dict per feature
through `services.feature`, then json) and the new way on a cache miss (`registry.geojson`). The run
exits non-zero if any response is not 200 or the page differs from what `services.feature` gives.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
PATH = "/api/v1/rights?format=geojson&size=1000"
TARGET_P99_MS = 300


def _setup(data_dir: Path) -> None:
    os.environ["KZ_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "kuangzheng.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def load_registry(n: int) -> None:
    sys.path.insert(0, str(HERE))
    from kuangzheng.access.actor import Actor
    from kuangzheng.registry import demo, transfer
    from kuangzheng.registry.geometry import CHINA_BBOX
    from kuangzheng.registry.models import Division, Enterprise
    from spatial import synthetic_cadastre

    admin = Actor("bench-admin", "admin")
    demo.load_divisions()
    divisions = list(Division.objects.filter(level="prefecture").values_list("code", flat=True))
    transfer.import_rows(
        admin, "enterprise", [{"name": f"合成矿业公司{i}", "division": divisions[i]} for i in range(50)]
    )
    holders = list(Enterprise.objects.values_list("pk", flat=True))
    geoms, _ = synthetic_cadastre(int(n * 1.05) + 10, 0, 5)
    b = np.array([g.bounds for g in geoms])
    geoms = geoms[
        (b[:, 0] > CHINA_BBOX[0]) & (b[:, 2] < CHINA_BBOX[2]) & (b[:, 1] > CHINA_BBOX[1]) & (b[:, 3] < CHINA_BBOX[3])
    ][:n]
    rows = [
        {
            "licence_no": f"C{divisions[i % len(divisions)]}2020{i:08d}",
            "kind": "mining",
            "name": f"合成矿山{i}",
            "holder": holders[i % len(holders)],
            "division": divisions[i % len(divisions)],
            "minerals": "铜、金",
            "valid_from": "2020-01-01",
            "valid_to": "2030-01-01",
            "obtained_by": "listing",
            "designed_scale": 30,
            "designed_scale_unit": "10^4 t/a",
            "boundary": g,
            "event_kind": "granted",
            "event_date": "2020-01-01",
        }
        for i, g in enumerate(geoms)
    ]
    transfer.import_rows(admin, "right", rows)


def reference_builds() -> tuple[float, float, bytes]:
    """The same page built in-process: the old way (a dict per feature, then json) and the new one."""
    from django.core.paginator import Paginator

    from kuangzheng.access.actor import Actor
    from kuangzheng.registry import geojson, services

    public = Actor("anonymous", "public")
    t = time.perf_counter()
    page = Paginator(services.search(public, "right"), 1000).page(1)
    old = json.dumps(
        {
            "type": "FeatureCollection",
            "numberMatched": page.paginator.count,
            "features": [services.feature(public, "right", o) for o in page.object_list],
        }
    ).encode()
    t_old = time.perf_counter() - t
    t = time.perf_counter()
    new = geojson.page(public, "right", {}, 1, 1000)
    t_new = time.perf_counter() - t
    if json.loads(old) != json.loads(new):
        sys.exit("the cached GeoJSON page differs from services.feature's")
    return t_old, t_new, new


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(data_dir: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {**os.environ, "KZ_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    kz = str(Path(sys.executable).with_name("kz"))
    proc = subprocess.Popen(
        [kz, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("kz serve did not start")


def load(port: int, clients: int, seconds: float, expected: bytes) -> tuple[list[float], int]:
    """`clients` threads asking for the page back to back until the time is up."""
    latencies: list[float] = []
    bad = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while time.perf_counter() < stop:
            t = time.perf_counter()
            conn.request("GET", PATH)
            r = conn.getresponse()
            body = r.read()
            mine.append(time.perf_counter() - t)
            if r.status != 200 or len(body) != len(expected):
                bad[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return latencies, bad[0]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rights", type=int, default=5000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=20.0)
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kz-bench-api-") as tmp:
        _setup(Path(tmp))
        t = time.perf_counter()
        load_registry(a.rights)
        print(f"registry: {a.rights:,} rights with boundaries (SQLite), loaded in {time.perf_counter() - t:.1f} s")
        t_old, t_new, page = reference_builds()
        n_features = len(json.loads(page)["features"])
        print(
            f"one page ({n_features:,} features, {len(page) / 2**20:.2f} MB), built in-process: "
            f"old way (a dict per feature, json) {t_old * 1000:.0f} ms; new way on a cache miss {t_new * 1000:.0f} ms"
        )
        proc, port = serve(Path(tmp))
        try:
            load(port, 1, 0.5, page)  # warm-up: connections, the first (cache-missing) build
            lat, bad = load(port, a.clients, a.seconds, page)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    ms = np.array(lat) * 1000
    p50, p99 = np.percentile(ms, [50, 99])
    print(
        f"kz serve, {a.clients} clients for {a.seconds:.0f} s, GET {PATH} (public): {len(ms):,} requests, "
        f"{len(ms) / a.seconds:.1f} req/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms  "
        f"(target p99 < {TARGET_P99_MS} ms: {'met' if p99 < TARGET_P99_MS else 'NOT met'}); failures: {bad}"
    )
    print("  setup: waitress 8 threads on loopback, SQLite (WAL); clients are Python threads on the same machine")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
