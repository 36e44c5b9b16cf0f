"""Benchmark: the automatic checks at filing for one application against a large registry.

    .venv/bin/python bench/applications.py --rights 100000 --zones 5000 --pending 10000 --n 200
    .venv/bin/python bench/applications.py                  # CI size: 5,000 / 250 / 500 / 20

A synthetic registry (seeded, reproducible; speed only, not data): R rights of 0.3–2.5 km across in
R/100 mining districts of Inner Mongolia, Z zones of every kind, P pending applications filed before
the measured ones. Then N applications are filed into it and timed, each on its own, after one
untimed check (the process's one-time costs):

  1. 空间查重 (`applications.checks.spatial`): live rights, earlier pending applications and zones
     overlapping the parcel, each overlap's area on the ellipsoid;
  2. all automatic checks (`applications.checks.run`): the above plus every compliance rule through
     `compliance.services.check_whatif`;
  3. the reference, in the same run: the overlap test of the parcel against every right and zone
     held in memory as one shapely array (no index, no database), areas of the hits on the ellipsoid.

The database is a fresh SQLite file, or, when DATABASE_URL is PostgreSQL, a fresh database created
beside it on the same server and dropped afterwards; either is ANALYZEd once filled (a freshly
bulk-loaded PostgreSQL table has no statistics until autovacuum runs, and its planner then scans
every row). Median and p99 in milliseconds are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time

import numpy as np
import shapely

from support.pgdb import drop_postgres, fresh_postgres

REGION = (107.0, 39.5, 121.0, 50.0)  # Inner Mongolia's extent, roughly (lon/lat)
DIVISIONS = [("150000", "内蒙古自治区", "province", None), ("150200", "包头市", "prefecture", "150000")]
ZONE_KINDS = [
    "prohibited_mining_area",
    "nature_reserve",
    "restricted_mining_area",
    "exploration_planning_block",
    "mining_planning_block",
    "key_mining_area",
    "integrated_exploration_zone",
]


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "kuangzheng.settings"
    data = tempfile.mkdtemp(prefix="kz-bench-apps-")
    os.environ.setdefault("KZ_DATA_DIR", data)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def boxes(rng, n, districts, spread=0.15):
    d = districts[rng.integers(0, len(districts), n)]
    lon, lat = d[:, 0] + rng.normal(0, spread, n), d[:, 1] + rng.normal(0, spread * 0.7, n)
    w = rng.uniform(0.004, 0.03, n)
    return shapely.box(lon, lat, lon + w, lat + w * rng.uniform(0.5, 1.5, n))


def columns(g) -> dict:
    x0, y0, x1, y1 = g.bounds
    return {"boundary": shapely.to_wkb(g), "min_lon": x0, "min_lat": y0, "max_lon": x1, "max_lat": y1}


def populate(n_rights, n_zones, n_pending, seed=13):
    from django.db import transaction

    from kuangzheng.applications.models import Application
    from kuangzheng.registry.models import Division, Enterprise, MineralRight, Zone

    rng = np.random.default_rng(seed)
    districts = np.column_stack(
        [
            rng.uniform(REGION[0], REGION[2], max(10, n_rights // 100)),
            rng.uniform(REGION[1], REGION[3], max(10, n_rights // 100)),
        ]
    )
    with transaction.atomic():
        for code, name, level, parent in DIVISIONS:
            Division.objects.create(code=code, name_zh=name, level=level, parent_id=parent)
        Enterprise.objects.bulk_create(
            [Enterprise(name=f"企业{i}", division_id="150200") for i in range(max(2, n_rights // 50))], batch_size=5000
        )
        ents = list(Enterprise.objects.values_list("pk", flat=True))
        geoms = boxes(rng, n_rights, districts)
        status = rng.choice(["valid", "applied", "expired", "suspended"], n_rights, p=[0.75, 0.1, 0.1, 0.05])
        MineralRight.objects.bulk_create(
            [
                MineralRight(
                    licence_no=f"C15020020{i:09d}",
                    kind="mining",
                    name=f"矿{i}",
                    holder_id=ents[i % len(ents)],
                    division_id="150200",
                    minerals=["铜"],
                    valid_from=dt.date(2015, 1, 1),
                    valid_to=dt.date(2035, 1, 1),
                    obtained_by="listing",
                    status=str(status[i]),
                    **columns(g),
                )
                for i, g in enumerate(geoms)
            ],
            batch_size=2000,
        )
        zk = rng.choice(ZONE_KINDS, n_zones)
        zl, zb = rng.uniform(REGION[0], REGION[2], n_zones), rng.uniform(REGION[1], REGION[3], n_zones)
        size = rng.uniform(0.02, 0.3, n_zones)
        zgeoms = shapely.box(zl, zb, zl + size, zb + size * 0.7)
        Zone.objects.bulk_create(
            [
                Zone(code=f"Z{i}", name=f"区{i}", kind=str(zk[i]), division_id="150200", **columns(g))
                for i, g in enumerate(zgeoms)
            ],
            batch_size=2000,
        )
        pgeoms = boxes(rng, n_pending, districts)
        t0 = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
        Application.objects.bulk_create(
            [
                Application(
                    kind="new_mining",
                    status="filed",
                    applicant_id=ents[i % len(ents)],
                    filed_by="bench",
                    division="150200",
                    competent_division="150000",
                    right_kind="mining",
                    filed_at=t0 + dt.timedelta(minutes=i),
                    **columns(g),
                )
                for i, g in enumerate(pgeoms)
            ],
            batch_size=2000,
        )
    from django.db import connection

    with connection.cursor() as cur:  # the planner's statistics, as autovacuum keeps them on a live database
        cur.execute("ANALYZE")
    live = geoms[np.isin(status, ["valid", "suspended"])]
    return rng, districts, ents, np.concatenate([live, pgeoms, zgeoms])


def measured(rng, districts, ents, n):
    """n applications filed after the pending ones (not yet checked)."""
    from kuangzheng.applications.models import Application

    out = []
    for i, g in enumerate(boxes(rng, n, districts)):
        out.append(
            Application.objects.create(
                kind="new_mining",
                status="filed",
                applicant_id=ents[i % len(ents)],
                filed_by="bench",
                division="150200",
                competent_division="150000",
                right_kind="mining",
                filed_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC) + dt.timedelta(minutes=i),
                record={
                    "name": f"新申请{i}",
                    "minerals": ["铜"],
                    "valid_from": "2026-01-01",
                    "valid_to": "2036-01-01",
                    "obtained_by": "application",
                    "designed_scale": 30,
                    "designed_scale_unit": "10^4 t/a",
                },
                **columns(g),
            )
        )
    return out


def stats(ms: list[float]) -> str:
    a = np.array(ms)
    return f"median {np.median(a):8.1f} ms   p99 {np.percentile(a, 99):8.1f} ms"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rights", type=int, default=5000)
    p.add_argument("--zones", type=int, default=250)
    p.add_argument("--pending", type=int, default=500)
    p.add_argument("--n", type=int, default=20)
    p.add_argument("--full-n", type=int, default=None, help="applications given all checks (default: --n)")
    args = p.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    fresh = None
    if url.startswith("postgres"):
        os.environ["DATABASE_URL"], fresh = fresh_postgres(url, "apps")
    else:
        os.environ.pop("DATABASE_URL", None)
    try:
        setup_django()
        return run(args)
    finally:
        if fresh:
            drop_postgres(url, fresh)


def run(args) -> int:
    from django.db import connection

    from kuangzheng.access.actor import Actor
    from kuangzheng.applications import checks
    from kuangzheng.geo.area import official_area_lonlat_km2

    t0 = time.perf_counter()
    rng, districts, ents, everything = populate(args.rights, args.zones, args.pending)
    warm, *apps = measured(rng, districts, ents, args.n + 1)
    # one check first, not timed: the process's one-time costs (the catalogue read and validated, the
    # rule modules imported), which a running server has paid before its first application
    checks.run(Actor("bench", "enterprise", enterprise_id=warm.applicant_id), warm, dt.date(2026, 3, 2))
    print(
        f"{connection.vendor}: {args.rights} rights, {args.zones} zones, {args.pending} pending applications "
        f"(built in {time.perf_counter() - t0:.1f} s); {args.n} applications checked"
    )
    spatial_ms, full_ms, ref_ms, hits = [], [], [], 0
    for app in apps:
        geom = shapely.from_wkb(bytes(app.boundary))
        t = time.perf_counter()
        found = checks.spatial(app)
        spatial_ms.append((time.perf_counter() - t) * 1000)
        hits += sum(len(v) for v in found.values())
        t = time.perf_counter()
        mask = shapely.intersects(everything, geom)
        for other in everything[mask]:
            official_area_lonlat_km2(shapely.intersection(geom, other))
        ref_ms.append((time.perf_counter() - t) * 1000)
    for app in apps[: args.full_n or args.n]:
        actor = Actor("bench", "enterprise", enterprise_id=app.applicant_id)
        t = time.perf_counter()
        checks.run(actor, app, dt.date(2026, 3, 2))
        full_ms.append((time.perf_counter() - t) * 1000)
    print(f"  空间查重 (indexed by bbox in the database)    {stats(spatial_ms)}   ({hits} overlaps found)")
    print(f"  reference: every geometry in memory, no index {stats(ref_ms)}")
    print(f"  all automatic checks (+ compliance what-if)   {stats(full_ms)}   (first {len(full_ms)} of them)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    sys.exit(main())
