"""Green mines (M54): applications per level, evaluation by the configured sheet, the three lists,
and the preference flag other domains read (``services.green_mine_level``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kuangzheng.access.actor import Actor
from kuangzheng.audit import service as audit
from kuangzheng.errors import FieldProblem, Forbidden, InvalidInput
from kuangzheng.notices import services as notices
from kuangzheng.registry import services as registry

from . import config, scope
from .core import green as rules
from .models import GreenMine


def sheet() -> dict:
    return config.config()["green_mines"]["sheet"]


def levels() -> dict:
    return config.config()["green_mines"]["levels"]


def apply(actor: Actor, data: dict, *, generated: bool = False) -> GreenMine:
    """The holder (or staff) applies for one level for a mining right."""
    if not isinstance(data, dict):
        raise InvalidInput([FieldProblem("body", "须提交对象", "send an object")])
    try:
        r = registry.scoped(actor, "right").get(pk=int(data.get("right")))
    except (registry.entity("right").model.DoesNotExist, TypeError, ValueError):
        raise InvalidInput(
            [FieldProblem("right", "矿业权不存在或不在您的权限范围内", "mining right not found or outside your scope")]
        ) from None
    if not scope.may_edit(actor, r.division_id, r.holder_id):
        raise Forbidden("只有采矿权人或辖区监管人员可申请", "Only the holder or staff in scope may apply")
    level = data.get("level")
    if level not in levels():
        raise InvalidInput(
            [
                FieldProblem(
                    "level", f"级别须为：{'、'.join(levels().values())}", f"level must be one of {', '.join(levels())}"
                )
            ]
        )
    if GreenMine.objects.filter(right_id=r.pk, level=level, state__in=("applied", "listed")).exists():
        raise InvalidInput(
            [
                FieldProblem(
                    "level", "该矿山已申请或已入选该级别", "this mine has already applied for, or holds, this level"
                )
            ]
        )
    with transaction.atomic():
        g = GreenMine.objects.create(
            right_id=r.pk,
            enterprise_id=r.holder_id,
            division_id=r.division_id,
            level=level,
            created_by=actor.username,
            is_generated=generated,
        )
        audit.record(actor, "apply", "green_mine", g.pk, None, {"right": r.pk, "level": level})
    return g


def evaluate(actor: Actor, pk, scores, today: dt.date | None = None) -> GreenMine:
    """Staff in scope score the sheet; a pass lists the mine (and puts it on the board)."""
    actor.require_staff()
    g = scope.one(scope.filter_division(actor, GreenMine.objects.all()), pk, "绿色矿山申请", "green-mine application")
    if g.state != "applied":
        raise InvalidInput([FieldProblem("state", "该申请已评价", "this application has been evaluated")])
    total, probs = rules.score(sheet(), scores)
    if probs:
        raise scope.problems(probs)
    today = today or dt.date.today()
    listed = rules.passes(sheet(), total)
    years = int(config.config()["green_mines"]["review_years"])
    with transaction.atomic():
        g.scores, g.total, g.evaluated_by = scores, total, actor.username
        g.state = "listed" if listed else "not_passed"
        if listed:
            g.listed_on = today
            g.review_due = today.replace(year=today.year + years)
        g.save()
        if listed:
            name = g.right.name
            lv = levels()[g.level]
            notices.publish(
                actor,
                kind="green_mine_list",
                source=f"restoration.GreenMine:{g.pk}",
                division=g.division_id,
                title_zh=f"{lv}绿色矿山名录：{name}",
                title_en=f"Green-mine list ({g.level}): {name}",
                body_zh=f"{g.enterprise.name}的{name}（{g.right.licence_no}）经评价得分 {total:g}，列入{lv}绿色矿山名录。",
                body_en=f"{name} ({g.right.licence_no}) of {g.enterprise.name} scored {total:g} and is listed as a {g.level}-level green mine.",
                url="/restoration/green/",
            )
        audit.record(actor, "evaluate", "green_mine", g.pk, None, {"total": total, "state": g.state})
    return g


def lists() -> dict:
    """The three public lists: listed mines by level."""
    out = {lv: [] for lv in levels()}
    for g in (
        GreenMine.objects.filter(state="listed").select_related("right", "enterprise").order_by("level", "listed_on")
    ):
        out[g.level].append(green_dict(g))
    return out


def green_dict(g: GreenMine) -> dict:
    return {
        "id": g.pk,
        "right": g.right_id,
        "mine": g.right.name,
        "licence_no": g.right.licence_no,
        "enterprise": g.enterprise_id,
        "enterprise_name": g.enterprise.name,
        "division": g.division_id,
        "level": g.level,
        "level_zh": levels()[g.level],
        "state": g.state,
        "total": g.total,
        "listed_on": g.listed_on.isoformat() if g.listed_on else None,
        "review_due": g.review_due.isoformat() if g.review_due else None,
        "is_generated": g.is_generated,
    }


def level_of(*, right=None, enterprise=None) -> str | None:
    """The highest green-mine level listed for a mining right, or for any right of an enterprise."""
    qs = GreenMine.objects.filter(state="listed")
    if right is not None:
        qs = qs.filter(right_id=getattr(right, "pk", right))
    elif enterprise is not None:
        qs = qs.filter(enterprise_id=getattr(enterprise, "pk", enterprise))
    else:
        return None
    return rules.highest(qs.values_list("level", flat=True))
