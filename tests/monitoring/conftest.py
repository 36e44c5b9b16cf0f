"""Monitoring tests start from the registry's small fixture (tests/registry/conftest.py)."""

from tests.registry.conftest import ADMIN, PASSWORD, login, reg  # noqa: F401  (fixtures)
