"""Shared test set-up. The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL says so."""

import os

import pytest

from tests.support.live import serve_demo
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


@pytest.fixture(scope="session")
def portal_server(tmp_path_factory):
    """A real `kz serve` (waitress) on loopback with the demo data, as the README's first command runs
    it. On the PostgreSQL run it uses a fresh database of its own on the same server."""
    with serve_demo(tmp_path_factory.mktemp("kz-portal"), "portal", env_out=_PORTAL_ENV) as base:
        yield base


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
