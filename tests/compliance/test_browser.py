"""The compliance pages in a real browser against a real server with the demo data: a regulator sweeps
the registry, browses, filters, opens a verdict, downloads CSV and Excel and reads what changed since
an earlier sweep; an enterprise user checks an application (form and uploaded file); English."""

import csv
import io
import json
import re
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from kuangzheng.compliance.examples import EXAMPLES
from kuangzheng.policy.catalogue import load_catalogue
from tests.support.browser import sign_in, wait, wait_for_reload

pytestmark = pytest.mark.browser
CJK = re.compile(r"[\u4e00-\u9fff]")


def submit(b, element_id: str) -> None:
    """Click a submit button or link and wait for the page it leads to."""
    el = b.find_element(By.ID, element_id)
    el.click()
    wait_for_reload(b, el)


def verdict_rows(b) -> dict:
    """rule id -> its row in the #verdicts table."""
    return {
        r.find_element(By.TAG_NAME, "code").text: r
        for r in b.find_elements(By.CSS_SELECTOR, "#verdicts tr.verdict-row")
    }


def sweep_as_of(b, base, day: str) -> int:
    b.get(base + "/compliance/")
    b.execute_script("document.getElementById('sweep-as-of').value = arguments[0]", day)
    submit(b, "sweep-submit")
    wait(b, EC.presence_of_element_located((By.ID, "results")))
    assert day in b.find_element(By.TAG_NAME, "h1").text
    return int(re.search(r"/compliance/runs/(\d+)/", b.current_url).group(1))


def summary(b) -> dict:
    """rule -> [pass, warning, fail, missing] as the run page's table shows them."""
    out = {}
    for tr in b.find_elements(By.CSS_SELECTOR, "#summary tr.summary-row"):
        cells = tr.find_elements(By.TAG_NAME, "td")
        out[cells[0].find_element(By.TAG_NAME, "code").text] = [int(c.text) for c in cells[1:]]
    return out


def filter_results(b, **choices):
    for field, value in choices.items():
        Select(b.find_element(By.ID, f"f-{field}")).select_by_value(value)
    submit(b, "filter-submit")
    return int(b.find_element(By.ID, "matching").text.split(":")[-1])


def download(b, link_id: str, folder: Path, suffix: str) -> bytes:
    """Click a download link and read the file the browser saved."""
    for f in folder.glob("*"):
        f.unlink()
    b.find_element(By.ID, link_id).click()
    deadline = time.time() + 30
    while time.time() < deadline:
        done = [f for f in folder.glob(f"*{suffix}")]
        if done and not list(folder.glob("*.crdownload")):
            return done[0].read_bytes()
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} file was downloaded")


