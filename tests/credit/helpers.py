"""Shared steps for the credit tests: actors of the small registry and a default entry."""

import datetime as dt

from kuangzheng.access.actor import actor_for_user
from kuangzheng.credit import services

D = dt.date


def actors(reg) -> dict:
    return {role: actor_for_user(u) for role, u in reg.users.items()}


def enter(reg, list_key="abnormal", reason="unreachable", role="reg_bt", enterprise=None, **kw):
    a = actors(reg)[role]
    kw.setdefault("detail_zh", "经核查，登记住所无法联系")
    return services.enter(a, list_key, (enterprise or reg.a).pk, reason, **kw)
