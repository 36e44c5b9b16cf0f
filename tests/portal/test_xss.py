"""Stored XSS: records whose every shown field is a script payload, created through the API as an
administrator, then every page that shows them opened in chromium. Nothing may run, and no element
may come out of a payload: the page shows the payloads as text."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from tests.support.browser import sign_in, wait
from tests.support.http import Session

pytestmark = pytest.mark.browser

MARK = "kzxss"
# Each payload, if it ever ran, would set window.__xss (and the title) to name itself.
IMG = "<img src=x onerror=\"window.__xss=document.title='img'\">"
SCRIPT = "<script>window.__xss=document.title='script'</script>"
SVG = '"><svg onload="window.__xss=document.title=\'svg\'">'
JS_URL = "javascript:window.__xss=document.title='url'//"
BREAK = "</script><script>window.__xss=document.title='break'</script>"
ATTR = "' autofocus onfocus='window.__xss=document.title=\"attr\"' x='"
SHORT = "<svg onload=__xss=1>"  # for fields of 24 characters
BOX = "POLYGON((109.93 41.93, 109.95 41.93, 109.95 41.95, 109.93 41.95, 109.93 41.93))"


def _created(status, body, what):
    assert status == 201, f"creating the {what} failed: {status} {body}"
    return body


@pytest.fixture(scope="module")
def hostile(portal_server):
    """Records with payloads in every field the portal shows, created as the demo administrator."""
    s = Session(portal_server).login("admin", "kz-demo-2026")
    ent = _created(
        *s.api(
            "POST",
            "enterprises",
            {
                "name": f"{MARK}-E {IMG}{SVG}",
                "division": "150200",
                "legal_representative": SCRIPT,
                "address": BREAK + JS_URL,
            },
        ),
        "enterprise",
    )
    zone = _created(
        *s.api(
            "POST",
            "zones",
            {
                "code": f"{MARK}{SHORT}",
                "name": f"{MARK}-Z {SCRIPT}{ATTR}",
                "kind": "key_exploration_area",
                "division": "150200",
                "minerals": [BREAK, IMG],
                "plan": IMG,
                "attrs": {IMG: SCRIPT},
                "boundary": BOX,
            },
        ),
        "zone",
    )
    fac = _created(
        *s.api(
            "POST",
            "facilities",
            {
                "name": f"{MARK}-F {SVG}{BREAK}",
                "kind": "smelter",
                "division": "150200",
                "enterprise": ent["id"],
                "metals": [IMG, SCRIPT],
                "lon": 109.94,
                "lat": 41.94,
                "process": ATTR,
                "coal_rank": SHORT,
                "external_id": JS_URL,
            },
        ),
        "facility",
    )
    right = _created(
        *s.api(
            "POST",
            "rights",
            {
                "licence_no": f"{MARK}{SHORT}",
                "kind": "mining",
                "name": f"{MARK}-R {IMG}{BREAK}",
                "holder": ent["id"],
                "division": "150200",
                "minerals": [SCRIPT, SVG],
                "valid_from": "2020-01-01",
                "valid_to": "2030-01-01",
                "obtained_by": "listing",
                "boundary": BOX,
                "event": {"kind": "granted", "date": "2020-01-01", "reason": IMG + SCRIPT, "document_ref": BREAK},
            },
        ),
        "right",
    )
    status, body = s.api(
        "POST",
        f"rights/{right['id']}/events",
        {
            "kind": "suspended",
            "date": "2021-01-01",
            "reason": SVG + ATTR,
            "document_ref": IMG,
            "version": right["version"],
        },
    )
    assert status == 200, body
    status, quota = s.api(
        "POST",
        "monitoring/ledger/retire",
        {"code": f"{MARK}{SHORT}", "amount": 1000, "holder": ent["id"], "facility": fac["id"], "document_ref": IMG},
    )
    assert status == 201, quota
    status, run = s.api("POST", "compliance/runs")
    assert status == 200, run
    return {"enterprise": ent, "zone": zone, "facility": fac, "right": right, "run": run}


def _pages(h):
    e, z, f, r, run = h["enterprise"]["id"], h["zone"]["id"], h["facility"]["id"], h["right"]["id"], h["run"]["id"]
    return [
        *(f"/{p}/?q={MARK}" for p in ("enterprises", "facilities", "rights", "zones")),
        f"/enterprises/{e}/",
        f"/enterprises/{e}/edit/",
        f"/facilities/{f}/",
        f"/facilities/{f}/edit/",
        f"/rights/{r}/",
        f"/rights/{r}/edit/",
        f"/zones/{z}/",
        f"/zones/{z}/edit/",
        f"/compliance/subjects/enterprise/{e}/",
        f"/compliance/subjects/facility/{f}/",
        f"/compliance/subjects/right/{r}/",
        f"/compliance/runs/{run}/?q={MARK}",
        "/compliance/",
        "/monitoring/",
        "/monitoring/ledger/",
        f"/admin/registry/enterprise/{e}/change/",
    ]


def _assert_inert(b, where):
    """Nothing ran, and no element, attribute or script came out of a payload."""
    ran = b.execute_script("return window.__xss === undefined ? null : String(window.__xss)")
    assert ran is None, f"{where}: a payload ran ({ran})"
    assert b.title in ("", None) or "img" != b.title and "script" != b.title, f"{where}: title set by a payload"
    injected = b.execute_script(
        """
        const bad = [];
        document.querySelectorAll('img[src="x"], svg[onload], iframe, [autofocus]').forEach(n => bad.push(n.outerHTML));
        document.querySelectorAll('*').forEach(n => { for (const a of n.attributes) {
          if (/^on/i.test(a.name) || (/^(href|src|action|formaction|xlink:href)$/i.test(a.name) && /^\\s*javascript:/i.test(a.value))) bad.push(n.tagName + ' ' + a.name + '=' + a.value); } });
        document.querySelectorAll('script').forEach(s => { if (s.textContent.includes('__xss') && s.type !== 'application/json') bad.push(s.outerHTML); });
        return bad.slice(0, 5);
        """
    )
    assert not injected, f"{where}: markup from a payload: {injected}"


def _popups(b):
    """Go to the hostile records, click them on the map (a real click: the popup lists every feature
    under it, from the API) and return the popup's rows, with the side list of what is in view."""
    listed = b.find_element(By.ID, "map").get_attribute("data-listed")
    b.execute_script("document.getElementById('map').leafletMap.setView([41.94, 109.94], 15, {animate: false})")
    wait(b, lambda d: d.find_element(By.ID, "map").get_attribute("data-listed") != listed)
    ActionChains(b).move_to_element(b.find_element(By.ID, "map")).click().perform()
    wait(b, lambda d: d.find_elements(By.CSS_SELECTOR, ".leaflet-popup-content .map-popup > div"))
    # textContent, not WebElement.text: Leaflet fades a popup in from opacity 0, and WebDriver calls an
    # element at opacity 0 invisible and its text "" (rows read one by one came back empty under load).
    rows = [
        r.get_attribute("textContent")
        for r in b.find_elements(By.CSS_SELECTOR, ".leaflet-popup-content .map-popup > div")
    ]
    listed = [
        t
        for li in b.find_elements(By.CSS_SELECTOR, "#feature-list li")
        if MARK in (t := li.get_attribute("textContent"))
    ]
    return rows, listed


