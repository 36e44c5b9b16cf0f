"""A case closed because its holder did not rectify puts the holder on the abnormal list, and
reopening the case takes that entry off again (seed 002, M36: 「对不符合法律法规、产业政策和相关标准的
企业，不得予以行政审批，要立即限期整改；未达到整改要求的，要依法依规关停退出」 — the list is how the
applications' checks see it). Runs inside the case's transaction: the closure and the entry stand or
fall together."""

from __future__ import annotations

import datetime as dt

from kuangzheng.access.actor import Actor
from kuangzheng.credit import services as credit

LIST, REASON = "abnormal", "closed_after_failed_rectification"


def _source(case) -> str:
    return f"supervision.Case:{case.pk}"


def case_closed(actor: Actor, case, on: dt.date) -> None:
    if case.kind == "zombie" or not case.enterprise_id:  # a zombie right is cancelled, not a holder's breach
        return
    if any(e["list_key"] == LIST for e in credit.standing(case.enterprise_id, on)):
        return  # already on the list for another cause: one entry per list
    credit.enter(
        actor,
        LIST,
        case.enterprise_id,
        REASON,
        detail_zh=f"监督检查案件 {case.pk}：责令限期整改未达到要求，已依法关停",
        detail_en=f"Supervision case {case.pk}: not rectified within the period ordered; closed",
        source=_source(case),
        entered_on=on,
        today=on,
    )


def case_reopened(actor: Actor, case, on: dt.date) -> None:
    for e in credit.standing(case.enterprise_id, on) if case.enterprise_id else []:
        if e["source"] == _source(case):
            credit.remove(
                actor, e["id"], "revoked", "监督检查案件重新立案", "the supervision case was reopened", today=on
            )
