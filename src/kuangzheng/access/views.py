"""The portal page where a signed-in user makes, sees and revokes their own API tokens."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kuangzheng.access import tokens
from kuangzheng.errors import ServiceError


@login_required
def tokens_page(request):
    made, error = None, None
    if request.method == "POST":
        try:
            if "revoke" in request.POST:
                tokens.revoke(request.user, request.POST["revoke"])
            else:
                days = request.POST.get("days", "")
                made = tokens.create(
                    request.user, request.POST.get("name", ""), int(days) if days.strip().isdigit() else -1
                )
        except ServiceError as exc:
            error = exc
    listed = [tokens.describe(t) for t in tokens.of_user(request.user)]
    return render(
        request,
        "access/tokens.html",
        {
            "tokens": listed,
            "made": made,
            "error": error,
            "default_days": tokens.DEFAULT_DAYS,
            "max_days": tokens.MAX_DAYS,
        },
        status=400 if error else 200,
    )
