"""Supervision's public notices (M36 公告, M43 公示, 一公开 of the draw): plain text from templates, on
the one notice board (kuangzheng.notices). Every text is zh + en; the board escapes it where shown."""

from __future__ import annotations

from dataclasses import dataclass

from kuangzheng.access.actor import Actor
from kuangzheng.notices import services as notices


@dataclass(frozen=True)
class Text:
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str


def plan_text(plan) -> Text:
    a = plan.announced
    return Text(
        f"双随机抽查计划公布：{plan.title}",
        f"Random inspection plan published: {plan.title}",
        f"检查对象库 {a['subjects']} 个，SHA-256 {a['subjects_sha256']}；执法人员库 {a['inspectors']} 人，"
        f"SHA-256 {a['inspectors_sha256']}。随机种子来源：{plan.seed_source}。抽取结果公布后任何人可复核。",
        f"Subject pool of {a['subjects']}, SHA-256 {a['subjects_sha256']}; inspector pool of {a['inspectors']}, "
        f"SHA-256 {a['inspectors_sha256']}. Seed source: {plan.seed_source}. Anyone can re-draw from the result.",
    )


def draw_text(plan) -> Text:
    n = len(plan.result["drawn"])
    return Text(
        f"双随机抽查结果：{plan.title}",
        f"Random inspection draw: {plan.title}",
        f"按公布的种子来源取得种子「{plan.seed}」，从 {len(plan.subjects)} 个对象中抽取 {n} 个，结果文件可下载复核。",
        f"Seed '{plan.seed}' from the announced source; {n} of {len(plan.subjects)} subjects drawn. "
        "The result file can be downloaded and verified.",
    )


def closure_text(case) -> Text:
    what = case.subject_name or case.enterprise_name
    if case.kind == "zombie":
        return Text(
            f"僵尸探矿权注销公告：{what}",
            f"Cancellation of a zombie exploration right: {what}",
            f"探矿权「{what}」（{case.enterprise_name}）既不申请延续、也不申请注销，经清理依法注销。",
            f"The exploration right '{what}' ({case.enterprise_name}) was neither renewed nor cancelled by its "
            "holder and has been cancelled after clean-up.",
        )
    return Text(
        f"关闭/取缔公告：{case.enterprise_name}",
        f"Closure notice: {case.enterprise_name}",
        f"{case.enterprise_name}（{what}）经责令限期整改，未达到整改要求，依法关停退出，并须做好平整和环境恢复。"
        "特此公告，接受社会监督。",
        f"{case.enterprise_name} ({what}) was ordered to rectify within a time limit and did not meet the "
        "requirements; it is closed down under the law and must level and restore the site. "
        "Published for public supervision.",
    )


def plan_published(actor: Actor, plan) -> None:
    _publish(actor, "supervision_plan", f"supervision.Plan:{plan.pk}", plan.division, plan_text(plan), plan)


def plan_drawn(actor: Actor, plan) -> None:
    _publish(actor, "supervision_draw", f"supervision.Plan:{plan.pk}", plan.division, draw_text(plan), plan)


def case_closed(actor: Actor, case) -> None:
    kind = "supervision_zombie_cancellation" if case.kind == "zombie" else "supervision_closure"
    _publish(actor, kind, f"supervision.Case:{case.pk}", case.division, closure_text(case), case)


def case_reopened(actor: Actor, case) -> None:
    _withdraw(actor, f"supervision.Case:{case.pk}")


def _publish(actor: Actor, kind: str, source: str, division: str, text: Text, obj) -> None:
    url = f"/supervision/plans/{obj.pk}/" if source.startswith("supervision.Plan") else f"/supervision/cases/{obj.pk}/"
    notices.publish(
        actor,
        kind=kind,
        source=source,
        division=division,
        title_zh=text.title_zh,
        title_en=text.title_en,
        body_zh=text.body_zh,
        body_en=text.body_en,
        url=url,
    )


def _withdraw(actor: Actor, source: str) -> None:
    if notices.current(source):
        notices.withdraw(actor, source=source, reason_zh="案件重新立案", reason_en="the case was reopened")
