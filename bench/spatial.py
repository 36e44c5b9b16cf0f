"""Spatial benchmark: overlap detection over a national-scale synthetic cadastre.

Builds N mineral rights (graticule-aligned exploration blocks of whole minutes, irregular
mining-right polygons) clustered in mining districts across China, and M planning zones; then times
the full overlap detection (right × right and right × zone, with overlap areas and shares):

  1. embedded: kuangzheng.geo.STRtreeIndex (Shapely 2 bulk STRtree);
  2. PostGIS as a competent user runs it: a geometry(Polygon, 4490) column with a GiST index, the
     area stored, ANALYZE, JIT off, each pair once (a.id < b.id), serial and with parallel workers
     (skipped with a message when DATABASE_URL is not a PostgreSQL URL);
  3. no index: every pair's bounding boxes compared in numpy, the candidates through vectorised
     shapely.

Every method must find the same pairs and the same total area (exit code 1 otherwise).

    python bench/spatial.py --rights 100000 --zones 5000
    python bench/spatial.py --rights 5000 --zones 250      # what CI runs
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time

import numpy as np
import shapely

from kuangzheng.geo import STRtreeIndex
from kuangzheng.geo.area import EQUAL_AREA_PROJ, ellipsoidal_area_km2
from kuangzheng.geo.postgis import EQUAL_AREA_SRID

CHINA = (75.0, 20.0, 132.0, 50.0)  # lon/lat box the mining districts are drawn in
MINUTE = 1 / 60


def synthetic_cadastre(n_rights: int, n_zones: int, seed: int = 20240601):
    """Rights and zones (shapely arrays, EPSG:4490), clustered in ~n/100 mining districts."""
    rng = np.random.default_rng(seed)
    n_districts = max(10, n_rights // 100)
    centres = np.column_stack(
        [rng.uniform(CHINA[0], CHINA[2], n_districts), rng.uniform(CHINA[1], CHINA[3], n_districts)]
    )

    def near_district(n, spread):
        c = centres[rng.integers(0, n_districts, n)]
        return c + rng.normal(0, spread, (n, 2))

    n_expl = int(n_rights * 0.6)
    # exploration rights: whole-minute graticule blocks, 1–8' wide, 1–6' high
    sw = np.round(near_district(n_expl, 0.5) / MINUTE) * MINUTE
    w = rng.integers(1, 9, n_expl) * MINUTE
    h = rng.integers(1, 7, n_expl) * MINUTE
    exploration = shapely.box(sw[:, 0], sw[:, 1], sw[:, 0] + w, sw[:, 1] + h)
    # mining rights: star-shaped polygons of 5–12 corners, 0.3–2.5 km across
    n_mine = n_rights - n_expl
    centre = near_district(n_mine, 0.5)
    mining = np.empty(n_mine, dtype=object)
    k = rng.integers(5, 13, n_mine)
    radius_km = rng.uniform(0.3, 2.5, n_mine)
    for i in range(n_mine):
        ang = (np.arange(k[i]) + rng.uniform(0, 0.8, k[i])) * 2 * np.pi / k[i]  # gaps < π: simple
        r = radius_km[i] * rng.uniform(0.6, 1.0, k[i]) / 111.0
        lon = centre[i, 0] + r * np.cos(ang) / np.cos(np.radians(centre[i, 1]))
        lat = centre[i, 1] + r * np.sin(ang)
        mining[i] = shapely.Polygon(np.column_stack([lon, lat]))
    rights = np.concatenate([exploration, mining])
    # planning zones: larger graticule blocks, 5–30'
    zsw = np.round(near_district(n_zones, 0.8) / MINUTE) * MINUTE
    zw = rng.integers(5, 31, n_zones) * MINUTE
    zh = rng.integers(5, 21, n_zones) * MINUTE
    zones = shapely.box(zsw[:, 0], zsw[:, 1], zsw[:, 0] + zw, zsw[:, 1] + zh)
    return rights, zones


def overlap_detection(index) -> tuple[int, int, float]:
    rr = index.overlaps("rights")
    rz = index.overlaps("rights", "zones")
    return len(rr), len(rz), float(rr.values["area_km2"].sum() + rz.values["area_km2"].sum())


def timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t, out


def embedded(rights, zones):
    def run():
        index = STRtreeIndex({"rights": (np.arange(len(rights)), rights), "zones": (np.arange(len(zones)), zones)})
        return overlap_detection(index)

    return timed(run)


def bbox_prefilter(rights, zones, block: int = 512):
    """The reference without an index: the bounding boxes of every pair compared in numpy (blocks of
    rows; right × right over the upper triangle only), the candidates through vectorised shapely."""
    areas_r, areas_z = ellipsoidal_area_km2(rights), ellipsoidal_area_km2(zones)

    def candidates(a, b, same):
        left, right = [], []
        for s in range(0, len(a), block):
            e = min(s + block, len(a))
            lo = s + 1 if same else 0  # right × right: pairs (i, j) with j > i only
            i, j = np.nonzero((a[s:e, None, 0] <= b[None, lo:, 2]) & (a[s:e, None, 2] >= b[None, lo:, 0]))
            i, j = i + s, j + lo
            keep = (a[i, 1] <= b[j, 3]) & (a[i, 3] >= b[j, 1])
            if same:
                keep &= j > i
            left.append(i[keep])
            right.append(j[keep])
        return np.concatenate(left), np.concatenate(right)

    def overlaps(ga, gb, aa, ab, same):
        i, j = candidates(shapely.bounds(ga), shapely.bounds(gb), same)
        keep = shapely.intersects(ga[i], gb[j]) & ~shapely.touches(ga[i], gb[j])
        i, j = i[keep], j[keep]
        area = ellipsoidal_area_km2(shapely.intersection(ga[i], gb[j]))
        with np.errstate(divide="ignore", invalid="ignore"):
            _shares = (area / aa[i], area / ab[j])  # computed as the index backends do
        return len(i), float(area.sum())

    n_rr, a_rr = overlaps(rights, rights, areas_r, areas_r, True)
    n_rz, a_rz = overlaps(rights, zones, areas_r, areas_z, False)
    return n_rr, n_rz, a_rr + a_rz


OVERLAPS_SQL = """
    SELECT a.id, b.id, i.area_km2, i.area_km2 / a.area_km2, i.area_km2 / b.area_km2
    FROM {left} a JOIN {right} b ON {same} ST_Intersects(a.geom, b.geom)
    CROSS JOIN LATERAL (SELECT ST_Area(ST_Transform(ST_Intersection(a.geom, b.geom), {srid})) / 1e6 AS area_km2) i
    WHERE NOT ST_Touches(a.geom, b.geom)"""


def postgis_load(conn, rights, zones):
    """Tables as a PostGIS user keeps them: a typed geometry column, a GiST index on it, the area
    stored (as the registry stores the official area), ANALYZE. Returns the equal-area CRS to use."""
    with conn.cursor() as cur:
        try:
            cur.execute(
                "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, proj4text, srtext) "
                "VALUES (%s, 'KUANGZHENG', %s, %s, '') ON CONFLICT (srid) DO NOTHING",
                (EQUAL_AREA_SRID, EQUAL_AREA_SRID, EQUAL_AREA_PROJ),
            )
            conn.commit()
            srid = EQUAL_AREA_SRID
        except Exception:  # noqa: BLE001  (no INSERT right on spatial_ref_sys: the PROJ string works too)
            conn.rollback()
            srid = f"'{EQUAL_AREA_PROJ}'"
        for name, geoms in (("bench_rights", rights), ("bench_zones", zones)):
            cur.execute(f"DROP TABLE IF EXISTS {name}")
            cur.execute(
                f"CREATE UNLOGGED TABLE {name} (id integer PRIMARY KEY, geom geometry(Polygon, 4490) NOT NULL, "
                "area_km2 double precision)"
            )
            ewkb = shapely.to_wkb(shapely.set_srid(geoms, 4490), hex=True, include_srid=True)
            buf = io.StringIO()
            for i, hexwkb in enumerate(ewkb):
                buf.write(f"{i}\t{hexwkb}\n")
            with cur.copy(f"COPY {name} (id, geom) FROM STDIN") as copy:
                copy.write(buf.getvalue())
            cur.execute(f"UPDATE {name} SET area_km2 = ST_Area(ST_Transform(geom, {srid})) / 1e6")
            cur.execute(f"CREATE INDEX ON {name} USING gist (geom)")
            cur.execute(f"ANALYZE {name}")
    conn.commit()
    return srid


def postgis_overlaps(conn, srid, workers: int):
    """Right × right (each pair once, a.id < b.id) and right × zone, JIT off, ``workers`` parallel
    workers per gather (0: serial)."""
    out = []
    with conn.cursor() as cur:
        cur.execute("SET jit = off")
        # else the planner ANDs the primary key's index (b.id > a.id: a third of the table) into every
        # GiST probe as a bitmap: minutes instead of seconds at 100,000 rights
        cur.execute("SET enable_bitmapscan = off")
        cur.execute(f"SET max_parallel_workers_per_gather = {int(workers)}")
        for left, right, same in (
            ("bench_rights", "bench_rights", "a.id < b.id AND"),
            ("bench_rights", "bench_zones", ""),
        ):
            cur.execute(OVERLAPS_SQL.format(left=left, right=right, same=same, srid=srid))
            rows = cur.fetchall()
            out.append((len(rows), sum(r[2] for r in rows)))
    conn.rollback()
    return out[0][0], out[1][0], out[0][1] + out[1][1]


def postgis(url, rights, zones, workers: int):
    import psycopg

    conn = psycopg.connect(url)
    try:
        load, srid = timed(postgis_load, conn, rights, zones)
        with conn.cursor() as cur:
            cur.execute("SET enable_bitmapscan = off")
            plan = cur.execute(
                "EXPLAIN "
                + OVERLAPS_SQL.format(left="bench_rights", right="bench_rights", same="a.id < b.id AND", srid=srid)
            ).fetchall()
        conn.rollback()
        runs = {w: timed(postgis_overlaps, conn, srid, w) for w in sorted({0, workers})}
        with conn.cursor() as cur:
            cur.execute("DROP TABLE bench_rights; DROP TABLE bench_zones")
        conn.commit()
    finally:
        conn.close()
    return load, runs, [r[0] for r in plan]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rights", type=int, default=100_000)
    ap.add_argument("--zones", type=int, default=5_000)
    ap.add_argument("--workers", type=int, default=2, help="parallel workers per gather for the parallel PostGIS run")
    ap.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = ap.parse_args(argv)

    t, (rights, zones) = timed(synthetic_cadastre, args.rights, args.zones)
    print(
        f"cadastre: {len(rights)} rights ({int(len(rights) * 0.6)} exploration blocks, "
        f"{len(rights) - int(len(rights) * 0.6)} mining polygons), {len(zones)} zones; built in {t:.2f} s"
    )
    print("work: every right × right pair (once) and right × zone pair whose interiors intersect, with area and shares")

    t_emb, (n_rr, n_rz, area) = embedded(rights, zones)
    print(
        f"embedded STRtree      : {t_emb:8.2f} s  ({n_rr} right×right, {n_rz} right×zone, {area:.1f} km² overlapping)"
    )
    print("  setup: kuangzheng.geo.STRtreeIndex over shapely arrays; tree build and every area included")

    def agree(name, got):
        same = got[:2] == (n_rr, n_rz) and abs(got[2] - area) <= 1e-6 * max(1.0, area)
        if not same:
            sys.exit(f"{name} and the STRtree disagree: {got} vs {(n_rr, n_rz, area)}")
        return "same answers"

    t_pg = {}
    if args.database_url.startswith(("postgres://", "postgresql://")):
        load, runs, plan = postgis(args.database_url, rights, zones, args.workers)
        for w, (t_run, got) in runs.items():
            t_pg[w] = t_run
            label = "serial" if w == 0 else f"{w} workers"
            print(f"PostGIS GiST ({label:9}): {t_run:8.2f} s  ({got[0]} / {got[1]}; {agree('PostGIS', got)})")
        print(
            f"  setup: geometry(Polygon, 4490) column + GiST index, area column, ANALYZE (load {load:.1f} s, not "
            "counted); JOIN ON a.id < b.id AND ST_Intersects, NOT ST_Touches; jit = off; enable_bitmapscan = off; "
            "max_parallel_workers_per_gather = 0 / " + str(args.workers)
        )
        scan = [line.strip() for line in plan if "Index" in line or "Gather" in line or "Loop" in line]
        print("  plan (right × right): " + " | ".join(scan[:4]))
    else:
        print("PostGIS GiST          : skipped (DATABASE_URL is not a PostgreSQL URL)")

    t_ref, got = timed(bbox_prefilter, rights, zones)
    print(f"no index (bbox+numpy) : {t_ref:8.2f} s  ({got[0]} / {got[1]}; {agree('the bbox reference', got)})")
    print("  setup: all pairs' bounding boxes compared in numpy blocks, candidates through vectorised shapely")

    print("ratios:")
    for w, t_run in t_pg.items():
        print(
            f"  embedded / PostGIS {'serial' if w == 0 else str(w) + ' workers'} = {t_emb / t_run:.2f}  (target <= 1.5)"
        )
    print(f"  no-index reference / embedded = {t_ref / t_emb:.1f}x")


if __name__ == "__main__":
    main()
