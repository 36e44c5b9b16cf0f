"""Benchmark: the daily supervision job and a random draw at provincial scale.

    .venv/bin/python bench/supervision.py --rights 100000 --cases 20000 --entries 50000 --subjects 100000   # the issue's size
    .venv/bin/python bench/supervision.py                                                 # CI size

A synthetic registry (seeded; speed only, not data): R rights (40 % exploration, a tenth of those
tendered: integrated-exploration contracts), validity ends spread over ±3 years around the run's day,
so every alert source has work; C open cases, each with a rectification order whose deadline is
spread over ±60 days (a share of them overdue: the job escalates them, each an audited step); start
reports for half the exploration rights. Timed, each in the same run:

  1. the daily job (`supervision.alerts.run_daily`): first run (raises every alert, escalates the
     overdue orders) and a second run the next day (steady state: few new alerts);
  2. the reference: reading the rights' columns the job reads (`values()` of every right), the floor
     of any job that looks at every right;
  3. a draw over S subjects (`plans.publish`: the pool queried from the registry and hashed; then
     `plans.run_draw`: ranking, recusal, the result file, the inspections stored, audit and notice),
     and the same draw recomputed from its result file (`core.draw.verify`, what `--verify` runs);
  4. the reference for the draw: SHA-256 of S ids alone (hashlib), the floor of any hash-ranked draw.

L credit-list entries (the issue's 50,000): half current, spread over the five lists (one current
entry per holder and list, as the credit domain keeps), their terms' last days spread over the term
from yesterday on, so each day ends about a term's 1/365th of them as a job run every day would; half
history (removed). The credit domain's daily work runs inside (1) as an alert source.

The database is a fresh SQLite file or, with DATABASE_URL=postgres://…, a fresh database beside it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
import tempfile
import time

import numpy as np

from support.pgdb import drop_postgres, fresh_postgres

TODAY = dt.date(2026, 12, 1)


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "kuangzheng.settings"
    os.environ.setdefault("KZ_DATA_DIR", tempfile.mkdtemp(prefix="kz-bench-sup-"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def build_entries(n_entries: int, rng) -> None:
    """Credit-list entries straight into the table (the build is not timed): current ones first, one per
    holder and list, the rest removed history."""
    from kuangzheng.credit.core import rules
    from kuangzheng.credit.models import ListEntry
    from kuangzheng.registry.models import Enterprise

    ents = list(Enterprise.objects.values_list("pk", "division_id"))
    keys = list(rules.lists())
    rows = []
    for i in range(n_entries):
        (ent, division), key = ents[(i // len(keys)) % len(ents)], keys[i % len(keys)]
        current = i < n_entries // 2 and i < len(ents) * len(keys)
        years = rules.list_def(key)["term"]["years"]
        last = TODAY - dt.timedelta(days=1) + dt.timedelta(days=int(rng.integers(0, 365 * (years or 3))))
        entered = last - dt.timedelta(days=365 * (years or 3))
        rows.append(
            ListEntry(
                list_key=key,
                enterprise_id=ent,
                division=division,
                status="listed" if current else "removed",
                reason=rules.lists()[key]["reasons"][-1]["key"],
                detail_zh="基准测试",
                basis=rules.list_def(key)["basis"],
                proposed_by="bench",
                decided_by="bench",
                entered_on=entered,
                last_day=last if years else None,
                removed_on=None if current else entered + dt.timedelta(days=30),
                removal_kind="" if current else "revoked",
            )
        )
    ListEntry.objects.bulk_create(rows, batch_size=5000)


def build(n_rights: int, n_cases: int, rng) -> None:
    from django.db import transaction

    from kuangzheng.access.users import create_user
    from kuangzheng.registry.models import Division, Enterprise, MineralRight
    from kuangzheng.supervision import plans
    from kuangzheng.supervision.models import Case, Order, WorkReport

    divisions = [("150000", "内蒙古自治区", "province", None)] + [
        (f"15{i:02d}00", f"盟市{i}", "prefecture", "150000") for i in range(1, 13)
    ]
    with transaction.atomic():
        for code, name, level, parent in divisions:
            Division.objects.create(code=code, name_zh=name, level=level, parent_id=parent)
        cities = [d[0] for d in divisions[1:]]
        Enterprise.objects.bulk_create(
            [Enterprise(name=f"企业{i}", division_id=cities[i % 12]) for i in range(max(12, n_rights // 20))],
            batch_size=5000,
        )
        ents = list(Enterprise.objects.values_list("pk", "division_id"))
        kind = rng.random(n_rights) < 0.4
        tender = rng.random(n_rights) < 0.1
        ends = rng.integers(-3 * 365, 3 * 365, n_rights)
        starts = rng.integers(3 * 365, 7 * 365, n_rights)
        rows = []
        for i in range(n_rights):
            holder, division = ents[i % len(ents)]
            valid_to = TODAY + dt.timedelta(days=int(ends[i]))
            rows.append(
                MineralRight(
                    licence_no=f"{'T' if kind[i] else 'C'}{division}{i:011d}",
                    kind="exploration" if kind[i] else "mining",
                    name=f"矿{i}",
                    holder_id=holder,
                    division_id=division,
                    minerals=["铜"],
                    valid_from=valid_to - dt.timedelta(days=int(starts[i])),
                    valid_to=valid_to,
                    obtained_by="tender" if kind[i] and tender[i] else "listing",
                    status="valid" if valid_to >= TODAY or i % 3 else "expired",
                    area_km2=round(float(rng.uniform(1, 50)), 4),
                )
            )
        MineralRight.objects.bulk_create(rows, batch_size=2000)
        expl = list(MineralRight.objects.filter(kind="exploration").values_list("pk", "valid_from"))
        WorkReport.objects.bulk_create(
            [WorkReport(right_id=pk, kind="start", reported_on=vf, filed_by="bench") for pk, vf in expl[::2]],
            batch_size=5000,
        )
        Case.objects.bulk_create(
            [
                Case(
                    enterprise_id=ents[i % len(ents)][0],
                    enterprise_name=f"企业{i % len(ents)}",
                    division=ents[i % len(ents)][1],
                    state="rectifying",
                    opened_on=TODAY - dt.timedelta(days=90),
                )
                for i in range(n_cases)
            ],
            batch_size=5000,
        )
        deadlines = rng.integers(-60, 60, n_cases)
        Order.objects.bulk_create(
            [
                Order(
                    case_id=pk,
                    kind="rectify",
                    issued_on=TODAY - dt.timedelta(days=90),
                    deadline=TODAY + dt.timedelta(days=int(d)),
                )
                for pk, d in zip(Case.objects.values_list("pk", flat=True), deadlines)
            ],
            batch_size=5000,
        )
    # inspectors: four per city, through the service (the pool a draw uses); a fast hasher for their passwords
    from django.conf import settings
    from django.contrib.auth import get_user_model

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    from kuangzheng.access.actor import SYSTEM_ACTOR

    for code in cities:
        for j in range(4):
            user = create_user(f"insp-{code}-{j}", "bench-pass-123", "regulator", division=code)
            plans.enrol(SYSTEM_ACTOR, user, code, [])
    assert get_user_model().objects.count() >= 48


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rights", type=int, default=5000)
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--entries", type=int, default=2500, help="credit-list entries (half current)")
    ap.add_argument("--subjects", type=int, default=5000, help="subjects in the draw's pool (≤ rights)")
    a = ap.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    made = None
    if url.startswith("postgres"):
        new, name = fresh_postgres(url, "sup")
        os.environ["DATABASE_URL"], made = new, (url, name)
    else:
        os.environ.pop("DATABASE_URL", None)
    setup_django()
    try:
        return run(a)
    finally:
        if made:
            drop_postgres(*made)


def run(a) -> int:
    from django.db import connection

    from kuangzheng.access.actor import SYSTEM_ACTOR
    from kuangzheng.registry import services as registry
    from kuangzheng.supervision import alerts, plans
    from kuangzheng.supervision.core import draw as core
    from kuangzheng.supervision.models import Case

    rng = np.random.default_rng(14)
    t_build, _ = timed(lambda: (build(a.rights, a.cases, rng), build_entries(a.entries, rng)))
    db = connection.vendor
    print(
        f"database: {db}; {a.rights:,} rights, {a.cases:,} open cases, {a.entries:,} list entries "
        f"(built in {t_build:.1f} s); load average {os.getloadavg()[0]:.1f}"
    )

    t1, first = timed(lambda: alerts.run_daily(TODAY))
    t2, second = timed(lambda: alerts.run_daily(TODAY + dt.timedelta(days=1)))
    fields = ("id", "licence_no", "kind", "valid_from", "valid_to", "division_id", "holder_id", "status")
    t_ref, rows = timed(lambda: list(registry.records("right").values(*fields)))
    print(f"daily job, first run:  {t1:6.2f} s  {first}")
    print(f"daily job, next day:   {t2:6.2f} s  {second}")
    print(f"reference (read every right's columns once): {t_ref:6.2f} s  ({len(rows):,} rows)")
    assert Case.objects.filter(state="overdue").count() == first["escalated"] + second["escalated"]

    # the draw: a plan over the first S rights' division range (all of them at full size)
    plan = plans.create(
        SYSTEM_ACTOR,
        {
            "title": "bench",
            "division": "150000",
            "entity": "right",
            "ratio": 0.03,
            "seed_source": "bench",
            "filters": {"status": "valid"},
        },
    )
    t_pub, plan = timed(lambda: plans.publish(SYSTEM_ACTOR, plan.pk, plan.version))
    subjects = len(plan.subjects)
    t_draw, plan = timed(lambda: plans.run_draw(SYSTEM_ACTOR, plan.pk, "2026-12-02 3312.45", plan.version))
    t_file, published = timed(lambda: plans.result(SYSTEM_ACTOR, plan.pk))
    t_ver, problems = timed(lambda: core.verify(published))
    assert problems == [], problems
    ids = [s["id"] for s in plan.subjects][: a.subjects]
    pool = plan.subjects[: a.subjects]
    t_core, drawn = timed(
        lambda: core.draw("seed", pool, plan.inspectors, core.how_many(len(pool), 0.03, None), 2, plan.recusal)
    )
    t_hash, _ = timed(lambda: [hashlib.sha256(("seed\n" + i).encode()).hexdigest() for i in ids])
    print(
        f"draw over the registry's {subjects:,} valid rights: publish (query + hash) {t_pub:.2f} s, "
        f"draw + store {t_draw:.2f} s ({len(plan.result['drawn']):,} drawn), result file {t_file:.2f} s, verify from the file {t_ver:.2f} s"
    )
    print(
        f"draw over {len(pool):,} subjects (pure): {t_core:.2f} s ({len(drawn):,} drawn); "
        f"reference (SHA-256 of {len(ids):,} ids alone): {t_hash:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
