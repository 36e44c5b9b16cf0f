"""`kz backup` while writers write, then `kz restore` into an empty database: every record committed
before the backup started is there, and `kz audit verify` passes on the restored database. A file
copy of a running SQLite database fails this (committed pages still in the WAL are lost)."""

import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.support import on_postgres

ROOT = Path(__file__).resolve().parents[2]
KZ = str(Path(sys.executable).with_name("kz"))
WRITERS = 2


def _pg(url):
    return url.replace("postgres://", "postgresql://", 1)


@pytest.fixture
def two_databases(tmp_path):
    """(env of the live database, env of the empty one to restore into), each with its own data dir."""
    envs = []
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base["PYTHONPATH"] = str(ROOT)
    # the drill: the restored database is verified with the production key and checkpoint log; no
    # checkpoint is due during the test's writes besides the day's first (one made after the backup
    # would rightly show the restored chain as missing its entries)
    base["KZ_AUDIT_KEY_FILE"] = str(tmp_path / "keys" / "audit.key")
    base["KZ_AUDIT_CHECKPOINT_LOG"] = str(tmp_path / "keys" / "checkpoints.jsonl")
    base["KZ_AUDIT_CHECKPOINT_EVERY"] = "1000000"
    names = []
    for which in ("live", "restored"):
        env = {**base, "KZ_DATA_DIR": str(tmp_path / which)}
        if on_postgres():
            name = f"kz_backup_{which}_{os.getpid()}"
            with psycopg.connect(_pg(os.environ["DATABASE_URL"]), autocommit=True) as conn:
                conn.execute(f"drop database if exists {name}")
                conn.execute(f"create database {name}")
            names.append(name)
            env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
        envs.append(env)
    yield envs
    for name in names:
        with psycopg.connect(_pg(os.environ["DATABASE_URL"]), autocommit=True) as conn:
            conn.execute(f"drop database if exists {name} with (force)")


def _kz(env, *args):
    done = subprocess.run([KZ, *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done


def _committed(logs):
    return {int(x) for log in logs if log.exists() for x in log.read_text().split()}


def _rows(env, sql):
    if "DATABASE_URL" in env:
        with psycopg.connect(_pg(env["DATABASE_URL"])) as conn:
            return conn.execute(sql).fetchall()
    with sqlite3.connect(Path(env["KZ_DATA_DIR"]) / "kuangzheng.sqlite3") as conn:
        return conn.execute(sql).fetchall()


def test_backup_under_concurrent_writes_restores_everything_committed(two_databases, tmp_path):
    live, restored = two_databases
    _kz(live, "init")
    subprocess.run([sys.executable, "-m", "tests.support.writer", "seed"], env=live, check=True, cwd=ROOT)
    stop = tmp_path / "stop"
    logs = [tmp_path / f"writer-{i}.log" for i in range(WRITERS)]
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.writer", str(log), str(stop), f"w{i}"], env=live, cwd=ROOT
        )
        for i, log in enumerate(logs)
    ]
    try:
        deadline = time.time() + 60
        while len(_committed(logs)) < 40 and time.time() < deadline:
            time.sleep(0.1)
        backup, noted = tmp_path / "kz.backup", tmp_path / "before.txt"
        # the backup as `kz backup` makes it, noting what was committed the moment before it starts
        cmd = [sys.executable, "-m", "tests.support.writer", "backup", str(backup), str(noted), *map(str, logs)]
        subprocess.run(cmd, env=live, check=True, cwd=ROOT)
        before = _committed([noted])
        time.sleep(0.5)  # the writers go on after the backup
    finally:
        stop.touch()
        for w in writers:
            w.wait(timeout=60)
    _kz(live, "backup", str(tmp_path / "by-command.backup"))  # the command itself, on the same database
    assert len(before) >= 40 and all(w.returncode == 0 for w in writers)
    assert len(_committed(logs)) > len(before)
    _kz(restored, "init")  # an empty database of the same schema, as on a fresh machine
    _kz(restored, "restore", str(backup), "--yes")
    ids = {r[0] for r in _rows(restored, "select id from registry_enterprise")}
    assert before <= ids, f"lost {len(before - ids)} of {len(before)} records committed before the backup"
    verify = subprocess.run([KZ, "audit", "verify"], env=restored, capture_output=True, text=True)
    assert verify.returncode == 0 and "intact" in verify.stdout, verify.stdout + verify.stderr
    # the day's first write anchored the chain (two writers racing to be first may both sign one)
    assert int(re.search(r"(\d+) signed checkpoints", verify.stdout).group(1)) >= 1, verify.stdout
    # every restored enterprise has its creation in the restored chain, and no entry lacks its record
    created = _rows(
        restored, "select entity_id from audit_auditentry where entity = 'enterprise' and action = 'create'"
    )
    assert {int(r[0]) for r in created} == ids


def test_restore_refuses_what_is_not_a_backup(two_databases, tmp_path):
    live, _ = two_databases
    _kz(live, "init")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a database at all")
    done = subprocess.run([KZ, "restore", str(junk), "--yes"], env=live, capture_output=True, text=True)
    assert done.returncode != 0 and "not a backup" in done.stderr
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("create table t (x)").connection.commit()
    done = subprocess.run([KZ, "restore", str(other), "--yes"], env=live, capture_output=True, text=True)
    assert done.returncode != 0 and ("not a Kuangzheng database" in done.stderr or "restore it into" in done.stderr)
