"""hj212's public layer in the Features API: the online-monitoring points, located at their
facility. Registered from here (hj212 sits above disclosure; disclosure never imports hj212).

Public fields, chosen with the public in mind: the point's name, its facility (id and name),
the medium (废气 / 废水) and its state now (normal, waiting, or the open alarm: silence,
exceedance, device, capture) — where a source is watched, what is measured and whether it reports
and keeps within its limits, which is what environmental information disclosure is about. Not
published: the MN and password (the device's credentials on the receiver), the reporting
interval, allowed silence and capture threshold (settings that would tell an operator how long a
gap goes unnoticed), the enterprise id (the facility names it) and points the regulator has
marked not public. Staff in scope get the MN and the last contact too, as on the hj212 pages.
"""

from __future__ import annotations

from kuangzheng.access.actor import Actor
from kuangzheng.disclosure import layers

from . import services
from .models import MEDIA, Alarm

FIELDS = {
    "medium": {"type": "choice", "zh": "介质", "en": "medium", "choices": [m for m, _ in MEDIA]},
    "facility": {"type": "int", "zh": "设施", "en": "facility"},
    "name": {"type": "str", "zh": "监测点名称", "en": "point name"},
}


def describe(actor: Actor, points: list) -> list[tuple]:
    facilities = services.facility_names(actor, [p.facility_id for p in points])
    open_alarms: dict[int, list] = {}
    for a in Alarm.objects.filter(ended_at__isnull=True, point__in=points):
        open_alarms.setdefault(a.point_id, []).append(a)
    out = []
    for p in points:
        fac = facilities.get(p.facility_id, {})
        props = {
            "name": p.name,
            "facility": p.facility_id,
            "facility_name": fac.get("name"),
            "division": p.division_code,
            "medium": p.medium,
            "state": services.state_of(p, open_alarms.get(p.pk, [])),
        }
        if services.sees_full(actor, p):
            props.update(mn=p.mn, last_contact=p.last_contact.isoformat() if p.last_contact else None)
        out.append((fac.get("lon"), fac.get("lat"), props))
    return out


LAYER = layers.PointLayer(
    "monitoring-points",
    "在线监测点",
    "Online monitoring points",
    "污染源自动监控（HJ 212）监测点的位置、介质与当前状态，公开字段",
    "Pollution-source online monitoring points (HJ 212): location, medium and current state; public fields",
    records=services.scoped,
    describe=describe,
    fields=FIELDS,
    lon="facility__lon",
    lat="facility__lat",
)


def register() -> None:
    layers.register(LAYER)
