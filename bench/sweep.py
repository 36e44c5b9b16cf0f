"""Benchmark: the compliance sweep, column-wise, beside a naive per-subject Python loop.

    .venv/bin/python bench/sweep.py --n 100000      # default: 100,000 facilities and 100,000 rights
    .venv/bin/python bench/sweep.py --n 5000        # CI size, seconds

A synthetic registry (seeded, reproducible; speed only, not data): N facilities of realistic kinds
(mines, concentrators, smelters, aluminium lines …) with technical attributes scattered around the
seeds' thresholds, 10 % of them missing, across Inner Mongolia, Qinghai, Tibet and elsewhere; N
rights (60 % mining, 40 % exploration) of 0.3–2.5 km across in N/100 mining districts, with realistic mineral
mixes and states; N/100 planning zones. The sweep is what `kz sweep` runs: spatial facts through the
STRtree index, then every rule over the columns. Printed: rule evaluations per second of the rule
phase, the spatial phase's time, peak memory (max RSS) — and the same for a deliberately naive
reference: a per-subject loop of plain Python over the threshold, list and spatial-fact rules
(REFERENCE_RULES), with catalogue values cached per (parameter, jurisdiction). The run exits non-zero
if the loop and the engine disagree on any of those verdicts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time

import numpy as np
import shapely

from kuangzheng.compliance.core import batch, engine, spatial
from kuangzheng.compliance.core import minerals as mn
from kuangzheng.geo.index import STRtreeIndex
from kuangzheng.policy.catalogue import ParameterNotFound
from kuangzheng.policy.lookup import param

AS_OF = dt.date(2018, 6, 1)
DIVISIONS = np.array(["150200", "150600", "152500", "150100", "630000", "632800", "540000", "110000"])
DIV_P = np.array([0.2, 0.2, 0.15, 0.15, 0.1, 0.05, 0.05, 0.1])
FAC_KINDS = np.array(["mine", "concentrator", "smelter", "al_line", "refinery", "processing_plant"])
FAC_P = np.array([0.55, 0.15, 0.1, 0.1, 0.05, 0.05])
METALS = [["煤"], ["铜"], ["铅", "锌"], ["锌"], ["铝"], ["金"], ["铁"], ["稀土"], ["钨"], ["银"], ["铜", "钼"], ["镁"]]
MINERALS = METALS + [["砂金"], ["超贫磁铁矿"], ["湿地泥炭"], ["砂石"], ["萤石"], ["河道砂金"]]
REFERENCE_RULES = (
    "al.cell_current",
    "al.ac_molten",
    "al.ac_ingot",
    "al.current_efficiency",
    "al.capital_ratio",
    "smelting.single_series",
    "smelting.self_supply",
    "mine.min_scale",
    "concentrator.min_capacity",
    "mineral.policy",
    "plan.prohibited_area",
    "plan.right_overlap",
    "plan.outside_blocks",
)


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


def sweep(n, seed=2016):
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    fid, fcols, points = facilities(rng, n)
    reg, rcols, rgeoms = rights(rng, n)
    zkind, zgeoms = zones(rng, n)
    t_data = time.perf_counter() - t0
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
    t_spatial = time.perf_counter() - t0
    t0 = time.perf_counter()  # the engine's input form: categorical text columns dictionary-encoded
    fb = batch.finish("facility", fid, fcols, AS_OF)
    rb = batch.finish("right", reg["id"], rcols, AS_OF)
    t_build = time.perf_counter() - t0
    return fb, rb, t_data, t_spatial, t_build


def fresh(b):
    return batch.finish(b.kind, b.ids, dict(b.cols), AS_OF)


def columnar(fb, rb, rule_ids=None):
    t0 = time.perf_counter()
    evals = engine.evaluate([fb, rb], rule_ids)
    seconds = time.perf_counter() - t0
    return evals, seconds, sum(len(ev.batch) for ev in evals)


# ---------------------------------------------------------------- the naive reference: one subject at a time

_params: dict = {}


def p(name, jur):
    key = (name, jur)
    if key not in _params:
        try:
            _params[key] = param(name, jur, AS_OF)
        except ParameterNotFound:
            _params[key] = None
    return _params[key]


JUR = {"15": "inner_mongolia", "63": "qinghai", "54": "tibet"}
OPS = {">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, "<": lambda a, b: a < b}
NA, PASS, WARN, FAIL, MISSING = engine.NA, engine.PASS, engine.WARN, engine.FAIL, engine.MISSING


def threshold(value, e, principle=True):
    if e is None:
        return NA
    if value is None or value != value:
        return MISSING
    if OPS[e.comparison](value, e.value):
        return PASS
    return WARN if (e.principle and principle) else FAIL


def has(mask, *names):
    return bool(int(mask) & int(mn.keys(*names)))


def _al(suffix):
    def check(row, jur):
        if row["kind"] != "al_line":
            return NA
        pre = "al.new." if row["project_type"] in ("new", "retrofit", "expansion") else "al.existing."
        return threshold(row[FIELD[suffix]], p(pre + suffix, jur))

    return check


FIELD = {
    "cell_current_min": "cell_current_ka",
    "ac_consumption_liquid_max": "ac_molten_kwh_t",
    "ac_consumption_ingot_max": "ac_ingot_kwh_t",
    "current_efficiency_min": "current_efficiency_pct",
}


def capital_ratio(row, jur):
    if row["kind"] != "al_line" or row["project_type"] not in ("new", "retrofit", "expansion"):
        return NA
    return threshold(row["capital_ratio_pct"], p("al.project.capital_ratio_min", jur))


def self_supply(row, jur):
    if row["kind"] != "smelter" or not has(row["metals_mask"], "copper", "lead", "zinc", "magnesium"):
        return NA
    return threshold(row["self_supply_pct"], p("smelting.self_supplied_resource_min", jur))


def single_series(row, jur):
    m = row["metals_mask"]
    if (
        row["kind"] != "smelter"
        or row["project_type"] not in ("new", "retrofit", "expansion")
        or not has(m, "copper", "zinc", "lead")
    ):
        return NA
    import re

    floors = {
        metal: p(f"smelting.{k}.single_series_capacity_min", jur)
        for k, metal in (("cu", "copper"), ("zn", "zinc"), ("pb", "lead"))
        if has(m, metal)
    }
    floors = {metal: f for metal, f in floors.items() if f is not None}
    # the series' metal: the one of the smelter's metals whose smelting the process names (铅冶炼, 炼锌)
    named = {
        {"铜": "copper", "锌": "zinc", "铅": "lead"}[c]
        for g in re.findall(r"([铜锌铅]+)(?:冶炼|熔炼)|炼([铜锌铅]+)", row.get("process") or "")
        for c in "".join(g)
    }
    if len(named) == 1 and next(iter(named)) in floors:
        floors = {metal: floors[metal] for metal in named}
    outs = {threshold(row["single_series_capacity"], f) for f in floors.values()}
    return NA if not outs else outs.pop() if len(outs) == 1 else MISSING  # pass on one floor, fail on another


def concentrator(row, jur):
    if row["kind"] != "concentrator" or row["project_type"] != "new":
        return NA
    m = row["metals_mask"]
    if p("concentrator.cu.capacity_min", jur) is None:
        return NA
    area = row["in_concentrator_area"]
    if area < 0:
        return MISSING
    floors = [
        p(name, jur)
        for name, ok in (
            ("concentrator.precious_metals.capacity_min", has(m, *mn.PRECIOUS)),
            ("concentrator.cu.capacity_min", has(m, "copper")),
            ("concentrator.pbzn.capacity_min", has(m, "lead", "zinc")),
        )
        if ok
    ]
    if area == 0 or not floors:
        return NA
    return threshold(row["daily_capacity"], max(floors, key=lambda e: e.value))


def min_scale(row, jur):
    if row["kind"] not in ("mine", "mining"):
        return NA
    if p("mine.min_scale.coal.other.underground", jur) is None:
        return NA
    if not has(row["metals_mask"], "coal"):
        return MISSING
    rank, method = row["coal_rank"], row["mining_method"]
    if not rank:  # else a rank the mineral names
        lig, other = "褐煤" in row["minerals"], any(r in row["minerals"] for r in ("烟煤", "无烟煤", "焦煤"))
        rank = "褐煤" if lig and not other else "烟煤" if other and not lig else ""
    if not rank or not method:
        return MISSING
    grade = "lignite" if rank in ("褐煤", "lignite") else "other"
    ways = {"underground": ["underground"], "open_pit": ["open_pit"], "mixed": ["underground", "open_pit"]}[method]
    floor = max(p(f"mine.min_scale.coal.{grade}.{w}", jur).value for w in ways)
    scale = row["capacity"]
    if scale != scale:
        return MISSING
    return PASS if scale >= floor else FAIL if row["project_type"] == "new" else WARN


def mineral_policy(row, jur):
    act = "exploration" if row["kind"] == "exploration" else "mining"
    m = row["metals_mask"]
    pro, rst = p(f"{act}.prohibited_minerals", jur), p(f"{act}.restricted_minerals", jur)
    if pro is None:
        return NA
    if not row["minerals"]:
        return MISSING
    if int(m) & int(mn.mask_of(pro.value, True)):
        return FAIL
    if int(m) & int(mn.mask_of(rst.value, True)):
        placer = act == "exploration" and has(m, "placer_gold", "placer_iron")
        eia, consent = row.get("eia_approved", -1), row.get("environment_consent", -1)
        if placer and eia == 1 and consent == 1:
            return PASS
        return FAIL if placer and (eia == 0 or consent == 0) else WARN
    if act == "mining" and has(m, "sand_gravel_clay"):
        quarry = row.get("in_designated_quarry_area", -1)
        return PASS if quarry == 1 else FAIL if quarry == 0 else WARN
    return PASS


def prohibited(row, jur):
    if jur != "inner_mongolia":  # seed 003's lists bind in its own province
        return NA
    pro_n, res_n = row["in_prohibited"], row["in_nature_reserve"]
    if pro_n != pro_n or res_n != res_n:
        return MISSING
    new = row["project_type"] == "new"
    if res_n > 0:  # mining banned outright; a new exploration right is not set, existing ones exit (warning)
        return FAIL if row["kind"] == "mining" or new else WARN
    if pro_n > 0:  # this data records no State Council consent either way: undecidable for mining
        return MISSING if row["kind"] == "mining" else WARN
    return PASS


def outside_blocks(row, jur):
    if jur != "inner_mongolia":
        return NA
    blocks = row["exploration_blocks" if row["kind"] == "exploration" else "mining_blocks"]
    return MISSING if blocks != blocks else (PASS if blocks > 0 else WARN)


def overlap(row, jur):
    c = row["conflicts"]
    return MISSING if c != c else PASS if c == 0 else (FAIL if row["project_type"] == "new" else WARN)


LOOP_RULES = {
    "facility": {
        "al.cell_current": _al("cell_current_min"),
        "al.ac_molten": _al("ac_consumption_liquid_max"),
        "al.ac_ingot": _al("ac_consumption_ingot_max"),
        "al.current_efficiency": _al("current_efficiency_min"),
        "al.capital_ratio": capital_ratio,
        "smelting.single_series": single_series,
        "smelting.self_supply": self_supply,
        "mine.min_scale": min_scale,
        "concentrator.min_capacity": concentrator,
    },
    "right": {
        "mineral.policy": mineral_policy,
        "plan.prohibited_area": prohibited,
        "plan.right_overlap": overlap,
        "plan.outside_blocks": outside_blocks,
        "mine.min_scale": min_scale,
    },
}


def naive(b, limit):
    """For each subject, for each rule of its kind: a plain function call on a dict."""
    t0 = time.perf_counter()  # the loop's input form: one dict per subject (not timed as rule work)
    names = list(b.cols)
    cols = [b.cols[k][:limit].tolist() for k in names]
    rows = [dict(zip(names, vals)) for vals in zip(*cols)]
    naive.build = time.perf_counter() - t0
    checks = LOOP_RULES[b.kind]
    t0 = time.perf_counter()
    out = []
    for row in rows:
        jur = JUR.get(row["division"][:2], "national")
        if row["live"] == 0:
            out.append({r: NA for r in checks})
            continue
        out.append({r: fn(row, jur) for r, fn in checks.items()})
    seconds = time.perf_counter() - t0
    return out, seconds


def check_agreement(evals, loop_f, loop_r, limit):
    bad = 0
    for ev in evals:
        loop = loop_f if ev.batch.kind == "facility" else loop_r
        for i in range(min(limit, len(ev.batch))):
            got = loop[i].get(ev.rule.id, NA)
            if got != ev.outcome[i]:
                bad += 1
                if bad <= 5:
                    print(
                        f"  DISAGREE {ev.rule.id} {ev.batch.kind} row {i}: loop {engine.OUTCOMES[got]}, "
                        f"engine {engine.OUTCOMES[ev.outcome[i]]}"
                    )
    return bad


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="facilities and rights (each)")
    ap.add_argument("--loop-n", type=int, default=None, help="subjects the naive loop runs over (default: all)")
    a = ap.parse_args(argv)
    n, loop_n = a.n, a.loop_n or a.n
    from kuangzheng.compliance.core import rules as _rules  # noqa: F401  (registers the rule functions)

    fb, rb, t_data, t_spatial, t_build = sweep(n)
    engine.evaluate([batch.finish("facility", fb.ids[:2], {k: v[:2] for k, v in fb.cols.items()}, AS_OF)])  # warm-up
    # best of three, each on fresh batches (nothing cached from an earlier run)
    evals, t_rules, n_evals = min((columnar(fresh(fb), fresh(rb)) for _ in range(3)), key=lambda r: r[1])
    rss_engine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ref_evals, t_ref, n_ref = min(
        (columnar(fresh(fb), fresh(rb), REFERENCE_RULES) for _ in range(3)), key=lambda r: r[1]
    )
    loop_f, tf = min((naive(fb, loop_n) for _ in range(3)), key=lambda r: r[1])
    t_rows = naive.build
    loop_r, tr = min((naive(rb, loop_n) for _ in range(3)), key=lambda r: r[1])
    t_rows += naive.build
    bad = check_agreement(ref_evals, loop_f, loop_r, loop_n)
    # an evaluation is one rule considered for one subject, in both: rows × rules of the subject's kind
    per_kind = {k: sum(1 for ev in ref_evals if ev.batch.kind == k) for k in ("facility", "right")}
    nf, nr = len(loop_f) * per_kind["facility"], len(loop_r) * per_kind["right"]
    loop_rate = (nf + nr) / (tf + tr)
    ref_rows = sum(len(ev.batch) for ev in ref_evals)
    print(
        f"synthetic registry: {n:,} facilities + {n:,} rights, {len(np.unique(fb.ids)):,} + {len(rb):,} subjects; "
        f"generated in {t_data:.2f} s"
    )
    print(f"spatial facts (STRtree: zones, overlaps, 30 km, parks): {t_spatial:.2f} s")
    print(
        f"input forms, not in the rule timings: engine batches (text columns dictionary-encoded) "
        f"{t_build:.3f} s; loop row dicts {t_rows:.3f} s"
    )
    print(
        f"engine, all {len({e.rule.id for e in evals})} rules: {n_evals:,} rule evaluations in {t_rules:.3f} s = "
        f"{n_evals / t_rules:,.0f} per second"
    )
    print(
        f"engine, the {len(REFERENCE_RULES)} reference rules: {ref_rows:,} evaluations in {t_ref:.3f} s = "
        f"{ref_rows / t_ref:,.0f} per second"
    )
    print(
        f"naive per-subject loop, same rules, {min(loop_n, n):,} subjects of each kind: {nf + nr:,} evaluations in "
        f"{tf + tr:.3f} s = {loop_rate:,.0f} per second"
    )
    print(f"speed-up on the same rules: {(ref_rows / t_ref) / loop_rate:,.1f}×")
    print(
        f"whole sweep (spatial + batches + rules): {t_spatial + t_build + t_rules:.2f} s; peak memory (max RSS): {rss_engine:,.0f} MiB"
    )
    print(f"verdicts compared with the loop: {'all agree' if not bad else f'{bad} DISAGREE'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
