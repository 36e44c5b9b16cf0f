"""Done when (the supervision part), in chromium against a real `kz serve` on the demo data: a plan is
published and drawn, and the draw is verified from the published page's data (the result file it links,
by `kz supervise draw --verify` in a process without a database, and on the verify page); an inspection
records a finding with a photo; an order with a deadline is answered late; the case ends in closure and
a public notice anyone can open; the holder is on the public abnormal list (credit), its new
application's automatic check flags it, and the daily job run as of the day after the term's end
(`kz supervise daily --date`, not a sleep) takes it off."""

import datetime as dt
import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from kuangzheng.credit.core import rules
from tests.support.browser import sign_in, wait_for_reload
from tests.support.filing import file_new_mining
from tests.support.live import signed_in

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
KZ = str(Path(sys.executable).parent / "kz")
HOLDER = "qiye-supervision"


def _kz(env, *args):
    return subprocess.run([KZ, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)


def _submit(b, form):
    el = b.find_element(By.ID, form) if isinstance(form, str) else form
    button = el.find_element(By.CSS_SELECTOR, "button[type=submit]")
    button.click()
    wait_for_reload(b, button)


def _set(b, el, value):
    b.execute_script("arguments[0].value = arguments[1];", el, value)


def _state(b):
    return b.find_element(By.ID, "case-state").get_attribute("data-state")


def test_plan_draw_verify_finding_late_answer_closure(portal_server, portal_env, browser, tmp_path):
    base, b = portal_server, browser
    env = {**portal_env}
    # a holder of its own (not the demo's "qiye", whom the credit lists' test lists and, moving the
    # date forward, leaves in the list's history as of today)
    pick = (
        "import django; django.setup(); from kuangzheng.registry import services as r; "
        "q = r.records('right').filter(division__code__startswith='1502').order_by('pk'); "
        "first = q.first().holder_id; print(q.exclude(holder_id=first).first().holder_id)"
    )
    holder = subprocess.run(
        [sys.executable, "-c", pick],
        env={**env, "DJANGO_SETTINGS_MODULE": "kuangzheng.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.strip()
    r = _kz(env, "user", "create", HOLDER, "--role", "enterprise", "--enterprise", holder, "--password", "kz-demo-2026")
    assert r.returncode == 0, r.stderr
    for user, division in (("nmg", "150000"), ("baotou", "150200")):
        r = _kz(env, "supervise", "inspector", user, "--division", division, "--as", "admin")
        assert r.returncode == 0, r.stderr

    # the regulator creates, publishes and draws a plan
    sign_in(b, base, "nmg")
    b.get(base + "/supervision/")
    form = b.find_element(By.ID, "plan-form")
    form.find_element(By.NAME, "title").send_keys("浏览器测试双随机抽查")
    form.find_element(By.NAME, "kind").send_keys("mining")
    form.find_element(By.NAME, "count").send_keys("3")
    form.find_element(By.NAME, "seed_source").send_keys("2026年12月2日上证综指收盘点位")
    form.find_element(By.NAME, "recuse_own_division").click()  # two inspectors only: no own-division recusal
    _submit(b, form)
    plan_url = b.current_url
    assert "/supervision/plans/" in plan_url
    _submit(b, "publish-form")
    announced = b.find_element(By.ID, "subjects-sha256").text
    assert len(announced) == 64
    b.find_element(By.ID, "draw-form").find_element(By.NAME, "seed").send_keys("3312.45")
    _submit(b, "draw-form")
    assert b.find_element(By.ID, "plan-state").text == "drawn"
    drawn_on_page = [e.text for e in b.find_elements(By.CSS_SELECTOR, "#drawn-table .subject")]
    assert len(drawn_on_page) == 3

    # anyone verifies from the file the page links: offline, and on the verify page
    href = b.find_element(By.ID, "result-file").get_attribute("href")
    with urllib.request.urlopen(href, timeout=30) as r:
        data = r.read()
    published = json.loads(data)
    assert published["plan"]["announced"]["subjects_sha256"] == announced
    assert [d["subject"] for d in published["drawn"]] == drawn_on_page
    (tmp_path / "draw.json").write_bytes(data)
    clean = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "KZ_DATA_DIR": str(tmp_path / "none")}
    ok = _kz(clean, "supervise", "draw", "--verify", str(tmp_path / "draw.json"))
    assert ok.returncode == 0, ok.stderr
    published["seed"] = "3312.46"
    (tmp_path / "changed.json").write_text(json.dumps(published, ensure_ascii=False), encoding="utf-8")
    assert _kz(clean, "supervise", "draw", "--verify", str(tmp_path / "changed.json")).returncode != 0
    b.get(base + "/supervision/verify/")
    _set(b, b.find_element(By.NAME, "text"), data.decode("utf-8"))
    _submit(b, "verify-form")
    assert b.find_elements(By.ID, "verify-ok")

    # an inspection finds a problem at the enterprise, with a photo
    enterprise = signed_in(base, HOLDER).get(base + "/api/v1/me", timeout=30).json()["enterprise"]
    photo = tmp_path / "现场.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    b.get(base + "/supervision/")
    form = b.find_element(By.ID, "finding-form")
    form.find_element(By.NAME, "enterprise").send_keys(str(enterprise))
    form.find_element(By.NAME, "entry").send_keys("000.al.new.cell_current")
    form.find_element(By.NAME, "description").send_keys("尾矿库未按设计施工")
    form.find_element(By.NAME, "file").send_keys(str(photo))
    _submit(b, form)
    case_url = b.current_url
    case_id = int(case_url.rstrip("/").rsplit("/", 1)[1])
    assert "尾矿库未按设计施工" in b.find_element(By.ID, "finding-text").text
    assert "现场.png" in b.page_source

    # an order with a deadline; the deadline passes and the daily job escalates it
    form = b.find_element(By.ID, "act-order_rectification")
    _set(b, form.find_element(By.NAME, "deadline"), (dt.date.today() + dt.timedelta(days=10)).isoformat())
    form.find_element(By.NAME, "text").send_keys("责令十日内整改")
    _submit(b, form)
    assert _state(b) == "rectifying"
    move = (
        "import django, datetime as dt; django.setup(); from kuangzheng.supervision.models import Order; "
        f"Order.objects.filter(case_id={case_id}).update(deadline=dt.date.today() - dt.timedelta(days=1))"
    )
    subprocess.run(
        [sys.executable, "-c", move],
        env={**env, "DJANGO_SETTINGS_MODULE": "kuangzheng.settings"},
        cwd=ROOT,
        check=True,
        timeout=120,
    )  # the deadline moved into the past, as days passing would
    daily = _kz(env, "supervise", "daily")
    assert daily.returncode == 0, daily.stderr
    assert json.loads(daily.stdout)["result"]["escalated"] >= 1

    # the enterprise answers late
    sign_in(b, base, HOLDER)
    b.get(case_url)
    assert _state(b) == "overdue"
    form = b.find_element(By.ID, "act-answer")
    form.find_element(By.NAME, "text").send_keys("已完成整改")
    _submit(b, form)
    assert _state(b) == "answered"
    assert b.find_element(By.CSS_SELECTOR, ".order-row").get_attribute("data-late") == "1"

    # the regulator closes the case; the public notice is on the board and the case page is public
    sign_in(b, base, "nmg")
    b.get(case_url)
    _submit(b, "act-close")
    assert _state(b) == "closed"
    b.delete_all_cookies()
    b.get(base + "/public-notices/?kind=supervision_closure")
    link = b.find_element(By.CSS_SELECTOR, "#notice-table a")
    assert "关闭/取缔公告" in link.text
    link.click()
    notice = b.find_element(By.TAG_NAME, "main").text if b.find_elements(By.TAG_NAME, "main") else b.page_source
    assert "依法关停退出" in notice
    b.get(case_url)
    assert _state(b) == "closed"

    # the closure put the holder on the abnormal list, and the public sees it (last column: the term's last day)
    b.get(base + "/credit/?list=abnormal")
    row = b.find_element(By.CSS_SELECTOR, f'#current-entries tr.entry-row[data-enterprise="{enterprise}"]')
    assert "异常名录" in row.text
    entry = int(row.get_attribute("data-id"))
    last_day = dt.date.fromisoformat(row.find_elements(By.TAG_NAME, "td")[-1].text)
    sign_in(b, base, "nmg")
    b.get(f"{base}/credit/entries/{entry}/")
    assert b.find_element(By.ID, "entry-status").get_attribute("data-status") == "listed"
    assert f"supervision.Case:{case_id}" in b.page_source  # the entry names the case that caused it

    # the holder's new application: flagged in its automatic check at filing
    pk = file_new_mining(env, tmp_path, "监督测试铜矿", 110.34, 41.24, as_user=HOLDER)
    sign_in(b, base, HOLDER)
    b.get(f"{base}/applications/{pk}/")
    verdict = b.find_element(By.CSS_SELECTOR, f'#standing tr.standing-verdict[data-key="credit:abnormal:{entry}"]')
    assert verdict.get_attribute("data-effect") == "flag" and "异常名录" in verdict.text

    # the term ends: the daily job as of the day after the last day takes the holder off the list
    after = rules.leaves_on(last_day)
    daily = _kz(env, "supervise", "daily", "--date", after.isoformat())
    assert daily.returncode == 0, daily.stderr
    b.delete_all_cookies()
    b.get(f"{base}/credit/?list=abnormal&on={after.isoformat()}")
    assert not b.find_elements(By.CSS_SELECTOR, f'tr.entry-row[data-id="{entry}"]')
    b.get(f"{base}/credit/?list=abnormal&on={last_day.isoformat()}")
    assert b.find_elements(By.CSS_SELECTOR, f'tr.entry-row[data-id="{entry}"]')  # history answers the past
    sign_in(b, base, "nmg")
    b.get(f"{base}/credit/entries/{entry}/")
    assert b.find_element(By.ID, "entry-status").get_attribute("data-status") == "removed"
