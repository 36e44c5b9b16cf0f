"""`kz backup FILE` / `kz restore FILE`: a consistent copy of the whole database, taken while the
server runs, and its restore.

A file copy of a running SQLite database is not a backup: committed transactions may still sit in
the write-ahead log beside it, and the copy silently loses them. SQLite's online backup API copies
the database as one reader sees it, in one step, so the copy holds exactly the transactions
committed when it started. On PostgreSQL `pg_dump -Fc` does the same from one snapshot, and
`pg_restore --single-transaction` restores all of it or nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import click

from kuangzheng.runtime import setup_django

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
REQUIRED_TABLES = ("django_migrations", "audit_auditentry")  # a Kuangzheng database, not any file


class BackupError(click.ClickException):
    pass


@dataclass(frozen=True)
class Outcome:
    engine: str
    path: Path
    size: int
    seconds: float


def _db():
    from django.db import connection

    return connection.vendor, connection.settings_dict


def backup(dest: Path) -> Outcome:
    """Write a consistent copy of the configured database to `dest` (replaced atomically)."""
    vendor, cfg = _db()
    dest = Path(dest).resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".partial")
    started = time.perf_counter()
    try:
        if vendor == "sqlite":
            _sqlite_copy(Path(cfg["NAME"]), tmp)
            _check_sqlite(tmp)
        else:
            _run(["pg_dump", "-Fc", "--no-owner", "-f", str(tmp)], cfg)
        os.replace(tmp, dest)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return Outcome(vendor, dest, dest.stat().st_size, time.perf_counter() - started)


def restore(src: Path, keep_current: bool = True) -> Outcome:
    """Replace the configured database's contents with the backup `src`. Stop the server first."""
    vendor, cfg = _db()
    src = Path(src).resolve()
    kind = _kind_of(src)
    if kind != vendor:
        raise BackupError(
            f"备份文件是 {kind} 格式，而当前数据库是 {vendor}，不能跨数据库恢复"
            f" / the backup is a {kind} backup and the configured database is {vendor}: restore it into a {kind}"
            " database (DATABASE_URL)"
        )
    started = time.perf_counter()
    from django.db import connection

    connection.close()  # nothing of ours holds the database while it is replaced
    if vendor == "sqlite":
        _check_sqlite(src)
        target = Path(cfg["NAME"])
        if keep_current and _has_tables(target):
            _sqlite_copy(target, target.with_name(f"{target.name}.before-restore-{dt.datetime.now():%Y%m%d-%H%M%S}"))
        target.parent.mkdir(parents=True, exist_ok=True)
        # through SQLite, not a file copy: the target's WAL and locks are honoured
        _sqlite_copy(src, target, journal="WAL")
    else:
        _restore_postgres(src, cfg)
    return Outcome(vendor, src, src.stat().st_size, time.perf_counter() - started)


def _sqlite_copy(src: Path, dest: Path, journal: str = "DELETE") -> None:
    source = sqlite3.connect(src.resolve().as_uri() + "?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(dest, timeout=30)
    try:
        source.backup(target)  # pages=-1: one step, one consistent read of the source
        target.execute(f"PRAGMA journal_mode={journal}")  # a backup is one self-contained file
    finally:
        target.close()
        source.close()


def _has_tables(path: Path) -> bool:
    if not path.exists():
        return False
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return conn.execute("select count(*) from sqlite_master where type = 'table'").fetchone()[0] > 0
    finally:
        conn.close()


def _check_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"不是有效的 SQLite 数据库 / not a valid SQLite database: {path} ({exc})") from None
    finally:
        conn.close()
    if ok != "ok":
        raise BackupError(f"备份文件损坏 / the backup is damaged: {path}: {ok}")
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise BackupError(f"不是矿政数据库的备份 / not a Kuangzheng database (no {', '.join(missing)}): {path}")


def _kind_of(path: Path) -> str:
    try:
        head = path.open("rb").read(16)
    except OSError as exc:
        raise BackupError(f"无法读取备份文件 / cannot read the backup {path}: {exc.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError(f"无法识别的备份文件 / not a backup made by `kz backup`: {path}")


def _restore_postgres(src: Path, cfg: dict) -> None:
    """Drop every table the backup holds and recreate it from the backup, in one transaction (psql
    --single-transaction): all of it or nothing. Not `pg_restore --clean`, which tries to drop the
    constraints that partitions inherit (hj212's monthly partitions) and fails."""
    listing = _run(["pg_restore", "--list", str(src)], cfg, quiet=True)  # readable, before anything is dropped
    tables = []
    for line in listing.splitlines():  # "1234; 1259 16390 TABLE public registry_division kz"
        words = line.split(";", 1)[-1].split() if not line.startswith(";") else []
        if len(words) >= 5 and words[2] == "TABLE" and words[3] != "DATA":
            tables.append(f'"{words[3]}"."{words[4]}"')
    script = _run(["pg_restore", "--no-owner", "-f", "-", str(src)], cfg, quiet=True)
    drops = "".join(f"DROP TABLE IF EXISTS {t} CASCADE;\n" for t in tables)
    _run(["psql", "-X", "-q", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-f", "-"], cfg, stdin=drops + script)


def _run(cmd: list[str], cfg: dict, quiet: bool = False, stdin: str | None = None) -> str:
    """Run a PostgreSQL client tool against the configured database; the password goes through the
    environment, never the command line (other users can read that)."""
    if shutil.which(cmd[0]) is None:
        raise BackupError(f"未找到 {cmd[0]}（PostgreSQL 客户端）/ {cmd[0]} not found: install the PostgreSQL client")
    env = {
        **os.environ,
        "PGHOST": str(cfg.get("HOST") or "localhost"),
        "PGPORT": str(cfg.get("PORT") or 5432),
        "PGUSER": str(cfg.get("USER") or ""),
        "PGPASSWORD": str(cfg.get("PASSWORD") or ""),
        "PGDATABASE": str(cfg["NAME"]),
    }
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, input=stdin)
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} 失败 / failed: {done.stderr.strip()[-2000:]}")
    if not quiet and done.stderr.strip():
        click.echo(done.stderr.strip(), err=True)
    return done.stdout


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file):
    """Write a consistent copy of the database to FILE, safely while the server runs."""
    setup_django()
    out = backup(file)
    click.echo(f"已备份 / backed up ({out.engine}) to {out.path}: {out.size:,} bytes in {out.seconds:.1f} s")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
@click.option(
    "--keep-current/--no-keep-current",
    default=True,
    show_default=True,
    help="SQLite: keep a copy of the database it replaces",
)
def restore_command(file, yes, keep_current):
    """Replace the database with the backup FILE (stop the server first), then run `kz audit verify`."""
    setup_django()
    _, cfg = _db()
    if not yes:
        click.confirm(f"用备份替换数据库 {cfg['NAME']}？/ replace the database {cfg['NAME']} with {file}?", abort=True)
    out = restore(file, keep_current=keep_current)
    click.echo(f"已恢复 / restored ({out.engine}) from {out.path} in {out.seconds:.1f} s; now run `kz audit verify`")
