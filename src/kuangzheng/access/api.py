"""Who the API thinks the caller is."""

from __future__ import annotations

from ninja import Router

from kuangzheng.access.http import actor_of

router = Router(tags=["用户 me"])


@router.get("", summary="Who the API thinks you are")
def me(request):
    a = actor_of(request)
    return {"username": a.username, "role": a.role, "division": a.division_code, "enterprise": a.enterprise_id}
