"""In chromium against a real `kz serve` on the demo data: a regulator enters the demo enterprise on
the abnormal list through the form; the public list shows it; the holder's new application gets the
standing verdict at filing; the daily check run as of the day after the term's end (`kz credit daily
--today`, not a sleep) takes it off the list, and the list as of that day no longer shows it."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from kuangzheng.credit.core import rules
from tests.support.browser import sign_in, wait_for_reload
from tests.support.filing import file_new_mining

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
KZ = str(Path(sys.executable).with_name("kz"))


def _json_page(b, url):
    b.get(url)
    return json.loads(b.find_element(By.TAG_NAME, "body").text)


def _kz(env, *args):
    r = subprocess.run([KZ, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_a_listed_holder_is_public_flagged_at_filing_and_leaves_after_its_term(
    portal_server, portal_env, browser, tmp_path
):
    base, b = portal_server, browser
    sign_in(b, base, "qiye")
    enterprise = _json_page(b, base + "/api/v1/me")["enterprise"]

    # the region's regulator enters the holder on the abnormal list
    sign_in(b, base, "nmg")
    b.get(base + "/credit/")
    form = b.find_element(By.ID, "enter-form")
    Select(form.find_element(By.ID, "f-list")).select_by_value("abnormal")
    form.find_element(By.ID, "f-enterprise").send_keys(str(enterprise))
    Select(form.find_element(By.ID, "f-reason")).select_by_value("unreachable")
    form.find_element(By.ID, "f-detail_zh").send_keys("经实地核查，登记住所无法联系")
    button = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
    button.click()
    wait_for_reload(b, button)
    entry = int(b.current_url.rstrip("/").split("/")[-1])
    assert b.find_element(By.ID, "entry-status").get_attribute("data-status") == "listed"
    last_day = dt.date.fromisoformat(b.find_element(By.ID, "entry-summary").text.split("期满日")[1].split()[0])

    # the public sees it on the list, and the notice board announces it
    b.delete_all_cookies()
    b.get(base + "/credit/?list=abnormal")
    row = b.find_element(By.CSS_SELECTOR, f'#current-entries tr.entry-row[data-id="{entry}"]')
    assert row.get_attribute("data-enterprise") == str(enterprise) and "异常名录" in row.text
    titles = [n["title_zh"] for n in _json_page(b, base + "/api/v1/notices?kind=credit_list_entry")["items"]]
    assert any(t.endswith("列入异常名录") for t in titles)

    # the holder's new application: the standing verdict at filing
    pk = file_new_mining(portal_env, tmp_path, "信用测试铜矿", 110.30, 41.20)
    sign_in(b, base, "qiye")
    b.get(f"{base}/applications/{pk}/")
    verdict = b.find_element(By.CSS_SELECTOR, f'#standing tr.standing-verdict[data-key="credit:abnormal:{entry}"]')
    assert verdict.get_attribute("data-effect") == "flag" and "异常名录" in verdict.text

    # the term ends: the daily check, run as of the day after the last day, takes it off
    after = rules.leaves_on(last_day)
    alerts = json.loads(_kz(portal_env, "credit", "daily", "--today", after.isoformat()))
    assert {"kind": "credit_term_ended", "subject": f"credit.ListEntry:{entry}"}.items() <= next(
        a for a in alerts if a["subject"] == f"credit.ListEntry:{entry}"
    ).items()
    b.delete_all_cookies()
    b.get(f"{base}/credit/?list=abnormal&on={after.isoformat()}")
    assert not b.find_elements(By.CSS_SELECTOR, f'tr.entry-row[data-id="{entry}"]')
    b.get(f"{base}/credit/?list=abnormal&on={last_day.isoformat()}")
    assert b.find_elements(By.CSS_SELECTOR, f'tr.entry-row[data-id="{entry}"]')  # the history answers the past
    sign_in(b, base, "nmg")
    b.get(f"{base}/credit/entries/{entry}/")
    assert b.find_element(By.ID, "entry-status").get_attribute("data-status") == "removed"
    assert "转入严重违法失信名单" in b.find_element(By.ID, "entry-removed").text
