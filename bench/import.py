"""Benchmark: importing mineral rights with boundaries, beside ogr2ogr loading the same file.

    .venv/bin/python bench/import.py --n 100000    # default
    .venv/bin/python bench/import.py --n 2000      # CI size, seconds

A GeoPackage of N synthetic rights (bench/spatial.py's cadastre: graticule blocks and irregular
polygons in mining districts across China, with every field a right has and its first event) is
imported into a fresh database of each kind — a temporary SQLite file, and a temporary database on
the PostgreSQL server of DATABASE_URL (skipped without one) — the way `kz import right FILE` does it
(`transfer.read_rows` + `transfer.import_rows`: every row cleaned and checked, geometry validated,
official areas, audit entries, written in chunks as one batch), timed in-process. Then `ogr2ogr`
(GDAL) loads the same GeoPackage into a new table of the same database (no checks, no areas, no
audit; its GiST index on PostgreSQL). Printed: both times, rows per second, the ratio against the
target (at most 2x ogr2ogr), the phases of the import, both CPU times (the client process's user +
system time: steadier than wall time on a shared machine; the database server's share on
PostgreSQL is in neither), and checks that every right is there with its
official area and that the audit chain verifies (exit code 1 if not).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = 2.0  # times ogr2ogr's time


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kuangzheng.settings"
    os.environ.setdefault("KZ_DATA_DIR", tempfile.mkdtemp(prefix="kz-bench-"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def write_rights(path: Path, n: int, holders: list[int], divisions: list[str], seed: int = 11) -> None:
    """The GeoPackage to import: n rights inside China's envelope, every field of a right."""
    import numpy as np
    import shapely

    sys.path.insert(0, str(HERE))
    from kuangzheng.geo.layers import write_layer
    from kuangzheng.registry.geometry import CHINA_BBOX
    from spatial import synthetic_cadastre

    geoms, _ = synthetic_cadastre(int(n * 1.05) + 10, 0, seed)
    b = shapely.bounds(geoms)
    inside = (
        (b[:, 0] > CHINA_BBOX[0]) & (b[:, 1] > CHINA_BBOX[1]) & (b[:, 2] < CHINA_BBOX[2]) & (b[:, 3] < CHINA_BBOX[3])
    )
    geoms = geoms[inside][:n]
    rng = np.random.default_rng(seed)
    minerals = ["铜", "铅、锌", "金", "钼", "铁", "稀土", "钨、锡"]
    records = []
    for i, g in enumerate(geoms):
        mining = shapely.get_num_coordinates(g) != 5  # the boxes are exploration blocks
        year = 2000 + int(rng.integers(0, 24))
        div = divisions[int(rng.integers(0, len(divisions)))]
        props = {
            "licence_no": f"{'C' if mining else 'T'}{div}{year}{i:08d}",
            "kind": "mining" if mining else "exploration",
            "name": f"合成矿业权{i}",
            "holder": holders[int(rng.integers(0, len(holders)))],
            "division": div,
            "minerals": minerals[int(rng.integers(0, len(minerals)))],
            "valid_from": f"{year}-01-01",
            "valid_to": f"{year + 10}-01-01",
            "obtained_by": ["application", "tender", "auction", "listing", "agreement"][int(rng.integers(0, 5))],
            "designed_scale": float(rng.integers(1, 100)) if mining else None,
            "designed_scale_unit": "10^4 t/a" if mining else None,
            "elevation_top": 1500.0 if mining else None,
            "elevation_bottom": 900.0 if mining else None,
            "event_kind": "granted",
            "event_date": f"{year}-01-01",
            "event_document_ref": f"合成〔{year}〕{i}号",
        }
        records.append(({k: v for k, v in props.items() if v is not None}, g))
    write_layer(records, path)


def _seed_registry(n_holders: int):
    """Divisions (the shipped boundaries) and holders, through the same import path (not timed)."""
    from kuangzheng.access.actor import Actor
    from kuangzheng.registry import demo, transfer
    from kuangzheng.registry.models import Division, Enterprise

    admin = Actor("bench-admin", "admin")
    if not Division.objects.exists():
        demo.load_divisions()
    divisions = list(Division.objects.filter(level="prefecture").values_list("code", flat=True))
    rows = [{"name": f"合成矿业公司{i}", "division": divisions[i % len(divisions)]} for i in range(n_holders)]
    transfer.import_rows(admin, "enterprise", rows)
    return admin, list(Enterprise.objects.values_list("pk", flat=True)), divisions


