"""The applications' public notices on the board (M74, seed 003: 公示 before approval, 公告 after):
publishing a notice puts it up for its period, registering announces the licence, and refusing an
application in notice withdraws its notice with the reason."""

from __future__ import annotations

import shapely

from kuangzheng.access.actor import Actor
from kuangzheng.notices import services as notices

from .core import kinds
from .models import Application

ACTIONS = ("publish", "register", "refuse")


def source(app: Application) -> str:
    return f"applications.Application:{app.pk}"


def _where(app: Application) -> tuple[str, tuple[float, float] | None]:
    division = app.division or app.competent_division
    if app.boundary is None:
        return division, None
    p = shapely.from_wkb(bytes(app.boundary)).representative_point()
    return division, (round(p.x, 6), round(p.y, 6))


def on_action(actor: Actor, app: Application, action: str, reason: str = "") -> None:
    """Called inside the action's transaction, so the notice exists exactly when the action does."""
    k = kinds.kind(app.kind)
    name = app.record.get("name") or f"#{app.pk}"
    holder = app.applicant.name
    division, location = _where(app)
    if action == "publish":
        notices.publish(
            actor,
            kind="application_notice",
            source=source(app),
            division=division,
            title_zh=f"{k['zh']}公示：{name}",
            title_en=f"Notice of {k['en']}: {name}",
            body_zh=f"申请人：{holder}\n申请类型：{k['zh']}\n面积：{app.area_km2 or '—'} 平方千米\n"
            f"公示期至 {app.notice_until}。公示期内任何单位和个人均可提出异议。",
            body_en=f"Applicant: {holder}\nKind: {k['en']}\nArea: {app.area_km2 or '—'} km²\n"
            f"In notice until {app.notice_until}. Anyone may object while the notice runs.",
            url="/notices/",
            ends_on=app.notice_until,
            location=location,
        )
    elif action == "register":
        notices.publish(
            actor,
            kind="application_registered",
            source=source(app),
            division=division,
            title_zh=f"登记发证公告：{name}（{app.registered_licence_no}）",
            title_en=f"Licence registered: {name} ({app.registered_licence_no})",
            body_zh=f"权利人：{holder}\n许可证号：{app.registered_licence_no}\n类型：{k['zh']}",
            body_en=f"Holder: {holder}\nLicence: {app.registered_licence_no}\nKind: {k['en']}",
            location=location,
        )
    elif action == "refuse" and notices.current(source(app)):
        notices.withdraw(actor, source=source(app), reason_zh=f"不予许可：{reason}", reason_en=f"Refused: {reason}")
