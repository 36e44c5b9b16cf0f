"""What a locked-out caller sees (django-axes calls `response` through AXES_LOCKOUT_CALLABLE): JSON
naming the reason in Chinese and English for the API, a page for the portal, and when to retry."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

ZH = "登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试"
EN = "Too many failed sign-ins: locked, try again in {minutes} minutes"


def response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    zh, en = ZH.format(minutes=minutes), EN.format(minutes=minutes)
    if request.path.startswith("/api/"):
        resp = JsonResponse(
            {"error": "LockedOut", "message_zh": zh, "message_en": en},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        resp = render(request, "access/locked_out.html", {"zh": zh, "en": en}, status=429)
    resp["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return resp
