"""Talking to the live server of the `portal_server` fixture as a demo user: a signed-in session
(the portal's login form, so no password hash per request) that also sends the CSRF token."""

import requests

DEMO_PASSWORD = "kz-demo-2026"
DEMO_USERS = ("admin", "nmg", "baotou", "qiye")


def signed_in(base: str, username: str | None) -> requests.Session:
    """A session signed in as `username` (None: the public), with the CSRF header set for writes."""
    s = requests.Session()
    s.get(base + "/login/", timeout=60).raise_for_status()
    token = s.cookies["csrftoken"]
    if username:
        r = s.post(
            base + "/login/",
            data={"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": base + "/login/"},
            timeout=60,
        )
        r.raise_for_status()
        token = s.cookies["csrftoken"]  # rotated at sign-in
        assert "sessionid" in s.cookies, f"{username} could not sign in"
    s.headers.update({"X-CSRFToken": token, "Referer": base + "/"})
    return s
