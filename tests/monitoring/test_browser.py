"""An enterprise uploads a filled template in a real browser against a real `kz serve` with the
demo data: a bad file comes back with every error located; a good one, accepted by the regulator,
moves the indicators on the dashboard. Also saves docs/img/plan-evaluation.png."""

import json

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.browser import doc_screenshot, sign_in, wait_for_reload

from .helpers import workbook

pytestmark = pytest.mark.browser


def wait_for(b, element_id):
    return WebDriverWait(b, 30).until(EC.presence_of_element_located((By.ID, element_id)))


def upload(b, base, path, submit=False):
    b.get(base + "/monitoring/reports/")
    b.find_element(By.ID, "upload-file").send_keys(str(path))
    if submit:
        b.find_element(By.ID, "upload-submit").click()
    button = b.find_element(By.ID, "upload-button")
    button.click()
    wait_for_reload(b, button)


def test_enterprise_upload_to_dashboard(portal_server, browser, tmp_path):
    b, base = browser, portal_server
    sign_in(b, base, "qiye")
    b.get(base + "/api/v1/monitoring/reports")
    code = json.loads(b.find_element(By.TAG_NAME, "body").text)[0]["facility_code"]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        workbook(
            [
                [code, "2020-1", "铝", "很多", 500000, 600000, 40000, 5400, None],
                ["KZF-999999", "2020-01", "铝", 1, 1, 1, 1, 1, None],
            ]
        )
    )
    upload(b, base, bad)
    wait_for(b, "upload-errors")
    errors = {
        (e.find_element(By.CLASS_NAME, "err-row").text, e.find_element(By.CLASS_NAME, "err-col").text)
        for e in b.find_elements(By.CSS_SELECTOR, "#upload-errors tr.upload-error")
    }
    assert {("4", "B"), ("4", "D"), ("4", "F"), ("5", "A")} <= errors
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook([[code, "2020-01", "铝", 30000, 500000, 480000, 40000, 5400, 20]]))
    upload(b, base, good, submit=True)
    assert wait_for(b, "upload-ok")
    link = b.find_element(By.XPATH, "//tr[@class='report-row'][td[3]='2020-01']//a").get_attribute("href")
    sign_in(b, base, "baotou")
    b.get(link)
    accept = b.find_element(By.ID, "act-accept")
    accept.click()
    wait_for_reload(b, accept)  # the page reloaded after the post
    assert "accepted" in b.find_element(By.ID, "report-status").text
    b.get(base + "/monitoring/?indicator=capacity_utilisation")
    keys = [r.get_attribute("data-key") for r in b.find_elements(By.CSS_SELECTOR, "tr.indicator-row")]
    assert "capacity_utilisation|150000|al|2020-01" in keys


def test_plan_evaluation_page(portal_server, browser):
    browser.get(portal_server + "/monitoring/plan/")
    assert "年度规划实施评估" in browser.find_element(By.ID, "plan-title").text
    assert browser.find_elements(By.CSS_SELECTOR, "section.target canvas")
    doc_screenshot(browser, "plan-evaluation.png")
