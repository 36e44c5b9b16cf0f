"""The portal pages added around sweep results: one stored verdict in full (by role and scope), the
what-if check from an uploaded file (and its errors), and what-changed pages in both languages."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kuangzheng.compliance import views
from kuangzheng.compliance.models import SweepResult
from kuangzheng.policy.catalogue import load_catalogue
from kuangzheng.registry import services as registry

from .test_api_roles import ROLES, concentrator_near_key_area, runs  # noqa: F401  (fixture)
from .test_sweep import ADMIN

# the failing aluminium line is in Baotou and belongs to enterprise a; the zinc smelter is in Hohhot (b)
SEES_AL = {"admin": 200, "reg_im": 200, "reg_bt": 200, "reg_qh": 404, "ent_a": 200, "public": 403}
SEES_B = {"admin": 200, "reg_im": 200, "reg_bt": 404, "reg_qh": 404, "ent_a": 404, "public": 403}


@pytest.mark.parametrize("role", ROLES)
def test_one_verdict_page_by_role(role, runs, login):  # noqa: F811
    c = login(role, runs)
    al = SweepResult.objects.get(run=runs.run1, rule="al.cell_current", subject_id=runs.al.pk)
    b = SweepResult.objects.filter(run=runs.run1, subject_kind="facility", subject_id=runs.fac_b.pk).first()
    page = c.get(f"/compliance/runs/{runs.run1.pk}/results/{al.pk}/")
    assert page.status_code == SEES_AL[role]
    if page.status_code == 200:
        text = page.content.decode()
        assert "不通过" in text and "380" in text
        assert load_catalogue().get("000.al.new.cell_current").quote in text  # the seed's own words
        assert (
            f"/compliance/runs/{runs.run1.pk}/results/{al.pk}/"
            in c.get(f"/compliance/runs/{runs.run1.pk}/?rule=al.cell_current").content.decode()
        )  # linked from the list
    assert c.get(f"/compliance/runs/{runs.run1.pk}/results/{b.pk}/").status_code == SEES_B[role]
    # a row of another run is not found under this one
    assert c.get(f"/compliance/runs/{runs.run2.pk}/results/{al.pk}/").status_code in (403, 404)


def _upload(c, text: bytes, name="a.json"):
    return c.post("/compliance/check/", {"document": "", "file": SimpleUploadedFile(name, text, "application/json")})


def test_what_if_from_an_uploaded_file(runs, login):  # noqa: F811
    c = login("ent_a", runs)
    ok = _upload(c, json.dumps(concentrator_near_key_area(), ensure_ascii=False).encode("utf-8"))
    assert ok.status_code == 200 and "concentrator.min_capacity" in ok.content.decode()
    bad = _upload(c, '{"subject": "facility"}'.encode("gbk") + "，".encode("gbk"))
    assert bad.status_code == 400 and "UTF-8" in bad.content.decode()
    big = _upload(c, b" " * (views.MAX_UPLOAD + 1))
    assert big.status_code == 400 and "文件过大" in big.content.decode()
    wrong = _upload(c, b'{"subject": "facility", "record": {"kind": "al_line"}}')
    assert wrong.status_code == 400 and "record.division" in wrong.content.decode()


def test_what_changed_in_both_languages(runs, login, client):  # noqa: F811
    registry.update(ADMIN, "facility", runs.al.pk, {"cell_current_ka": 400}, runs.al.version)
    from kuangzheng.compliance import services

    from .helpers import AS_OF

    third = services.run_sweep(ADMIN, AS_OF)
    c = login("admin", runs)
    zh = c.get(f"/compliance/runs/{runs.run1.pk}/diff/{third.pk}/").content.decode()
    assert 'class="change-row"' in zh and "不通过" in zh and "通过" in zh and "al.cell_current" in zh
    c.cookies["django_language"] = "en"
    en = c.get(f"/compliance/runs/{runs.run1.pk}/diff/{third.pk}/").content.decode()
    assert ">fail<" in en and ">pass<" in en and "不通过" not in en


def test_the_check_page_links_to_a_field_reference_on_the_portal(reg, client):
    """The public never gets a pointer to a repository file: the fields are shown on a help page."""
    page = client.get("/compliance/check/").content.decode()
    assert "docs/check-input.md" not in page and "/compliance/check/help/" in page
    help_page = client.get("/compliance/check/help/")
    assert help_page.status_code == 200
    text = help_page.content.decode()
    assert "docs/" not in text
    for field in ("cell_current_ka", "obtained_by", "corner_points", "price_yuan", "replacement_plan.retired_capacity"):
        assert f"<code>{field}</code>" in text
    assert "槽电流" in text and "FeatureCollection" in text
