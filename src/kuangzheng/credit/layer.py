"""The credit lists as one collection of the Features API (`credit-list-entries`), registered from
here when the app is ready (credit sits above disclosure; disclosure never imports credit).

One collection for the five lists, not five: the lists share one schema, and an analyst joins the
entries to enterprises and filters by `list_key` (a queryable, as `list=` is on the REST API);
five collections would be five copies of one table. An entry concerns an enterprise, not a place
(an enterprise may run many facilities, or none), so every feature has `"geometry": null`, as
OGC API – Features allows; a `bbox` therefore matches nothing (Part 1: only features whose
geometry intersects the box are in the result).

Who sees what is credit's own rule (`services.visible` and `services.serialize`, the same as the
REST API): the public the entries in force today with their public facts; an enterprise also its
own entries in full; a regulator also every entry of its division with status and history; an
administrator everything. A removed entry leaves the public view on its removal day."""

from __future__ import annotations

from kuangzheng.access.actor import PUBLIC_ACTOR, Actor
from kuangzheng.disclosure import layers
from kuangzheng.errors import NotFound

from . import services
from .core import rules
from .models import LISTED, PROPOSED, REMOVED

PUBLIC_FIELDS = {
    "list_key": {"type": "choice", "zh": "名单", "en": "list"},
    "reason": {"type": "str", "zh": "列入事由", "en": "reason"},
    "division": {"type": "str", "zh": "所在区划", "en": "division"},
    "enterprise_id": {"type": "int", "zh": "企业", "en": "enterprise"},
    "entered_on": {"type": "date", "zh": "列入日期", "en": "entered on"},
    "last_day": {"type": "date", "zh": "期满日", "en": "last day of the term"},
}
# Staff only: outside a regulator's division it sees entries in force alone, whose status is
# "listed" for everyone, so a status filter reveals nothing it could not already read.
STAFF_FIELDS = {"status": {"type": "choice", "zh": "状态", "en": "status", "choices": [PROPOSED, LISTED, REMOVED]}}


class EntryLayer:
    id = "credit-list-entries"
    zh = "信用名单"
    en = "Credit lists"
    description_zh = (
        "异常名录、严重违法失信名单、勘查单位诚信黑名单、地质资料汇交黑名单与“三率”负面清单的在列记录（无几何）"
    )
    description_en = (
        "Entries in force on the abnormal list, the serious-dishonesty list, the exploration-unit and "
        "geological-data blacklists and the three-rate negative list (no geometry)"
    )
    start = end = "entered_on"
    label = "enterprise"
    point = False
    has_geometry = False

    def queryables(self, actor: Actor) -> dict[str, dict]:
        out = {name: {"choices": [], **spec} for name, spec in PUBLIC_FIELDS.items()}
        out["list_key"]["choices"] = list(rules.lists())
        if actor.is_admin or actor.is_regulator:
            out.update(STAFF_FIELDS)
        return out

    def page(self, actor: Actor, *, offset, limit, bbox=None, when=None, properties=None, condition=None):
        qs = layers.filtered(
            services.visible(actor), self, actor, when=when, properties=properties, condition=condition
        )
        if bbox is not None:  # no entry has a geometry, so none intersects any box
            qs = qs.none()
        return layers.paged(qs.order_by("pk"), offset, limit)

    def features(self, actor: Actor, records) -> list[dict]:
        out = []
        for e in records:
            props = services.serialize(actor, e)
            out.append({"type": "Feature", "id": props.pop("id"), "geometry": None, "properties": props})
        return out

    def get(self, actor: Actor, pk: str):
        if not pk.isdigit():
            raise NotFound("名单记录", "list entry")
        return services.get(actor, int(pk))

    def public_extent(self) -> dict:
        qs = services.visible(PUBLIC_ACTOR).filter(entered_on__isnull=False)
        first = qs.order_by("entered_on").values_list("entered_on", flat=True).first()
        last = qs.order_by("-entered_on").values_list("entered_on", flat=True).first()
        return {"bbox": None, "interval": [first.isoformat(), last.isoformat()] if first else None}


LAYER = EntryLayer()


def register() -> None:
    layers.register(LAYER)
