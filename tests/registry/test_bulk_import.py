"""Bulk import: every row validated like a single create, written in short chunked transactions as one
batch that nobody sees until it is complete, and rolled back entirely (with audit entries) if any
chunk fails."""

from pathlib import Path

import pytest
from django.db import IntegrityError
from shapely.geometry import box

from kuangzheng.audit import service as audit
from kuangzheng.audit.models import AuditEntry
from kuangzheng.errors import InvalidInput
from kuangzheng.registry import services
from kuangzheng.registry.models import ImportBatch, MineralRight, RightEvent
from tests.support.registry import ADMIN, GRANT, right_data


def _rows(reg, n: int, start: int = 1):
    return [
        (
            i,
            right_data(
                f"C1502002020{i:06d}",
                reg.a.pk,
                "150200",
                box(110.30 + i * 0.01, 41.50, 110.305 + i * 0.01, 41.505),
            ),
            GRANT,
        )
        for i in range(start, start + n)
    ]


def test_bulk_import_stores_what_single_creates_store(reg):
    (_, data, event), (_, twin, _) = _rows(reg, 1)[0], _rows(reg, 1, start=2)[0]
    batch = services.create_many(services.prepare_many(ADMIN, "right", [(1, data, event)]))
    one = services.create(ADMIN, "right", {**twin, "boundary": data["boundary"]}, first_event=GRANT)
    bulk_right = MineralRight.objects.get(licence_no=data["licence_no"])
    skip = {"id", "licence_no", "name", "version"}
    a = {k: v for k, v in services.serialize(ADMIN, "right", bulk_right, with_boundary=True).items() if k not in skip}
    b = {k: v for k, v in services.serialize(ADMIN, "right", one, with_boundary=True).items() if k not in skip}
    assert a == b and bulk_right.area_km2 == one.area_km2 and bulk_right.status == "valid"
    assert list(bulk_right.events.values_list("kind", "seq")) == [("granted", 1)]
    assert batch.state == "done" and batch.written == 1
    entry = AuditEntry.objects.get(entity="right", entity_id=str(bulk_right.pk))
    assert entry.action == "create" and entry.after["status"] == "valid"
    assert audit.verify().ok


def test_every_bad_row_is_reported_with_its_row_and_nothing_is_written(reg):
    rows = _rows(reg, 4)
    rows[1][1]["kind"] = "nonsense"
    rows[2][1]["boundary"] = "POLYGON((110 41, 111 42, 111 41, 110 42, 110 41))"  # a bow tie
    rows[3][1]["licence_no"] = rows[0][1]["licence_no"]
    with pytest.raises(InvalidInput) as exc:
        services.prepare_many(ADMIN, "right", rows)
    found = {(p.row, p.field) for p in exc.value.problems}
    assert {(2, "kind"), (3, "boundary"), (4, "licence_no")} <= found
    assert not MineralRight.objects.filter(licence_no__startswith="C1502002020").exists()


def test_an_import_failing_in_its_last_chunk_leaves_nothing(reg):
    rows = _rows(reg, 7)
    prepared = services.prepare_many(ADMIN, "right", rows)
    # between validation and writing, someone registers the last row's licence: chunk 3 (of 3) fails
    last = rows[-1][1]
    services.create(ADMIN, "right", {**last, "boundary": box(111.0, 41.0, 111.01, 41.01).wkt}, first_event=GRANT)
    rights, events = MineralRight.objects.count(), RightEvent.objects.count()
    with pytest.raises(IntegrityError):
        services.create_many(prepared, chunk=3)
    assert MineralRight.objects.count() == rights and RightEvent.objects.count() == events
    batch = ImportBatch.objects.get()
    assert batch.state == "rolled_back" and "IntegrityError" in batch.problem
    assert AuditEntry.objects.filter(action="import-rollback").count() == 6  # the two chunks written
    assert audit.verify().ok


