"""Shared set-up of the restoration tests: a plan on the Baotou right of enterprise a, taken to approval."""

from kuangzheng.access.actor import Actor, actor_for_user
from kuangzheng.restoration import services

ADMIN = Actor("t-admin", "admin")
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PASS = {
    "topsoil_kept": True,
    "toxic_material_used": False,
    "food_crops_on_failing_land": False,
    "land_use_standard_met": True,
}


def actor(reg, role):
    return actor_for_user(reg.users[role])


def approved_plan(reg, first=2024, last=2029):
    ent = actor(reg, "ent_a")
    p = services.create_plan(
        ent, {"right": reg.r_bt.pk, "title": "甲矿治理恢复方案", "first_year": first, "last_year": last}
    )
    services.attach(ent, p.pk, "plan.pdf", PDF)
    staff = actor(reg, "reg_bt")
    for action in ("review", "publish", "approve"):
        p = services.act(staff, p.pk, action, p.version)
    return p
