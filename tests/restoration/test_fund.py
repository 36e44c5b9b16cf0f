"""The fund ledger through its service: who may post, spends need accepted phases, the bond's
conversion, balances to the cent after a thousand random postings on the real database."""

import random
from decimal import Decimal

import pytest

from kuangzheng.errors import Forbidden, InvalidInput
from kuangzheng.restoration import fund, services
from kuangzheng.restoration.core import ledger as rules
from kuangzheng.restoration.models import FundAccount, Posting

from .helpers import ADMIN, PASS, actor, approved_plan


def _accepted_phase(reg, p):
    ent, staff = actor(reg, "ent_a"), actor(reg, "reg_bt")
    ph = p.phases.get(seq=1)
    ph = services.report_phase(ent, ph.pk, {"version": ph.version, "actual": {"forest": {"reclaimed": 3}}})
    services.accept_phase(staff, ph.pk, {"version": ph.version, "checklist": PASS})
    ph.refresh_from_db()
    return ph


def test_enterprise_deposits_staff_spend_on_accepted_phases_only(reg):
    p = approved_plan(reg)
    ent, staff = actor(reg, "ent_a"), actor(reg, "reg_bt")
    fund.post(ent, right=reg.r_bt.pk, kind="provision", amount="50000.00", request_id="p1", year=2024)
    fund.post(ent, right=reg.r_bt.pk, kind="deposit", amount="50000.00", request_id="d1", year=2024)
    ph = p.phases.get(seq=1)
    with pytest.raises(Forbidden):
        fund.post(ent, right=reg.r_bt.pk, kind="spend", source="fund", amount="1", phase=ph.pk, request_id="s0")
    with pytest.raises(InvalidInput) as e:
        fund.post(staff, right=reg.r_bt.pk, kind="spend", source="fund", amount="1", phase=ph.pk, request_id="s0")
    assert e.value.problems[0].field == "phase"
    ph = _accepted_phase(reg, p)
    with pytest.raises(InvalidInput) as e:
        fund.post(
            staff, right=reg.r_bt.pk, kind="spend", source="fund", amount="50000.01", phase=ph.pk, request_id="s1"
        )
    assert e.value.problems[0].field == "amount"
    fund.post(staff, right=reg.r_bt.pk, kind="spend", source="fund", amount="30000.50", phase=ph.pk, request_id="s1")
    with pytest.raises(InvalidInput) as e:  # a retried request is not posted twice
        fund.post(staff, right=reg.r_bt.pk, kind="spend", source="fund", amount="1", phase=ph.pk, request_id="s1")
    assert e.value.problems[0].field == "request_id"
    s = fund.state(FundAccount.objects.get(right=reg.r_bt))
    assert s["balanced"] and s["fund"] == "19999.50" and s["totals"]["spent"] == "30000.50"


def test_out_of_scope_and_bad_amounts(reg):
    with pytest.raises(InvalidInput) as e:
        fund.post(actor(reg, "reg_qh"), right=reg.r_bt.pk, kind="deposit", amount="1", request_id="x")
    assert e.value.problems[0].field == "right"
    with pytest.raises(InvalidInput) as e:
        fund.post(ADMIN, right=reg.r_bt.pk, kind="deposit", amount=0.1, request_id="")
    assert {x.field for x in e.value.problems} == {"amount", "request_id"}
    assert not Posting.objects.exists()


@pytest.mark.parametrize("party_exists,refund,carried", [(True, "600.00", "0.00"), (False, "0.00", "600.00")])
def test_bond_conversion(reg, party_exists, refund, carried):
    p = approved_plan(reg)
    ph = _accepted_phase(reg, p)
    fund.post(ADMIN, right=reg.r_bt.pk, kind="bond_deposit", amount="1000", request_id="b1")
    fund.post(ADMIN, right=reg.r_bt.pk, kind="spend", source="bond", amount="400", phase=ph.pk, request_id="b2")
    out = fund.convert_bond(actor(reg, "reg_bt"), right=reg.r_bt.pk, party_exists=party_exists, request_id="conv")
    assert (out["paid"], out["spent"], out["refund"], out["carry_over"]) == ("1000.00", "400.00", refund, carried)
    s = fund.state(FundAccount.objects.get(right=reg.r_bt))
    assert s["balanced"] and s["bond"] == "0.00" and s["fund"] == carried


def test_random_postings_balance_to_the_cent_on_the_database(reg):
    p = approved_plan(reg)
    ph = _accepted_phase(reg, p)
    rng = random.Random(20261201)
    expected = {"fund": 0, "bond": 0}
    for i in range(400):
        kind = rng.choice(["deposit", "bond_deposit", "spend", "refund", "carry_over", "provision"])
        cents = rng.randint(1, 5_000_00)
        source = rng.choice(["fund", "bond"]) if kind in ("spend", "refund") else ""
        amount = rules.yuan(cents)
        try:
            fund.post(
                ADMIN, right=reg.r_bt.pk, kind=kind, amount=str(amount), source=source, phase=ph.pk, request_id=f"r{i}"
            )
        except InvalidInput:
            continue
        for account, c in rules.legs(rules.Posting(kind, cents, source)):
            if account in expected:
                expected[account] += c
    s = fund.state(FundAccount.objects.get(right=reg.r_bt))
    assert s["balanced"], s["problems"]
    assert Decimal(s["fund"]) == rules.yuan(expected["fund"]) and Decimal(s["bond"]) == rules.yuan(expected["bond"])
    assert Posting.objects.count() > 200


def test_a_fixed_account_variant_takes_no_provisions(reg, monkeypatch):
    from kuangzheng.restoration import config

    monkeypatch.setitem(config.config()["fund"]["by_province"], "15", "fixed_account")
    with pytest.raises(InvalidInput) as e:
        fund.post(actor(reg, "ent_a"), right=reg.r_bt.pk, kind="provision", amount="10", request_id="p")
    assert e.value.problems[0].field == "kind" and not FundAccount.objects.exists()  # nothing half-written
    fund.post(actor(reg, "ent_a"), right=reg.r_bt.pk, kind="deposit", amount="10", request_id="d")
    assert FundAccount.objects.get(right=reg.r_bt).variant == "fixed_account"
