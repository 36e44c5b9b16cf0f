"""A check of one subject reads only the registry around it (compliance/context.py: `around_parcel`,
`around_point`), yet gives exactly the verdicts the sweep gives that subject over the whole registry.

Random registries (seeded) are written through the registry services: rights of two holders, large
exploration planning blocks whose other rights lie far from a subject's parcel (the block facts count
holders across the whole block), concentrator centres up to ~40 km from facilities (the distance
facts), parks recorded on facilities far from their points, and every zone kind the rules read."""

import datetime as dt
import random

import pytest
import shapely
from shapely.geometry import box

from kuangzheng.access.actor import Actor
from kuangzheng.compliance import context, services
from kuangzheng.compliance.models import SweepResult
from kuangzheng.registry import services as registry
from tests.support.registry import right_data

ADMIN = Actor("t-admin", "admin")
AS_OF = dt.date(2024, 6, 1)
REGION = (110.0, 41.0, 110.6, 41.6)  # inside Baotou (150200)
ZONE_KINDS = (
    "prohibited_mining_area",
    "nature_reserve",
    "restricted_mining_area",
    "mining_planning_block",
    "integrated_exploration_zone",
    "key_environmental_treatment_area",
    "state_funded_exploration_area",
    "drinking_water_protection_area",
    "designated_concentrator_area",
)


def _box(rnd: random.Random, lo: float, hi: float):
    x = rnd.uniform(REGION[0], REGION[2] - hi)
    y = rnd.uniform(REGION[1], REGION[3] - hi)
    w = rnd.uniform(lo, hi)
    return box(x, y, x + w, y + w * rnd.uniform(0.6, 1.0))


def _zone(code: str, kind: str, geom, name: str = "") -> object:
    data = {"code": code, "name": name or f"分区{code}", "kind": kind, "division": "150200", "boundary": geom.wkt}
    return registry.create(ADMIN, "zone", data)


def _random_registry(reg, seed: int) -> None:
    rnd = random.Random(seed)
    blocks = [_zone(f"B{seed}-{i}", "exploration_planning_block", _box(rnd, 0.25, 0.35)) for i in range(2)]
    for i, kind in enumerate(ZONE_KINDS * 2):
        _zone(f"Z{seed}-{i}", kind, _box(rnd, 0.03, 0.2))
    for i in range(3):  # concentrator centres: small areas, some 20–40 km from the facilities
        _zone(f"K{seed}-{i}", rnd.choice(("key_mining_area", "mineralisation_belt")), _box(rnd, 0.01, 0.03))
    # 70 km north of every facility: it counts through the facility's record, not its point
    park = _zone(f"P{seed}", "industrial_park", box(110.30, 42.30, 110.33, 42.33), name="包头有色金属产业园")
    for i in range(14):
        inside = rnd.random() < 0.6  # most rights inside a block, anywhere in it
        if inside:
            x0, y0, x1, y1 = shapely.from_wkb(bytes(rnd.choice(blocks).boundary)).bounds
            x, y = rnd.uniform(x0, x1 - 0.03), rnd.uniform(y0, y1 - 0.03)
            geom = box(x, y, x + rnd.uniform(0.005, 0.03), y + rnd.uniform(0.005, 0.03))
        else:
            geom = _box(rnd, 0.005, 0.05)
        live = rnd.random() < 0.8
        kind = rnd.choice(("exploration", "mining"))
        extra = {"kind": kind, "minerals": [rnd.choice(("铜", "金"))]}
        if kind == "exploration":  # an exploration right has no designed scale or elevations
            extra.update(designed_scale=None, designed_scale_unit="", elevation_top=None, elevation_bottom=None)
        registry.create(
            ADMIN,
            "right",
            right_data(
                f"T15020020{seed:02d}{i:06d}",
                rnd.choice((reg.a.pk, reg.b.pk)),
                "150200",
                geom,
                **extra,
            ),
            first_event={"kind": "granted", "date": "2015-01-01", "document_ref": f"测试〔2015〕{i}号"}
            if live
            else {"kind": "applied", "date": "2016-03-01"},
        )
    for i in range(8):  # concentrators and zinc smelters, new, every other one recording the park
        smelter = i >= 5
        registry.create(
            ADMIN,
            "facility",
            {
                "name": f"{'冶炼厂' if smelter else '选矿厂'}{seed}-{i}",
                "kind": "smelter" if smelter else "concentrator",
                "division": "150200",
                "enterprise": reg.a.pk,
                "metals": ["锌" if smelter else "铜"],
                "lon": rnd.uniform(REGION[0], REGION[2]),
                "lat": rnd.uniform(REGION[1], REGION[3]),
                **({} if smelter else {"daily_capacity": 500}),
                "project_type": "new",  # the concentrator and siting rules judge new plants
                **({"park": park.pk} if i % 2 else {}),
            },
        )


