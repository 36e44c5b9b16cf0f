"""The public notices of this domain (社会公示 of M45), as text built from the record: the plan's
notice period on the public notice board."""

from __future__ import annotations

from kuangzheng.access.actor import Actor
from kuangzheng.notices import services as notices

PLAN_KIND = "restoration_plan_notice"


def plan_text(p) -> dict:
    ends = p.notice_ends_on.isoformat() if p.notice_ends_on else ""
    demo_zh, demo_en = ("（演示生成数据）", " (generated demo record)") if p.is_generated else ("", "")
    return {
        "title_zh": f"矿山地质环境保护与治理恢复方案公示：{p.right.name}{demo_zh}",
        "title_en": f"Public notice of the mine geo-environment restoration plan: {p.right.name}{demo_en}",
        "body_zh": (
            f"采矿权 {p.right.licence_no}（{p.enterprise.name}）的《{p.title}》已与开发利用方案同步审查，"
            f"现予公示，方案期 {p.first_year}–{p.last_year} 年，按三年一期分期治理。"
            + (f"公示期至 {ends}。" if ends else "")
        ),
        "body_en": (
            f"The restoration plan “{p.title}” of mining right {p.right.licence_no} ({p.enterprise.name}) has been "
            f"reviewed together with the development plan and is published for comment; it covers "
            f"{p.first_year}–{p.last_year} in phases." + (f" Comments until {ends}." if ends else "")
        ),
    }


def source_of(p) -> str:
    return f"restoration.Plan:{p.pk}"


def _centre(right):
    if right.min_lon is None:
        return None
    return ((right.min_lon + right.max_lon) / 2, (right.min_lat + right.max_lat) / 2)


def publish_plan(actor: Actor, p):
    """The plan's notice on the board, inside the caller's transaction, for its notice period."""
    return notices.publish(
        actor,
        kind=PLAN_KIND,
        source=source_of(p),
        division=p.division_id,
        url=f"/restoration/plans/{p.pk}/",
        ends_on=p.notice_ends_on,
        location=_centre(p.right),
        **plan_text(p),
    )