def test_a_regulator_sweeps_browses_exports_and_diffs(portal_server, browser, tmp_path):
    b, base = browser, portal_server
    b.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    sign_in(b, base, "nmg")  # regulator of Inner Mongolia (division 150000)
    early = sweep_as_of(b, base, "2014-06-01")
    before = summary(b)
    late = sweep_as_of(b, base, "2018-06-01")
    after = summary(b)
    # the coal and planning policies of 2016 onwards are in force in 2018, not in 2014
    assert "mine.min_scale" in after and "mine.min_scale" not in before
    assert "al.energy_catch_up" in before and "al.energy_catch_up" not in after  # its deadline passed

    # filter by outcome, then by rule: the rows are what was asked, as many as the counts say
    fails = filter_results(b, outcome="fail")
    assert fails == sum(cells[2] for cells in after.values()) > 0
    rows = b.find_elements(By.CSS_SELECTOR, "#results tr.verdict-row")
    assert rows and all(r.find_elements(By.CSS_SELECTOR, ".badge.outcome-fail") for r in rows)
    # the rule with the most failures (plan.right_overlap is a registry check that cites no seed)
    rule = max((r for r in after if r != "plan.right_overlap"), key=lambda r: after[r][2])
    n = filter_results(b, rule=rule)
    assert n == after[rule][2] > 0
    rows = b.find_elements(By.CSS_SELECTOR, "#results tr.verdict-row")
    assert {r.find_element(By.TAG_NAME, "code").text for r in rows} == {rule}
    assert all("不通过" in r.text for r in rows)

    # CSV and Excel of exactly these rows (the filters carry over to the links)
    text = download(b, "export-csv", tmp_path, ".csv").decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == n
    assert {(r["rule"], r["outcome"], r["run"]) for r in table} == {(rule, "fail", str(late))}
    assert all(r["division"].startswith("15") and CJK.search(r["explanation_zh"]) for r in table)
    assert all(
        r["citations"] and re.search("[A-Za-z]{4,}", r["explanation_en"]) and r["explanation_en"] != r["explanation_zh"]
        for r in table
    )
    ws = load_workbook(io.BytesIO(download(b, "export-xlsx", tmp_path, ".xlsx"))).active
    sheet = list(ws.iter_rows(values_only=True))
    assert list(sheet[0]) == list(table[0].keys()) and len(sheet) == n + 1
    assert sorted(str(r[6]) for r in sheet[1:]) == sorted(r["subject_id"] for r in table)

    # open one verdict: the Chinese explanation and the seed's own words it cites
    first = b.find_element(By.CSS_SELECTOR, "#results a.verdict-link")
    first.click()
    wait(b, EC.presence_of_element_located((By.ID, "verdict-explanation")))
    assert "不通过" in b.find_element(By.ID, "verdict-outcome").text
    explanation = b.find_element(By.ID, "verdict-explanation").text
    assert CJK.search(explanation) and explanation == table[0]["explanation_zh"]  # the first row, as exported
    cited = b.find_elements(By.CSS_SELECTOR, ".citation a code")
    quotes = b.find_elements(By.CSS_SELECTOR, ".citation blockquote.quote")
    assert cited and len(quotes) == len(cited)
    cat = load_catalogue()
    for code, quote in zip(cited, quotes):
        assert quote.text.strip("「」") == cat.get(code.text).quote
    assert "reason" in b.find_element(By.ID, "verdict-trace").text

    # what changed from the 2014 sweep to the 2018 one
    b.get(f"{base}/compliance/runs/{late}/")
    Select(b.find_element(By.ID, "diff-other")).select_by_value(str(early))
    submit(b, "diff-submit")
    wait(b, EC.presence_of_element_located((By.ID, "changes")))
    assert f"/compliance/runs/{early}/diff/{late}/" in b.current_url
    total = int(b.find_element(By.ID, "n-changes").text.split(":")[-1])
    assert total >= sum(after["mine.min_scale"])  # every mine-scale verdict is new
    changes = b.find_elements(By.CSS_SELECTOR, "#changes tr.change-row")
    gone = [c for c in changes if c.find_element(By.TAG_NAME, "code").text == "al.energy_catch_up"]
    assert len(gone) == sum(before["al.energy_catch_up"]) and all("不适用" in c.text for c in gone)


def test_an_applicant_checks_an_application_by_form_and_by_file(portal_server, browser, tmp_path):
    b, base = browser, portal_server
    sign_in(b, base, "qiye")  # an enterprise user
    b.get(base + "/compliance/check/")
    doc = json.loads(b.find_element(By.ID, "check-document").get_attribute("value"))
    assert doc == EXAMPLES["facility"]  # the form starts from the documented example
    submit(b, "check-submit")
    verdicts = {rule: row.text for rule, row in verdict_rows(b).items()}
    assert "通过" in verdicts["al.cell_current"] and "400" in verdicts["al.cell_current"]
    assert "警示" in verdicts["al.current_efficiency"]  # 92.5 % is short of 93 %, 原则上

    # the same in English: explanations in English
    submit(b, "lang-switch")
    b.get(base + "/compliance/check/")
    submit(b, "check-submit")
    rows = verdict_rows(b)
    cell = rows["al.cell_current"].find_elements(By.TAG_NAME, "td")[2].text
    assert "pass" in rows["al.cell_current"].text and "kA" in cell and not CJK.search(cell.split("\n")[0])
    submit(b, "lang-switch")
    assert "预审" in b.find_element(By.TAG_NAME, "h1").text

    # an uploaded file: a lead-zinc smelting project short of the single-series floor
    smelter = json.loads(json.dumps(EXAMPLES["smelter"]))
    smelter["record"]["single_series_capacity"] = 7
    path = tmp_path / "smelter.json"
    path.write_text(json.dumps(smelter, ensure_ascii=False), encoding="utf-8")
    b.get(base + "/compliance/check/")
    b.find_element(By.ID, "check-file").send_keys(str(path))
    submit(b, "check-submit")
    verdicts = {rule: row.text for rule, row in verdict_rows(b).items()}
    assert "不通过" in verdicts["smelting.single_series"] and "7" in verdicts["smelting.single_series"]

    # a broken file: the problem names its field, in Chinese
    smelter["record"]["kind"] = "furnace"
    path.write_text(json.dumps(smelter, ensure_ascii=False), encoding="utf-8")
    b.find_element(By.ID, "check-file").send_keys(str(path))
    submit(b, "check-submit")
    problems = b.find_element(By.ID, "problems").text
    assert "record.kind" in problems and CJK.search(problems)
    assert not b.find_elements(By.ID, "verdicts")

    # an enterprise user may not sweep
    b.get(base + "/compliance/")
    assert not b.find_elements(By.ID, "sweep-form")
