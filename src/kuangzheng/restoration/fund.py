"""The restoration fund ledger on the database (M47): one account per mine, double-entry, append-only.

Each posting runs in one transaction that first locks the account's row (SELECT … FOR UPDATE on
PostgreSQL; on SQLite the IMMEDIATE transaction mode takes the database's write lock at BEGIN), then
reads the account's postings, checks the new one with the pure rules (``core.ledger.validate``:
the fund and the bond never go negative, a spend needs an accepted phase), then writes the posting,
its legs, the stored balances and the audit entry. ``SERIALISE = False`` (tests only) reads the
balances before the transaction without the lock — the double spend the race test shows is then real.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Sum

from kuangzheng.access.actor import Actor
from kuangzheng.audit import service as audit
from kuangzheng.errors import FieldProblem, Forbidden, InvalidInput, NotFound
from kuangzheng.registry import services as registry

from . import config, scope
from .core import ledger as rules
from .models import FundAccount, Phase, Posting, PostingLeg

SERIALISE = True
_after_read = None  # test hook: called between reading the ledger and writing the posting


def _core(p: Posting) -> rules.Posting:
    return rules.Posting(p.kind, int(p.cents), p.source)


def history(account: FundAccount) -> list[rules.Posting]:
    return [_core(p) for p in Posting.objects.filter(account=account).order_by("pk")]


def current(account: FundAccount) -> dict[str, int]:
    """The account's balances summed from its legs in the database (one grouped query)."""
    b = dict.fromkeys(rules.ACCOUNTS, 0)
    for row in PostingLeg.objects.filter(posting__account=account).values("ledger_account").annotate(s=Sum("cents")):
        b[row["ledger_account"]] = int(row["s"])
    return b


def accounts(actor: Actor):
    qs = FundAccount.objects.select_related("right", "enterprise")
    if actor.is_admin or actor.is_regulator:
        return scope.filter_division(actor, qs)
    if actor.is_enterprise and actor.enterprise_id:
        return qs.filter(enterprise_id=actor.enterprise_id)
    return qs.none()


def account_for(actor: Actor, right_pk, *, create: bool = False, generated: bool = False) -> FundAccount:
    """The mine's account; ``create`` opens it (with its province's variant) on first use."""
    try:
        r = registry.scoped(actor, "right").get(pk=int(right_pk))
    except (registry.entity("right").model.DoesNotExist, TypeError, ValueError):
        raise InvalidInput(
            [FieldProblem("right", "矿业权不存在或不在您的权限范围内", "mining right not found or outside your scope")]
        ) from None
    if not scope.sees_full(actor, r.division_id, r.holder_id):
        raise NotFound("基金账户", "fund account")
    acc = FundAccount.objects.filter(right_id=r.pk).first()
    if acc is None and create:
        acc, _ = FundAccount.objects.get_or_create(
            right_id=r.pk,
            defaults={
                "enterprise_id": r.holder_id,
                "division_id": r.division_id,
                "variant": config.variant_for(r.division_id),
                "is_generated": generated,
            },
        )
    if acc is None:
        raise NotFound("基金账户", "fund account")
    return acc


def _may_post(actor: Actor, acc: FundAccount, kind: str) -> None:
    """The enterprise books its own provisions and deposits; spending, refunds and carry-overs are
    decided by staff in scope."""
    if actor.covers_division(acc.division_id):
        return
    if kind in ("provision", "deposit", "bond_deposit") and scope.is_holder(actor, acc.enterprise_id):
        return
    raise Forbidden("无权在该账户记账", "You may not post to this account")


