"""The portal pages: the public list shows current entries only; staff see proposals and history
and get the forms; the regulator's form enters a holder; the holder files its annual information."""

import pytest

from kuangzheng.credit.models import AnnualFiling, ListEntry

from .helpers import D, enter

ROLES = ["admin", "reg_im", "reg_bt", "reg_qh", "ent_a", "public"]


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(role, reg, login):
    now = enter(reg, "geodata_blacklist", "data_not_submitted", detail_zh="<b>未汇交</b>")
    c = login(role, reg)
    r = c.get("/credit/")
    html = r.content.decode()
    assert r.status_code == 200 and f'data-id="{now.pk}"' in html
    assert ('id="enter-form"' in html) == (role in ("admin", "reg_im", "reg_bt", "reg_qh"))
    d = c.get(f"/credit/entries/{now.pk}/")
    assert d.status_code == 200 and "&lt;b&gt;未汇交&lt;/b&gt;" in d.content.decode()  # escaped
    page = d.content.decode()
    assert ('id="remove-form"' in page) == (role in ("admin", "reg_im", "reg_bt"))
    assert ('id="removal-request-form"' in page) == (role == "ent_a")
    f = c.get("/credit/filings/")
    assert f.status_code == 200 and ('id="filing-form"' in f.content.decode()) == (role == "ent_a")


def test_removed_entries_leave_the_public_page(reg, login):
    from kuangzheng.credit import services

    from .helpers import actors

    e = enter(reg, entered_on=D(2026, 1, 5), today=D(2026, 1, 5))
    services.remove(actors(reg)["reg_bt"], e.pk, "repair", "已补报", today=D(2026, 2, 1))
    c = login("public", reg)
    assert f'data-id="{e.pk}"' not in c.get("/credit/").content.decode()
    assert c.get(f"/credit/entries/{e.pk}/").status_code == 404
    staff = login("reg_bt", reg).get("/credit/").content.decode()
    assert f'class="removed-row" data-id="{e.pk}"' in staff


def test_regulator_enters_through_the_form_and_errors_are_shown(reg, login):
    c = login("reg_bt", reg)
    r = c.post("/credit/enter/", {"list": "abnormal", "enterprise": reg.a.pk, "reason": "unreachable", "detail_zh": ""})
    assert r.status_code == 302 and not ListEntry.objects.exists()
    assert "须写明列入的事实与理由" in c.get("/credit/").content.decode()
    r = c.post(
        "/credit/enter/", {"list": "abnormal", "enterprise": reg.a.pk, "reason": "unreachable", "detail_zh": "无法联系"}
    )
    e = ListEntry.objects.get()
    assert r["Location"] == f"/credit/entries/{e.pk}/" and e.status == "listed"
    r = c.post(f"/credit/entries/{e.pk}/remove/", {"kind": "repair", "reason_zh": "已联系", "version": e.version})
    e.refresh_from_db()
    assert e.status == "removed"


def test_enterprise_files_through_the_form(reg, login):
    c = login("ent_a", reg)
    data = {
        "info_year": "2025",
        "contact_phone": "1",
        "address": "包头",
        "exploration_investment": "3",
        "ore_mined": "0",
    }
    c.post("/credit/filings/file/", data)
    assert AnnualFiling.objects.get().info_year == 2025
    assert 'class="filing-row"' in c.get("/credit/filings/").content.decode()
