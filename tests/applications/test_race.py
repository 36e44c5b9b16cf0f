"""Two reviewers deciding at once: one wins, the other gets 409, nothing half-written; licences
registered at once in one series get distinct consecutive numbers — real concurrent transactions
on SQLite (file database, in a subprocess) and on PostgreSQL (threads)."""

import pytest

from tests.support.race import in_subprocess, postgres_only

from .race import N_REGISTER, race

EXPECTED_LICENCES = [f"C15020020260300{i:03d}" for i in range(1, N_REGISTER + 1)]


def _check(r):
    assert r["errors"] == []
    d = r["decided"]
    assert d["outcomes"] == ["409", "ok"]
    assert d["status"] in ("approved", "refused")
    assert (d["decision_steps"], d["decision_audits"]) == (1, 1)  # the loser wrote nothing
    assert r["numbered"] == ["ok"] * N_REGISTER
    assert r["licences"] == EXPECTED_LICENCES


def test_sqlite_concurrent_decisions_and_numbering(tmp_path):
    _check(in_subprocess("tests.applications.race", tmp_path))


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_concurrent_decisions_and_numbering():
    from kuangzheng.applications import services

    today = services.today
    try:
        _check(race())
    finally:
        services.today = today
