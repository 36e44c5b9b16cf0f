"""Start-up shared by every `kz` command group: Django set up against the configured database, the
progress bar. Domain command groups import these; nothing here knows a domain."""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import click


def setup_django() -> None:
    """Configure Django, create the data folder, and fail clearly when the database is unreachable."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuangzheng.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.conf import settings

        django.setup()
    except (RuntimeError, ImproperlyConfigured) as exc:  # settings refuse a configuration they cannot use
        raise click.ClickException(str(exc)) from None
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    check_database()


def check_database() -> None:
    """Fail early, and clearly, when the configured database cannot be reached."""
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        s = connection.settings_dict
        where = (
            s["NAME"]
            if connection.vendor == "sqlite"
            else f"{s.get('HOST') or 'localhost'}:{s.get('PORT') or 5432}/{s['NAME']}"
        )
        raise click.ClickException(
            f"无法连接数据库 {where}（DATABASE_URL）/ cannot connect to the database {where} (DATABASE_URL): "
            f"{str(exc).strip().splitlines()[0] if str(exc).strip() else exc}"
        ) from None


def progress(total: int):
    """A callable that advances a progress bar on standard error (hidden below 200 rows)."""
    from tqdm import tqdm

    bar = tqdm(total=total, unit="row", file=sys.stderr, disable=total < 200)
    return lambda n=1: bar.update(n)


def load_env_file(path: str | None) -> None:
    """Put the KEY=value lines of an env file (as `kz deploy-config` writes) into the environment
    before Django reads its settings; variables already set in the environment win."""
    if not path:
        return
    from dotenv import dotenv_values

    if not Path(path).is_file():
        raise click.ClickException(f"找不到配置文件 {path} / no such env file: {path}")
    for key, value in dotenv_values(path).items():
        if value is not None:
            os.environ.setdefault(key, value)


def security_warnings() -> list[str]:
    """What a server started with the current settings should shout about (zh / en)."""
    from django.conf import settings

    out = []
    if settings.USING_BUILTIN_SECRET_KEY:
        out.append(
            "正在使用内置的 SECRET_KEY：任何人都能伪造登录会话。请设置 KZ_SECRET_KEY（`kz deploy-config` 可生成）。\n"
            "The built-in SECRET_KEY is in use: anyone can forge sessions. Set KZ_SECRET_KEY "
            "(`kz deploy-config` writes one)."
        )
    if settings.DEBUG:
        out.append("KZ_DEBUG=1：出错时会显示源码与配置 / KZ_DEBUG=1 shows code and settings on errors.")
    if not settings.SECURE:
        out.append(
            "未设置 KZ_SECURE=1：Cookie 可经明文 HTTP 传输，仅适用于本机 / KZ_SECURE is off: cookies travel "
            "over plain HTTP; fit for this machine only."
        )
    return out


def production_env(
    hosts: list[str], *, session_age: int = 8 * 3600, behind_proxy: bool = True, database_url: str = ""
) -> str:
    """A production env file: a fresh random secret key, the hosts, HTTPS-only cookies, HSTS, HTTPS
    redirect and a short session. `manage.py check --deploy` passes for it (tests/runtime)."""
    import datetime as dt
    import secrets

    origins = ",".join(f"https://{h}" for h in hosts)
    lines = [
        f"# Kuangzheng production settings, written by `kz deploy-config` on {dt.date.today().isoformat()}.",
        "# Keep this file secret (it holds the key that signs sessions); see docs/deployment.md.",
        "KZ_PRODUCTION=1",
        f"KZ_SECRET_KEY={secrets.token_urlsafe(50)}",
        f"KZ_ALLOWED_HOSTS={','.join(hosts)}",
        f"KZ_CSRF_TRUSTED_ORIGINS={origins}",
        "# HTTPS only: Secure cookies, HSTS for a year (with subdomains, preload), plain HTTP redirected.",
        "KZ_SECURE=1",
        "KZ_SSL_REDIRECT=1",
        "KZ_HSTS_SECONDS=31536000",
        "KZ_HSTS_INCLUDE_SUBDOMAINS=1",
        "KZ_HSTS_PRELOAD=1",
        f"# Sessions end after {session_age} s, and when the browser closes.",
        f"KZ_SESSION_AGE={session_age}",
        "KZ_SESSION_EXPIRE_AT_BROWSER_CLOSE=1",
    ]
    if behind_proxy:
        lines += [
            "# TLS ends at a reverse proxy on this machine; `kz serve` trusts its X-Forwarded-Proto header.",
            "KZ_TRUSTED_PROXY=127.0.0.1",
        ]
    lines.append(f"DATABASE_URL={database_url}" if database_url else "# DATABASE_URL=postgres://user:pass@host:5432/db")
    return "\n".join(lines) + "\n"


def fork_workers(host: str, port: int, workers: int, serve) -> socket.socket:
    """Listen on (host, port), fork `workers - 1` processes that each call `serve(listener)`, and
    return the listener for this process to serve too. Python runs one thread at a time in a
    process, so one process uses one core; these share the port (whichever is free accepts).
    Call before starting any thread: a child has only the thread that forked. No database
    connection crosses the fork. The children stop with this process: on SIGTERM or SIGINT it
    stops them, and each exits by itself if this process is gone (even after SIGKILL)."""
    from django.db import connections

    listener = socket.create_server((host, port), backlog=1024)
    connections.close_all()
    parent, children = os.getpid(), []
    for _ in range(workers - 1):
        pid = os.fork()
        if pid == 0:
            _exit_when_orphaned(parent)
            try:
                serve(listener)
            finally:
                os._exit(0)
        children.append(pid)

    def stop_children(signum=None, frame=None):
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        children.clear()  # reaped: their ids may be reused
        if signum is not None:
            raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop_children)
    signal.signal(signal.SIGINT, stop_children)
    atexit.register(stop_children)
    return listener


def _exit_when_orphaned(parent: int) -> None:
    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="kz-orphan-watch", daemon=True).start()
