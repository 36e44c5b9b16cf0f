"""Two reviewers deciding at once: one wins, the other gets 409, nothing half-written; licences
registered at once in one series get distinct consecutive numbers — real concurrent transactions
on SQLite (file database, in a subprocess) and on PostgreSQL (threads)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import on_postgres

from .race import N_REGISTER, race

ROOT = Path(__file__).resolve().parents[2]
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
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["KZ_DATA_DIR"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "tests.applications.race"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    _check(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.skipif(not on_postgres(), reason="needs DATABASE_URL=postgres://… (real row locks)")
@pytest.mark.django_db(transaction=True)
def test_postgres_concurrent_decisions_and_numbering():
    from kuangzheng.applications import services

    today = services.today
    try:
        _check(race())
    finally:
        services.today = today
