"""Production configuration: `kz deploy-config` writes an env file for which Django's deployment
check finds nothing; a server started from it sends HSTS and Secure cookies and redirects plain
HTTP; the built-in secret key is refused in production and shouted about everywhere else."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

KZ = str(Path(sys.executable).with_name("kz"))
# The test process's own settings must not leak into the configurations under test.
BASE_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("KZ_", "DJANGO_")) and k != "DATABASE_URL"}
DEPLOY_CHECK = """
import sys
from kuangzheng.runtime import load_env_file
load_env_file(sys.argv[1] if len(sys.argv) > 1 else None)
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuangzheng.settings")
django.setup()
from django.core.management import call_command
call_command("check", deploy=True, fail_level="DEBUG")  # any message at all fails
"""


def _run(args, tmp_path, **env):
    return subprocess.run(
        args, env={**BASE_ENV, "KZ_DATA_DIR": str(tmp_path), **env}, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def production_env(tmp_path) -> Path:
    path = tmp_path / "kz.env"
    r = _run([KZ, "deploy-config", "--host", "kz.example.gov.cn", "-o", str(path)], tmp_path)
    assert r.returncode == 0, r.stderr
    assert path.stat().st_mode & 0o077 == 0, "the env file holds the secret key: owner-only"
    return path


def test_the_generated_configuration_passes_the_deployment_check(production_env, tmp_path):
    r = _run([sys.executable, "-c", DEPLOY_CHECK, str(production_env)], tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "System check identified no issues" in r.stdout


def test_the_default_configuration_fails_the_deployment_check(tmp_path):
    r = _run([sys.executable, "-c", DEPLOY_CHECK], tmp_path)
    assert r.returncode != 0
    for check in ("security.W004", "security.W008", "security.W009", "security.W012"):  # HSTS, SSL, key, cookie
        assert check in r.stderr, check


def test_each_run_gets_a_fresh_key(tmp_path):
    keys = {
        line
        for _ in range(2)
        for line in _run([KZ, "deploy-config", "--host", "a.example"], tmp_path).stdout.splitlines()
        if line.startswith("KZ_SECRET_KEY=")
    }
    assert len(keys) == 2 and all(len(k) > 60 for k in keys)


def test_an_existing_env_file_is_not_overwritten(production_env, tmp_path):
    before = production_env.read_text()
    r = _run([KZ, "deploy-config", "--host", "b.example", "-o", str(production_env)], tmp_path)
    assert r.returncode != 0 and "exists" in r.stderr and production_env.read_text() == before


@pytest.mark.parametrize(
    "env, message",
    [
        ({"KZ_PRODUCTION": "1"}, "KZ_SECRET_KEY"),
        ({"KZ_PRODUCTION": "1", "KZ_SECRET_KEY": "short"}, "50"),
        ({"KZ_PRODUCTION": "1", "KZ_SECRET_KEY": "x" * 20 + "abcdefghij" * 4, "KZ_DEBUG": "1"}, "KZ_DEBUG"),
        ({"KZ_SESSION_AGE": "eight hours"}, "KZ_SESSION_AGE"),
    ],
)
def test_unsafe_or_invalid_settings_refuse_to_start(tmp_path, env, message):
    r = _run([KZ, "serve", "--port", "1"], tmp_path, **env)
    assert r.returncode != 0 and message in r.stderr and "Traceback" not in r.stderr, r.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(tmp_path, *args, **env):
    port = _free_port()
    proc = subprocess.Popen(
        [KZ, *args, "serve", "--port", str(port)],
        env={**BASE_ENV, "KZ_DATA_DIR": str(tmp_path), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/login/", timeout=2)
            break
        except urllib.error.HTTPError:
            break  # answering (a redirect to HTTPS counts)
        except OSError:
            if proc.poll() is not None:
                raise AssertionError(proc.stderr.read()) from None
            time.sleep(0.2)
    return proc, base


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_serve_warns_loudly_about_the_built_in_key(tmp_path):
    proc, _ = _serve(tmp_path)
    proc.terminate()
    err = proc.communicate(timeout=20)[1]
    assert "内置的 SECRET_KEY" in err and "built-in SECRET_KEY" in err and "KZ_SECRET_KEY" in err


def test_a_server_from_the_generated_file_keeps_to_https(production_env, tmp_path):
    proc, base = _serve(tmp_path, "--env-file", str(production_env))
    try:
        opener = urllib.request.build_opener(_NoRedirect)
        host = {"Host": "kz.example.gov.cn"}
        with pytest.raises(urllib.error.HTTPError) as plain:
            opener.open(urllib.request.Request(base + "/login/", headers=host), timeout=20)
        assert plain.value.code == 301 and plain.value.headers["Location"] == "https://kz.example.gov.cn/login/"
        via_proxy = urllib.request.Request(base + "/login/", headers={**host, "X-Forwarded-Proto": "https"})
        with opener.open(via_proxy, timeout=20) as r:
            assert r.status == 200
            assert "max-age=31536000" in r.headers["Strict-Transport-Security"]
            cookies = r.headers.get_all("Set-Cookie")
            assert any(c.startswith("csrftoken=") and "Secure" in c and "HttpOnly" in c for c in cookies), cookies
            assert "script-src 'self'" in r.headers["Content-Security-Policy"]
        with pytest.raises(urllib.error.HTTPError) as wrong_host:
            opener.open(urllib.request.Request(base + "/login/", headers={"X-Forwarded-Proto": "https"}), timeout=20)
        assert wrong_host.value.code == 400  # 127.0.0.1 is not an allowed host in production
    finally:
        proc.terminate()
        err = proc.communicate(timeout=20)[1]
    assert "SECRET_KEY" not in err, err  # no warning: the file's own key is in use


def test_kz_deploy_check_reads_the_env_file(production_env, tmp_path):
    ok = _run([KZ, "--env-file", str(production_env), "deploy-check"], tmp_path)
    assert ok.returncode == 0 and "no issues" in ok.stdout, ok.stdout + ok.stderr
    bad = _run([KZ, "deploy-check"], tmp_path)
    assert bad.returncode != 0 and "security.W009" in bad.stderr and "Traceback" not in bad.stderr
