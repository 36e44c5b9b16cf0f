"""Done when: the simulator runs against a real receiver on the portal's database, a point exceeds
its limit and the alarm appears on the dashboard and in the warnings, a point falls silent and its
alarm appears. Real `kz serve`, real `kz hj212 serve` and `kz hj212 simulate`, real chromium."""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from tests.support.browser import doc_screenshot, sign_in, wait

pytestmark = pytest.mark.browser
KZ = str(Path(sys.executable).with_name("kz"))


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _admin_token(env):
    """A token for the demo admin, made as a script's owner makes one: `kz token create`."""
    made = subprocess.run(
        [KZ, "token", "create", "admin", "--name", "hj212-test"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return made.stdout.strip().splitlines()[-1]


def _api(base, path, data=None, method=None, token=""):
    req = urllib.request.Request(
        base + "/api/v1/hj212/" + path, method=method or ("POST" if data is not None else "GET")
    )
    req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
        req.data = json.dumps(data).encode()
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def _rows(b, kind):
    """(point id, text) of the alarm rows of a kind, read in one go: the page redraws the table
    every few seconds, so elements found earlier may be gone."""
    return b.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map((r) => [r.dataset.point, r.textContent]);",
        f"#alarm-table tr.alarm-{kind}",
    )


def _wait_listening(port, proc):
    import socket
    import time

    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert proc.poll() is None, "the receiver exited"
            time.sleep(0.2)
    raise AssertionError("the receiver did not start")


def test_simulated_exceedance_and_silence_reach_dashboard_and_warnings(portal_server, portal_env, browser, tmp_path):
    base, b = portal_server, browser
    token = _admin_token({**os.environ, **portal_env})
    points = _api(base, "points", token=token)
    assert len(points) >= 2
    silent = points[-1]  # the simulator silences the last points it simulates
    _api(
        base,
        f"points/{silent['id']}",
        {"silence_allowed": 6, "version": silent["version"]},
        method="PATCH",
        token=token,
    )
    port = _free_port()
    receiver = subprocess.Popen(
        [KZ, "hj212", "serve", "--port", str(port), "--evaluate-every", "1"],
        env=portal_env,
        stdout=(tmp_path / "receiver.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_listening(port, receiver)
        sim = subprocess.run(
            [KZ, "hj212", "simulate", "--port", str(port), "--points", str(len(points)), "--interval", "1"]
            + ["--duration", "5", "--exceed", "1", "--silence", "1", "--silent-after", "1"],
            env=portal_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert sim.returncode == 0, sim.stderr[-2000:]
        stats = json.loads(sim.stdout.strip().splitlines()[-1])
        assert stats["answered"] > 0 and stats["errors"] == 0
        exceeding = json.loads(sim.stderr.strip().splitlines()[-1])["exceed"]
        sign_in(b, base, "nmg")
        b.get(base + "/hj212/")
        wait(b, lambda d: _rows(d, "exceedance"))  # the page refreshes itself from the API
        texts = " ".join(text for _, text in _rows(b, "exceedance"))
        assert "超过限值" in texts and "示例限值" in texts
        wait(b, lambda d: _rows(d, "silence"), t=60)
        assert any(point == str(silent["id"]) for point, _ in _rows(b, "silence"))
        wait(
            b,
            lambda d: int(d.find_element(By.CSS_SELECTOR, "section.point-chart").get_attribute("data-values") or 0) > 0,
        )
        doc_screenshot(b, "hj212-dashboard.png")
        b.get(base + "/monitoring/warnings/")
        page = b.find_element(By.TAG_NAME, "body").text
        assert "超过限值" in page and "未上传数据" in page
        assert exceeding and exceeding[0] not in (silent.get("mn"),)
    finally:
        receiver.terminate()
        receiver.wait(timeout=30)
