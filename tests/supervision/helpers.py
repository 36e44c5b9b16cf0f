"""The small registry plus an inspector pool: two Baotou inspectors (one linked to enterprise a), two
Hohhot inspectors and one of the region; and more rights in Baotou so a draw has a pool."""

import datetime as dt

from shapely.geometry import box

from kuangzheng.access.actor import actor_for_user
from kuangzheng.access.users import create_user
from kuangzheng.registry import services as registry
from kuangzheng.supervision import plans
from tests.support.registry import ADMIN, GRANT, PASSWORD, right_data

PDF = b"%PDF-1.4\n% a photo report\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def actors(reg) -> dict:
    return {role: actor_for_user(u) for role, u in reg.users.items()}


def make_sup(reg):
    """reg + inspectors + six more valid Baotou rights (eight drawable rights in 1502 and 1501)."""
    people = {
        "bt1": ("150200", [reg.a.pk]),
        "bt2": ("150200", []),
        "hh1": ("150100", []),
        "hh2": ("150100", []),
        "im1": ("150000", []),
    }
    reg.inspectors = {}
    for name, (division, links) in people.items():
        user = create_user(f"u-insp-{name}", PASSWORD, "regulator", division=division)
        reg.inspectors[name] = plans.enrol(ADMIN, user, division, links)
    reg.more = []
    for i in range(6):
        x = 110.30 + i * 0.02
        reg.more.append(
            registry.create(
                ADMIN,
                "right",
                right_data(
                    f"C15020020150001{i:02d}", reg.a.pk if i % 2 else reg.b.pk, "150200", box(x, 41.0, x + 0.01, 41.01)
                ),
                first_event=GRANT,
            )
        )
    reg.actors = actors(reg)
    reg.today = dt.date(2026, 11, 24)
    return reg
