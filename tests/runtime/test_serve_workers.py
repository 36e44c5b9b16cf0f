"""`kz serve --workers N`: the other processes answer on the same port (shown by freezing the first),
and none outlives the first, whether it is stopped (SIGTERM) or killed (SIGKILL)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

KZ = str(Path(sys.executable).with_name("kz"))
BASE_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("KZ_", "DJANGO_")) and k != "DATABASE_URL"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.2)
    return False


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as r:  # a new connection each time
        return r.status


def _start(env: dict, log: Path, workers: int) -> tuple[subprocess.Popen, str, list[int]]:
    port = _free_port()
    proc = subprocess.Popen(
        [KZ, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            _get(base + "/ogcapi/")
            break
        except OSError:
            assert proc.poll() is None, log.read_text()
            time.sleep(0.2)
    return proc, base, _children(proc.pid)


def test_the_workers_answer_and_stop_with_the_first_process(tmp_path):
    env = {**BASE_ENV, "KZ_DATA_DIR": str(tmp_path), "KZ_MAP_WARM": "off"}
    subprocess.run([KZ, "init"], env=env, check=True, capture_output=True, timeout=300)
    proc, base, children = _start(env, tmp_path / "serve.log", workers=3)
    try:
        assert len(children) == 2
        os.kill(proc.pid, signal.SIGSTOP)  # the first process frozen: only the others can answer
        try:
            assert [_get(base + "/ogcapi/collections") for _ in range(10)] == [200] * 10
        finally:
            os.kill(proc.pid, signal.SIGCONT)
        proc.terminate()
        assert proc.wait(timeout=30) == 0
        assert _gone_within(children, 15), "a worker outlived a stopped server"
    finally:
        proc.kill()
    # killed outright, the first process cannot stop them: each notices it is orphaned and exits
    proc, base, children = _start(env, tmp_path / "serve2.log", workers=2)
    try:
        assert len(children) == 1
        proc.kill()
        proc.wait(timeout=10)
        assert _gone_within(children, 15), "a worker outlived a killed server"
    finally:
        for pid in children:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
