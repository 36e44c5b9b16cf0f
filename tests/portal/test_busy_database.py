"""A busy database answers 503 with Retry-After — for the API and for pages (a sign-in writes the
session) — never 500; and a web write made while a long import runs gets through."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

KZ = str(Path(sys.executable).with_name("kz"))
PASSWORD = "busy-test-pass-1"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`kz serve` on a fresh SQLite file whose writers wait at most 1 s for the lock."""
    import socket

    data = tmp_path_factory.mktemp("kz-busy")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "KZ_DATA_DIR": str(data),
        "KZ_DB_BUSY_TIMEOUT": "1",
    }
    subprocess.run([KZ, "init", "--no-demo"], env=env, check=True, capture_output=True, timeout=300)
    subprocess.run(
        [KZ, "user", "create", "boss", "--role", "admin", "--password", PASSWORD],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    with sqlite3.connect(data / "kuangzheng.sqlite3") as conn:  # one division to register records in
        conn.execute(
            "insert into registry_division (code, name_zh, name_en, level, source) "
            "values ('150000', '内蒙古自治区', 'Inner Mongolia', 'province', 'test')"
        )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [KZ, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/api/v1/me", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield base, data / "kuangzheng.sqlite3", env
    proc.terminate()
    proc.wait(timeout=20)


class Session:
    def __init__(self, base):
        self.base, self.jar = base, CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self):
        self.opener.open(self.base + "/login/", timeout=30).read()
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def login(self):
        form = {"username": "boss", "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()}
        return self.send("POST", "/login/", urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded")

    def send(self, method, path, body=None, ctype="application/json"):
        token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        req = urllib.request.Request(
            self.base + path, data=body, method=method, headers={"Content-Type": ctype, "X-CSRFToken": token}
        )
        try:
            with self.opener.open(req, timeout=60) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()


def _hold_write_lock(db: Path, seconds: float) -> threading.Thread:
    """Another writer (a long transaction) holds SQLite's write lock for `seconds`; join to wait it out."""
    held = threading.Event()

    def hold():
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    held.wait(10)
    return holder


def test_a_locked_database_answers_503_with_retry_after_for_the_api_and_sign_in(server):
    base, db, _ = server
    s = Session(base)
    s.csrf()
    lock = _hold_write_lock(db, 4)
    status, headers, body = s.login()  # a sign-in writes the session and the last login
    assert status == 503 and headers.get("Retry-After") == "5", body[:300]
    status, headers, body = Session(base).send("POST", "/api/v1/enterprises", b"{}")
    assert status in (401, 403)  # refused before any write: no lock needed
    lock.join()
    signed_in = Session(base)
    assert signed_in.login()[0] in (200, 302)
    lock = _hold_write_lock(db, 4)
    payload = json.dumps({"name": "忙时企业", "division": "150000"}).encode()
    status, headers, body = signed_in.send("POST", "/api/v1/enterprises", payload)
    assert status == 503 and headers.get("Retry-After") == "5"
    assert json.loads(body)["error"] == "DatabaseBusy"
    lock.join()


def test_web_writes_during_a_long_import_get_through_or_503_never_500(server, tmp_path):
    base, db, env = server
    web = Session(base)
    assert web.login()[0] in (200, 302)
    status, _, body = web.send(
        "POST", "/api/v1/enterprises", json.dumps({"name": "导入权利人", "division": "150000"}).encode()
    )
    assert status == 201, body
    holder = json.loads(body)["id"]
    rows = [
        {
            "licence_no": f"C1500002024{i:07d}",
            "kind": "exploration",
            "name": f"导入探矿权{i}",
            "holder": holder,
            "division": "150000",
            "minerals": ["铜"],
            "valid_from": "2024-01-01",
            "valid_to": "2029-01-01",
            "obtained_by": "listing",
            "boundary": f"POLYGON(({x} {y},{x + 0.01} {y},{x + 0.01} {y + 0.01},{x} {y + 0.01},{x} {y}))",
            "event": {"kind": "granted", "date": "2024-01-01"},
        }
        for i, (x, y) in enumerate((100 + k % 1000 * 0.02, 40 + k // 1000 * 0.02) for k in range(6000))
    ]
    big = tmp_path / "rights.json"
    big.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    log = tmp_path / "import.log"  # a file, not a pipe: the progress bar must never block the import
    with log.open("w") as sink:
        importer = subprocess.Popen(
            [KZ, "import", "right", str(big), "--as", "boss"],
            env=env | {"KZ_DB_BUSY_TIMEOUT": "30"},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        statuses = []
        while importer.poll() is None:
            payload = json.dumps({"name": f"导入期间企业{len(statuses)}", "division": "150000"}).encode()
            statuses.append(web.send("POST", "/api/v1/enterprises", payload)[0])
    output = log.read_text(encoding="utf-8", errors="replace")
    assert importer.returncode == 0, output[-2000:]
    assert "created 6000" in output
    assert set(statuses) <= {201, 503} and statuses.count(201) >= 1, statuses
    verify = subprocess.run([KZ, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120)
    assert verify.returncode == 0, verify.stdout + verify.stderr
