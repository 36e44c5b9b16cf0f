"""Benchmark: the cost of putting the figures other domains register (monitoring/outside.py:
restoration's areas and fund coverage) under complementary suppression.

    .venv/bin/python bench/published.py --data-dir /tmp/kz-demo --repeat 3   # makes the demo there once

On the database the environment names (the demo's), in one run: `disclosure.Published.build` of the
report tables alone (the reference: the rule before outside figures took part) and of the report
tables with the outside figures, each followed by the public's protection (`hidden(None)`), the
best of N; and the outside providers alone. The dashboard's tables are computed once, outside the
timing. `Published` is rebuilt once per data version (disclosure._data_version), not per request.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--data-dir",
        help="the demo's folder on the embedded database; made with `kz init --demo` when it holds none "
        "(without it: the database the environment names)",
    )
    args = ap.parse_args()
    if args.data_dir:
        os.environ.pop("DATABASE_URL", None)  # the embedded database
        os.environ["KZ_DATA_DIR"] = str(Path(args.data_dir).resolve())
        if not any(Path(args.data_dir).glob("*.sqlite3")):
            kz = Path(sys.executable).with_name("kz")
            print(f"making the demo in {args.data_dir} (kz init --demo)")
            subprocess.run([str(kz), "init", "--demo"], check=True, stdout=subprocess.DEVNULL)
    from kuangzheng.runtime import setup_django

    setup_django()
    from kuangzheng.monitoring import disclosure, measures, outside

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    tables = {lv: measures.dashboard_tables(lv) for lv in measures.LEVELS}
    for label, kw in (("report tables only (reference)", {"outside_by_level": {}}), ("with outside figures", {})):
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            p = disclosure.Published.build(tables, **kw)
            hidden = p.hidden(None)
            times.append(time.perf_counter() - t)
        print(
            f"{label:34s} {len(p.counts):6d} cells, {len(hidden):5d} withheld, best {min(times):.2f} s of {args.repeat}"
        )
    t = time.perf_counter()
    rows = sum(len(outside.published_rows(lv)) for lv in measures.LEVELS)
    print(f"{'outside providers alone':34s} {rows:6d} rows, {time.perf_counter() - t:.2f} s")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
