"""Benchmark: the portal map at real scale in headless chromium, on the embedded database.

    .venv/bin/python bench/map.py                                          # 100,000 rights, 20,000 facilities, 5,000 zones
    .venv/bin/python bench/map.py --rights 3000 --facilities 600 --zones 150   # CI size

The records are bench/spatial.py's synthetic cadastre (seeded; its zones too) and facilities near its
mining districts, written straight into a fresh embedded database as fixture data (bulk insert, no
audit entries: the subject is reading), all in one prefecture of the deployment's province whose
boundary is the data's envelope (so the map opens on all of it). `kz serve` (waitress) serves them;
Debian's chromium (selenium) opens the map as the public.

Measured in the browser (Performance API, `performance.now()` in the page):
- first render: from navigation start until every visible tile of every layer is drawn and the counts
  and the in-view list are filled (the page sets `data-first-render`), in three states: the first
  visitor after the data changed when the job that builds the opening view ahead has NOT run (a
  server started with KZ_MAP_WARM=off, empty tile store: every tile encoded on request); the first
  visitor after the job HAS run (the job run in another process, as `kz worker` would, timed; then a
  freshly started server with an empty memory cache, reading the store); and a second visit (warm);
- pan/zoom: from a `setView` until the vector tiles of the new view are drawn (the grid's `load`
  event), for zooms into feature locations and pans by a screen, each to tiles not seen before; and
  separately until the in-view list is refreshed;
- the tile requests of that run (count, slowest, bytes), from the resource timing entries.
Reference in the same run and browser: the former way, every feature as GeoJSON pages of 1,000
(`?format=geojson&size=1000`) drawn with L.geoJSON on canvas (the old map stopped at the first page;
drawing them all is what the map would have to do), bounded by --reference-timeout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from ogcapi import KZ, free_port, wait_for  # noqa: E402  (the same server start-up)

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
TARGETS = "targets: first render < 2000 ms, pan/zoom new data < 500 ms"


def load(n_rights: int, n_facilities: int, n_zones: int, env: dict) -> list[tuple[float, float]]:
    """Fill the fresh database; return the facilities' positions (places to zoom to)."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuangzheng.settings")
    import django

    django.setup()
    import datetime as dt

    import numpy as np
    import shapely
    from django.db import connection

    from kuangzheng.registry import geometry
    from kuangzheng.registry.models import Division, Enterprise, Facility, MineralRight, Zone
    from spatial import synthetic_cadastre

    rights, zones = synthetic_cadastre(n_rights, n_zones)
    envelope = shapely.box(*shapely.total_bounds(rights))
    Division.objects.create(code="150000", name_zh="内蒙古自治区", name_en="Inner Mongolia", level="province")
    division = Division.objects.create(
        code="150100", name_zh="基准市", name_en="Bench city", level="prefecture", parent_id="150000",
        **geometry.columns(envelope),
    )  # fmt: skip
    holders = Enterprise.objects.bulk_create(
        [
            Enterprise(name=f"基准企业{i:05d}", division=division, is_generated=True)
            for i in range(max(1, n_rights // 100))
        ]
    )
    cols = geometry.columns_many(rights)
    MineralRight.objects.bulk_create(
        [
            MineralRight(
                licence_no=f"{'TC'[i % 2]}1501002020{i:07d}", kind=("exploration", "mining")[i % 2],
                name=f"基准矿业权{i:06d}", holder=holders[i % len(holders)], division=division, minerals=["铜"],
                valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2040, 1, 1), obtained_by="listing",
                status="valid", is_generated=True, **c,
            )
            for i, c in enumerate(cols)
        ],
        batch_size=2000,
    )  # fmt: skip
    Zone.objects.bulk_create(
        [
            Zone(code=f"Z{i:06d}", name=f"基准分区{i:05d}", kind="key_exploration_area", division=division,
                 is_generated=True, **c)
            for i, c in enumerate(geometry.columns_many(zones))
        ],
        batch_size=2000,
    )  # fmt: skip
    rng = np.random.default_rng(7)
    at = shapely.get_coordinates(shapely.centroid(rights))[rng.integers(0, len(rights), n_facilities)]
    at = at + rng.normal(0, 0.05, at.shape)
    Facility.objects.bulk_create(
        [
            Facility(name=f"基准设施{i:05d}", kind="mine", division=division, enterprise=holders[i % len(holders)],
                     lon=float(x), lat=float(y), is_generated=True)
            for i, (x, y) in enumerate(at)
        ],
        batch_size=2000,
    )  # fmt: skip
    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return [tuple(p) for p in at]


def build_ahead(env: dict) -> tuple[float, int]:
    """Run the opening-view job in this process (as `kz worker` would); (seconds, tiles)."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuangzheng.settings")
    import django

    django.setup()
    from django.db import connection

    from kuangzheng.registry import tilewarm

    t0 = time.perf_counter()
    built = tilewarm.warm.enqueue().return_value  # KZ_TASKS=immediate: runs here
    connection.close()
    return time.perf_counter() - t0, built


def serve(work: Path, env: dict, log: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [KZ, "serve", "--port", str(port)], env=env, stdout=(work / log).open("wb"), stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/", server, "kz serve")
    return server, base


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,900", "--lang=zh-CN",
              f"--user-data-dir={tempfile.mkdtemp()}", "--disable-background-networking"):  # fmt: skip
        opts.add_argument(a)
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    drv.set_page_load_timeout(120)
    drv.set_script_timeout(600)
    return drv


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used: what a render cost the server, whatever the
    machine's load (wall times on a shared machine grow with the other processes' demand)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_render(drv, base: str, server: subprocess.Popen) -> dict:
    cpu0 = cpu_seconds(server.pid)
    drv.get(base + "/")
    deadline = time.time() + 120
    while time.time() < deadline:
        state = drv.execute_script(
            "const m = document.getElementById('map'); return [m.dataset.firstRender || null, m.dataset.error || null]"
        )
        if state[0] or state[1]:
            break
        time.sleep(0.05)
    if state[1]:
        raise RuntimeError("the map failed: " + state[1])
    tiles = drv.execute_script(
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('/map/tiles/'))"
        ".map(e => [e.duration, e.encodedBodySize || e.transferSize || 0])"
    )
    slowest = drv.execute_script(
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/'))"
        ".sort((a, b) => b.responseEnd - a.responseEnd).slice(0, 6)"
        ".map(e => [e.name.split('/api/v1/')[1].slice(0, 60), Math.round(e.startTime), Math.round(e.responseEnd)])"
    )
    counts = drv.execute_script(
        "return ['n-rights', 'n-zones', 'n-facilities'].map(id => document.getElementById(id).textContent)"
    )
    return {
        "ms": float(state[0]),
        "cpu": cpu_seconds(server.pid) - cpu0,
        "tiles": len(tiles),
        "slowest": max((t[0] for t in tiles), default=0.0),
        "kb": sum(t[1] for t in tiles) / 1024,
        "counts": counts,
        "last": slowest,
    }


MOVE = """
const [lat, lon, zoom, done] = arguments, map = document.getElementById('map').leafletMap;
const grid = Object.values(map._layers).find(l => l.options && l.options.pane === 'records');
const el = document.getElementById('map'), listed = el.dataset.listed, t0 = performance.now();
let drawn = null;
grid.once('load', () => { drawn = performance.now() - t0; });
map.setView([lat, lon], zoom, {animate: false});
const poll = () => {
  if (drawn === null && !grid._loading) drawn = performance.now() - t0;  // nothing new to fetch
  if (drawn !== null && el.dataset.listed !== listed) done([drawn, performance.now() - t0]);
  else setTimeout(poll, 5);
};
poll();
"""


def pan_zoom(drv, places: list[tuple[float, float]], moves: int) -> list[tuple[float, float]]:
    """Zoom into places (zoom 8 to 12) and pan by a screen from there: tiles not seen before."""
    rng, out = random.Random(16), []
    for _ in range(moves):
        lon, lat = rng.choice(places)
        zoom = rng.randint(8, 12)
        out.append(tuple(drv.execute_async_script(MOVE, lat, lon, zoom)))
        span = drv.execute_script(
            "const b = document.getElementById('map').leafletMap.getBounds(); return b.getEast() - b.getWest()"
        )
        out.append(tuple(drv.execute_async_script(MOVE, lat, lon + span, zoom)))
    return out


REFERENCE = """
const [limit, done] = arguments, t0 = performance.now();
const map = document.getElementById('map').leafletMap, renderer = L.canvas();
const page = (layer, n) => fetch(`/api/v1/${layer}?format=geojson&size=1000&page=${n}&division=150000`).then(r => r.json());
let features = 0;
const all = async (layer) => {
  const first = await page(layer, 1), pages = Math.ceil(first.numberMatched / 1000);
  const add = (fc) => { L.geoJSON(fc, {renderer, pointToLayer: (f, ll) => L.circleMarker(ll, {renderer, radius: 2})}).addTo(map); features += fc.features.length; };
  add(first);
  for (let n = 2; n <= pages; n++) {
    if (performance.now() - t0 > limit) return false;
    add(await page(layer, n));
  }
  return true;
};
Promise.all(['zones', 'rights', 'facilities'].map(all)).then((ok) =>
  requestAnimationFrame(() => done([performance.now() - t0, features, ok.every(Boolean)])));
"""


def reference(drv, base: str, limit_s: float) -> tuple[float, int, bool]:
    drv.get(base + "/")
    while not drv.execute_script("return document.getElementById('map').dataset.loaded === '1'"):
        time.sleep(0.05)
    drv.execute_script(  # the former map: no tiles, the features themselves
        "const m = document.getElementById('map').leafletMap;"
        "m.eachLayer(l => { if (l.options && l.options.pane === 'records') m.removeLayer(l); });"
    )
    return tuple(drv.execute_async_script(REFERENCE, limit_s * 1000))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rights", type=int, default=100_000)
    ap.add_argument("--facilities", type=int, default=20_000)
    ap.add_argument("--zones", type=int, default=5_000)
    ap.add_argument("--moves", type=int, default=10, help="zooms into places, each followed by a pan")
    ap.add_argument("--data-dir", help="reuse (or keep) the loaded database in this folder")
    ap.add_argument("--reference-timeout", type=float, default=60.0, help="seconds the GeoJSON reference may take")
    args = ap.parse_args(argv)
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        print("Debian's chromium and chromium-driver are not installed: nothing measured")
        return 0

    work = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="kz-bench-map-"))
    os.environ.pop("DATABASE_URL", None)  # the embedded database
    env = {**os.environ, "KZ_DATA_DIR": str(work), "KZ_JURISDICTION": "inner_mongolia"}
    places_file = work / "places.json"
    if places_file.exists():
        places = [tuple(p) for p in json.loads(places_file.read_text())]
        print(f"reusing the database in {work}", flush=True)
    else:
        work.mkdir(parents=True, exist_ok=True)
        subprocess.run([KZ, "init"], env=env, check=True, capture_output=True)
        t0 = time.perf_counter()
        places = load(args.rights, args.facilities, args.zones, env)
        places_file.write_text(json.dumps(places))
        print(
            f"{args.rights:,} rights, {args.facilities:,} facilities, {args.zones:,} zones loaded in "
            f"{time.perf_counter() - t0:.1f} s (embedded SQLite)",
            flush=True,
        )
    shutil.rmtree(work / "tiles", ignore_errors=True)  # no tiles built ahead from an earlier run
    drv = server = None
    try:
        drv = browser()
        print(f"load average before the first render: {os.getloadavg()[0]:.1f}", flush=True)
        server, base = serve(work, {**env, "KZ_MAP_WARM": "off"}, "kz-nowarm.log")
        unbuilt = first_render(drv, base, server)  # the job has not run: every tile encoded on request
        stop(server)
        job_s, job_tiles = build_ahead(env)
        server, base = serve(work, env, "kz.log")  # a new process: memory cache empty, the store built
        cold = first_render(drv, base, server)
        warm = first_render(drv, base, server)
        moves = pan_zoom(drv, places, args.moves)
        ref_ms, ref_features, ref_done = reference(drv, base, args.reference_timeout)
    finally:
        if drv is not None:
            drv.quit()
        if server is not None and server.poll() is None:
            stop(server)

    drawn = sorted(m[0] for m in moves)
    listed = sorted(m[1] for m in moves)
    pct = lambda xs, q: xs[min(len(xs) - 1, int(len(xs) * q))]  # noqa: E731
    print(f"counts on the page (rights, zones, facilities): {', '.join(cold['counts'])}")
    print(f"{'':34} {'ms':>8}  detail")
    print(
        f"{'first render, cold, job not run':34} {unbuilt['ms']:8.0f}  {unbuilt['tiles']} tiles, slowest "
        f"{unbuilt['slowest']:.0f} ms, {unbuilt['kb']:.0f} kB, server CPU {unbuilt['cpu']:.2f} s"
    )
    print(f"{'opening-view job (other process)':34} {job_s * 1000:8.0f}  {job_tiles} tiles built ahead")
    print(
        f"{'first render, cold, job has run':34} {cold['ms']:8.0f}  {cold['tiles']} tiles, slowest "
        f"{cold['slowest']:.0f} ms, {cold['kb']:.0f} kB, server CPU {cold['cpu']:.2f} s"
    )
    print(
        f"{'first render, warm tile cache':34} {warm['ms']:8.0f}  {warm['tiles']} tiles, slowest {warm['slowest']:.0f} ms, "
        f"server CPU {warm['cpu']:.2f} s"
    )
    print(f"{'pan/zoom: new tiles drawn':34} {pct(drawn, 0.5):8.0f}  median of {len(drawn)}; max {drawn[-1]:.0f} ms")
    print(f"{'pan/zoom: in-view list refreshed':34} {pct(listed, 0.5):8.0f}  median; max {listed[-1]:.0f} ms")
    state = "all drawn" if ref_done else f"stopped after {args.reference_timeout:.0f} s"
    print(f"{'reference: GeoJSON pages, L.geoJSON':34} {ref_ms:8.0f}  {ref_features:,} features ({state})")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (1 min), {os.getloadavg()[1]:.1f} (5 min)")
    print(TARGETS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
