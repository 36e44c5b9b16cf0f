"""An alarm can open a supervision finding. The regulator decides: an alarm is evidence (an hour over
its limit, a silent or faulty analyser), not a verdict, so nothing is opened automatically. The
finding cites the alarm, and one alarm opens at most one finding."""

from __future__ import annotations

from kuangzheng.access.actor import Actor
from kuangzheng.errors import NotFound
from kuangzheng.supervision import enforcement

from .models import Alarm
from .services import sees_full


def open_finding(actor: Actor, alarm_pk, note: str = ""):
    """Open a supervision case on the point's enterprise from the alarm; returns the case."""
    actor.require_staff()
    alarm = Alarm.objects.select_related("point").filter(pk=alarm_pk).first() if str(alarm_pk).isdigit() else None
    if alarm is None or not sees_full(actor, alarm.point):
        raise NotFound("报警", "alarm")
    p = alarm.point
    at = alarm.at.strftime("%Y-%m-%d %H:%M")
    text = f"在线监控报警（监测点 {p.mn}，{at}）：{alarm.message_zh}\n{alarm.message_en}"
    if str(note or "").strip():
        text += f"\n{str(note).strip()}"
    return enforcement.record_finding(
        actor,
        {
            "enterprise": p.enterprise_id,
            "subject": f"facility:{p.facility_id}",
            "description": text,
            "source": f"hj212.Alarm:{alarm.pk}",
        },
    )
