"""Helpers shared by the tests of several domains (plain functions and data; fixtures are in conftest.py)."""

import os


def on_postgres() -> bool:
    """Whether this run is the PostgreSQL one (DATABASE_URL set by scripts/test)."""
    return os.environ.get("DATABASE_URL", "").startswith("postgres")
