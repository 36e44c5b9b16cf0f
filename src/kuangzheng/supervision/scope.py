"""Who may do what in supervision: staff act inside their division; an enterprise sees its own cases."""

from __future__ import annotations

from kuangzheng.access.actor import Actor
from kuangzheng.errors import FieldProblem, Forbidden, InvalidInput, NotFound, StaleVersion


def require_staff_in(actor: Actor, division: str) -> None:
    actor.require_staff()
    if not actor.covers_division(division):
        raise Forbidden("该区划不在您的管辖范围内", "This division is outside your scope")


def staff_filter(actor: Actor, qs, field: str = "division"):
    """The rows of an actor's division scope (admins: all)."""
    if actor.is_admin:
        return qs
    if actor.is_regulator:
        return qs.filter(**{f"{field}__startswith": actor.scope_prefix})
    return qs.none()


def one(qs, pk, zh: str, en: str):
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound(zh, en) from None


def check_version(obj, version) -> None:
    try:
        given = int(version)
    except (TypeError, ValueError):
        raise InvalidInput([FieldProblem("version", "缺少版本号", "the version is required")]) from None
    if given != obj.version:
        raise StaleVersion(obj.version, given)


def problem(field: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput([FieldProblem(field, zh, en)])
