"""Brute force: thirty wrong passwords and then the right one must not get in, neither through the
portal's sign-in form nor through the API's password grant for tokens (django-axes)."""

from django.conf import settings
from django.test import Client

from kuangzheng.access.models import ApiToken
from tests.support.registry import PASSWORD


def _portal_login(c, username, password):
    return c.post("/login/", {"username": username, "password": password})


def test_thirty_wrong_passwords_lock_the_portal_sign_in(reg):
    c = Client()
    for _ in range(30):
        r = _portal_login(c, "u-reg-bt", "guess")
        assert r.status_code in (200, 429)
    r = _portal_login(c, "u-reg-bt", PASSWORD)
    assert r.status_code == 429 and "锁定" in r.content.decode()
    assert int(r["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert c.get("/api/v1/me").json()["role"] == "public"  # not signed in


def test_the_lock_is_per_username_and_address(reg):
    attacker = Client(REMOTE_ADDR="10.0.0.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _portal_login(attacker, "u-reg-bt", "guess")
    assert _portal_login(attacker, "u-reg-bt", PASSWORD).status_code == 429
    # the real user elsewhere still signs in; so does another user from the attacker's address
    assert _portal_login(Client(REMOTE_ADDR="10.0.0.7"), "u-reg-bt", PASSWORD).status_code == 302
    assert _portal_login(attacker, "u-reg-im", PASSWORD).status_code == 302


def test_a_success_before_the_limit_resets_the_count(reg):
    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _portal_login(c, "u-reg-bt", "guess")
    assert _portal_login(c, "u-reg-bt", PASSWORD).status_code == 302
    c.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _portal_login(c, "u-reg-bt", "guess")
    assert _portal_login(c, "u-reg-bt", PASSWORD).status_code == 302


def test_thirty_wrong_passwords_lock_the_api_password_grant(reg):
    c = Client()
    body = {"name": "cron", "username": "u-reg-bt"}
    codes = [
        c.post("/api/v1/me/tokens", {**body, "password": "guess"}, content_type="application/json").status_code
        for _ in range(30)
    ]
    assert (
        set(codes) == {401, 429} and codes.index(429) == settings.AXES_FAILURE_LIMIT - 1
    )  # the limit-th failure locks
    r = c.post("/api/v1/me/tokens", {**body, "password": PASSWORD}, content_type="application/json")
    assert r.status_code == 429 and r.json()["error"] == "LockedOut" and "锁定" in r.json()["message_zh"]
    assert not ApiToken.objects.exists()


def test_the_admin_sign_in_is_locked_too(reg):
    c = Client()
    for _ in range(30):
        c.post("/admin/login/", {"username": "u-admin", "password": "guess"})
    r = c.post("/admin/login/", {"username": "u-admin", "password": PASSWORD})
    assert r.status_code == 429
