"""Who is asking, and in which language: the request helpers every domain's API and pages share.

Authentication for the API: the portal's session (unsafe methods then need the CSRF token) or HTTP
Basic for scripts; without either, a caller is the public.
"""

from __future__ import annotations

import base64

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.utils import check_csrf

from kuangzheng.access.actor import Actor, actor_for_user
from kuangzheng.errors import Forbidden


def actor_of(request: HttpRequest, write: bool = False) -> Actor:
    """The actor behind an API request; `write` also checks the CSRF token of a session."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            username, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            raise HttpError(401, "malformed Basic credentials") from None
        user = authenticate(request, username=username, password=password)
        if user is None:
            raise HttpError(401, "用户名或密码错误 / wrong username or password")
        return actor_for_user(user)
    if write and request.user.is_authenticated:
        csrf_error = check_csrf(request)
        if csrf_error:
            raise Forbidden("缺少或错误的 CSRF 令牌", "CSRF token missing or incorrect")
    return actor_for_user(request.user)


def page_actor(request: HttpRequest) -> Actor:
    """The actor behind a portal page (its session, or the public)."""
    return actor_for_user(request.user)


def language(request: HttpRequest) -> str:
    """'zh' or 'en', as the portal's language switch set it."""
    return "en" if getattr(request, "LANGUAGE_CODE", "").startswith("en") else "zh"
