"""Shared steps for the applications tests: actors of the small registry, documents, a filed
application of enterprise a in Baotou."""

from shapely.geometry import box

from kuangzheng.access.actor import actor_for_user
from kuangzheng.applications import services
from kuangzheng.applications.core import kinds
from kuangzheng.geo import from_lonlat, write
from tests.support.filing import mining_record

PDF = b"%PDF-1.4\n% a test document\n"
# overlaps r_bt (box 110.00–110.05, 41.60–41.63) by 0.01° x 0.03°
OVERLAPPING = box(110.04, 41.60, 110.08, 41.63)
CLEAR = box(110.051, 41.60, 110.08, 41.63)  # 80 m east of r_bt
FAR = box(110.085, 41.60, 110.095, 41.63)  # clear of r_bt and of both boxes above


def corners(geom) -> str:
    return write(from_lonlat(geom, decimals=4)).decode("utf-8")


def actors(reg) -> dict:
    return {role: actor_for_user(u) for role, u in reg.users.items()}


def draft(reg, geom=OVERLAPPING, kind="new_mining", **kw):
    ent = actors(reg)["ent_a"]
    data = {"kind": kind, "record": mining_record(), "corner_points": corners(geom), **kw}
    app = services.create(ent, data)
    for item in kinds.kind(kind)["documents"]:
        services.attach(ent, app.pk, item, f"{item}.pdf", PDF)
    return services.get(ent, app.pk)


def filed(reg, geom=OVERLAPPING, **kw):
    app = draft(reg, geom, **kw)
    return services.act(actors(reg)["ent_a"], app.pk, "file", {"version": app.version})


def review_roles(app) -> list[str]:
    """The review tasks the application got when its review started."""
    return list(app.tasks.order_by("pk").values_list("role", flat=True))
