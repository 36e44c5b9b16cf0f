"""A PostgreSQL URL that cannot connect fails at once with a clear message naming where it tried."""

import os
import subprocess
import sys
from pathlib import Path


def _kz(*args, env):
    kz = str(Path(sys.executable).with_name("kz"))
    return subprocess.run([kz, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=120)


def test_unreachable_postgres_fails_clearly(tmp_path):
    r = _kz("init", env={"DATABASE_URL": "postgres://kz:kz@127.0.0.1:1/nowhere", "KZ_DATA_DIR": str(tmp_path)})
    assert r.returncode != 0
    assert "无法连接数据库" in r.stderr and "127.0.0.1:1/nowhere" in r.stderr and "cannot connect" in r.stderr
    assert "Traceback" not in r.stderr


def test_unsupported_database_url_is_named(tmp_path):
    r = _kz("init", env={"DATABASE_URL": "mysql://x@localhost/db", "KZ_DATA_DIR": str(tmp_path)})
    assert r.returncode != 0 and "DATABASE_URL" in r.stderr and "mysql" in r.stderr and "Traceback" not in r.stderr
