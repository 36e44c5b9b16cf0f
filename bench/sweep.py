"""Benchmark: the whole compliance sweep, column-wise, beside the simplest correct per-subject loop.

    .venv/bin/python bench/sweep.py --n 100000      # default: 100,000 facilities and 100,000 rights
    .venv/bin/python bench/sweep.py --n 5000        # CI size, seconds

A synthetic registry (seeded, reproducible; speed only, not data): N facilities of realistic kinds
(mines, concentrators, smelters, aluminium lines …) with technical attributes scattered around the
seeds' thresholds, 10 % of them missing, across Inner Mongolia, Qinghai, Tibet and elsewhere; N
rights (60 % mining, 40 % exploration) of 0.3–2.5 km across in N/100 mining districts, with realistic
mineral mixes and states; N/100 planning zones.

The sweep is what `kz sweep` does after reading the registry, phase by phase: spatial facts through the
STRtree index; the input — subject records (as the registry loader hands them over) turned into
batches (`batch.from_records`); every rule over the columns; storing the verdicts
(`compliance.services.store_sweep`, into a fresh SQLite database; `--no-store` skips it).

The reference is the simplest correct per-subject loop: each subject checked on its own, as a batch of
one, through the same rule functions (what `kz check` and a subject's page do), the catalogue read
once. It runs on a random sample of subjects of each kind (`--ref-n`) and its rate is per evaluation,
so the sample's rate stands for the whole registry. Both sides count only evaluations that decide
something — a rule whose outcome for the subject is not "not applicable" — and both are timed with
and without their input preparation (records → batches). The run exits non-zero if the loop and the
sweep give any sampled subject a different outcome or reason.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

from kuangzheng.compliance.core import batch, engine, spatial
from kuangzheng.compliance.core import minerals as mn
from kuangzheng.geo.index import STRtreeIndex
from kuangzheng.policy.catalogue import load_catalogue

HERE = Path(__file__).resolve().parent
AS_OF = dt.date(2018, 6, 1)
DIVISIONS = np.array(["150200", "150600", "152500", "150100", "630000", "632800", "540000", "110000"])
DIV_P = np.array([0.2, 0.2, 0.15, 0.15, 0.1, 0.05, 0.05, 0.1])
FAC_KINDS = np.array(["mine", "concentrator", "smelter", "al_line", "refinery", "processing_plant"])
FAC_P = np.array([0.55, 0.15, 0.1, 0.1, 0.05, 0.05])
METALS = [["煤"], ["铜"], ["铅", "锌"], ["锌"], ["铝"], ["金"], ["铁"], ["稀土"], ["钨"], ["银"], ["铜", "钼"], ["镁"]]
MINERALS = METALS + [["砂金"], ["超贫磁铁矿"], ["湿地泥炭"], ["砂石"], ["萤石"], ["河道砂金"]]


def around(rng, n, centre, spread, missing=0.1):
    v = rng.normal(centre, spread, n)
    v[rng.random(n) < missing] = np.nan
    return np.round(v, 1)


def facilities(rng, n):
    kind = rng.choice(FAC_KINDS, n, p=FAC_P)
    combo = rng.integers(0, len(METALS), n)
    combo = np.where(kind == "al_line", 4, np.where(kind == "mine", np.where(rng.random(n) < 0.6, 0, combo), combo))
    masks = np.array([mn.mask_of(m) for m in METALS], dtype=np.uint64)[combo]
    cols = {
        "kind": kind,
        "division": rng.choice(DIVISIONS, n, p=DIV_P),
        "project_type": rng.choice(["new", "retrofit", "expansion", "existing"], n, p=[0.15, 0.05, 0.05, 0.75]),
        "status": rng.choice(["operating", "closed", "planned"], n, p=[0.85, 0.05, 0.1]),
        "metals_mask": masks,
        "minerals": np.array(["、".join(m) for m in METALS])[combo],
        "cell_current_ka": around(rng, n, 300, 120),
        "ac_molten_kwh_t": around(rng, n, 13000, 400),
        "ac_ingot_kwh_t": around(rng, n, 13400, 400),
        "current_efficiency_pct": around(rng, n, 92.5, 1),
        "capital_ratio_pct": around(rng, n, 42, 5),
        "single_series_capacity": around(rng, n, 10, 4),
        "self_supply_pct": around(rng, n, 32, 10),
        "daily_capacity": around(rng, n, 700, 500),
        "capacity": np.abs(around(rng, n, 250, 200)),
        "capacity_unit": np.full(n, "10^4 t/a"),
        "coal_rank": rng.choice(["褐煤", "烟煤", "无烟煤", ""], n, p=[0.4, 0.4, 0.1, 0.1]),
        "mining_method": rng.choice(["underground", "open_pit", "mixed", ""], n, p=[0.5, 0.35, 0.05, 0.1]),
        "process": rng.choice(["", "预焙槽", "马弗炉", "闪速熔炼", "烧结-鼓风炉", "湿法炼锌"], n),
        "equipment_level": rng.choice(["", "domestic_advanced", "ordinary", "intl_advanced"], n),
    }
    cols["project_type"] = cols["project_type"].astype("<U9")
    lon, lat = rng.uniform(106, 122, n), rng.uniform(39, 47, n)
    cols["live"] = (cols["status"] != "closed").astype(np.int8)
    return np.arange(1, n + 1), cols, shapely.points(lon, lat)


def districts(rng, n):
    k = max(1, n // 100)
    return rng.uniform(106, 122, k), rng.uniform(39, 47, k)


def rights(rng, n):
    dl, db = districts(rng, n)
    d = rng.integers(0, len(dl), n)
    lon, lat = dl[d] + rng.normal(0, 0.15, n), db[d] + rng.normal(0, 0.1, n)
    w = rng.uniform(0.004, 0.03, n)  # 0.3–2.5 km across
    h = w * rng.uniform(0.5, 1.5, n)
    geoms = shapely.box(lon, lat, lon + w, lat + h)
    kind = rng.choice(["mining", "exploration"], n, p=[0.6, 0.4])
    combo = rng.integers(0, len(MINERALS), n)
    top = rng.uniform(800, 1500, n)
    cols = {
        "kind": kind,
        "division": rng.choice(DIVISIONS, n, p=DIV_P),
        "status": rng.choice(["valid", "applied", "expired", "suspended"], n, p=[0.75, 0.1, 0.1, 0.05]),
        "metals_mask": np.array([mn.mask_of(m) for m in MINERALS], dtype=np.uint64)[combo],
        "minerals": np.array(["、".join(m) for m in MINERALS])[combo],
        "capacity": np.abs(around(rng, n, 200, 150)),
        "capacity_unit": np.full(n, "10^4 t/a"),
        "coal_rank": rng.choice(["褐煤", "烟煤", ""], n),
        "mining_method": rng.choice(["underground", "open_pit"], n),
        "obtained_by": rng.choice(["application", "listing", "agreement", "tender"], n, p=[0.4, 0.4, 0.1, 0.1]),
    }
    reg = {
        "id": np.arange(1, n + 1),
        "holder": rng.integers(1, max(2, n // 5), n),
        "kind": kind,
        "mask": cols["metals_mask"],
        "top": top,
        "bottom": top - rng.uniform(200, 600, n),
        "live": np.isin(cols["status"], batch.LIVE_RIGHT_STATES).astype(np.int8),
        "has_geom": np.ones(n, bool),
    }
    return reg, cols, geoms


def zones(rng, n):
    k = max(20, n // 100)
    kinds = rng.choice(
        [
            "prohibited_mining_area",
            "nature_reserve",
            "restricted_mining_area",
            "exploration_planning_block",
            "mining_planning_block",
            "key_mining_area",
            "integrated_exploration_zone",
            "key_environmental_treatment_area",
            "industrial_park",
        ],
        k,
    )
    lon, lat = rng.uniform(106, 122, k), rng.uniform(39, 47, k)
    size = rng.uniform(0.05, 0.4, k)
    return kinds, shapely.box(lon, lat, lon + size, lat + size * 0.7)


def registry(n, seed=2016):
    """(facility ids, columns, right ids, columns, spatial seconds): the synthetic registry with its spatial
    facts as columns."""
    rng = np.random.default_rng(seed)
    fid, fcols, points = facilities(rng, n)
    reg, rcols, rgeoms = rights(rng, n)
    zkind, zgeoms = zones(rng, n)
    t0 = time.perf_counter()
    index = STRtreeIndex({"rights": (reg["id"], rgeoms), "facilities": (fid, points)})
    for k in np.unique(zkind):
        sel = zkind == k
        index.add_layer(f"zone:{k}", np.flatnonzero(sel) + 1, zgeoms[sel])
    index.add_layer(
        "zone:nonferrous_park", np.flatnonzero(zkind == "industrial_park") + 1, zgeoms[zkind == "industrial_park"]
    )
    rcols.update(spatial.right_relations(index, "rights", reg, reg))
    fcols.update(spatial.facility_relations(index, "facilities", fid, np.ones(n, bool), 30_000))
    return fid, fcols, reg["id"], rcols, time.perf_counter() - t0


def sweep(n, seed=2016):
    """(facility batch, right batch, …): the synthetic registry as batches straight from its columns
    (bench/sweep_store.py and tests/compliance/test_store.py use it)."""
    fid, fcols, rid, rcols, t_spatial = registry(n, seed)
    return batch.finish("facility", fid, fcols, AS_OF), batch.finish("right", rid, rcols, AS_OF), t_spatial


def records(ids, cols, lists: str) -> list[dict]:
    """Subject records as the registry loader hands them to `batch.from_records` (not timed: this stands
    for reading the registry): plain values, mineral lists, spatial facts as fields."""
    names = [k for k in cols if k not in ("metals_mask", "minerals", "live")]
    values = [np.asarray(cols[k]).tolist() for k in names]
    minerals = [m.split("、") if m else [] for m in np.asarray(cols["minerals"]).tolist()]
    return [
        {"id": i, lists: ms, **dict(zip(names, row))}
        for i, ms, *row in zip(np.asarray(ids).tolist(), minerals, *values)
    ]


def decisive(evals) -> int:
    """Evaluations that decide something: a rule whose outcome for the subject is not 'not applicable'."""
    return sum(int(np.count_nonzero(ev.outcome != engine.NA)) for ev in evals)


def columnar(frecs, rrecs, cat):
    """The sweep's input and rule phases: (evaluations, input seconds, rule seconds)."""
    t0 = time.perf_counter()
    batches = [batch.from_records("facility", frecs, AS_OF, cat), batch.from_records("right", rrecs, AS_OF, cat)]
    t1 = time.perf_counter()
    evals = engine.evaluate(batches)
    return evals, t1 - t0, time.perf_counter() - t1


