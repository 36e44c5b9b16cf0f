"""Benchmark: the same mineral rights served by Kuangzheng's OGC API – Features and by pygeoapi.

    .venv/bin/python bench/ogcapi.py                                # full size: 100,000 rights, 20 s a server
    .venv/bin/python bench/ogcapi.py --workers 1 --threads 4        # one process, kz serve's defaults
    .venv/bin/python bench/ogcapi.py --rights 2000 --duration 3     # CI size

The rights are bench/spatial.py's synthetic national cadastre (seeded), written straight into a fresh
embedded (SQLite) database as benchmark fixture data (bulk insert, no audit entries: the subject is
reading). Kuangzheng serves them with `kz serve` (waitress, --threads threads in each of --workers
processes). pygeoapi (installed from
PyPI into a virtual environment of its own under var/bench/, since its pins must not touch the
project's) serves the GeoPackage that `kz export right --format gpkg` writes of the public view,
through its SQLite/GeoPackage provider (needs Debian's libsqlite3-mod-spatialite), under waitress
with the same number of threads. Without either, the run says so and prints Kuangzheng alone beside the target.

The load: `items` with a bbox (a 0.5° box around a random right, the same seeded sequence for both)
and limit=100, from 20 concurrent clients on loopback (keep-alive connections) for a bounded time.
Each server runs alone (the other is stopped), so one's leftover work cannot slow the other.
Printed per server: requests, throughput, p50 and p99 latency, errors, features per response; then
whether both servers found the same number of features in sample boxes.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
KZ = str(Path(sys.executable).with_name("kz"))
SAMPLE_BOXES = 5
TARGETS = "targets: >= 2x pygeoapi's throughput, p99 < 100 ms"
PYGEOAPI_VENV = ROOT / "var" / "bench" / "pygeoapi-venv"
SPATIALITE = "/usr/lib/x86_64-linux-gnu/mod_spatialite.so"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_rights(n: int, env: dict) -> list[tuple[float, float]]:
    """Fill the fresh database with n rights; return their centres (lon, lat)."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuangzheng.settings")
    import django

    django.setup()
    import datetime as dt

    import shapely
    from django.contrib.auth import get_user_model

    from kuangzheng.registry import geometry
    from kuangzheng.registry.models import Division, Enterprise, MineralRight

    sys.path.insert(0, str(HERE))
    from spatial import synthetic_cadastre

    rights, _ = synthetic_cadastre(n, 0)
    division = Division.objects.create(
        code="150000", name_zh="内蒙古自治区", name_en="Inner Mongolia", level="province"
    )
    holders = Enterprise.objects.bulk_create(
        [Enterprise(name=f"基准企业{i:05d}", division=division, is_generated=True) for i in range(max(1, n // 100))]
    )
    rows = []
    for i, g in enumerate(rights):
        rows.append(
            MineralRight(
                licence_no=f"C1500002020{i:07d}",
                kind="mining",
                name=f"基准矿山{i:06d}",
                holder=holders[i % len(holders)],
                division=division,
                minerals=["铜"],
                valid_from=dt.date(2020, 1, 1),
                valid_to=dt.date(2040, 1, 1),
                obtained_by="listing",
                status="valid",
                is_generated=True,
                **geometry.columns(g),
            )
        )
    MineralRight.objects.bulk_create(rows, batch_size=2000)
    get_user_model().objects.create_user("bench-public", password=None)  # no profile: the public view
    centres = shapely.get_coordinates(shapely.centroid(rights))
    # as a loader that has finished: the WAL written back and this process's connection closed (held
    # open, it kept the big WAL alive and the server's per-request connections stalled on its lock)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return [tuple(c) for c in centres]


def wait_for(url: str, proc: subprocess.Popen, what: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} stopped (its log is in the work folder)")
        try:
            host, _, rest = url.partition("//")[2].partition("/")
            c = http.client.HTTPConnection(host, timeout=5)
            c.request("GET", "/" + rest)
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not answer at {url}")


def loads_extensions(python: str) -> bool:
    """Whether this interpreter's sqlite3 can load SpatiaLite (pyenv builds often cannot)."""
    probe = "import sqlite3; sqlite3.connect(':memory:').enable_load_extension(True)"
    return subprocess.run([python, "-c", probe], capture_output=True).returncode == 0


def pygeoapi_python(install: bool) -> str | None:
    """The pygeoapi environment's python, installing it from PyPI when asked; None if unavailable.
    Its base interpreter must let sqlite3 load extensions (the GeoPackage provider loads SpatiaLite)."""
    py = PYGEOAPI_VENV / "bin" / "python"
    if not py.exists() and install:
        base = next((p for p in (sys.executable, "/usr/bin/python3") if Path(p).exists() and loads_extensions(p)), None)
        if base is None:
            print("no Python here lets sqlite3 load extensions, which pygeoapi's GeoPackage provider needs")
            return None
        print(f"installing pygeoapi into {PYGEOAPI_VENV} …", flush=True)
        subprocess.run([base, "-m", "venv", str(PYGEOAPI_VENV)], check=True)
        r = subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "pygeoapi", "waitress"], capture_output=True, text=True
        )
        if r.returncode != 0:
            print("pygeoapi could not be installed from PyPI:", r.stderr.strip().splitlines()[-1:], flush=True)
            shutil.rmtree(PYGEOAPI_VENV, ignore_errors=True)
            return None
    return str(py) if py.exists() else None


def start_pygeoapi(py: str, gpkg: Path, work: Path, port: int, threads: int) -> subprocess.Popen:
    import pyogrio

    info = pyogrio.read_info(gpkg)
    layer = pyogrio.list_layers(gpkg)[0][0]
    config = {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port},
            "url": f"http://127.0.0.1:{port}",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "language": "en-US",
            "limits": {"default_items": 10, "max_items": 10000},
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": "none"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "bench",
                "description": "bench",
                "keywords": ["bench"],
                "terms_of_service": "",
                "url": "http://127.0.0.1",
            },
            "license": {"name": "Apache-2.0", "url": "http://127.0.0.1/licence"},
            "provider": {"name": "bench", "url": "http://127.0.0.1"},
            "contact": {
                k: "bench"
                for k in "name position address city stateorprovince postalcode country phone fax email url hours instructions role".split()
            },
        },
        "resources": {
            "rights": {
                "type": "collection",
                "title": "rights",
                "description": "mineral rights",
                "keywords": ["rights"],
                "extents": {
                    "spatial": {
                        "bbox": list(info["total_bounds"]),
                        "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                    }
                },
                "providers": [
                    {"type": "feature", "name": "SQLiteGPKG", "data": str(gpkg), "id_field": "id", "table": layer}
                ],
            }
        },
    }
    cfg, oas = work / "pygeoapi.yml", work / "pygeoapi-openapi.yml"
    cfg.write_text(json.dumps(config))  # JSON is YAML
    env = {
        **os.environ,
        "PYGEOAPI_CONFIG": str(cfg),
        "PYGEOAPI_OPENAPI": str(oas),
        "SPATIALITE_LIBRARY_PATH": SPATIALITE,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    bindir = Path(py).parent
    r = subprocess.run(
        [str(bindir / "pygeoapi"), "openapi", "generate", str(cfg), "--output-file", str(oas)],
        env=env,
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        raise RuntimeError("pygeoapi openapi generate failed: " + r.stderr[-2000:])
    return subprocess.Popen(
        [
            str(bindir / "waitress-serve"),
            f"--listen=127.0.0.1:{port}",
            f"--threads={threads}",
            "pygeoapi.flask_app:APP",
        ],
        env=env,
        stdout=(work / "pygeoapi.log").open("wb"),
        stderr=subprocess.STDOUT,
    )


def boxes(centres, n: int, seed: int = 16) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        lon, lat = rng.choice(centres)
        out.append(f"{lon - 0.25:.5f},{lat - 0.25:.5f},{lon + 0.25:.5f},{lat + 0.25:.5f}")
    return out


def load(port: int, path: str, bboxes: list[str], clients: int, seconds: float) -> dict:
    """`clients` threads with keep-alive connections, each cycling through the boxes."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors, features = [0] * clients, [0] * clients
    stop = time.perf_counter() + seconds

    def client(k: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = k
        while time.perf_counter() < stop:
            url = f"{path}?bbox={bboxes[i % len(bboxes)]}&limit=100&f=json"
            i += clients
            t0 = time.perf_counter()
            try:
                conn.request("GET", url)
                r = conn.getresponse()
                body = r.read()
                ok = r.status == 200
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok, body = False, b""
            latencies[k].append(time.perf_counter() - t0)
            if ok:  # counted from the features: pygeoapi's GeoPackage provider sends no numberReturned
                features[k] += len(json.loads(body)["features"])
            else:
                errors[k] += 1
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat = sorted(x for xs in latencies for x in xs)
    n = len(lat)
    return {
        "requests": n,
        "rps": n / wall,
        "p50": lat[n // 2] * 1000 if n else float("nan"),
        "p99": lat[min(n - 1, int(n * 0.99))] * 1000 if n else float("nan"),
        "errors": sum(errors),
        "features": sum(features) / max(1, n - sum(errors)),
    }


def matched(port: int, path: str, bbox: str, limit: int = 10000) -> int:
    """Features in the box, counted from one page of up to 10,000 (pygeoapi sends no numberMatched)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request("GET", f"{path}?bbox={bbox}&limit={limit}&f=json")
    return len(json.loads(c.getresponse().read())["features"])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rights", type=int, default=100_000)
    ap.add_argument("--duration", type=float, default=20.0, help="seconds of load per server")
    ap.add_argument("--clients", type=int, default=20)
    # the deployment docs/deployment.md advises for a server that mostly answers GIS clients: a process a core
    ap.add_argument("--workers", type=int, default=2, help="kz serve --workers (processes on the port)")
    ap.add_argument("--threads", type=int, default=2, help="threads of each server process (both servers)")
    ap.add_argument("--no-install", action="store_true", help="do not install pygeoapi when it is missing")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="kz-bench-ogcapi-"))
    os.environ.pop("DATABASE_URL", None)  # the embedded database, for the loader here and both servers
    env = {**os.environ, "KZ_DATA_DIR": str(work)}
    procs: list[subprocess.Popen] = []
    try:
        subprocess.run([KZ, "init"], env=env, check=True, capture_output=True)
        t0 = time.perf_counter()
        centres = load_rights(args.rights, env)
        print(f"{args.rights:,} rights loaded in {time.perf_counter() - t0:.1f} s (embedded SQLite)", flush=True)
        bboxes = boxes(centres, 2000)

        def measure(name: str, proc: subprocess.Popen, port: int, path: str, warm: int) -> tuple[dict, list[int]]:
            """One server alone on the machine: warm up, load, count the sample boxes, stop it."""
            procs.append(proc)
            for b in bboxes[:warm]:  # imports, caches, the first connections; one at a time
                matched(port, path, b, limit=100)
            r = load(port, path, bboxes, args.clients, args.duration)
            counts = [matched(port, path, b) for b in bboxes[:SAMPLE_BOXES]]
            proc.terminate()
            proc.wait(timeout=30)
            return r, counts

        kz_port = free_port()
        kz = subprocess.Popen(  # output to a file: a pipe nobody reads fills up and blocks the server's logging
            [KZ, "serve", "--port", str(kz_port), "--workers", str(args.workers), "--threads", str(args.threads)],
            env=env,
            stdout=(work / "kz.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        wait_for(f"http://127.0.0.1:{kz_port}/ogcapi/", kz, "kz serve")
        results = [
            (
                f"Kuangzheng ×{args.workers}" if args.workers > 1 else "Kuangzheng",
                *measure("Kuangzheng", kz, kz_port, "/ogcapi/collections/mineral-rights/items", 20),
            )
        ]

        py = pygeoapi_python(install=not args.no_install)
        if py is None:
            print("pygeoapi is not available: printing Kuangzheng alone beside the target")
        elif not Path(SPATIALITE).exists():
            print(
                f"pygeoapi's GeoPackage provider needs {SPATIALITE} (Debian: libsqlite3-mod-spatialite): Kuangzheng alone"
            )
        else:
            gpkg = work / "rights.gpkg"
            t0 = time.perf_counter()
            subprocess.run(
                [KZ, "export", "right", "--format", "gpkg", "-o", str(gpkg), "--as", "bench-public"],
                env=env,
                check=True,
                capture_output=True,
            )
            print(f"kz export right --format gpkg: {time.perf_counter() - t0:.1f} s", flush=True)
            pg_port = free_port()
            pg = start_pygeoapi(py, gpkg, work, pg_port, args.threads)
            wait_for(f"http://127.0.0.1:{pg_port}/collections/rights/items?limit=1", pg, "pygeoapi")
            version = subprocess.run(
                [py, "-c", "import pygeoapi; print(pygeoapi.__version__)"], capture_output=True, text=True
            ).stdout.strip()
            results.append((f"pygeoapi {version}", *measure("pygeoapi", pg, pg_port, "/collections/rights/items", 2)))

        print(
            f"\nitems?bbox=<0.5° box>&limit=100, {args.clients} clients, {args.duration:g} s each (one server at a time), "
            f"{args.rights:,} rights, {args.threads} threads a process — {TARGETS}"
        )
        print(
            f"{'server':<18}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}{'features/resp':>15}"
        )
        for name, r, _ in results:
            print(
                f"{name:<18}{r['requests']:>10}{r['rps']:>10.1f}{r['p50']:>10.1f}{r['p99']:>10.1f}{r['errors']:>8}{r['features']:>15.1f}"
            )
        if len(results) == 2:
            print(
                f"throughput ratio Kuangzheng / pygeoapi: {results[0][1]['rps'] / max(results[1][1]['rps'], 1e-9):.2f}x"
            )
            same = sum(a == b for a, b in zip(results[0][2], results[1][2]))
            print(f"same number of features in the box from both servers for {same} of {SAMPLE_BOXES} sample boxes")
        return 1 if results[0][1]["errors"] else 0
    finally:
        for p in procs:
            p.terminate()
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
