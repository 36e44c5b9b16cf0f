"""Real concurrent transactions on applications: two reviewers deciding the same application at
once, and several registrations numbering licences in the same series at once (harness:
tests/support/race.py).

    python -m tests.applications.race      # needs KZ_DATA_DIR, migrates itself
"""

from __future__ import annotations

import datetime as dt

from tests.support.race import main, together

N_REGISTER = 4


def setup(n: int) -> list[int]:
    """n applications of one enterprise in Baotou, approved and in a one-day notice."""
    from shapely.geometry import box

    from kuangzheng.access.actor import Actor
    from kuangzheng.applications import services
    from kuangzheng.applications.core import kinds, machine
    from kuangzheng.registry import services as registry
    from kuangzheng.registry.models import Division
    from tests.support.filing import mining_record

    admin = Actor("race-admin", "admin")
    Division.objects.get_or_create(code="150000", defaults={"name_zh": "内蒙古自治区", "level": "province"})
    Division.objects.get_or_create(
        code="150200", defaults={"name_zh": "包头市", "level": "prefecture", "parent_id": "150000"}
    )
    ent = registry.create(admin, "enterprise", {"name": "并发申请企业", "division": "150200"})
    applicant = Actor("race-ent", "enterprise", enterprise_id=ent.pk)
    reviewer = Actor("race-reg", "regulator", division_code="150000")
    services.today = lambda: dt.date(2026, 3, 2)
    ids = []
    for i in range(n):
        rec = mining_record(name=f"并发矿{i}")
        g = box(110.3 + 0.02 * i, 41.6, 110.31 + 0.02 * i, 41.61)
        a = services.create(applicant, {"kind": "new_mining", "record": rec, "boundary": g.wkt})
        for item in kinds.kind("new_mining")["documents"]:
            services.attach(applicant, a.pk, item, "x.pdf", b"%PDF-1.4\n")
        a = services.act(applicant, a.pk, "file", {"version": a.version + 0})
        for action in ("accept", "start_review"):
            a = services.act(reviewer, a.pk, action, {"version": a.version})
        for role in machine.review_roles(kinds.kind("new_mining")):
            a = services.review(reviewer, a.pk, role, "同意", a.version)
        ids.append(a.pk)
    return ids


def race() -> dict:
    from kuangzheng.access.actor import Actor
    from kuangzheng.applications import services
    from kuangzheng.applications.models import Application, Step
    from kuangzheng.audit.models import AuditEntry

    ids = setup(1 + N_REGISTER)
    one, rest = ids[0], ids[1:]
    reviewers = [Actor(f"race-reg-{i}", "regulator", division_code="150000") for i in (1, 2)]
    version = Application.objects.get(pk=one).version
    decide, errors = together(
        [
            lambda: services.act(reviewers[0], one, "approve", {"version": version, "reason": "同意"}),
            lambda: services.act(reviewers[1], one, "refuse", {"version": version, "reason": "不同意"}),
        ]
    )
    app = Application.objects.get(pk=one)
    decided = {
        "outcomes": sorted(decide),
        "status": app.status,
        "decision_steps": Step.objects.filter(application_id=one, action__in=("approve", "refuse")).count(),
        "decision_audits": AuditEntry.objects.filter(
            entity="application", entity_id=str(one), action__in=("action:approve", "action:refuse")
        ).count(),
    }
    reg = Actor("race-reg", "regulator", division_code="150000")
    for pk in rest:
        a = Application.objects.get(pk=pk)
        a = services.act(reg, pk, "approve", {"version": a.version, "reason": "同意"})
        services.act(reg, pk, "publish", {"version": a.version, "notice_days": 1})
    services.today = lambda: dt.date(2026, 3, 5)
    versions = {pk: Application.objects.get(pk=pk).version for pk in rest}
    numbered, errors2 = together(
        [(lambda pk=pk: services.act(reg, pk, "register", {"version": versions[pk]})) for pk in rest]
    )
    licences = sorted(Application.objects.filter(pk__in=rest).values_list("registered_licence_no", flat=True))
    return {"decided": decided, "numbered": numbered, "licences": licences, "errors": errors + errors2}


if __name__ == "__main__":
    main(lambda locked: race())
