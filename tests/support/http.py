"""An HTTP client for the real server: signs in through the portal's login form and calls the API
with the session and its CSRF token, as the portal's own pages would."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request


class Session:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """(status, headers, body bytes); HTTP errors are returned, not raised."""
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        if method not in ("GET", "HEAD"):
            req.add_header("X-CSRFToken", self.csrf())
            req.add_header("Referer", self.base + "/")
        try:
            with self.opener.open(req, timeout=120) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def login(self, username: str, password: str) -> Session:
        _, _, page = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
        status, _, _ = self.request(
            "POST", "/login/", form.encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if not any(c.name == "sessionid" for c in self.jar):
            raise AssertionError(f"sign-in as {username} failed ({status})")
        return self

    def api(self, method: str, path: str, payload=None):
        """Call /api/v1/…; returns (status, decoded JSON)."""
        body = None if payload is None else json.dumps(payload).encode()
        status, _, data = self.request(method, "/api/v1/" + path, body, {"Content-Type": "application/json"})
        return status, (json.loads(data) if data else None)
