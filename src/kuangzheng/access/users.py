"""Creating users with a role and scope (CLI, demo, tests)."""

from django.contrib.auth import get_user_model
from django.db import transaction

from kuangzheng.errors import FieldProblem, InvalidInput

from .models import Profile, Role


def create_user(username: str, password: str, role: str, division: str | None = None, enterprise: int | None = None):
    # the registry's models through the profile's relations: access sits below the registry
    Division = Profile._meta.get_field("division").related_model
    Enterprise = Profile._meta.get_field("enterprise").related_model
    problems = []
    if role not in Role.values:
        problems.append(FieldProblem("role", f"未知角色 {role}", f"unknown role {role}"))
    if role == "regulator" and not Division.objects.filter(pk=division or "").exists():
        problems.append(
            FieldProblem(
                "division",
                f"监管人员须绑定有效的区划代码（{division}）",
                f"a regulator needs a valid division code ({division})",
            )
        )
    if role == "enterprise" and not Enterprise.objects.filter(pk=enterprise or 0).exists():
        problems.append(
            FieldProblem("enterprise", "企业用户须绑定已登记的企业", "an enterprise user needs a registered enterprise")
        )
    if get_user_model().objects.filter(username=username).exists():
        problems.append(FieldProblem("username", f"用户名 {username} 已存在", f"username {username} exists"))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=username, password=password, is_staff=role == "admin", is_superuser=role == "admin"
        )
        Profile.objects.create(
            user=user,
            role=role,
            division_id=division if role == "regulator" else None,
            enterprise_id=enterprise if role == "enterprise" else None,
        )
    return user


def staff_views() -> list:
    """One actor per scope view the active staff users have: the administrators' and each regulator
    division's (the map's tiles are keyed by scope view, not by user, so one build serves all of a
    view's users). Enterprise users are left out: one view each, too many to build ahead."""
    from .actor import ADMIN, REGULATOR, Actor, division_prefix

    profiles = Profile.objects.filter(user__is_active=True, role__in=(ADMIN, REGULATOR))
    views: dict[tuple, Actor] = {}
    for role, division in profiles.values_list("role", "division_id").order_by("role", "division_id"):
        if role == ADMIN:
            views.setdefault((ADMIN,), Actor(username="tiles-ahead", role=ADMIN))
        elif division:
            views.setdefault(
                (REGULATOR, division_prefix(division)),
                Actor(username="tiles-ahead", role=REGULATOR, division_code=division),
            )
    return list(views.values())
