"""Benchmark: the embedded database's tile encoder, numpy (registry/core/mvt.py) against
mapbox-vector-tile, on the opening view of the portal map at real scale.

    .venv/bin/python bench/map.py --data-dir /tmp/kz-map    # once: loads 100,000 + 20,000 + 5,000
    .venv/bin/python bench/mvt.py --data-dir /tmp/kz-map

For every tile the map's opening view covers at each zoom of registry/tilewarm.py's opening tiles,
every layer is built as `registry.tiles` builds it (the public's records, points merged per half
pixel, zones clipped and simplified), then encoded twice: by the numpy encoder and by
mapbox-vector-tile (the reference, the library the tiles came from before). The tiles must be
byte-for-byte equal (exit code 1 otherwise). Printed: CPU seconds (process time) of each encoder per
zoom and layer, the features and bytes, and the time to read the three layers' box indexes (a new
process's first tile pays it once per data version).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True, help="a folder bench/map.py loaded (its --data-dir)")
    args = ap.parse_args(argv)
    if not (Path(args.data_dir) / "places.json").exists():  # bench/map.py writes it once it has loaded
        print(f"no database of bench/map.py in {args.data_dir} (chromium missing?): nothing measured")
        return 0
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(KZ_DATA_DIR=args.data_dir, KZ_JURISDICTION="inner_mongolia")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuangzheng.settings")
    import django

    django.setup()
    import mapbox_vector_tile
    import numpy as np

    from kuangzheng.access.actor import PUBLIC_ACTOR
    from kuangzheng.registry import tiles, tilewarm
    from kuangzheng.registry.core import mvt

    code = tilewarm.division()
    opening = tilewarm.opening_tiles(tilewarm.extent(code))
    version = tiles.data_version()
    t0 = time.process_time()
    for entity in tiles.ENTITY.values():
        tiles._index(PUBLIC_ACTOR, entity, code, version)
    index_s = time.process_time() - t0

    spent = defaultdict(float)  # (zoom, layer, encoder) -> CPU seconds
    sizes = defaultdict(int)  # (zoom, layer) -> (features, bytes)
    features = defaultdict(int)
    here = {}

    def reference(name, ids, kinds, geoms):
        names = [kinds.names[c] if c >= 0 else None for c in kinds.codes]
        rows = [
            {"geometry": g, "properties": {"kind": k} if k else {}, "id": int(i)} for i, k, g in zip(ids, names, geoms)
        ]
        return mapbox_vector_tile.encode(
            [{"name": name, "features": rows}],
            default_options={"extents": tiles.EXTENT, "y_coord_down": True, "check_winding_order": False},
        )

    def timed(encode, as_points):
        def run(name, ids, kinds, geometry, extent):
            z = here["z"]
            t = time.process_time()
            got = encode(name, ids, kinds, geometry, extent)
            spent[z, name, "numpy"] += time.process_time() - t
            geoms = np.asarray(geometry, dtype=object) if not as_points else None
            if as_points:
                import shapely

                geoms = shapely.points(np.asarray(geometry, dtype=float))
            t = time.process_time()
            want = reference(name, ids, kinds, geoms) if len(ids) else b""
            spent[z, name, "mapbox-vector-tile"] += time.process_time() - t
            if got != want:
                raise SystemExit(f"tile z{z} layer {name}: the encoders differ")
            features[z, name] += len(ids)
            sizes[z, name] += len(got)
            return got

        return run

    tiles.mvt.encode_points = timed(mvt.encode_points, True)
    tiles.mvt.encode_polygons = timed(mvt.encode_polygons, False)
    for z, x, y in opening:
        here["z"] = z
        for layer in tiles.LAYERS:
            tiles._encode_python(PUBLIC_ACTOR, layer, z, x, y, code, version)

    print(f"box indexes of the three layers read: {index_s:.2f} s CPU")
    print(
        f"{'zoom':>4} {'tiles':>5} {'layer':<11} {'features':>9} {'kB':>7} {'numpy s':>8} {'mapbox-vector-tile s':>21} {'×':>5}"
    )
    for z in sorted({t[0] for t in opening}):
        n = sum(1 for t in opening if t[0] == z)
        for layer in tiles.LAYERS:
            fast, ref = spent[z, layer, "numpy"], spent[z, layer, "mapbox-vector-tile"]
            print(
                f"{z:>4} {n:>5} {layer:<11} {features[z, layer]:>9,} {sizes[z, layer] / 1024:>7.0f} {fast:>8.3f} "
                f"{ref:>21.3f} {ref / fast if fast else 0:>5.0f}"
            )
    print("every tile byte-for-byte equal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
