"""A quota can never be consumed twice, even by two requests at the same moment — real concurrent
transactions on SQLite (file database, BEGIN IMMEDIATE) and on PostgreSQL (SELECT … FOR UPDATE).

Each case also runs with the protection switched off (``ledger.SERIALISE = False``: the ledger
is read before the transaction, without the lock). Then both requests succeed and the ledger no
longer balances — so these tests fail if the protection is removed."""

import pytest

from tests.support.race import in_subprocess, postgres_only, with_and_without_the_lock

from .race import QUOTA, race, setup_ledger


def _check(r, locked):
    assert r["errors"] == []
    if locked:
        assert r["outcomes"] == ["consumed", "refused"]
        assert r["balanced"]
        assert r["quotas"] == [{"quota": "RACE-Q1", "retired": QUOTA, "available": 0, "consumed": QUOTA}]
    else:
        assert r["outcomes"] == ["consumed", "consumed"]
        assert not r["balanced"] and r["quotas"][0]["consumed"] == 2 * QUOTA


@with_and_without_the_lock
def test_sqlite_double_spend(tmp_path, locked):
    _check(in_subprocess("tests.monitoring.race", tmp_path, locked), locked)


@postgres_only
@with_and_without_the_lock
@pytest.mark.django_db(transaction=True)
def test_postgres_double_spend(locked):
    _check(race(setup_ledger(), serialise=locked), locked)
