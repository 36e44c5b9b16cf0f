"""The automatic checks at filing, recorded on the application: every applicable compliance rule
(through the compliance services' what-if check) and 空间查重 — overlaps with valid rights, with
pending applications (the one filed first has priority) and with zones, each with its overlap area
on the CGCS2000 ellipsoid — and the holder's standing on the credit lists (credit.services). The
registry is read through its services only."""

from __future__ import annotations

import datetime as dt

import shapely

from kuangzheng.access.actor import SYSTEM_ACTOR, Actor
from kuangzheng.compliance import services as compliance
from kuangzheng.compliance import whatif
from kuangzheng.credit import services as credit
from kuangzheng.errors import InvalidInput
from kuangzheng.geo import GeoError, to_lonlat
from kuangzheng.geo import parse as parse_corners
from kuangzheng.geo.area import official_area_lonlat_km2
from kuangzheng.registry import geometry
from kuangzheng.registry import services as registry
from kuangzheng.restoration import services as restoration

from .models import Application

LIVE_RIGHTS = ("valid", "suspended")
PENDING = ("filed", "more_requested", "accepted", "under_review", "review_more_requested", "approved", "in_notice")
BLOCKING_ZONES = {"prohibited_mining_area", "nature_reserve"}
WARNING_ZONES = {"restricted_mining_area"}


def parcel(corner_points: str, boundary):
    """(geometry, problem) from corner-point text (the field's layouts) or a GeoJSON/WKT boundary."""
    from kuangzheng.errors import FieldProblem

    if corner_points:
        try:
            return to_lonlat(parse_corners(str(corner_points))), None
        except (GeoError, ValueError, TypeError, IndexError) as exc:
            return None, FieldProblem(
                "corner_points", f"拐点坐标无法解析：{exc}", f"the corner points cannot be read: {exc}"
            )
    return geometry.parse(boundary, "boundary")


def area_km2(geom) -> float:
    """The official area on the CGCS2000 ellipsoid, km² to 4 decimals (as the registry stores it)."""
    return round(float(official_area_lonlat_km2(geom)), 4)


def _overlap(geom, other) -> float | None:
    if other is None or not geom.intersects(other) or geom.touches(other):
        return None
    part = shapely.intersection(geom, other)
    if part.is_empty or part.area == 0:
        return None
    area = area_km2(part)
    return area if area > 0 else None  # below the register's precision (0.0001 km²): edges that meet


def compliance_verdicts(actor: Actor, app: Application, as_of: dt.date) -> list[dict]:
    """Every applicable rule's verdict on the right the application would create (kinds that create one)."""
    if not app.right_kind:
        return []
    known = set(whatif.record_fields("right"))
    rec = {k: v for k, v in app.record.items() if k in known}
    rec.update(kind=app.right_kind, holder=app.applicant_id, division=app.division)
    rec.pop("boundary", None)
    rec.pop("corner_points", None)
    if app.boundary:
        rec["boundary"] = shapely.to_wkt(geometry.load(app.boundary))
    doc = {"subject": "right", "as_of": as_of.isoformat(), "record": rec}
    if app.context:
        doc["context"] = app.context
    return compliance.check_whatif(actor, doc)["verdicts"]


def spatial(app: Application) -> dict:
    """Overlaps of the parcel with live rights, pending applications and zones."""
    geom = geometry.load(app.boundary)
    out = {"rights": [], "applications": [], "zones": []}
    if geom is None:
        return out
    x0, y0, x1, y1 = geom.bounds
    bbox = f"{x0},{y0},{x1},{y1}"
    # unordered (the rows are sorted by overlap below): an ORDER BY makes SQLite walk every row
    for r in registry.search(SYSTEM_ACTOR, "right", bbox=bbox).filter(status__in=LIVE_RIGHTS).order_by():
        if r.licence_no == app.licence_no:
            continue  # the right this application is about
        area = _overlap(geom, geometry.load(r.boundary))
        if area is not None:
            out["rights"].append(
                {
                    "key": f"right:{r.licence_no}",
                    "licence_no": r.licence_no,
                    "name": r.name,
                    "holder": r.holder.name,
                    "overlap_km2": area,
                    "blocking": True,
                }
            )
    others = (
        Application.objects.filter(
            status__in=PENDING, max_lon__gte=x0, min_lon__lte=x1, max_lat__gte=y0, min_lat__lte=y1
        )
        .exclude(pk=app.pk)
        .exclude(filed_at=None)
    )
    for o in others:
        area = _overlap(geom, geometry.load(o.boundary))
        if area is not None:
            earlier = app.filed_at is None or (o.filed_at, o.pk) < (app.filed_at, app.pk)
            out["applications"].append(
                {
                    "key": f"application:{o.pk}",
                    "id": o.pk,
                    "kind": o.kind,
                    "filed_at": o.filed_at.isoformat(),
                    "overlap_km2": area,
                    "priority": "other" if earlier else "this",
                    "blocking": earlier,
                }
            )
    for z in registry.search(SYSTEM_ACTOR, "zone", bbox=bbox).order_by():
        area = _overlap(geom, geometry.load(z.boundary))
        if area is not None:
            out["zones"].append(
                {
                    "key": f"zone:{z.code}",
                    "code": z.code,
                    "name": z.name,
                    "kind": z.kind,
                    "overlap_km2": area,
                    "blocking": z.kind in BLOCKING_ZONES,
                    "warning": z.kind in WARNING_ZONES,
                }
            )
    for rows in out.values():
        rows.sort(key=lambda r: -r["overlap_km2"])
    return out


def run(actor: Actor, app: Application, as_of: dt.date, *, draft: bool = False) -> dict:
    """All automatic checks; `blocking` lists the keys a reviewer must override with a reason. On a
    `draft` (or material being corrected) a record the compliance check cannot read yet is no
    refusal: its problems are listed under `incomplete`, and filing refuses them."""
    incomplete = []
    try:
        verdicts = compliance_verdicts(actor, app, as_of)
    except InvalidInput as exc:
        if not draft:
            raise
        verdicts, incomplete = [], [{"field": p.field, "zh": p.zh, "en": p.en} for p in exc.problems]
    conflicts = spatial(app)
    blocking = [f"rule:{v['rule']}" for v in verdicts if v["outcome"] == "fail"]
    blocking += [c["key"] for rows in conflicts.values() for c in rows if c["blocking"]]
    standing = credit.application_verdicts(app.applicant_id, app.kind, as_of)  # the holder's credit lists
    blocking += standing["blocking"]
    return {
        "as_of": as_of.isoformat(),
        "verdicts": verdicts,
        "conflicts": conflicts,
        "blocking": blocking,
        "incomplete": incomplete,
        # M46: restoration plan, bond/fund deposit, responsibility letter, reclamation (for the reviewer)
        "restoration": restoration.licence_preconditions(licence_no=app.licence_no)
        if app.right_kind == "mining" or app.licence_no
        else [],
        "standing": standing,
    }
