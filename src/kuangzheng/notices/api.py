"""REST endpoints of the notice board (mounted at /api/v1/notices). Public: reading only; domains
publish through their own actions, never through a generic endpoint."""

from __future__ import annotations

from ninja import Router

from . import services
from .core.kinds import kinds

router = Router(tags=["公告 notices"])


@router.get("", summary="Every public notice, newest first (filters: kind, division; limit ≤ 500)")
def list_notices(request, kind: str = "", division: str = "", limit: int = 100, offset: int = 0):
    limit = max(1, min(limit, services.PAGE_MAX))
    rows = services.board(kind=kind or None, division=division or None)
    offset = max(0, offset)
    return {"count": rows.count(), "items": [services.as_dict(n) for n in rows[offset : offset + limit]]}


@router.get("/kinds", summary="The kinds of notice and the mechanism each implements")
def list_kinds(request):
    return kinds()


@router.get("/{pk}", summary="One notice")
def get_notice(request, pk: int):
    return services.as_dict(services.get(pk))
