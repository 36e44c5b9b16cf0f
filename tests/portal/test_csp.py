"""The Content-Security-Policy is sent on every page, and the sources keep to what it allows: no
inline script, handler or style in any template, no HTML built from strings in the portal's scripts,
no unescaped output. Together with the browser test (test_xss.py) this keeps stored XSS closed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "kuangzheng"
TEMPLATES = sorted(p for p in SRC.rglob("templates/**/*.html"))
OUR_SCRIPTS = sorted(p for p in SRC.rglob("static/**/*.js") if "vendor" not in p.parts)
PAGES = ["/", "/rights/", "/enterprises/", "/monitoring/", "/monitoring/plan/", "/compliance/", "/policy/", "/login/"]


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.parametrize("page", PAGES + ["/api/v1/docs", "/admin/login/"])
def test_every_page_sends_a_strict_policy(reg, client, page):
    r = client.get(page)
    assert r.status_code == 200
    policy = _directives(r.headers.get("Content-Security-Policy", ""))
    assert policy.get("script-src") == ["'self'"], policy
    assert policy.get("style-src") == ["'self'"], policy
    assert policy.get("object-src") == ["'none'"] and policy.get("base-uri") == ["'none'"]
    assert policy.get("frame-ancestors") == ["'none'"]
    assert not any("unsafe" in v for values in policy.values() for v in values), policy


def test_the_csrf_cookie_is_out_of_reach_of_scripts(reg, client):
    client.get("/login/")
    assert client.cookies["csrftoken"]["httponly"]


def test_templates_have_no_inline_script_handler_or_style():
    assert len(TEMPLATES) > 20
    problems = []
    for path in TEMPLATES:
        text = path.read_text("utf-8")
        name = path.relative_to(SRC)
        for m in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, re.S | re.I):
            attrs, body = m.group(1), m.group(2)
            if body.strip() and "application/json" not in attrs:
                problems.append(f"{name}: inline <script> with code")
            if "src=" not in attrs and "application/json" not in attrs:
                problems.append(f"{name}: <script> without src")
        if re.search(r"<[a-z][^>]*\son[a-z]+\s*=", text, re.I):
            problems.append(f"{name}: an on*= event handler")
        if re.search(r"<[a-z][^>]*\sstyle\s*=", text, re.I) or re.search(r"<style\b", text, re.I):
            problems.append(f"{name}: inline style (use a static .css file)")
        if re.search(r"\|\s*safe\b|{%\s*autoescape\s+off", text):
            problems.append(f"{name}: output marked safe")
        if re.search(r"javascript:", text, re.I):
            problems.append(f"{name}: a javascript: URL")
    assert not problems, "\n".join(problems)


def test_portal_scripts_build_no_html_from_strings():
    assert OUR_SCRIPTS
    problems = []
    for path in OUR_SCRIPTS:
        text = path.read_text("utf-8")
        name = path.relative_to(SRC)
        for pattern, why in (
            (
                r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|createContextualFragment",
                "HTML from a string",
            ),
            (r"\beval\s*\(|new Function\s*\(|setTimeout\s*\(\s*[\"'`]", "code from a string"),
            (
                r"bind(Popup|Tooltip)\s*\(\s*[\"'`]|bind(Popup|Tooltip)\s*\([^()]*\+",
                "Leaflet renders string content as HTML",
            ),
        ):
            if re.search(pattern, text):
                problems.append(f"{name}: {why}")
        for m in re.finditer(r"tooltip:\s*\{[^}]*\}", text):
            if "richText" not in m.group(0):
                problems.append(f'{name}: an ECharts tooltip rendered as HTML (set renderMode: "richText")')
        if re.search(r"formatter\s*:", text):
            problems.append(f"{name}: an ECharts formatter (its output is HTML)")
    assert not problems, "\n".join(problems)


def test_python_marks_nothing_safe_outside_the_reviewed_places():
    # The seed text view escapes the whole text and marks only its own <mark> tags safe.
    reviewed = {"portal/policy_views.py"}
    found = {
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if re.search(r"\bmark_safe\(|\bformat_html\(|SafeString\(|\|safe\b", p.read_text("utf-8"))
    }
    assert found <= reviewed, f"new places that mark output safe, review them: {sorted(found - reviewed)}"