def test_records_of_a_running_import_are_invisible_until_it_is_done(reg):
    rows = _rows(reg, 5)
    licences = [d["licence_no"] for _, d, _ in rows]
    seen = []

    def after_each_chunk(n):
        assert MineralRight.objects.filter(licence_no__in=licences).exists()  # written...
        seen.append(services.search(ADMIN, "right").filter(licence_no__in=licences).count())  # ...not visible
        # nor to system jobs: indicators and sweeps read through records / sweep_records
        seen.append(services.records("right").filter(licence_no__in=licences).count())
        swept = services.sweep_records("right", ("licence_no",))
        seen.append(sum(r["licence_no"] in licences for r in swept))

    services.create_many(services.prepare_many(ADMIN, "right", rows), chunk=2, progress=after_each_chunk)
    assert seen == [0] * 9
    assert services.search(ADMIN, "right").filter(licence_no__in=licences).count() == 5


KILLED_IMPORT = """
import json, os, sys
os.environ["DATABASE_URL"], os.environ["DJANGO_SETTINGS_MODULE"] = sys.argv[1], "kuangzheng.settings"
import django
django.setup()
from django.core.management import call_command
from kuangzheng.access.actor import Actor
from kuangzheng.registry import demo, services, transfer

admin = Actor("importer", "admin")
rows = json.load(open(sys.argv[2], encoding="utf-8"))
if sys.argv[3] == "die-after-first-chunk":
    call_command("migrate", verbosity=0)
    demo.load_divisions()
    holder = services.create(admin, "enterprise", {"name": "甲矿业", "division": "150200"})
    rows = [{**r, "holder": holder.pk} for r in rows]
    json.dump(rows, open(sys.argv[2], "w", encoding="utf-8"))
    prepared = services.prepare_many(admin, "right", [(i, r, r.pop("event")) for i, r in enumerate(rows, 1)])
    services.create_many(prepared, chunk=2, progress=lambda n: os._exit(9))  # killed: no clean-up runs
else:
    print(json.dumps(transfer.import_rows(admin, "right", rows)))
"""


def test_an_import_killed_mid_way_is_rolled_back_by_the_next_import(tmp_path):
    """A real process killed after its first chunk: its records stay invisible, and the next import
    rolls them back (the process is gone) before writing, with the chain intact."""
    import json
    import sqlite3
    import subprocess
    import sys

    db, rows_file = tmp_path / "kz.sqlite3", tmp_path / "rights.json"
    rows = [
        {**right_data(f"C150200202100{i:04d}", 0, "150200", box(110.3 + i / 100, 41.5, 110.305 + i / 100, 41.505))}
        | {"event": GRANT}
        for i in range(5)
    ]
    rows_file.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "KZ_DATA_DIR": str(tmp_path)}
    run = [sys.executable, "-c", KILLED_IMPORT, f"sqlite:///{db}", str(rows_file)]
    killed = subprocess.run([*run, "die-after-first-chunk"], env=env, capture_output=True, text=True, timeout=300)
    assert killed.returncode == 9, killed.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        assert conn.execute("select state from registry_importbatch").fetchall() == [("running",)]
        assert conn.execute("select count(*) from registry_mineralright").fetchone() == (2,)
    again = subprocess.run([*run, "import"], env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    assert json.loads(again.stdout.strip().splitlines()[-1])["created"] == 5
    with sqlite3.connect(db) as conn:
        states = conn.execute("select state from registry_importbatch order by id").fetchall()
        assert states == [("rolled_back",), ("done",)]
        assert conn.execute("select count(*) from registry_mineralright").fetchone() == (5,)
        actions = dict(conn.execute("select action, count(*) from audit_auditentry group by action").fetchall())
        assert actions["import-rollback"] == 2 and actions["create"] == 1 + 2 + 5
    verify = subprocess.run(
        [str(Path(sys.executable).with_name("kz")), "audit", "verify"],
        env={**env, "DATABASE_URL": f"sqlite:///{db}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_rows_with_and_without_an_optional_reference_import_together(reg):
    rows = _rows(reg, 3)
    rows[1][1]["facility"] = reg.fac.pk  # only the middle row names a facility
    services.create_many(services.prepare_many(ADMIN, "right", rows))
    stored = dict(
        MineralRight.objects.filter(licence_no__startswith="C1502002020").values_list("licence_no", "facility_id")
    )
    assert stored == {
        rows[0][1]["licence_no"]: None,
        rows[1][1]["licence_no"]: reg.fac.pk,
        rows[2][1]["licence_no"]: None,
    }
    assert audit.verify().ok
