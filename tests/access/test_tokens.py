"""API tokens: the only credential scripts send. Only a digest is stored; expired and revoked tokens
are refused; HTTP Basic is refused (it ran the slow password hash on every call)."""

import base64
import datetime as dt
import hashlib

from click.testing import CliRunner
from django.test import Client
from django.utils import timezone

from kuangzheng.access import tokens
from kuangzheng.access.models import ApiToken
from kuangzheng.cli import main
from tests.support.registry import PASSWORD


def _auth(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_token_authenticates_as_its_user(reg, client):
    made = tokens.create(reg.users["reg_bt"], "nightly export")
    me = client.get("/api/v1/me", **_auth(made.secret)).json()
    assert me["username"] == "u-reg-bt" and me["role"] == "regulator" and me["division"] == "150200"
    assert ApiToken.objects.get(pk=made.token.pk).last_used is not None


def test_only_the_digest_is_stored(reg):
    made = tokens.create(reg.users["admin"], "x")
    row = ApiToken.objects.values().get(pk=made.token.pk)
    assert row["digest"] == hashlib.sha256(made.secret.encode()).hexdigest()
    assert not any(made.secret in str(v) for v in row.values())
    assert len(made.secret) >= 40  # 32 random bytes, URL-safe


def test_token_writes_need_no_csrf_and_are_audited_as_the_user(reg):
    from kuangzheng.audit.models import AuditEntry

    c = Client(enforce_csrf_checks=True)
    r = c.patch(
        f"/api/v1/zones/{reg.zone.pk}",
        {"name": "令牌改名", "version": reg.zone.version},
        content_type="application/json",
        **_auth(tokens.create(reg.users["reg_bt"], "w").secret),
    )
    assert r.status_code == 200, r.content
    assert AuditEntry.objects.order_by("-seq").first().actor == "u-reg-bt"


def test_revoked_and_expired_tokens_are_refused(reg, client):
    revoked = tokens.create(reg.users["admin"], "old")
    tokens.revoke(reg.users["admin"], revoked.token.pk)
    expired = tokens.create(reg.users["admin"], "short", days=1)
    ApiToken.objects.filter(pk=expired.token.pk).update(expires=timezone.now() - dt.timedelta(seconds=1))
    for secret in (revoked.secret, expired.secret, "kz_" + "A" * 43, "garbage"):
        r = client.get("/api/v1/me", **_auth(secret))
        assert r.status_code == 401 and "revoked" in r.json()["message_en"], secret
    # refused, not downgraded to the public: a write with a dead token is a 401 too
    r = client.post("/api/v1/zones", {}, content_type="application/json", **_auth(revoked.secret))
    assert r.status_code == 401


def test_a_deactivated_users_token_is_refused(reg, client):
    made = tokens.create(reg.users["ent_a"], "x")
    reg.users["ent_a"].is_active = False
    reg.users["ent_a"].save()
    assert client.get("/api/v1/me", **_auth(made.secret)).status_code == 401


def test_http_basic_is_refused_with_a_pointer_to_tokens(reg, client):
    basic = base64.b64encode(f"u-reg-bt:{PASSWORD}".encode()).decode()
    r = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Basic {basic}")
    assert r.status_code == 401 and "Bearer" in r.json()["message_en"] and "令牌" in r.json()["message_zh"]


def test_session_user_makes_lists_and_revokes_tokens(reg):
    c = Client(enforce_csrf_checks=True)
    c.force_login(reg.users["ent_a"])
    assert c.post("/api/v1/me/tokens", {"name": "x"}, content_type="application/json").status_code == 403  # CSRF
    c.get("/login/")  # Django sets the CSRF cookie on a page with a form
    c.get("/")
    csrf = c.cookies["csrftoken"].value
    r = c.post(
        "/api/v1/me/tokens",
        {"name": "报表脚本", "expires_in_days": 30},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert r.status_code == 201, r.content
    made = r.json()
    assert made["secret"].startswith("kz_") and made["active"]
    assert c.get("/api/v1/me", **_auth(made["secret"])).json()["role"] == "enterprise"
    listed = c.get("/api/v1/me/tokens").json()
    assert [t["name"] for t in listed] == ["报表脚本"] and "secret" not in listed[0]
    assert c.delete(f"/api/v1/me/tokens/{made['id']}", HTTP_X_CSRFTOKEN=csrf).json()["revoked"]
    assert Client().get("/api/v1/me", **_auth(made["secret"])).status_code == 401


def test_a_token_cannot_make_tokens_or_touch_another_users(reg, client):
    own = tokens.create(reg.users["reg_bt"], "mine")
    other = tokens.create(reg.users["admin"], "theirs")
    r = client.post("/api/v1/me/tokens", {"name": "more"}, content_type="application/json", **_auth(own.secret))
    assert r.status_code == 403
    assert client.delete(f"/api/v1/me/tokens/{other.token.pk}", **_auth(own.secret)).status_code == 404
    assert ApiToken.objects.get(pk=other.token.pk).revoked is None


def test_a_script_gets_a_token_with_its_password(reg, client):
    r = client.post(
        "/api/v1/me/tokens",
        {"name": "cron", "username": "u-reg-im", "password": PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 201
    assert client.get("/api/v1/me", **_auth(r.json()["secret"])).json()["division"] == "150000"
    bad = client.post(
        "/api/v1/me/tokens",
        {"name": "cron", "username": "u-reg-im", "password": "nope"},
        content_type="application/json",
    )
    assert bad.status_code == 401


def test_token_input_errors_name_the_field(reg, client):
    client.force_login(reg.users["admin"])
    r = client.post("/api/v1/me/tokens", {"name": "", "expires_in_days": 9999}, content_type="application/json")
    assert r.status_code == 400
    assert {p["field"] for p in r.json()["problems"]} == {"name", "expires_in_days"}


def test_kz_token_create_list_revoke(reg):
    runner = CliRunner()
    out = runner.invoke(main, ["token", "create", "u-reg-bt", "--name", "etl", "--days", "7"])
    assert out.exit_code == 0, out.output
    secret = out.stdout.strip().splitlines()[-1]
    assert Client().get("/api/v1/me", **_auth(secret)).json()["username"] == "u-reg-bt"
    listed = runner.invoke(main, ["token", "list", "u-reg-bt"])
    assert "etl" in listed.output and "active" in listed.output and secret not in listed.output
    tid = ApiToken.objects.get(user__username="u-reg-bt").pk
    assert runner.invoke(main, ["token", "revoke", str(tid)]).exit_code == 0
    assert Client().get("/api/v1/me", **_auth(secret)).status_code == 401
    assert runner.invoke(main, ["token", "create", "nobody"]).exit_code != 0


def test_portal_token_page(reg, client):
    assert client.get("/me/tokens/").status_code == 302  # the public is sent to sign in
    client.force_login(reg.users["reg_bt"])
    page = client.post("/me/tokens/", {"name": "<b>名</b>", "days": "30"})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="token-secret"' in html and "&lt;b&gt;名&lt;/b&gt;" in html
    secret = html.split('id="token-secret">', 1)[1].split("<", 1)[0]
    assert client.get("/api/v1/me", **_auth(secret)).json()["username"] == "u-reg-bt"
    again = client.get("/me/tokens/").content.decode()
    assert secret not in again and secret[:10] in again  # listed by prefix, never shown twice
    tid = ApiToken.objects.get(user=reg.users["reg_bt"]).pk
    client.post("/me/tokens/", {"revoke": str(tid)})
    assert Client().get("/api/v1/me", **_auth(secret)).status_code == 401
    bad = client.post("/me/tokens/", {"name": "", "days": "0"})
    assert bad.status_code == 400 and "令牌名称" in bad.content.decode() and "有效天数" in bad.content.decode()
