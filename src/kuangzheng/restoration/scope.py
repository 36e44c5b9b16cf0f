"""Who sees and who may change restoration records: staff by division prefix, an enterprise its
own mines, the public what has been made public (plans from their public notice on)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kuangzheng.access.actor import Actor
from kuangzheng.errors import FieldProblem, InvalidInput, NotFound

PUBLIC_PLAN_STATES = ("public_notice", "approved")


def filter_division(actor: Actor, qs: QuerySet, field: str = "division__code") -> QuerySet:
    if actor.is_admin:
        return qs
    if actor.is_regulator:
        return qs.filter(**{f"{field}__startswith": actor.scope_prefix})
    return qs.none()


def plans(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_admin or actor.is_regulator:
        return filter_division(actor, qs)
    visible = Q(state__in=PUBLIC_PLAN_STATES)
    if actor.is_enterprise and actor.enterprise_id:
        visible |= Q(enterprise_id=actor.enterprise_id)
    return qs.filter(visible)


def is_holder(actor: Actor, enterprise_id) -> bool:
    return actor.is_enterprise and actor.enterprise_id is not None and actor.enterprise_id == enterprise_id


def sees_full(actor: Actor, division_code: str, enterprise_id) -> bool:
    return actor.covers_division(division_code) or is_holder(actor, enterprise_id)


def may_edit(actor: Actor, division_code: str, enterprise_id) -> bool:
    return actor.covers_division(division_code) or is_holder(actor, enterprise_id)


def problems(items) -> InvalidInput:
    return InvalidInput([FieldProblem(p.field, p.zh, p.en) for p in items])


def one(qs: QuerySet, pk, zh: str, en: str):
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound(zh, en) from None
