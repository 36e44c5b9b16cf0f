"""Two people edit the same record: the second save is refused, not silently applied."""

import pytest

from kuangzheng.errors import StaleVersion
from kuangzheng.registry import services
from kuangzheng.registry.models import Enterprise
from tests.support.registry import ADMIN


def test_second_save_with_the_old_version_is_refused(reg):
    loaded = reg.a.version  # both editors open the record at this version
    services.update(ADMIN, "enterprise", reg.a.pk, {"address": "第一人的地址"}, loaded)
    with pytest.raises(StaleVersion) as exc:
        services.update(ADMIN, "enterprise", reg.a.pk, {"legal_representative": "第二人"}, loaded)
    assert "已被他人修改" in exc.value.zh and "changed by someone else" in exc.value.en
    a = Enterprise.objects.get(pk=reg.a.pk)
    assert a.address == "第一人的地址" and a.legal_representative == "张三" and a.version == loaded + 1


def test_api_returns_409_with_message(reg, login):
    c = login("reg_bt", reg)
    v = reg.r_bt.version
    ok = c.patch(f"/api/v1/rights/{reg.r_bt.pk}", {"name": "甲", "version": v}, content_type="application/json")
    assert ok.status_code == 200
    stale = c.patch(f"/api/v1/rights/{reg.r_bt.pk}", {"name": "乙", "version": v}, content_type="application/json")
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["message_zh"]
    missing = c.patch(f"/api/v1/rights/{reg.r_bt.pk}", {"name": "乙"}, content_type="application/json")
    assert missing.status_code == 400 and missing.json()["problems"][0]["field"] == "version"


def test_life_cycle_events_also_check_the_version(reg, login):
    c = login("admin", reg)
    v = reg.r_bt.version
    assert (
        c.post(
            f"/api/v1/rights/{reg.r_bt.pk}/events",
            {"kind": "suspended", "date": "2025-01-01", "version": v},
            content_type="application/json",
        ).status_code
        == 200
    )
    r = c.post(
        f"/api/v1/rights/{reg.r_bt.pk}/events",
        {"kind": "cancelled", "date": "2025-02-01", "version": v},
        content_type="application/json",
    )
    assert r.status_code == 409
    assert reg.r_bt.events.count() == 2  # the refused event was not stored


def test_portal_edit_form_refuses_stale_save(reg, login):
    c = login("admin", reg)
    form_version = reg.a.version
    services.update(ADMIN, "enterprise", reg.a.pk, {"address": "别人先改"}, form_version)
    r = c.post(
        f"/enterprises/{reg.a.pk}/edit/",
        {
            "version": form_version,
            "name": reg.a.name,
            "credit_code": reg.a.credit_code,
            "division": "150200",
            "ownership": "private",
            "legal_representative": "李四",
            "address": "包头市昆都仑区",
        },
    )
    assert r.status_code == 200 and "已被他人修改" in r.content.decode()
    assert Enterprise.objects.get(pk=reg.a.pk).address == "别人先改"