def post(
    actor: Actor,
    *,
    right,
    kind: str,
    amount,
    request_id: str,
    source: str = "",
    phase=None,
    year: int | None = None,
    note: str = "",
    generated: bool = False,
) -> Posting:
    """One posting. ``amount`` in yuan (text or Decimal, two places). ``request_id`` makes a retried
    request harmless: the same id is refused, never posted twice."""
    problems = []
    if kind not in rules.KINDS:
        problems.append(FieldProblem("kind", f"未知的记账类型「{kind}」", f"unknown posting kind '{kind}'"))
    cents, p = rules.to_cents(amount)
    if p:
        problems.append(FieldProblem(p.field, p.zh, p.en))
    if not str(request_id or "").strip() or len(str(request_id)) > 80:
        problems.append(
            FieldProblem(
                "request_id", "须提供申请编号（最多 80 字，防止重复记账）", "a request id (≤ 80 characters) is required"
            )
        )
    if problems:
        raise InvalidInput(problems)
    if kind == "provision":  # checked before the account is opened, so a refusal writes nothing
        r = registry.scoped(actor, "right").filter(pk=right).first() if str(right).isdigit() else None
        acc0 = FundAccount.objects.filter(right_id=r.pk).first() if r else None
        variant = acc0.variant if acc0 else (config.variant_for(r.division_id) if r else "")
        if variant and not config.variant(variant).get("provisions"):
            raise InvalidInput(
                [
                    FieldProblem(
                        "kind", "本省基金办法不设年度计提", "this province's fund rules have no yearly provisions"
                    )
                ]
            )
    acc = account_for(actor, right, create=kind in ("provision", "deposit", "bond_deposit"), generated=generated)
    _may_post(actor, acc, kind)
    ph = None
    if kind == "spend":
        ph = (
            Phase.objects.select_related("plan").filter(pk=phase, plan__right_id=acc.right_id).first()
            if str(phase or "").isdigit()
            else None
        )
        if ph is None:
            raise InvalidInput([FieldProblem("phase", "须指明本矿的分期治理", "name a phase of this mine")])
    candidate = rules.Posting(kind, cents, source, phase_accepted=bool(ph and ph.state == "accepted"))
    unlocked = None if SERIALISE else current(acc)
    if unlocked is not None and _after_read:
        _after_read()
    try:
        with transaction.atomic():
            if SERIALISE:
                FundAccount.objects.select_for_update().get(pk=acc.pk)  # serialise every posting of this mine
                now = current(acc)
                if _after_read:
                    _after_read()
            else:
                now = unlocked
            errors = rules.validate(candidate, now)
            if errors:
                raise scope.problems(errors)
            row = Posting.objects.create(
                account=acc,
                request_id=str(request_id),
                kind=kind,
                cents=cents,
                source=source if len(rules.KINDS[kind][1]) > 1 else "",
                phase=ph,
                year=int(year or dt.date.today().year),
                note=str(note or "")[:300],
                actor=actor.username,
                is_generated=generated,
            )
            PostingLeg.objects.bulk_create(
                [PostingLeg(posting=row, ledger_account=a, cents=c) for a, c in rules.legs(candidate)]
            )
            after = _after(now, candidate)
            FundAccount.objects.filter(pk=acc.pk).update(fund_cents=after["fund"], bond_cents=after["bond"])
            audit.record(actor, kind, "restoration_fund", acc.right_id, None, posting_dict(row))
    except IntegrityError:
        raise InvalidInput(
            [FieldProblem("request_id", "该申请编号已记账，不能再次记账", "this request id has already been posted")]
        ) from None
    return row


def _after(before: dict, p: rules.Posting) -> dict:
    b = dict(before)
    for a, c in rules.legs(p):
        b[a] = b.get(a, 0) + c
    return b


def convert_bond(actor: Actor, *, right, party_exists: bool, request_id: str, year: int | None = None) -> dict:
    """Turn the mine's legacy bond into the fund: refund = paid − spent to the enterprise, or nothing
    refunded when the party no longer exists (the balance is carried into the fund)."""
    actor.require_staff()
    acc = account_for(actor, right)
    with transaction.atomic():
        FundAccount.objects.select_for_update().get(pk=acc.pk)
        hist = history(acc)
        paid = sum(p.cents for p in hist if p.kind == "bond_deposit")
        spent = sum(p.cents for p in hist if p.kind == "spend" and p.source == "bond")
        already = sum(p.cents for p in hist if p.source == "bond" and p.kind == "refund") + sum(
            p.cents for p in hist if p.kind == "carry_over"
        )
        split = rules.conversion(paid, spent + already, party_exists)
        done = []
        for kind in ("refund", "carry_over"):
            if split[kind]:
                done.append(
                    post(
                        actor,
                        right=right,
                        kind=kind,
                        amount=rules.yuan(split[kind]),
                        source="bond",
                        request_id=f"{request_id}:{kind}",
                        year=year,
                        note="保证金转基金 bond converted to the fund",
                    )
                )
    return {
        "paid": str(rules.yuan(paid)),
        "spent": str(rules.yuan(spent)),
        "refund": str(rules.yuan(split["refund"])),
        "carry_over": str(rules.yuan(split["carry_over"])),
        "postings": [posting_dict(p) for p in done],
    }


def posting_dict(p: Posting) -> dict:
    return {
        "id": p.pk,
        "request_id": p.request_id,
        "kind": p.kind,
        "kind_zh": rules.KIND_ZH[p.kind],
        "amount": str(rules.yuan(p.cents)),
        "source": p.source,
        "phase": p.phase_id,
        "year": p.year,
        "note": p.note,
        "is_generated": p.is_generated,
    }


def state(acc: FundAccount) -> dict:
    """The account's balances from its postings, its stored balances and the invariant check."""
    hist = history(acc)
    b = rules.balances(hist)
    problems = rules.check_invariants(hist)
    legs = PostingLeg.objects.filter(posting__account=acc).values_list("ledger_account", "cents")
    by_leg: dict[str, int] = {}
    for a, c in legs:
        by_leg[a] = by_leg.get(a, 0) + c
    if sum(by_leg.values()) != 0 or any(by_leg.get(a, 0) != b[a] for a in rules.ACCOUNTS):
        problems.append("分录与记账不符 / the legs disagree with the postings")
    acc.refresh_from_db()
    if (acc.fund_cents, acc.bond_cents) != (b["fund"], b["bond"]):
        problems.append("存储的余额与台账不符 / stored balances disagree with the ledger")
    t = rules.totals(hist)
    return {
        "right": acc.right_id,
        "variant": acc.variant,
        "fund": str(rules.yuan(b["fund"])),
        "bond": str(rules.yuan(b["bond"])),
        "fund_cents": b["fund"],
        "bond_cents": b["bond"],
        "totals": {k: str(rules.yuan(v)) for k, v in t.items()},
        "balanced": not problems,
        "problems": problems,
        "postings": [posting_dict(p) for p in Posting.objects.filter(account=acc).order_by("pk")],
    }
