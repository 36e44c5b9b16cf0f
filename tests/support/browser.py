"""Driving the portal in Debian's chromium: waits and signing in as a demo user."""

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def wait(drv, cond, t=30):
    return WebDriverWait(drv, t).until(cond)


def sign_in(drv, base, user):
    drv.delete_all_cookies()
    drv.get(base + "/login/")
    drv.find_element(By.ID, "id_username").send_keys(user)
    drv.find_element(By.ID, "id_password").send_keys("kz-demo-2026")
    drv.find_element(By.ID, "login-submit").click()
    wait(drv, EC.presence_of_element_located((By.ID, "whoami")))


def wait_for_reload(driver, element, timeout: float = 60):
    """Wait until `element` has left the document (the page reloaded after a submit). Chromium
    reports a detached node either as a stale element or as an inspector error; both mean gone."""

    def gone(_):
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True

    WebDriverWait(driver, timeout).until(gone)


def doc_screenshot(browser, name: str) -> None:
    """Save the page as docs/img/<name> when KZ_DOC_SCREENSHOTS is set (to refresh the docs' pictures);
    otherwise a test run leaves the tracked images alone."""
    import os
    from pathlib import Path

    if os.environ.get("KZ_DOC_SCREENSHOTS"):
        folder = Path(__file__).resolve().parents[2] / "docs" / "img"
        folder.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(folder / name))
