"""A mine's fund can never be spent twice, even by two requests at the same moment — real concurrent
transactions on SQLite (file database, BEGIN IMMEDIATE) and on PostgreSQL (SELECT … FOR UPDATE).

Each case also runs with the protection switched off (``fund.SERIALISE = False``: the balances are
read before the transaction, without the lock). Then both spends succeed, the fund goes negative and
the ledger no longer balances — so these tests fail if the protection is removed."""

import pytest

from tests.support.race import in_subprocess, postgres_only, with_and_without_the_lock

from .race import FUND, race, setup_fund


def _check(r, locked):
    assert r["errors"] == []
    if locked:
        assert r["outcomes"] == ["refused", "spent"]
        assert r["balanced"] and r["fund"] == "0.00" and r["spent"] == FUND
    else:
        assert r["outcomes"] == ["spent", "spent"]
        assert not r["balanced"] and r["fund"].startswith("-")


@with_and_without_the_lock
def test_sqlite_double_spend(tmp_path, locked):
    _check(in_subprocess("tests.restoration.race", tmp_path, locked), locked)


@postgres_only
@with_and_without_the_lock
@pytest.mark.django_db(transaction=True)
def test_postgres_double_spend(locked):
    _check(race(setup_fund(), serialise=locked), locked)