def _record_csp_violations(b):
    """Collect the page's Content-Security-Policy violations in window.__csp (a script chromium adds
    to every new document, outside the page's policy)."""
    b.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {
            "source": "window.__csp = []; document.addEventListener('securitypolicyviolation', e =>"
            " window.__csp.push(e.effectiveDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')));"
        },
    )


def _violations(b):
    return b.execute_script("return window.__csp || []")


def test_script_payloads_in_every_field_stay_text(portal_server, browser, hostile):
    b, base = browser, portal_server
    _record_csp_violations(b)
    violations = {}
    for who in ("public", "admin"):
        if who == "admin":
            sign_in(b, base, "admin")
        else:
            b.delete_all_cookies()
        b.get(base + "/")
        wait(b, lambda d: d.find_element(By.ID, "map").get_attribute("data-loaded") == "1")
        popups, listed = _popups(b)
        marked = [t for t in popups if MARK in t]
        assert len(marked) >= 3, f"the hostile zone, right and facility are under the click as {who}: {popups}"
        assert any(IMG in t for t in popups) and any(SCRIPT in t for t in popups), popups  # shown as text
        assert len(listed) >= 3 and any(SVG in t for t in listed), listed  # and in the list of what is in view
        _assert_inert(b, f"map as {who}")
        violations[f"/ as {who}"] = _violations(b)
    seen, pages = [], _pages(hostile)
    for path in pages:
        b.get(base + path)
        wait(b, lambda d: d.execute_script("return document.readyState") == "complete")
        _assert_inert(b, path)
        violations[path] = _violations(b)
        seen.append(b.find_element(By.TAG_NAME, "body").text)
        if "/compliance/runs/" in path and len(pages) == len(_pages(hostile)):  # and one verdict of the run
            pages.append(b.find_element(By.CSS_SELECTOR, "a.verdict-link").get_attribute("href").removeprefix(base))
    print("CSP violations (for information):", {p: v for p, v in violations.items() if v} or "none")
    text = "\n".join(seen)
    for payload in (IMG, SCRIPT, SVG, BREAK, JS_URL, SHORT):
        assert payload in text, f"{payload!r} is not shown as text anywhere"


def test_the_policy_stops_markup_that_got_in_anyway(portal_server, browser):
    """Second line of defence: were a name ever put into the page as HTML, the browser would refuse
    to run its handler or inline script (and report the violation)."""
    b = browser
    _record_csp_violations(b)
    b.delete_all_cookies()
    b.get(portal_server + "/")
    wait(b, lambda d: d.find_element(By.ID, "map").get_attribute("data-loaded") == "1")
    b.execute_script(
        "document.getElementById('feature-list').insertAdjacentHTML('beforeend', arguments[0]);"
        "const s = document.createElement('script'); s.textContent = arguments[1]; document.body.appendChild(s);",
        IMG + SVG,
        "window.__xss = 'inline'",
    )
    wait(b, lambda d: len(_violations(d)) >= 2, t=10)
    assert b.execute_script("return window.__xss === undefined"), "the policy let an inline handler or script run"
    assert any(v.startswith("script-src") for v in _violations(b)), _violations(b)
