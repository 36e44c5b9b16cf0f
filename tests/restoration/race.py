"""Two concurrent spends of one mine's whole fund (harness: tests/support/race.py).

python -m tests.restoration.race [--unprotected]     # needs KZ_DATA_DIR, migrates itself
"""

from __future__ import annotations

from tests.support.race import main, paused_after_read, refused_by, together

FUND = "100000.00"


def setup_fund() -> dict:
    """A mine with an approved plan, two accepted phases and FUND yuan in its fund."""
    from shapely.geometry import box

    from kuangzheng.access.actor import Actor
    from kuangzheng.registry import services
    from kuangzheng.registry.models import Division
    from kuangzheng.restoration import fund
    from kuangzheng.restoration.models import Phase, Plan

    admin = Actor("race-admin", "admin")
    Division.objects.get_or_create(code="150000", defaults={"name_zh": "内蒙古自治区", "level": "province"})
    Division.objects.get_or_create(
        code="150200", defaults={"name_zh": "包头市", "level": "prefecture", "parent_id": "150000"}
    )
    ent = services.create(admin, "enterprise", {"name": "基金争用企业", "division": "150200"})
    right = services.create(
        admin,
        "right",
        {
            "licence_no": "C1502002015009901",
            "kind": "mining",
            "name": "争用矿山",
            "holder": ent.pk,
            "division": "150200",
            "minerals": ["铜"],
            "valid_from": "2015-01-01",
            "valid_to": "2035-01-01",
            "obtained_by": "listing",
            "boundary": box(110.3, 41.6, 110.32, 41.62).wkt,
        },
        first_event={"kind": "granted", "date": "2015-01-01"},
    )
    plan = Plan.objects.create(
        right_id=right.pk,
        enterprise_id=ent.pk,
        division_id="150200",
        title="争用方案",
        first_year=2020,
        last_year=2025,
        state="approved",
        created_by="race",
    )
    phases = [
        Phase.objects.create(plan=plan, seq=i, start_year=y, end_year=y + 2, state="accepted").pk
        for i, y in ((1, 2020), (2, 2023))
    ]
    fund.post(admin, right=right.pk, kind="deposit", amount=FUND, request_id="race-deposit")
    return {"right": right.pk, "phases": phases}


def race(ids: dict, serialise: bool = True) -> dict:
    """Both requests spend the whole fund at the same moment; returns who won and the account."""
    from kuangzheng.access.actor import Actor
    from kuangzheng.errors import InvalidInput
    from kuangzheng.restoration import fund
    from kuangzheng.restoration.models import FundAccount

    admin = Actor("race-admin", "admin")

    def spend(i):
        fund.post(
            admin,
            right=ids["right"],
            kind="spend",
            source="fund",
            amount=FUND,
            phase=ids["phases"][i],
            request_id=f"race-spend-{i}",
        )

    with paused_after_read(fund, serialise):
        outcomes, errors = together(
            [lambda: spend(0), lambda: spend(1)], ok="spent", refused=refused_by(InvalidInput), start_together=False
        )
    s = fund.state(FundAccount.objects.get(right_id=ids["right"]))
    return {
        "outcomes": sorted(outcomes),
        "errors": errors,
        "balanced": s["balanced"],
        "fund": s["fund"],
        "spent": s["totals"]["spent"],
    }


if __name__ == "__main__":
    main(lambda locked: race(setup_fund(), serialise=locked))
