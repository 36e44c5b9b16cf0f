"""The audit trail's REST routes."""

from __future__ import annotations

from dataclasses import asdict

from ninja import Router

from kuangzheng.access.http import actor_of
from kuangzheng.audit import anchor
from kuangzheng.audit import service as audit
from kuangzheng.errors import NotFound

router = Router(tags=["审计 audit"])


@router.get("/verify", summary="Verify the audit hash chain, its checkpoints and the records (administrators)")
def verify_audit(request):
    actor_of(request).require_admin()
    r = audit.verify()
    return {
        "ok": r.ok,
        "checked": r.checked,
        "checkpoints": r.checkpoints,
        "records": r.records,
        "problems": r.problems,
        "warnings": r.warnings,
    }


@router.get(
    "/checkpoint",
    summary="The latest signed checkpoint of the audit chain (public)",
    description=(
        "seq and hash of the chain's head at `at`, signed with Ed25519 over "
        "`kuangzheng-audit-checkpoint/1\\n{seq}\\n{hash}\\n{at}`; `public_key` (base64, raw) verifies it. "
        "Keep copies: a later chain that does not contain this hash at this seq was rewritten."
    ),
)
def latest_checkpoint(request):
    cp = anchor.latest()
    if cp is None:
        raise NotFound("审计检查点", "audit checkpoint")
    return {**asdict(cp), **(anchor.public_key_info() or {})}
