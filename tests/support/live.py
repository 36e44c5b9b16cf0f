"""A live server with the demo data (`kz init --demo` then `kz serve` on loopback, as the README's
first command runs it), and talking to it as a demo user: a signed-in session (the portal's login
form, so no password hash per request) that also sends the CSRF token."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import requests

from tests.support import on_postgres

DEMO_PASSWORD = "kz-demo-2026"
DEMO_USERS = ("admin", "nmg", "baotou", "qiye")


def signed_in(base: str, username: str | None) -> requests.Session:
    """A session signed in as `username` (None: the public), with the CSRF header set for writes."""
    s = requests.Session()
    s.get(base + "/login/", timeout=60).raise_for_status()
    token = s.cookies["csrftoken"]
    if username:
        r = s.post(
            base + "/login/",
            data={"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": base + "/login/"},
            timeout=60,
        )
        r.raise_for_status()
        token = s.cookies["csrftoken"]  # rotated at sign-in
        assert "sessionid" in s.cookies, f"{username} could not sign in"
    s.headers.update({"X-CSRFToken": token, "Referer": base + "/"})
    return s


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_demo(data: Path, name: str, env_out: dict | None = None):
    """Yield the base URL of a demo server whose files live in `data`. On the PostgreSQL run it uses a
    fresh database of its own (kz_<name>_<pid>) on the same server, dropped afterwards. The server's
    output goes to a file (a pipe nobody reads would block it once full). `env_out` receives the
    server's environment, for other `kz` processes on its data."""
    env = {**os.environ, "KZ_DATA_DIR": str(data)}
    dbname = None
    if on_postgres():
        import psycopg

        url = os.environ["DATABASE_URL"]
        dbname = f"kz_{name}_{os.getpid()}"
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f"drop database if exists {dbname}")
            conn.execute(f"create database {dbname}")
        env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + dbname
    else:
        env.pop("DATABASE_URL", None)
    if env_out is not None:
        env_out.update(env)
    kz = str(Path(sys.executable).with_name("kz"))
    init = subprocess.run([kz, "init", "--demo"], env=env, capture_output=True, text=True, timeout=600)
    if init.returncode != 0:
        raise RuntimeError(f"kz init --demo failed:\n{init.stderr[-3000:]}")
    port = _free_port()
    log = data / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([kz, "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/v1/me", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("kz serve did not start: " + log.read_text(errors="replace")[-2000:])
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if dbname:
            import psycopg

            with psycopg.connect(
                os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1), autocommit=True
            ) as conn:
                conn.execute(f"drop database if exists {dbname} with (force)")
