"""A quota can never be consumed twice, even by two requests at the same moment — real concurrent
transactions on SQLite (file database, BEGIN IMMEDIATE) and on PostgreSQL (SELECT … FOR UPDATE).

Each case also runs with the protection switched off (``ledger.SERIALISE = False``: the ledger
is read before the transaction, without the lock). Then both requests succeed and the ledger no
longer balances — so these tests fail if the protection is removed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import on_postgres

from .race import QUOTA, race, setup_ledger

ROOT = Path(__file__).resolve().parents[2]


def _sqlite_race(tmp_path, *args):
    import json

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["KZ_DATA_DIR"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "tests.monitoring.race", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _protected(r):
    assert r["errors"] == []
    assert r["outcomes"] == ["consumed", "refused"]
    assert r["balanced"] and r["quotas"] == [{"quota": "RACE-Q1", "retired": QUOTA, "available": 0, "consumed": QUOTA}]


def _double_spent(r):
    assert r["outcomes"] == ["consumed", "consumed"]
    assert not r["balanced"] and r["quotas"][0]["consumed"] == 2 * QUOTA


def test_sqlite_double_spend_refused(tmp_path):
    _protected(_sqlite_race(tmp_path))


def test_sqlite_without_the_lock_it_would_double_spend(tmp_path):
    _double_spent(_sqlite_race(tmp_path, "--unprotected"))


@pytest.mark.skipif(not on_postgres(), reason="needs DATABASE_URL=postgres://… (real row locks)")
@pytest.mark.django_db(transaction=True)
def test_postgres_double_spend_refused():
    _protected(race(setup_ledger()))


@pytest.mark.skipif(not on_postgres(), reason="needs DATABASE_URL=postgres://… (real row locks)")
@pytest.mark.django_db(transaction=True)
def test_postgres_without_the_lock_it_would_double_spend():
    _double_spent(race(setup_ledger(), serialise=False))
