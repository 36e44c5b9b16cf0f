"""Done when, in chromium against a real `kz serve` on the demo data: a mining-right holder submits the
restoration plan and the fund's first deposit; the regulator reviews, publishes and approves it; a
phase is reported, fails acceptance on a quality item (M53), is corrected and accepted; the fund pays
for it; the balance indicator and the mine's public page update; an old-damage site goes onto the
league's responsibility ledger with a government project."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.support.browser import sign_in, wait_for_reload

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _submit(b, form):
    button = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
    button.click()
    wait_for_reload(b, button)


def _fill(form, **fields):
    for name, value in fields.items():
        el = form.find_element(By.NAME, name)
        if el.tag_name == "select":
            Select(el).select_by_value(value)
        else:
            el.clear()
            el.send_keys(value)


def _phase(b):
    return b.find_element(By.ID, "phase-1")


def _reclaimed_total(b, base):
    b.get(base + "/restoration/")
    return sum(
        float(tr.get_attribute("data-reclaimed")) for tr in b.find_elements(By.CSS_SELECTOR, "#balance tr[data-year]")
    )


def test_plan_fund_acceptance_and_ledger(portal_server, browser, tmp_path):
    base, b = portal_server, browser
    pdf = tmp_path / "方案.pdf"
    pdf.write_bytes(PDF)
    sign_in(b, base, "baotou")
    reclaimed_before = _reclaimed_total(b, base)

    # the holder submits the plan with its document, and the fund's first deposit
    sign_in(b, base, "qiye")
    b.get(base + "/restoration/plans/")
    form = b.find_element(By.ID, "plan-form")
    _fill(form, title="浏览器测试治理恢复方案", first_year="2023", last_year="2028")
    form.find_element(By.NAME, "file").send_keys(str(pdf))
    _submit(b, form)
    assert b.find_element(By.ID, "plan-state").get_attribute("data-state") == "drafted"
    plan_url = b.current_url
    _fill(
        b.find_element(By.ID, "fund-form"), kind="deposit", amount="500000.00", request_id="browser-dep-1", year="2025"
    )
    _submit(b, b.find_element(By.ID, "fund-form"))
    assert b.find_element(By.ID, "fund-balance").get_attribute("data-fund") == "500000.00"
    right_link = b.find_element(By.ID, "mine-link").get_attribute("href")

    # the regulator reviews it together with the development plan, publishes it and approves it
    sign_in(b, base, "baotou")
    for action in ("review", "publish", "approve"):
        b.get(plan_url)
        form = b.find_element(By.ID, "act-form")
        _fill(form, action=action)
        _submit(b, form)
    assert b.find_element(By.ID, "plan-state").get_attribute("data-state") == "approved"
    b.get(base + "/public-notices/")
    assert "浏览器测试治理恢复方案" in b.page_source or "矿山地质环境保护与治理恢复方案公示" in b.page_source

    # the holder reports the first phase; the regulator finds toxic material used: acceptance fails
    sign_in(b, base, "qiye")
    b.get(plan_url)
    report = _phase(b).find_element(By.CSS_SELECTOR, "form.report-form")
    _fill(report, actual_use="grassland", actual_damaged="10", actual_reclaimed="9.5")
    _submit(b, report)
    assert _phase(b).get_attribute("data-state") == "reported"
    sign_in(b, base, "baotou")
    b.get(plan_url)
    accept = _phase(b).find_element(By.CSS_SELECTOR, "form.accept-form")
    _fill(
        accept,
        topsoil_kept="yes",
        toxic_material_used="yes",
        food_crops_on_failing_land="no",
        land_use_standard_met="yes",
    )
    _submit(b, accept)
    assert _phase(b).get_attribute("data-state") == "planned"
    assert "重金属" in b.find_element(By.CSS_SELECTOR, "#phase-1 .acceptance[data-passed='0']").text

    # corrected and reported again; accepted; the fund pays for it
    sign_in(b, base, "qiye")
    b.get(plan_url)
    report = _phase(b).find_element(By.CSS_SELECTOR, "form.report-form")
    _fill(report, actual_use="grassland", actual_damaged="10", actual_reclaimed="9.5")
    _submit(b, report)
    sign_in(b, base, "baotou")
    b.get(plan_url)
    accept = _phase(b).find_element(By.CSS_SELECTOR, "form.accept-form")
    _fill(
        accept,
        topsoil_kept="yes",
        toxic_material_used="no",
        food_crops_on_failing_land="no",
        land_use_standard_met="yes",
    )
    _submit(b, accept)
    assert _phase(b).get_attribute("data-state") == "accepted"
    phase_id = _phase(b).find_element(By.XPATH, "//select[@id='fund-phase']/option[2]").get_attribute("value")
    form = b.find_element(By.ID, "fund-form")
    _fill(
        form, kind="spend", amount="200000.00", source="fund", phase=phase_id, request_id="browser-spend-1", year="2025"
    )
    _submit(b, form)
    assert b.find_element(By.ID, "fund-balance").get_attribute("data-fund") == "300000.00"

    # the balance indicator and the public page show it
    assert _reclaimed_total(b, base) == pytest.approx(reclaimed_before + 9.5, abs=0.01)
    b.delete_all_cookies()
    b.get(right_link)
    assert b.find_element(By.ID, "mine-spent").text == "200000.00"
    assert b.find_element(By.ID, "mine-deposited").text == "500000.00"
    assert "9.5" in b.find_element(By.ID, "mine-plans").text

    # an old-damage site onto Baotou's responsibility ledger, restored by a government project
    sign_in(b, base, "baotou")
    b.get(base + "/restoration/ledger/")
    form = b.find_element(By.ID, "problem-form")
    _fill(
        form,
        division="150200",
        site="浏览器测试废弃采坑",
        problem_type="露天采场",
        area_ha="42.5",
        arose_on="1998-05-01",
        mine_state="abandoned",
        party_exists="no",
        source="survey",
    )
    _submit(b, form)
    row = b.find_element(By.XPATH, "//table[@id='problems']//tr[td[contains(., '浏览器测试废弃采坑')]]")
    assert row.get_attribute("data-class") == "old"
    problem_id = row.get_attribute("data-id")
    form = b.find_element(By.ID, "project-form")
    _fill(
        form,
        name="浏览器测试治理工程",
        funding_source="中央、自治区财政",
        mode="build_then_subsidise",
        budget="3000000",
        year="2025",
    )
    Select(form.find_element(By.NAME, "problems")).select_by_value(problem_id)
    _submit(b, form)
    project = b.find_element(By.XPATH, "//table[@id='projects']//tr[td[contains(., '浏览器测试治理工程')]]")
    assert problem_id in project.text and "先建后补" in project.text
