"""Hostile report workbooks are refused before they cost the server: a 10 KB workbook with one cell on
Excel's last row (it took a minute and 2.9 GB to parse), the same with its stated dimension removed,
a zip bomb, and a file over the upload limit — through the API and the portal, quickly, in bounded
memory, with a message naming the file and the limit."""

import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kuangzheng.monitoring.core.reports import build_template
from tests.support.hostile import sparse_workbook, without_dimension, zip_bomb

from .helpers import workbook

RT = "monthly_production"


def upload(c, data: bytes, url="/api/v1/monitoring/uploads"):
    """Upload `data` and return (response, seconds, peak MB of Python allocations), after one plain
    upload (the first request imports modules, which tracemalloc makes slow)."""
    c.post(url, {"report_type": RT, "file": SimpleUploadedFile("r.xlsx", workbook([]))})
    tracemalloc.start()
    t0 = time.perf_counter()
    resp = c.post(url, {"report_type": RT, "file": SimpleUploadedFile("r.xlsx", data)})
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return resp, seconds, peak


def refused(resp, *words):
    assert resp.status_code == 400, resp.content[:300]
    text = resp.content.decode()
    assert all(w in text for w in words), text[:600]


@pytest.mark.parametrize("strip", [False, True], ids=["stated-dimension", "no-dimension"])
def test_a_sparse_workbook_is_refused_quickly(strip, reg, login):
    data = sparse_workbook(build_template(RT))
    data = without_dimension(data) if strip else data
    assert len(data) < 20_000
    resp, seconds, peak = upload(login("admin", reg), data)
    refused(resp, "KZ_MAX_SHEET_ROWS", "10000")
    assert seconds < 5 and peak < 200, (seconds, peak)


def test_a_zip_bomb_is_refused_before_unpacking(reg, login):
    data = zip_bomb()
    assert len(data) < 1_000_000
    resp, seconds, peak = upload(login("admin", reg), data)
    refused(resp, "KZ_MAX_UNPACKED_BYTES")
    assert seconds < 5 and peak < 50, (seconds, peak)


def test_a_high_ratio_is_refused_under_the_unpacked_limit(reg, login, monkeypatch):
    monkeypatch.setenv("KZ_MAX_UNPACKED_BYTES", str(400 * 1024 * 1024))
    resp, _, _ = upload(login("admin", reg), zip_bomb(50 * 1024 * 1024))
    refused(resp, "KZ_MAX_ZIP_RATIO", "zip bomb")


def test_the_row_limit_is_a_setting(reg, login, monkeypatch):
    rows = [[f"KZF-{n}", "2020-01", "铝", 1, 1, 1, 1, 1, None] for n in range(30)]
    monkeypatch.setenv("KZ_MAX_SHEET_ROWS", "20")
    for data in (workbook(rows), without_dimension(workbook(rows))):
        refused(upload(login("admin", reg), data)[0], "KZ_MAX_SHEET_ROWS", "20")


def test_a_file_over_the_upload_limit(reg, login, monkeypatch):
    monkeypatch.setenv("KZ_MAX_UPLOAD_BYTES", "5000")
    data = workbook([])
    assert len(data) > 5000
    refused(upload(login("admin", reg), data)[0], "KZ_MAX_UPLOAD_BYTES")


def test_the_portal_upload_refuses_too(reg, login):
    resp, seconds, _ = upload(login("admin", reg), sparse_workbook(build_template(RT)), url="/monitoring/reports/")
    assert resp.status_code == 200 and "KZ_MAX_SHEET_ROWS" in resp.content.decode() and seconds < 5


def test_the_server_does_not_read_an_oversized_body(portal_server):
    """`kz serve` caps request bodies (waitress), so a huge upload is refused before it is spooled."""
    import requests

    from kuangzheng import limits

    body = b"0" * (limits.get("upload_bytes") + 2 * 1024 * 1024)
    files = {"file": ("r.xlsx", body)}
    resp = requests.post(
        portal_server + "/api/v1/monitoring/uploads", data={"report_type": RT}, files=files, timeout=60
    )
    assert resp.status_code == 413