def _stored(run, kind, pk) -> dict:
    rows = SweepResult.objects.filter(run=run, subject_kind=kind, subject_id=pk)
    return {r.rule: (v := services.render_row(r, AS_OF))["outcome"] + v["explanation"]["en"] for r in rows}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_subject_checked_alone_gets_the_sweeps_verdicts(reg, seed):
    _random_registry(reg, seed)
    run = services.run_sweep(ADMIN, AS_OF)
    subjects = [
        (kind, pk)
        for kind in ("right", "facility", "zone")
        for pk in registry.records(kind).values_list("pk", flat=True)
    ]
    assert len(subjects) > 40
    differ = []
    for kind, pk in subjects:
        alone = {
            v["rule"]: v["outcome"] + v["explanation"]["en"] for v in services.check_subject(ADMIN, kind, pk, AS_OF)
        }
        if alone != _stored(run, kind, pk):
            differ.append((kind, pk))
    assert not differ
    # the block facts were exercised: some exploration right shares a block with other holders' rights
    facts = [r.facts or {} for r in SweepResult.objects.filter(run=run, subject_kind="right")]
    assert any(((f.get("block_subjects") or [0])[0] or 0) >= 2 for f in facts)


def test_a_what_if_parcel_gets_the_facts_and_fees_of_the_whole_registry(reg):
    _random_registry(reg, 4)
    whole = context.load(AS_OF)
    integrated = [z for z in whole.zones if z["kind"] == "integrated_exploration_zone"]
    parcel = shapely.from_wkb(bytes(integrated[0]["boundary"])).buffer(-0.005)
    near = context.around_parcel(AS_OF, parcel)
    assert services.integrated_parts(near, parcel) == services.integrated_parts(whole, parcel)
    rec = {"id": -1, "holder_id": reg.a.pk, "kind": "exploration", "minerals": ["铜"], "status": "applied"}
    rec["boundary"] = shapely.to_wkb(parcel)
    cols = []
    for r in (whole, near):
        r.index.add_layer("subject", [-1], [parcel])
        b = context.right_batch(r, [dict(rec)], "subject")
        cols.append({k: b.cols[k].tolist() for k in sorted(b.cols)})
    assert cols[0] == cols[1]


def test_a_check_reads_the_surroundings_not_the_registry(reg):
    _random_registry(reg, 5)
    far = box(110.30, 41.05, 110.31, 41.06)
    near = context.around_parcel(AS_OF, far)
    assert len(near.rights) < registry.records("right").count() / 2
    assert all(shapely.intersects(box(*_bounds(z)), far) for z in near.zones)
    point = context.around_point(AS_OF, 111.62, 40.81)  # Hohhot, 100 km from every zone drawn here
    assert [z["code"] for z in point.zones] == []


def _bounds(record) -> tuple:
    return shapely.from_wkb(bytes(record["boundary"])).bounds


def test_a_registry_write_between_two_checks_changes_the_verdict(reg):
    parcel = box(110.40, 41.40, 110.42, 41.42)
    doc = {
        "subject": "right",
        "as_of": "2024-06-01",
        "record": {
            "kind": "mining",
            "division": "150200",
            "holder": reg.a.pk,
            "minerals": ["铜"],
            "boundary": parcel.wkt,
        },
    }

    def overlap():
        return {v["rule"]: v["outcome"] for v in services.check_whatif(ADMIN, dict(doc))["verdicts"]}[
            "plan.right_overlap"
        ]

    assert overlap() == "pass"
    registry.create(
        ADMIN,
        "right",
        right_data("C1502002024000099", reg.b.pk, "150200", box(110.41, 41.41, 110.43, 41.43)),
        first_event={"kind": "granted", "date": "2020-01-01", "document_ref": "测试〔2020〕9号"},
    )
    assert overlap() == "fail"
