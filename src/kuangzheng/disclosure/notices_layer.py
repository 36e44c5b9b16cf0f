"""The notice board as a layer of the Features API: every public notice that has a location
(notices sit below disclosure, so disclosure reads them directly). A notice is public text, all of
it: title, kind, division, period end, the page it points to, and — a public record is never
deleted — whether and why it was withdrawn. Notices without a location are on the board and in
the Atom feed, not in this layer."""

from __future__ import annotations

from kuangzheng.access.actor import Actor
from kuangzheng.notices import services as notices

from .layers import PointLayer, register

FIELDS = {
    "kind": {"type": "str", "zh": "公告类别", "en": "kind of notice"},
    "division": {"type": "str", "zh": "行政区划", "en": "division"},
    "source": {"type": "str", "zh": "所涉记录", "en": "record concerned"},
}
SHOWN = ("kind", "kind_zh", "kind_en", "division", "source", "title_zh", "title_en", "url", "ends_on")


def _records(actor: Actor):
    return notices.board().filter(lon__isnull=False, lat__isnull=False)


def _describe(actor: Actor, rows: list) -> list[tuple]:
    out = []
    for n in rows:
        d = notices.as_dict(n)
        props = {k: d[k] for k in SHOWN}
        props.update(
            published_at=d["published_at"],
            withdrawn=d["withdrawn_at"] is not None,
            withdrawn_at=d["withdrawn_at"],
            withdraw_reason_zh=d["withdraw_reason_zh"] or None,
            withdraw_reason_en=d["withdraw_reason_en"] or None,
        )
        out.append((n.lon, n.lat, props))
    return out


LAYER = register(
    PointLayer(
        "notices",
        "公告公示",
        "Public notices",
        "各领域的公示与公告（申请公示、决定、结案、名单、预警发布、规划公布等）中有位置的部分",
        "Public notices of every domain (application notices, decisions, closures, lists, "
        "early-warning releases, plan publications) that have a location",
        records=_records,
        describe=_describe,
        fields=FIELDS,
        start="published_at",
        end="published_at",
        label="title_zh",
    )
)
