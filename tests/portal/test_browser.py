"""The portal in a real browser against a real server with the demo data."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from tests.support.browser import doc_screenshot, sign_in, wait, wait_for_reload

pytestmark = pytest.mark.browser


def test_map_shows_the_demo_features(portal_server, browser):
    browser.delete_all_cookies()
    browser.get(portal_server + "/")
    wait(browser, lambda d: d.find_element(By.ID, "map").get_attribute("data-loaded") == "1")
    n_rights = int(browser.find_element(By.ID, "n-rights").text)
    n_fac = int(browser.find_element(By.ID, "n-facilities").text)
    assert n_rights > 100 and n_fac > 100
    assert int(browser.find_element(By.ID, "n-divisions").text) == 12  # Inner Mongolia's leagues and cities
    shapes = browser.find_elements(By.CSS_SELECTOR, "#map .leaflet-overlay-pane canvas, #map path.leaflet-interactive")
    assert shapes, "nothing drawn on the map"
    items = browser.find_elements(By.CSS_SELECTOR, "#feature-list li")
    assert len(items) >= 30 and any("演示生成" in i.text for i in items)
    assert "矿政" in browser.title
    doc_screenshot(browser, "portal-map.png")


def test_list_filters_and_detail(portal_server, browser):
    browser.delete_all_cookies()
    browser.get(portal_server + "/rights/?kind=exploration")
    rows = browser.find_elements(By.CSS_SELECTOR, "#records tr.record-row")
    assert rows and all("探矿权" in r.text for r in rows)
    rows[0].find_element(By.TAG_NAME, "a").click()
    wait(browser, EC.presence_of_element_located((By.ID, "record-title")))
    assert "演示生成" in browser.find_element(By.ID, "record-title").text
    assert browser.find_elements(By.CSS_SELECTOR, "#events tr.event-row")
    wait(browser, lambda d: d.find_element(By.ID, "detail-map").get_attribute("data-loaded") == "1")
    assert browser.find_elements(By.CSS_SELECTOR, "#detail-map path.leaflet-interactive")
    fields = browser.find_element(By.ID, "record-fields").text
    assert "内蒙古" in fields or "市" in fields or "盟" in fields  # the division by name, not only its code


def test_regulator_registers_and_changes_a_right(portal_server, browser):
    b, base = browser, portal_server
    sign_in(b, base, "nmg")
    b.get(base + "/enterprises/new/")
    b.find_element(By.ID, "f-name").send_keys("浏览器测试矿业有限公司")
    b.find_element(By.ID, "f-credit_code").send_keys("91150200MA0N00BRW1")  # wrong check character
    Select(b.find_element(By.ID, "f-division")).select_by_value("150200")
    save = b.find_element(By.ID, "save")
    save.click()
    wait_for_reload(b, save)
    errors = wait(b, EC.presence_of_element_located((By.ID, "form-errors"))).text
    assert "统一社会信用代码" in errors and "校验码错误" in errors
    from kuangzheng.registry.core.codes import make_credit_code

    code = b.find_element(By.ID, "f-credit_code")
    code.clear()
    code.send_keys(make_credit_code("91150200MA0N00BRW"))
    save = b.find_element(By.ID, "save")
    save.click()
    wait_for_reload(b, save)
    wait(b, EC.presence_of_element_located((By.ID, "record-fields")))
    assert "浏览器测试矿业有限公司" in b.find_element(By.ID, "record-title").text

    b.get(base + "/rights/new/")
    for fid, val in [
        ("f-licence_no", "C1502002026000001"),
        ("f-name", "浏览器测试铜矿"),
        ("f-minerals", "铜, 钼"),
        ("f-valid_from", "2026-01-05"),
        ("f-valid_to", "2036-01-05"),
        ("f-boundary", "POLYGON((110.40 41.40, 110.43 41.40, 110.43 41.42, 110.40 41.42, 110.40 41.40))"),
        ("f-event_date", "2026-01-05"),
        ("f-event_document_ref", "内自然资〔2026〕1号"),
    ]:
        el = b.find_element(By.ID, fid)
        if el.get_attribute("type") == "date":
            b.execute_script("arguments[0].value = arguments[1]", el, val)
        else:
            el.send_keys(val)
    Select(b.find_element(By.ID, "f-kind")).select_by_value("mining")
    Select(b.find_element(By.ID, "f-holder")).select_by_visible_text("浏览器测试矿业有限公司")
    Select(b.find_element(By.ID, "f-division")).select_by_value("150200")
    Select(b.find_element(By.ID, "f-obtained_by")).select_by_value("listing")
    save = b.find_element(By.ID, "save")
    save.click()
    wait_for_reload(b, save)
    wait(b, lambda d: d.find_elements(By.ID, "record-status") or d.find_elements(By.ID, "form-errors"))
    assert not b.find_elements(By.ID, "form-errors"), b.find_element(By.ID, "form-errors").text
    assert "有效" in b.find_element(By.ID, "record-status").text
    area = b.find_element(By.ID, "record-fields").text
    assert "面积" in area

    Select(b.find_element(By.ID, "ev-kind")).select_by_value("suspended")
    b.execute_script("document.getElementById('ev-date').value = '2026-06-01'")
    b.find_element(By.ID, "ev-reason").send_keys("安全检查停产整顿")
    submit = b.find_element(By.ID, "event-submit")
    submit.click()
    wait_for_reload(b, submit)  # the page reloaded after the post
    assert "暂停" in b.find_element(By.ID, "record-status").text, b.find_element(By.TAG_NAME, "main").text[:500]
    history = b.find_elements(By.CSS_SELECTOR, "#history tr.history-row")
    assert len(history) >= 3  # created, first event, suspension
    assert any("nmg" in h.text for h in history)


def test_english_switch(portal_server, browser):
    browser.delete_all_cookies()
    browser.get(portal_server + "/rights/")
    assert "矿业权" in browser.find_element(By.TAG_NAME, "h1").text
    switch = browser.find_element(By.ID, "lang-switch")
    switch.click()
    wait_for_reload(browser, switch)
    assert "Mineral rights" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.ID, "lang-switch").click()


def test_catalogue_browser_highlights_the_quote(portal_server, browser):
    browser.delete_all_cookies()
    browser.get(portal_server + "/policy/")
    Select(browser.find_element(By.ID, "pf-doc")).select_by_value("000")
    Select(browser.find_element(By.ID, "pf-kind")).select_by_value("access_threshold")
    submit = browser.find_element(By.ID, "pf-submit")
    submit.click()
    wait_for_reload(browser, submit)
    rows = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#policy-entries tr.policy-row"))
    assert all("000." in r.text for r in rows)
    row = next(r for r in rows if "000.al.new.cell_current" in r.text)
    row.find_element(By.CSS_SELECTOR, "a.quote-link").click()
    mark = wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "mark.quote")))
    assert "400KA" in mark.text
    assert "内蒙古" in browser.find_element(By.TAG_NAME, "h1").text
