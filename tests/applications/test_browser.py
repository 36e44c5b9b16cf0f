"""Done when, in chromium against a real `kz serve` on the demo data, in each language: an enterprise
drafts a new mining right whose parcel overlaps another right; the check shows the conflict and its
area before filing; the enterprise corrects the corner points and files; the regulator asks for
补正, the enterprise corrects a field, adds a document and supplies; the regulator accepts, asks for
more material during review, the enterprise supplies it, the reviewers give their opinions, the
regulator approves and publishes; the notice appears on the public portal and takes an objection,
which the regulator answers; after the notice period the licence is registered, numbered, visible on
the map and in the right's history."""

import json
import subprocess
import sys
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from shapely.geometry import box, shape

from kuangzheng.geo import from_lonlat, write
from tests.support.browser import sign_in, wait, wait_for_reload

pytestmark = pytest.mark.browser
ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def _get(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return json.loads(r.read())


def _corners(geom) -> str:
    return write(from_lonlat(geom, decimals=5)).decode("utf-8")


def _submit(b, form_id_or_el):
    el = b.find_element(By.ID, form_id_or_el) if isinstance(form_id_or_el, str) else form_id_or_el
    button = el.find_element(By.CSS_SELECTOR, "button[type=submit]")
    button.click()
    wait_for_reload(b, button)


def _act(b, base, pk, action, reason="", notice_days=""):
    b.get(f"{base}/applications/{pk}/")
    form = b.find_element(By.ID, "act-form")
    Select(form.find_element(By.NAME, "action")).select_by_value(action)
    if reason:
        form.find_element(By.NAME, "reason").send_keys(reason)
    if notice_days:
        form.find_element(By.NAME, "notice_days").send_keys(notice_days)
    _submit(b, form)
    return b.find_element(By.ID, "application-status").get_attribute("data-status")


def _set_textarea(b, el, text):
    b.execute_script("arguments[0].value = arguments[1];", el, text)


NOTICE_UNTIL = {"zh": "公示至", "en": "In notice until"}


def _sign_in(b, base, user, lang):
    """Signed in as a demo user (None: the public) in the given language (the portal's cookie)."""
    if user:
        sign_in(b, base, user)
    else:
        b.delete_all_cookies()
        b.get(base + "/login/")
    if lang == "en":
        b.add_cookie({"name": "django_language", "value": "en", "path": "/"})


def _conflict(b, licence_no):
    return b.find_elements(By.CSS_SELECTOR, f'#conflicts tr[data-key="right:{licence_no}"]')


def _upload(b, item, path):
    form = b.find_element(By.ID, "attach-form")
    Select(form.find_element(By.NAME, "item")).select_by_value(item)
    form.find_element(By.NAME, "file").send_keys(str(path))
    _submit(b, form)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_application_from_filing_to_registered_licence(portal_server, portal_env, browser, tmp_path, lang):
    base, b = portal_server, browser
    rights = _get(base, "/api/v1/rights?division=150200&status=valid&size=200")["results"]
    # each language's run takes another right, so their parcels stay apart
    with_boundary = (r for r in rights if _get(base, f"/api/v1/rights/{r['id']}").get("boundary"))
    other = [next(with_boundary) for _ in range(1 if lang == "zh" else 6)][-1]
    geom = shape(_get(base, f"/api/v1/rights/{other['id']}")["boundary"])
    x0, y0, x1, y1 = geom.bounds
    w = x1 - x0
    overlapping = box(x0 + w / 2, y0, x1 + w / 2, y1)
    corrected = box(x1 + 2 * w, y0, x1 + 3 * w, y1)  # shifted clear of that right
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% a test document\n")
    name = f"浏览器测试铜矿{lang}"

    # the enterprise drafts; the check shows the conflict and its area before filing
    _sign_in(b, base, "qiye", lang)
    b.get(base + "/applications/new/")
    for field, value in {
        "name": name,
        "division": "150200",
        "minerals": "铜",
        "designed_scale": "30",
        "elevation_top": "1200",
        "elevation_bottom": "800",
    }.items():
        b.find_element(By.ID, f"f-{field}").send_keys(value)
    for field, value in {"valid_from": "2026-01-01", "valid_to": "2036-01-01"}.items():
        b.execute_script("arguments[0].value = arguments[1];", b.find_element(By.ID, f"f-{field}"), value)
    Select(b.find_element(By.ID, "f-kind")).select_by_value("new_mining")
    _set_textarea(b, b.find_element(By.ID, "f-corner_points"), _corners(overlapping))
    _submit(b, "new-form")
    pk = int(b.current_url.rstrip("/").split("/")[-1])
    assert b.find_element(By.ID, "application-status").get_attribute("data-status") == "draft"
    (row,) = _conflict(b, other["licence_no"])
    assert float(row.find_element(By.CLASS_NAME, "overlap").text) > 0
    # the map draws the parcel and that right (and any other conflict the enterprise may see)
    wait(b, lambda d: int(d.find_element(By.ID, "application-map").get_attribute("data-features") or 0) >= 2)

    # the enterprise corrects the corner points: the checks run again, the conflict is gone
    _set_textarea(b, b.find_element(By.ID, "e-corner_points"), _corners(corrected))
    _submit(b, "edit-form")
    assert not _conflict(b, other["licence_no"])
    for item in ("application_form", "development_plan", "restoration_plan"):
        _upload(b, item, pdf)
    assert _act(b, base, pk, "file") == "filed"
    assert not _conflict(b, other["licence_no"])

    # 补正 before acceptance: the enterprise corrects a field, adds a document and supplies
    _sign_in(b, base, "nmg", lang)
    assert _act(b, base, pk, "request_more", reason="请更正矿山名称并补充开发利用方案") == "more_requested"
    _sign_in(b, base, "qiye", lang)
    b.get(f"{base}/applications/{pk}/")
    field = b.find_element(By.ID, "e-name")
    field.clear()
    field.send_keys(name + "（更正）")
    _submit(b, "edit-form")
    assert b.find_element(By.ID, "e-name").get_attribute("value") == name + "（更正）"
    _upload(b, "development_plan", pdf)
    assert len(b.find_elements(By.CSS_SELECTOR, "#attachments li")) == 4
    assert _act(b, base, pk, "supply") == "filed"

    # acceptance, 补正 during review, review, decision, notice
    _sign_in(b, base, "nmg", lang)
    assert _act(b, base, pk, "accept") == "accepted"
    assert _act(b, base, pk, "start_review") == "under_review"
    assert _act(b, base, pk, "request_more_in_review", reason="请补充储量核实报告") == "review_more_requested"
    _sign_in(b, base, "qiye", lang)
    b.get(f"{base}/applications/{pk}/")
    _upload(b, "application_form", pdf)
    assert _act(b, base, pk, "supply_in_review") == "under_review"
    _sign_in(b, base, "nmg", lang)
    b.get(f"{base}/applications/{pk}/")
    for kind in ("override-form", "review-form"):  # whatever else still blocks, overridden with a reason
        while b.find_elements(By.CLASS_NAME, kind):
            form = b.find_elements(By.CLASS_NAME, kind)[0]
            form.find_element(By.CSS_SELECTOR, "input[name=reason], input[name=opinion]").send_keys("经审查同意")
            _submit(b, form)
    assert _act(b, base, pk, "approve", reason="审查通过") == "approved"
    assert _act(b, base, pk, "publish", notice_days="1") == "in_notice"

    # the public: the notice takes an objection
    _sign_in(b, base, None, lang)
    b.get(base + "/notices/")
    section = b.find_element(By.CSS_SELECTOR, f'.notice-item[data-id="{pk}"]')
    assert name + "（更正）" in section.text and NOTICE_UNTIL[lang] in section.text
    section.find_element(By.NAME, "text").send_keys("范围内有村庄水源地，请核实")
    _submit(b, section.find_element(By.TAG_NAME, "form"))
    assert "范围内有村庄水源地" in b.find_element(By.CSS_SELECTOR, f'.notice-item[data-id="{pk}"]').text

    # the regulator answers; the notice period runs out (moved into the past, as days passing would)
    _sign_in(b, base, "nmg", lang)
    b.get(f"{base}/applications/{pk}/")
    form = b.find_element(By.CLASS_NAME, "answer-form")
    form.find_element(By.NAME, "answer").send_keys("经核实，水源地位于范围外")
    _submit(b, form)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, datetime as dt; django.setup(); "
            "from kuangzheng.applications.models import Application; "
            f"Application.objects.filter(pk={pk}).update(notice_until=dt.date.today() - dt.timedelta(days=1))",
        ],
        env={**portal_env, "DJANGO_SETTINGS_MODULE": "kuangzheng.settings"},
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    assert _act(b, base, pk, "register") == "registered"
    licence = b.find_element(By.ID, "registered-licence").text
    assert licence.startswith("C150200") and len(licence) == 18

    # the right is in the registry: on its page with its map and its registration in its history, and
    # on the public map
    (right,) = _get(base, f"/api/v1/rights?q={licence}")["results"]
    b.get(f"{base}/rights/{right['id']}/")
    wait(b, lambda d: licence in d.page_source)
    events = b.find_element(By.ID, "events").text
    assert ("批准" in events or "granted" in events.lower()) and name + "（更正）" in b.page_source
    wait(b, lambda d: d.find_element(By.ID, "detail-map").get_attribute("data-loaded") == "1")
    assert b.find_elements(By.CSS_SELECTOR, "#detail-map path.leaflet-interactive")
    _sign_in(b, base, None, lang)
    b.get(base + "/")
    wait(b, lambda d: d.find_element(By.ID, "map").get_attribute("data-loaded") == "1")
    # the side list holds what is nearest the centre of the view: look at the new right's parcel
    cx, cy = corrected.centroid.x, corrected.centroid.y
    listed = b.find_element(By.ID, "map").get_attribute("data-listed")
    b.execute_script(f"document.getElementById('map').leafletMap.setView([{cy}, {cx}], 14, {{animate: false}})")
    wait(b, lambda d: d.find_element(By.ID, "map").get_attribute("data-listed") != listed)
    assert any(licence in li.text for li in b.find_elements(By.CSS_SELECTOR, "#feature-list li.feature-right"))
