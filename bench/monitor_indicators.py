"""Benchmark: columnar indicators against a plain Python loop over rows.

    .venv/bin/python bench/monitor_indicators.py [rows]

The rows are synthetic (random divisions, metals, enterprises and outputs): this measures speed
only. Prints seconds per indicator for the columnar version and for a dict-accumulating loop.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from kuangzheng.monitoring.core import indicators as ind


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def loop_utilisation(div, metal, period, out, cap):
    acc = {}
    for k in zip(div.tolist(), metal.tolist(), period.tolist(), out.tolist(), cap.tolist()):
        a = acc.setdefault(k[:3], [0.0, 0.0])
        a[0] += k[3]
        a[1] += k[4]
    return {k: o / c for k, (o, c) in acc.items()}


def main(n: int) -> None:
    rng = np.random.default_rng(0)
    div = rng.integers(110000, 659999, n // 50 + 1).astype(str)[rng.integers(0, n // 50 + 1, n)]
    metal = np.array(["cu", "al", "pb", "zn", "ni", "sn"])[rng.integers(0, 6, n)]
    period = np.array([f"2024-{m:02d}" for m in range(1, 13)])[rng.integers(0, 12, n)]
    ent = rng.integers(0, n // 20 + 1, n).astype(str)
    out = rng.random(n) * 1000
    cap = out * (1 + rng.random(n))
    by = {"division": div, "metal": metal, "period": period}
    t_col, table = timed(lambda: ind.capacity_utilisation(out, cap, by))
    t_loop, ref = timed(lambda: loop_utilisation(div, metal, period, out, cap))
    k = tuple(str(table.keys[c][0]) for c in ("division", "metal", "period"))
    assert abs(ref[k] - table.value[0]) < 1e-9
    t_conc, _ = timed(lambda: ind.concentration(out, ent, {"metal": metal, "period": period}, top_n=10))
    # the same keys as integers (division code 150100, metal index, period 202401): no string sort
    metal_i = np.unique(metal, return_inverse=True)[1]
    by_int = {
        "division": div.astype(np.int64),
        "metal": metal_i,
        "period": np.char.replace(period, "-", "").astype(np.int64),
    }
    t_int, _ = timed(lambda: ind.capacity_utilisation(out, cap, by_int))
    print(f"rows: {n:,}; groups: {len(table):,}")
    print(
        f"capacity_utilisation  string keys {t_col:7.3f} s   integer keys {t_int:7.3f} s   python loop {t_loop:7.3f} s"
    )
    print(f"concentration_top10   string keys {t_conc:7.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
