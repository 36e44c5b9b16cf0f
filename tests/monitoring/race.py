"""Two concurrent requests consume the same retired capacity. Shared by the SQLite run (in a
subprocess with a file database, since the in-memory test database cannot hold two real
transactions) and the PostgreSQL run (in the test process).

    python -m tests.monitoring.race [--unprotected]     # needs KZ_DATA_DIR, migrates itself
"""

from __future__ import annotations

import json
import sys
import threading

QUOTA = 100_000


def setup_ledger() -> dict:
    from kuangzheng.access.actor import Actor
    from kuangzheng.monitoring import ledger
    from kuangzheng.registry import services
    from kuangzheng.registry.models import Division

    admin = Actor("race-admin", "admin")
    Division.objects.get_or_create(code="150000", defaults={"name_zh": "内蒙古自治区", "level": "province"})
    Division.objects.get_or_create(
        code="150200", defaults={"name_zh": "包头市", "level": "prefecture", "parent_id": "150000"}
    )
    ent = services.create(admin, "enterprise", {"name": "置换争用企业", "division": "150200"})
    projects = [
        services.create(
            admin,
            "facility",
            {
                "name": f"新建电解铝项目{i}",
                "kind": "al_line",
                "division": "150200",
                "enterprise": ent.pk,
                "project_type": "new",
                "capacity": 10,
                "capacity_unit": "10^4 t/a",
            },
        ).pk
        for i in (1, 2)
    ]
    ledger.retire(admin, code="RACE-Q1", amount=QUOTA, holder=ent.pk)
    return {"enterprise": ent.pk, "projects": projects}


def race(ids: dict, serialise: bool = True) -> dict:
    """Both requests ask for the whole quota at the same moment; returns who won and the ledger."""
    from django.db import connection

    from kuangzheng.access.actor import Actor
    from kuangzheng.errors import InvalidInput
    from kuangzheng.monitoring import ledger

    admin = Actor("race-admin", "admin")
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def hook():
        # hold the first request after its read until the second one has read too; under the
        # lock the second cannot read, so the wait times out and the first goes on alone
        try:
            barrier.wait(timeout=1.5)
        except threading.BrokenBarrierError:
            pass

    def request(i):
        try:
            ledger.move(
                admin,
                kind="consume",
                quota="RACE-Q1",
                amount=QUOTA,
                holder=ids["enterprise"],
                project=ids["projects"][i],
                request_id=f"race-{i}",
            )
            outcomes.append("consumed")
        except InvalidInput:
            outcomes.append("refused")
        except Exception as exc:  # reported to the test
            errors.append(repr(exc))
        finally:
            connection.close()

    ledger.SERIALISE, ledger._after_read = serialise, hook
    try:
        threads = [threading.Thread(target=request, args=(i,)) for i in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        ledger.SERIALISE, ledger._after_read = True, None
    s = ledger.state()
    return {"outcomes": sorted(outcomes), "errors": errors, "balanced": s["balanced"], "quotas": s["quotas"]}


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuangzheng.settings")
    os.environ.pop("DATABASE_URL", None)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    print(json.dumps(race(setup_ledger(), serialise="--unprotected" not in sys.argv)))
