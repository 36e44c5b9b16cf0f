"""The actor: who is acting, with which role and scope. Built once per request or CLI call."""

from __future__ import annotations

from dataclasses import dataclass

from kuangzheng.errors import Forbidden

ADMIN, REGULATOR, ENTERPRISE, PUBLIC = "admin", "regulator", "enterprise", "public"


def division_prefix(code: str) -> str:
    """GB/T 2260: a province is XX0000, a prefecture XXXX00, a county XXXXXX. Everything inside a
    division shares the prefix of its non-zero part, so scope tests are prefix tests."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


@dataclass(frozen=True)
class Actor:
    username: str
    role: str
    division_code: str | None = None
    enterprise_id: int | None = None
    user_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def is_regulator(self) -> bool:
        return self.role == REGULATOR

    @property
    def is_enterprise(self) -> bool:
        return self.role == ENTERPRISE

    @property
    def is_public(self) -> bool:
        return self.role == PUBLIC

    @property
    def scope_prefix(self) -> str | None:
        return division_prefix(self.division_code) if self.division_code else None

    def covers_division(self, code: str | None) -> bool:
        """Whether a record located in division `code` is inside this actor's division scope."""
        if self.is_admin:
            return True
        if self.is_regulator:
            return bool(code) and code.startswith(self.scope_prefix)
        return False

    def require_staff(self) -> None:
        if not (self.is_admin or self.is_regulator):
            raise Forbidden("仅管理员和监管人员可执行此操作", "Only administrators and regulators may do this")

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("仅管理员可执行此操作", "Only administrators may do this")


PUBLIC_ACTOR = Actor(username="anonymous", role=PUBLIC)
SYSTEM_ACTOR = Actor(username="system", role=ADMIN)


def actor_for_user(user) -> Actor:
    """Map a Django user to an Actor. Users without a profile act as the public, except superusers."""
    if user is None or not user.is_authenticated:
        return PUBLIC_ACTOR
    profile = getattr(user, "kz_profile", None)
    if user.is_superuser and profile is None:
        return Actor(username=user.username, role=ADMIN, user_id=user.pk)
    if profile is None:
        return Actor(username=user.username, role=PUBLIC, user_id=user.pk)
    return Actor(
        username=user.username,
        role=profile.role,
        division_code=profile.division_id,
        enterprise_id=profile.enterprise_id,
        user_id=user.pk,
    )
