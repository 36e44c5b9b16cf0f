"""API tokens: made for a user, checked on every API call that sends `Authorization: Bearer …`,
revoked by their owner or an administrator. The secret is never stored, only its SHA-256 digest."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.utils import timezone

from kuangzheng.errors import FieldProblem, InvalidInput, NotFound

from .models import ApiToken

PREFIX = "kz_"
DEFAULT_DAYS = 90
MAX_DAYS = 366
TOUCH_EVERY = dt.timedelta(minutes=1)  # last_used is written at most this often: reads stay reads


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def create(user, name: str, days: int | None = DEFAULT_DAYS) -> NewToken:
    """A new token for `user`, valid for `days` days (1 to MAX_DAYS)."""
    problems = []
    name = (name or "").strip()
    if not name or len(name) > 100:
        problems.append(FieldProblem("name", "令牌名称须为 1–100 个字符", "the token name must be 1–100 characters"))
    if days is None:
        days = DEFAULT_DAYS
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
        problems.append(
            FieldProblem(
                "expires_in_days", f"有效天数须为 1–{MAX_DAYS} 的整数", f"days valid must be an integer 1–{MAX_DAYS}"
            )
        )
    if problems:
        raise InvalidInput(problems)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:10],
        digest=digest(secret),
        expires=timezone.now() + dt.timedelta(days=days),
    )
    return NewToken(token, secret)


def user_for(secret: str):
    """The active user a secret belongs to, or None if it is unknown, expired or revoked."""
    if not secret.startswith(PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()
    now = timezone.now()
    if token is None or token.revoked or (token.expires and token.expires <= now) or not token.user.is_active:
        return None
    if token.last_used is None or now - token.last_used > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user


def of_user(user) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))


def revoke(user, token_id, *, any_user: bool = False) -> ApiToken:
    """Revoke one of `user`'s tokens (an administrator's command may revoke anyone's)."""
    qs = ApiToken.objects.all() if any_user else ApiToken.objects.filter(user=user)
    token = qs.filter(pk=token_id).first() if str(token_id).isdigit() else None
    if token is None:
        raise NotFound("令牌", "token")
    if token.revoked is None:
        token.revoked = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(revoked=token.revoked)
    return token


def describe(token: ApiToken) -> dict:
    """A token as its owner sees it: never the secret."""
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created": token.created.isoformat(),
        "last_used": token.last_used.isoformat() if token.last_used else None,
        "expires": token.expires.isoformat() if token.expires else None,
        "revoked": token.revoked.isoformat() if token.revoked else None,
        "active": token.revoked is None and (token.expires is None or token.expires > timezone.now()),
    }