def _ogr2ogr(gpkg: Path, url: str) -> tuple[float, float]:
    """ogr2ogr into a new table of the same database; its wall time (process included) and its CPU
    time (user + system)."""
    if url.startswith("sqlite:///"):
        target = ["-f", "SQLite", "-update", url.removeprefix("sqlite:///")]
    else:
        import dj_database_url

        c = dj_database_url.parse(url)
        target = [
            "-f",
            "PostgreSQL",
            f"PG:host={c['HOST']} port={c['PORT'] or 5432} dbname={c['NAME']} user={c['USER']} password={c['PASSWORD']}",
        ]
    cmd = ["ogr2ogr", *target, str(gpkg), "-nln", "ogr2ogr_rights", "-overwrite"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(n: int, gpkg: Path | None) -> int:
    from django.db import connection

    from kuangzheng.audit import service as audit
    from kuangzheng.registry import geometry, transfer
    from kuangzheng.registry.models import MineralRight

    admin, holders, divisions = _seed_registry(max(10, n // 200))
    own = gpkg is None
    if own:
        gpkg = Path(tempfile.mkdtemp(prefix="kz-bench-")) / "rights.gpkg"
    if not gpkg.exists():
        write_rights(gpkg, n, holders, divisions)
    size = gpkg.stat().st_size / 2**20

    c0, t0 = time.process_time(), time.perf_counter()
    rows = transfer.read_rows(gpkg)
    t1 = time.perf_counter()
    result = transfer.import_rows(admin, "right", rows, source=gpkg.name)
    t2 = time.perf_counter()
    ours, cpu = t2 - t0, time.process_time() - c0
    t_ogr, cpu_ogr = _ogr2ogr(gpkg, os.environ["DATABASE_URL"]) if shutil.which("ogr2ogr") else (None, None)

    count = MineralRight.objects.count()
    sample = list(MineralRight.objects.order_by("?")[:200])
    areas_ok = all(float(r.area_km2) == geometry.ellipsoidal_area_km2(geometry.load(r.boundary)) for r in sample)
    t3 = time.perf_counter()
    chain = audit.verify()
    t_verify = time.perf_counter() - t3
    ok = result["created"] == len(rows) == count and areas_ok and chain.ok

    vendor = connection.vendor
    print(f"{vendor:10s} {len(rows):,} rights ({size:.1f} MB GeoPackage)")
    print(
        f"{'':10s} kz import : {ours:7.2f} s = {len(rows) / ours:>9,.0f} rights/s  "
        f"(read {t1 - t0:.2f} s, validate + write {t2 - t1:.2f} s; CPU {cpu:.2f} s)"
    )
    if t_ogr is not None:
        print(
            f"{'':10s} ogr2ogr   : {t_ogr:7.2f} s = {len(rows) / t_ogr:>9,.0f} rights/s  "
            f"-> kz import / ogr2ogr = {ours / t_ogr:.2f}  (target <= {TARGET:.0f}; CPU {cpu_ogr:.2f} s, "
            f"ratio {cpu / cpu_ogr:.2f})"
        )
    else:
        print(f"{'':10s} ogr2ogr   : skipped (not installed: Debian's gdal-bin)")
    print(
        f"{'':10s} checks    : {count:,} rights stored, official areas of 200 sampled "
        f"{'exact' if areas_ok else 'WRONG'}, audit chain of {chain.checked:,} entries "
        f"{'intact' if chain.ok else 'BROKEN'} (verify {t_verify:.1f} s, not counted)",
        flush=True,
    )
    return 0 if ok else 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="rights in the GeoPackage")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: measure the database this URL names
    ap.add_argument("--gpkg", help=argparse.SUPPRESS)  # internal: the file to import
    a = ap.parse_args(argv)
    if a.one:
        _setup(a.one)
        return measure(a.n, Path(a.gpkg) if a.gpkg else None)
    print(
        f"importing {a.n:,} mineral rights with boundaries (validated, official areas, audited) vs ogr2ogr "
        "loading the same GeoPackage into the same database",
        flush=True,
    )
    code = 0
    with tempfile.TemporaryDirectory(prefix="kz-bench-") as tmp:
        gpkg = Path(tmp) / "rights.gpkg"  # written by the first run, imported by both
        code |= subprocess.call(
            [sys.executable, __file__, "--n", str(a.n), "--one", f"sqlite:///{tmp}/import.sqlite3", "--gpkg", str(gpkg)]
        )
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            print("postgresql skipped: DATABASE_URL is not a postgres:// URL")
            return code
        import psycopg

        dbname = f"kz_bench_import_{os.getpid()}"
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
                    "--one",
                    url.rsplit("/", 1)[0] + "/" + dbname,
                    "--gpkg",
                    str(gpkg),
                ]
            )
        finally:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f"drop database if exists {dbname} with (force)")
    return code


if __name__ == "__main__":
    sys.exit(main())
