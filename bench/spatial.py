"""Spatial benchmark: overlap detection over a national-scale synthetic cadastre.

Builds N mineral rights (graticule-aligned exploration blocks of whole minutes, irregular
mining-right polygons) clustered in mining districts across China, and M planning zones; then times
the full overlap detection (right × right and right × zone, with overlap areas and shares):

  1. embedded: kuangzheng.geo.STRtreeIndex (Shapely 2 bulk STRtree);
  2. PostGIS: kuangzheng.geo.postgis.PostGISIndex with a GiST expression index on the WKB column
     (skipped with a message when DATABASE_URL is not a PostgreSQL URL);
  3. a naive pairwise loop (one shapely predicate per pair) on a sample, extrapolated.

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


def naive(rights, zones, sample: int, seed: int = 7):
    """One shapely call per pair for ``sample`` rights against everything; extrapolated."""
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(rights), size=min(sample, len(rights)), replace=False)
    others = np.concatenate([rights, zones])
    t = time.perf_counter()
    hits = 0
    for i in picks:
        a = rights[i]
        for b in others:
            if a.intersects(b) and not a.touches(b):
                hits += 1
                a.intersection(b).area  # noqa: B018  (the work being timed)
    per_check = (time.perf_counter() - t) / (len(picks) * len(others))
    n, m = len(rights), len(zones)
    return per_check * (n * (n - 1) / 2 + n * m), per_check


def postgis(url, rights, zones):
    import psycopg

    from kuangzheng.geo.postgis import PostGISIndex, Table

    conn = psycopg.connect(url)
    t = time.perf_counter()
    with conn.cursor() as cur:
        for name, geoms in (("bench_rights", rights), ("bench_zones", zones)):
            cur.execute(f"DROP TABLE IF EXISTS {name}")
            cur.execute(f"CREATE UNLOGGED TABLE {name} (id integer PRIMARY KEY, boundary bytea NOT NULL)")
            buf = io.StringIO()
            for i, wkb in enumerate(shapely.to_wkb(geoms, hex=True)):
                buf.write(f"{i}\t\\\\x{wkb}\n")
            with cur.copy(f"COPY {name} (id, boundary) FROM STDIN") as copy:
                copy.write(buf.getvalue())
    conn.commit()
    index = PostGISIndex(conn, {"rights": Table("bench_rights"), "zones": Table("bench_zones")})
    index.ensure_indexes()
    load = time.perf_counter() - t
    elapsed, result = timed(overlap_detection, index)
    with conn.cursor() as cur:
        cur.execute("DROP TABLE bench_rights; DROP TABLE bench_zones")
    conn.commit()
    conn.close()
    return load, elapsed, result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rights", type=int, default=100_000)
    ap.add_argument("--zones", type=int, default=5_000)
    ap.add_argument("--naive-sample", type=int, default=100, help="rights in the naive loop's sample")
    ap.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = ap.parse_args(argv)

    t, (rights, zones) = timed(synthetic_cadastre, args.rights, args.zones)
    print(
        f"cadastre: {len(rights)} rights ({int(len(rights) * 0.6)} exploration blocks, "
        f"{len(rights) - int(len(rights) * 0.6)} mining polygons), {len(zones)} zones; built in {t:.2f} s"
    )

    t_emb, (n_rr, n_rz, area) = embedded(rights, zones)
    print(
        f"embedded STRtree : {t_emb:8.2f} s  ({n_rr} right×right overlaps, {n_rz} right×zone, "
        f"{area:.1f} km² overlapping)"
    )

    t_pg = None
    if args.database_url.startswith(("postgres://", "postgresql://")):
        load, t_pg, (p_rr, p_rz, p_area) = postgis(args.database_url, rights, zones)
        same = (p_rr, p_rz) == (n_rr, n_rz) and abs(p_area - area) <= 1e-6 * max(1.0, area)
        print(
            f"PostGIS GiST join: {t_pg:8.2f} s  ({p_rr} / {p_rz}; load + index {load:.1f} s not counted; "
            f"{'same answers' if same else 'DIFFERENT ANSWERS'})"
        )
        if not same:
            sys.exit("PostGIS and STRtree disagree")
    else:
        print("PostGIS GiST join: skipped (DATABASE_URL is not a PostgreSQL URL)")

    t_naive, per_check = naive(rights, zones, args.naive_sample)
    print(
        f"naive pairwise   : {t_naive:8.1f} s  extrapolated ({per_check * 1e6:.2f} µs per pair, "
        f"sample of {args.naive_sample} rights)"
    )

    print("ratios:")
    if t_pg is not None:
        print(f"  embedded / PostGIS = {t_emb / t_pg:.2f}  (target <= 1.5)")
    print(f"  naive / embedded   = {t_naive / t_emb:.0f}x  (target >= 50x)")


if __name__ == "__main__":
    main()
