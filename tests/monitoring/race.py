"""Two concurrent requests consume the same retired capacity (harness: tests/support/race.py).

python -m tests.monitoring.race [--unprotected]     # needs KZ_DATA_DIR, migrates itself
"""

from __future__ import annotations

from tests.support.race import main, paused_after_read, refused_by, together

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
    from kuangzheng.access.actor import Actor
    from kuangzheng.errors import InvalidInput
    from kuangzheng.monitoring import ledger

    admin = Actor("race-admin", "admin")

    def consume(i):
        ledger.move(
            admin,
            kind="consume",
            quota="RACE-Q1",
            amount=QUOTA,
            holder=ids["enterprise"],
            project=ids["projects"][i],
            request_id=f"race-{i}",
        )

    with paused_after_read(ledger, serialise):
        outcomes, errors = together(
            [lambda: consume(0), lambda: consume(1)],
            ok="consumed",
            refused=refused_by(InvalidInput),
            start_together=False,
        )
    s = ledger.state()
    return {"outcomes": sorted(outcomes), "errors": errors, "balanced": s["balanced"], "quotas": s["quotas"]}


if __name__ == "__main__":
    main(lambda locked: race(setup_ledger(), serialise=locked))
