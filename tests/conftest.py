"""Shared test set-up. The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL says so."""

import os

import pytest


def pytest_configure(config):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        try:
            psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=5).close()
        except psycopg.OperationalError as exc:
            pytest.exit(f"cannot connect to PostgreSQL at DATABASE_URL={url!r}: {str(exc).strip()}", returncode=3)


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Real hashing costs ~0.3 s a user; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
