"""Shared test set-up. The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL says so."""

import os

import pytest

from tests.support import on_postgres
from tests.support.registry import login, reg  # noqa: F401  (fixtures shared by every domain's tests)


def pytest_configure(config):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        try:
            psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=5).close()
        except psycopg.OperationalError as exc:
            pytest.exit(f"cannot connect to PostgreSQL at DATABASE_URL={url!r}: {str(exc).strip()}", returncode=3)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Real hashing costs ~0.3 s a user; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _audit_key_per_test(settings, tmp_path):
    """Each test signs audit checkpoints with its own key and log: a log shared between test
    databases would name checkpoints that the next database's chain does not hold."""
    from kuangzheng.audit import anchor

    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "audit-key" / "audit.key"
    settings.AUDIT_CHECKPOINT_LOG = tmp_path / "audit-key" / "checkpoints.jsonl"
    anchor.forget()
    yield
    anchor.forget()


CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
_PORTAL_ENV: dict = {}  # the environment portal_server runs with, for processes that share its database


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def portal_server(tmp_path_factory):
    """A real `kz serve` (waitress) on loopback with the demo data, as the README's first command runs
    it. On the PostgreSQL run it uses a fresh database of its own on the same server."""
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    data = tmp_path_factory.mktemp("kz-portal")
    env = {**os.environ, "KZ_DATA_DIR": str(data)}
    dbname = None
    if on_postgres():
        import psycopg

        url = os.environ["DATABASE_URL"]
        dbname = f"kz_portal_{os.getpid()}"
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f"drop database if exists {dbname}")
            conn.execute(f"create database {dbname}")
        env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + dbname
    else:
        env.pop("DATABASE_URL", None)
    _PORTAL_ENV.update(env)
    kz = str(Path(sys.executable).with_name("kz"))
    init = subprocess.run([kz, "init", "--demo"], env=env, capture_output=True, text=True, timeout=600)
    if init.returncode != 0:
        raise RuntimeError(f"kz init --demo failed:\n{init.stderr[-3000:]}")
    port = _free_port()
    proc = subprocess.Popen(
        [kz, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/api/v1/me", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("kz serve did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    yield base
    proc.terminate()
    proc.wait(timeout=20)
    if dbname:
        import psycopg

        with psycopg.connect(
            os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1), autocommit=True
        ) as conn:
            conn.execute(f"drop database if exists {dbname} with (force)")


@pytest.fixture(scope="session")
def portal_env(portal_server):
    """The environment (data folder, database) of `portal_server`, for other `kz` processes on its data."""
    return dict(_PORTAL_ENV)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven through chromedriver (selenium), headless."""
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.skip("Debian's chromium and chromium-driver are not installed (.ci/run installs them)")
    import tempfile

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,900",
        "--lang=zh-CN",
        f"--user-data-dir={tempfile.mkdtemp()}",
    ):
        opts.add_argument(a)
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()