def per_subject(kind, recs, rows, cat):
    """The reference: each sampled subject as its own batch of one. (input s, rule s, decisive, verdicts)."""
    t_input = t_rules = 0.0
    n_decisive, verdicts = 0, {}
    for i in rows:
        t0 = time.perf_counter()
        b = batch.from_records(kind, [recs[i]], AS_OF, cat)
        t1 = time.perf_counter()
        evals = engine.evaluate([b])
        t_rules += time.perf_counter() - t1
        t_input += t1 - t0
        n_decisive += decisive(evals)
        verdicts[i] = {ev.rule.id: (int(ev.outcome[0]), str(ev.reason[0])) for ev in evals}
    return t_input, t_rules, n_decisive, verdicts


def disagreements(evals, kind, verdicts) -> int:
    """Sampled subjects whose verdicts alone differ from their verdicts in the sweep."""
    bad = 0
    for ev in (e for e in evals if e.batch.kind == kind):
        outcome, reason = ev.outcome, ev.reason
        bad += sum(v[ev.rule.id] != (int(outcome[i]), str(reason[i])) for i, v in verdicts.items())
    return bad


def store(evals, directory: str) -> float:
    """Store the verdicts through the service layer into a fresh SQLite database in `directory`; seconds."""
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/sweep.sqlite3"
    sys.path.insert(0, str(HERE))
    import sweep_store  # bench/sweep_store.py: Django set-up and subject labels

    sweep_store.setup_django(os.environ["DATABASE_URL"])
    from kuangzheng.access.actor import Actor
    from kuangzheng.compliance import services

    batches = {ev.batch.kind: ev.batch for ev in evals}
    labels = sweep_store.subject_labels(batches["facility"], batches["right"], np.random.default_rng(7))
    admin = Actor("bench-admin", "admin")
    services.store_sweep(admin, AS_OF, evals[:1], labels)  # warm-up: connection, statements
    t0 = time.perf_counter()
    services.store_sweep(admin, AS_OF, evals, labels)
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="facilities and rights (each)")
    ap.add_argument("--ref-n", type=int, default=500, help="subjects of each kind the per-subject loop checks")
    ap.add_argument("--no-store", action="store_true", help="leave out the storing phase (no Django)")
    a = ap.parse_args(argv)
    n = a.n
    cat = load_catalogue()  # read once, for both
    engine.load_rules()
    t0 = time.perf_counter()
    fid, fcols, rid, rcols, t_spatial = registry(n)
    t_data = time.perf_counter() - t0 - t_spatial
    frecs, rrecs = records(fid, fcols, "metals"), records(rid, rcols, "minerals")
    columnar(frecs[:2], rrecs[:2], cat)  # warm-up
    # best of three, each on fresh batches (nothing cached from an earlier run)
    evals, t_input, t_rules = min((columnar(frecs, rrecs, cat) for _ in range(3)), key=lambda r: r[1] + r[2])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n_all = sum(len(ev.batch) for ev in evals)
    n_dec = decisive(evals)
    rng = np.random.default_rng(11)
    ref = {"input": 0.0, "rules": 0.0, "decisive": 0, "bad": 0, "subjects": 0}
    for kind, recs in (("facility", frecs), ("right", rrecs)):
        rows = np.sort(rng.choice(len(recs), min(a.ref_n, len(recs)), replace=False)).tolist()
        ti, tr, nd, verdicts = per_subject(kind, recs, rows, cat)
        ref["input"] += ti
        ref["rules"] += tr
        ref["decisive"] += nd
        ref["subjects"] += len(rows)
        ref["bad"] += disagreements(evals, kind, verdicts)
    t_store = None
    if not a.no_store:
        with tempfile.TemporaryDirectory(prefix="kz-bench-") as tmp:
            t_store = store(evals, tmp)
    whole = t_spatial + t_input + t_rules + (t_store or 0.0)
    rate = n_dec / t_rules
    rate_in = n_dec / (t_input + t_rules)
    ref_rate = ref["decisive"] / ref["rules"]
    ref_rate_in = ref["decisive"] / (ref["input"] + ref["rules"])
    print(
        f"synthetic registry: {n:,} facilities + {n:,} rights, {len(evals)} rule × subject-kind pairs; "
        f"generated in {t_data:.2f} s"
    )
    print(f"rule evaluations: {n_all:,}, of which {n_dec:,} decide something (not 'not applicable')")
    phases = [
        ("spatial facts (STRtree: zones, overlaps, 30 km, parks)", t_spatial),
        ("input: records -> batches (batch.from_records)", t_input),
        ("rules: every rule over the columns", t_rules),
    ]
    if t_store is not None:
        phases.append(("storing the verdicts (store_sweep, SQLite)", t_store))
    phases.append(("whole sweep" + ("" if t_store is not None else " (without storing)"), whole))
    print("the whole sweep, phase by phase (input and rules: best of three):")
    for name, seconds in phases:
        print(f"  {name:<58}{seconds:8.3f} s")
    print(f"peak memory (max RSS) after the rule phase: {rss:,.0f} MiB")
    print(
        f"per-subject loop (a batch of one each, same rules, catalogue read once), {ref['subjects']:,} sampled "
        f"subjects: {ref['decisive']:,} deciding evaluations, input {ref['input']:.3f} s, rules {ref['rules']:.3f} s"
    )
    print(f"{'deciding evaluations per second':<36}{'sweep':>14}{'per-subject loop':>20}{'speed-up':>10}")
    print(f"{'  rules only':<36}{rate:>14,.0f}{ref_rate:>20,.0f}{rate / ref_rate:>9,.0f}×")
    print(f"{'  with input preparation':<36}{rate_in:>14,.0f}{ref_rate_in:>20,.0f}{rate_in / ref_rate_in:>9,.0f}×")
    print(f"{'  whole sweep':<36}{n_dec / whole:>14,.0f}")
    print(
        "sampled subjects checked alone vs in the sweep: "
        + ("all verdicts agree" if not ref["bad"] else f"{ref['bad']} verdicts DISAGREE")
    )
    return 1 if ref["bad"] else 0


if __name__ == "__main__":
    sys.exit(main())
