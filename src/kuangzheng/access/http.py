"""Who is asking, and in which language: the request helpers every domain's API and pages share.

Authentication for the API: the portal's session (unsafe methods then need the CSRF token) or a
bearer token for scripts (`Authorization: Bearer kz_…`, see `access.tokens`); without either, a
caller is the public. HTTP Basic is refused: it made every call run the slow password hash, so a
few scripts could saturate the server, and it sent the password with every request.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja.utils import check_csrf

from kuangzheng.access import tokens
from kuangzheng.access.actor import Actor, actor_for_user
from kuangzheng.errors import Forbidden, ServiceError


class Unauthenticated(ServiceError):
    status = 401


class LockedOut(ServiceError):
    """Too many failed sign-ins for this user from this address (django-axes)."""

    status = 429


BASIC_REFUSED = Unauthenticated(
    "API 不再接受 HTTP Basic 认证：请使用令牌（Authorization: Bearer …），可在门户“API 令牌”页或用 kz token create 创建",
    "HTTP Basic is not accepted: send a token (Authorization: Bearer …); make one on the portal's API tokens "
    "page or with `kz token create`",
)


def token_user(request: HttpRequest):
    """The user behind a bearer token, None without an Authorization header; refuses bad credentials."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, credential = header.partition(" ")
    if scheme.lower() == "bearer":
        user = tokens.user_for(credential.strip())
        if user is None:
            raise Unauthenticated("令牌无效、已过期或已吊销", "the token is unknown, expired or revoked")
        return user
    if scheme.lower() == "basic":
        raise BASIC_REFUSED
    raise Unauthenticated(f"不支持的认证方式 {scheme[:20]}", f"unsupported authorization scheme {scheme[:20]}")


def actor_of(request: HttpRequest, write: bool = False) -> Actor:
    """The actor behind an API request; `write` also checks the CSRF token of a session."""
    user = token_user(request)
    if user is not None:
        return actor_for_user(user)
    if write and request.user.is_authenticated:
        csrf_error = check_csrf(request)
        if csrf_error:
            raise Forbidden("缺少或错误的 CSRF 令牌", "CSRF token missing or incorrect")
    return actor_for_user(request.user)


def check_password(request: HttpRequest, username: str, password: str):
    """Authenticate a username and password through django-axes: failures count toward a lockout,
    and a locked-out caller is refused without the password being checked."""
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise LockedOut(
            "登录失败次数过多，已暂时锁定，请稍后再试", "too many failed sign-ins: locked for a while, try again later"
        )
    if user is None:
        raise Unauthenticated("用户名或密码错误", "wrong username or password")
    return user


def page_actor(request: HttpRequest) -> Actor:
    """The actor behind a portal page (its session, or the public)."""
    return actor_for_user(request.user)


def language(request: HttpRequest) -> str:
    """'zh' or 'en', as the portal's language switch set it."""
    return "en" if getattr(request, "LANGUAGE_CODE", "").startswith("en") else "zh"
