"""The electrolytic-aluminium capacity-replacement ledger (M27) on the database.

Each movement runs in one transaction that first locks the quota's row (SELECT … FOR UPDATE on
PostgreSQL; on SQLite the IMMEDIATE transaction mode takes the database's write lock at BEGIN),
then reads the quota's ledger and checks the movement with the pure rules
(``kuangzheng.monitoring.core.ledger.validate_movement``), then writes the movement, the balances and
the audit entry. Two requests for the same capacity are thereby serialised: the second one
reads the first one's result and is refused. ``SERIALISE = False`` (tests only) reads the
ledger before the transaction without the lock — the race the test shows is then real.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction

from kuangzheng.access.actor import Actor
from kuangzheng.audit import service as audit
from kuangzheng.errors import FieldProblem, InvalidInput, NotFound
from kuangzheng.monitoring.core import ledger as rules
from kuangzheng.registry import services as registry

from .config import params
from .models import LedgerMovement, Quota, QuotaBalance

SERIALISE = True
_after_read = None  # test hook: called between reading the ledger and writing the movement


def _core(m: LedgerMovement) -> rules.Movement:
    return rules.Movement(
        m.request_id,
        m.kind,
        m.quota.code,
        int(m.amount),
        str(m.holder_id),
        str(m.to_holder_id or ""),
        str(m.project_id or ""),
        m.province,
        m.to_province,
    )


def _history(quota: Quota) -> list[rules.Movement]:
    return [_core(m) for m in LedgerMovement.objects.filter(quota=quota).select_related("quota").order_by("pk")]


def _problems(errors) -> InvalidInput:
    return InvalidInput([FieldProblem(e.field, e.zh, e.en) for e in errors])


def _enterprise(pk, field):
    try:
        return registry.records("enterprise").get(pk=int(pk))
    except (ObjectDoesNotExist, TypeError, ValueError):
        raise InvalidInput([FieldProblem(field, f"企业“{pk}”不存在", f"enterprise “{pk}” does not exist")]) from None


def _province(ent) -> str:
    return ent.division_id[:2] + "0000"


def retire(
    actor: Actor,
    *,
    code: str,
    amount: int,
    holder,
    facility=None,
    request_id: str = "",
    document_ref: str = "",
    generated: bool = False,
) -> Quota:
    """Register retired capacity as a new quota credited to ``holder`` (staff in the holder's province)."""
    actor.require_staff()
    ent = _enterprise(holder, "holder")
    if not actor.covers_division(ent.division_id):
        raise NotFound("企业", "enterprise")
    request_id = request_id or f"retire:{code}"
    m = rules.Movement(request_id, "retire", str(code), amount, str(ent.pk), province=_province(ent))
    errors = rules.validate_movement(m, [])
    if errors:
        raise _problems(errors)
    try:
        with transaction.atomic():
            q = Quota.objects.create(
                code=code,
                amount=amount,
                province_id=_province(ent),
                is_generated=generated,
                retired_facility_id=facility,
            )
            mv = LedgerMovement.objects.create(
                request_id=request_id,
                kind="retire",
                quota=q,
                amount=amount,
                holder=ent,
                province=m.province,
                document_ref=document_ref,
                actor=actor.username,
                is_generated=generated,
            )
            QuotaBalance.objects.create(quota=q, holder=ent, amount=amount)
            audit.record(actor, "retire", "quota", q.code, None, movement_dict(mv))
    except IntegrityError:
        raise InvalidInput(
            [
                FieldProblem(
                    "code",
                    "该指标编号或申请编号已登记，不能再次登记",
                    "this quota code or request id is already registered",
                )
            ]
        ) from None
    return q


def move(
    actor: Actor,
    *,
    kind: str,
    quota: str,
    amount: int,
    holder,
    to_holder=None,
    project=None,
    request_id: str,
    document_ref: str = "",
    generated: bool = False,
) -> LedgerMovement:
    """Transfer part of a quota to another enterprise, or consume it for a new project."""
    actor.require_staff()
    if kind not in ("transfer", "consume"):
        raise InvalidInput([FieldProblem("kind", "类型须为 transfer 或 consume", "kind must be transfer or consume")])
    if not str(request_id or "").strip():
        raise InvalidInput(
            [
                FieldProblem(
                    "request_id",
                    "须提供申请编号（防止重复提交）",
                    "a request id is required (it stops a request being applied twice)",
                )
            ]
        )
    q = Quota.objects.filter(code=quota).first()
    if q is None:
        raise InvalidInput([FieldProblem("quota", f"指标“{quota}”不存在", f"quota “{quota}” does not exist")])
    src = _enterprise(holder, "holder")
    dst = _enterprise(to_holder, "to_holder") if kind == "transfer" else None
    proj = None
    if kind == "consume":
        proj = (
            registry.records("facility").filter(pk=project, kind="al_line").first()
            if str(project or "").isdigit()
            else None
        )
        if proj is None:
            raise InvalidInput(
                [FieldProblem("project", "须指定新建电解铝项目（设施）", "name the new aluminium project (facility)")]
            )
    if not actor.covers_division(src.division_id):
        raise NotFound("企业", "enterprise")
    m = rules.Movement(
        str(request_id),
        kind,
        q.code,
        amount,
        str(src.pk),
        str(dst.pk) if dst else "",
        str(proj.pk) if proj else "",
        _province(src),
        _province(dst) if dst else "",
    )
    unlocked = None if SERIALISE else _history(q)
    if unlocked is not None and _after_read:
        _after_read()
    with transaction.atomic():
        if SERIALISE:
            Quota.objects.select_for_update().get(pk=q.pk)  # serialise every movement of this quota
            errors = rules.validate_movement(m, _history(q))
            if _after_read:
                _after_read()
        else:
            errors = rules.validate_movement(m, unlocked)
        if errors:
            raise _problems(errors)
        mv = LedgerMovement.objects.create(
            request_id=m.id,
            kind=kind,
            quota=q,
            amount=amount,
            holder=src,
            to_holder=dst,
            project=proj,
            province=m.province,
            to_province=m.to_province,
            document_ref=document_ref,
            actor=actor.username,
            is_generated=generated,
        )
        _set_balances(q, unlocked if unlocked is not None else None, m)
        audit.record(actor, kind, "quota", q.code, None, movement_dict(mv))
    return mv


def _set_balances(q: Quota, stale, m: rules.Movement) -> None:
    """Store the balances after ``m``: from the locked ledger, or (unprotected) from the stale read."""
    history = stale if stale is not None else _history(q)[:-1]
    for (_qid, holder), amount in rules.balances([*history, m]).items():
        QuotaBalance.objects.update_or_create(quota=q, holder_id=int(holder), defaults={"amount": amount})


def replace(actor: Actor, *, project, quotas: list[dict], holder, request_id: str, document_ref: str = "") -> dict:
    """Cover a new project's capacity with retired capacity: equal-or-reduced replacement checked
    (Σ quotas ≥ new capacity × ratio from the catalogue), then every quota consumed, or none."""
    actor.require_staff()
    proj = (
        registry.records("facility").filter(pk=project, kind="al_line").first()
        if str(project or "").isdigit()
        else None
    )
    if proj is None:
        raise InvalidInput(
            [FieldProblem("project", "须指定新建电解铝项目（设施）", "name the new aluminium project (facility)")]
        )
    from .measures import _tpa

    new = int(round(_tpa(proj)))
    plan = [(str(x.get("quota", "")), x.get("amount")) for x in quotas]
    if new <= 0:
        raise InvalidInput([FieldProblem("project", "项目未登记产能", "the project has no registered capacity")])
    check = rules.check_replacement(new, plan, params()["replacement_ratio"])
    if check.errors or not check.sufficient:
        problems = [FieldProblem(e.field, e.zh, e.en) for e in check.errors]
        if not check.sufficient and not check.errors:
            problems.append(
                FieldProblem(
                    "quotas",
                    f"置换产能不足：新增 {new} 吨/年 × 比例 {check.ratio:g} = {check.required:g}，"
                    f"提供 {check.offered}，缺口 {check.shortfall:g}",
                    f"not enough retired capacity: new {new} t/a × ratio {check.ratio:g} = "
                    f"{check.required:g}, offered {check.offered}, short by {check.shortfall:g}",
                )
            )
        raise InvalidInput(problems)
    with transaction.atomic():
        moves = [
            move(
                actor,
                kind="consume",
                quota=code,
                amount=amount,
                holder=holder,
                project=proj.pk,
                request_id=f"{request_id}:{i}",
                document_ref=document_ref,
            )
            for i, (code, amount) in enumerate(plan)
        ]
    return {
        "project": proj.pk,
        "new_capacity": new,
        "required": check.required,
        "offered": check.offered,
        "movements": [movement_dict(m) for m in moves],
    }


def movement_dict(m: LedgerMovement) -> dict:
    return {
        "id": m.pk,
        "request_id": m.request_id,
        "kind": m.kind,
        "quota": m.quota.code,
        "amount": m.amount,
        "holder": m.holder_id,
        "holder_name": m.holder.name,
        "to_holder": m.to_holder_id,
        "to_holder_name": m.to_holder.name if m.to_holder_id else None,
        "project": m.project_id,
        "project_name": m.project.name if m.project_id else None,
        "province": m.province,
        "to_province": m.to_province,
        "document_ref": m.document_ref,
        "is_generated": m.is_generated,
        "at": m.at.isoformat() if m.at else None,
    }


def state() -> dict:
    """The public ledger: every quota's retired, available and consumed capacity, every movement,
    and the invariant check (it must always balance)."""
    moves = list(LedgerMovement.objects.select_related("quota", "holder", "to_holder", "project").order_by("pk"))
    core = [_core(m) for m in moves]
    states = rules.quota_states(core)
    stored = {}
    for b in QuotaBalance.objects.select_related("quota"):
        stored[(b.quota.code, str(b.holder_id))] = b.amount
    problems = rules.check_invariants(core)
    computed = {k: v for k, v in rules.balances(core).items() if v or k in stored}
    if {k: v for k, v in stored.items() if v or k in computed} != computed:
        problems.append("存储的余额与台账不符 / stored balances disagree with the ledger")
    return {
        "quotas": [
            {"quota": q, "retired": s.retired, "available": s.available, "consumed": s.consumed}
            for q, s in sorted(states.items())
        ],
        "movements": [movement_dict(m) for m in moves],
        "balanced": not problems,
        "problems": problems,
    }
