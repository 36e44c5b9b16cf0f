"""The audit trail's REST route."""

from __future__ import annotations

from ninja import Router

from kuangzheng.access.http import actor_of
from kuangzheng.audit import service as audit

router = Router(tags=["审计 audit"])


@router.get("/verify", summary="Verify the audit hash chain (administrators)")
def verify_audit(request):
    actor_of(request).require_admin()
    r = audit.verify()
    return {"ok": r.ok, "checked": r.checked, "problems": r.problems}
