"""Who sees which monitoring records: one rule, used by every service here."""

from __future__ import annotations

from django.db.models import QuerySet

from kuangzheng.access.actor import Actor
from kuangzheng.errors import Forbidden


def scope_reports(actor: Actor, qs: QuerySet) -> QuerySet:
    """Reports are private: admins see all, regulators their division, an enterprise its own."""
    if actor.is_admin:
        return qs
    if actor.is_regulator:
        return qs.filter(division__code__startswith=actor.scope_prefix)
    if actor.is_enterprise and actor.enterprise_id is not None:
        return qs.filter(enterprise_id=actor.enterprise_id)
    return qs.none()


def scope_divisions(actor: Actor, qs: QuerySet, field: str = "division") -> QuerySet:
    """Staff records keyed by a division code column (warnings): admins all, regulators their prefix."""
    actor.require_staff()
    if actor.is_admin:
        return qs
    return qs.filter(**{f"{field}__startswith": actor.scope_prefix})


def require_division(actor: Actor, code: str) -> None:
    if not actor.covers_division(code):
        raise Forbidden(f"区划 {code} 不在您的管辖范围内", f"division {code} is outside your scope")


def facility_code(facility) -> str:
    """The code an enterprise writes in column A of a report template."""
    return f"KZF-{facility.pk}"


def facility_pk(code: str) -> int | None:
    head, _, num = str(code).strip().upper().partition("KZF-")
    return int(num) if not head and num.isdigit() else None
