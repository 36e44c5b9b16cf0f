"""Registration on approval: the licence is numbered and the registry right created or changed
through the registry services, inside the transaction of the `register` action (so a failure
leaves neither the decision nor the right half-written)."""

from __future__ import annotations

import datetime as dt

import shapely

from kuangzheng.access.actor import Actor
from kuangzheng.errors import FieldProblem, InvalidInput
from kuangzheng.registry import geometry
from kuangzheng.registry import services as registry
from kuangzheng.registry.core import specs

from .core import kinds, numbering
from .models import Application

RIGHT_FIELDS = {f.name for f in specs.RIGHT} - {"licence_no", "kind", "holder", "division", "boundary", "status"}
OBTAINED = {"agreement_transfer": "agreement", "exploration_to_mining": "application"}


def _existing(app: Application):
    right = registry.records("right").filter(licence_no=app.licence_no).first()
    if right is None:
        raise InvalidInput(
            [FieldProblem("licence_no", "所涉矿业权已不在登记簿中", "the right concerned is no longer in the register")]
        )
    return right


def _create(actor: Actor, app: Application, on: dt.date, next_serial) -> object:
    serial = next_serial(numbering.series_key(app.right_kind, app.division, on))
    licence = numbering.licence_number(app.right_kind, app.division, on, serial)
    data = {k: v for k, v in app.record.items() if k in RIGHT_FIELDS and v not in (None, "")}
    data.setdefault("obtained_by", OBTAINED.get(app.kind, "application"))
    data.update(
        licence_no=licence,
        kind=app.right_kind,
        holder=app.applicant_id,
        division=app.division,
        boundary=shapely.to_wkt(geometry.load(app.boundary)),
    )
    event = {
        "kind": "granted",
        "date": on.isoformat(),
        "document_ref": f"申请 {app.pk}",
        "reason": kinds.kind(app.kind)["zh"],
    }
    return registry.create(actor, "right", data, first_event=event)


def _event(actor: Actor, right, on: dt.date, kind: str, app: Application, **payload):
    event = {
        "kind": kind,
        "date": on.isoformat(),
        "document_ref": f"申请 {app.pk}",
        "reason": kinds.kind(app.kind)["zh"],
        **payload,
    }
    return registry.add_event(actor, right.pk, event, right.version)


def apply(actor: Actor, app: Application, on: dt.date, next_serial) -> None:
    effect = kinds.kind(app.kind)["registry"]
    rec = app.record
    if effect in ("create", "convert"):
        right = _create(actor, app, on, next_serial)
        if effect == "convert":
            _event(actor, _existing(app), on, "cancelled", app)
    else:
        right = _existing(app)
        if effect == "renew":
            right = _event(actor, right, on, "renewed", app, valid_to=rec["valid_to"])
        elif effect == "transfer":
            right = _event(actor, right, on, "transferred", app, holder=rec["transferee"])
        elif effect == "cancel":
            right = _event(actor, right, on, "cancelled", app)
        elif rec["change"] == "area_reduced":
            right = _event(actor, right, on, "reduced", app, boundary=shapely.to_wkt(geometry.load(app.boundary)))
        elif rec["change"] == "holder_name":
            holder = registry.records("enterprise").get(pk=right.holder_id)
            registry.update(actor, "enterprise", holder.pk, {"name": rec["holder_name"]}, holder.version)
        elif rec["change"] == "minerals":
            right = registry.update(actor, "right", right.pk, {"minerals": rec["minerals"]}, right.version)
        elif rec["change"] == "scale":
            right = registry.update(actor, "right", right.pk, {"designed_scale": rec["designed_scale"]}, right.version)
    Application.objects.filter(pk=app.pk).update(registered_licence_no=right.licence_no, registered_right_id=right.pk)
