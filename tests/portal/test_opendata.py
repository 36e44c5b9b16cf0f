"""The open-data page: every public layer of the jurisdiction as GeoPackage, GeoJSON, CSV and
corner-point text, public fields of public records only, rebuilt when the data changes."""

import csv
import io
import zipfile

import pyogrio
import pytest
from django.test import override_settings
from shapely.geometry import box

from kuangzheng.disclosure import opendata
from kuangzheng.registry import services
from tests.support.registry import ADMIN, right_data


@pytest.fixture
def data_dir(tmp_path):
    with override_settings(DATA_DIR=tmp_path):
        yield tmp_path


def _download(client, name, tmp_path):
    r = client.get(f"/open-data/files/{name}")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    path = tmp_path / f"got-{name}"
    path.write_bytes(b"".join(r.streaming_content))
    return path


def test_every_layer_in_every_format_public_fields_only(reg, login, data_dir):
    public = login("public", reg)
    page = public.get("/open-data/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in (
        "rights.gpkg",
        "rights.geojson",
        "rights.csv",
        "rights.cornerpoints.zip",
        "zones.gpkg",
        "facilities.csv",
    ):
        assert f"/open-data/files/{name}" in html, name
    assert "CC BY 4.0" in html and "/public-notices/feed.atom" in html and "elevation_top" not in html
    assert public.get("/public-notices/feed.atom").status_code == 200  # the notices' feed it links to

    gpkg = _download(public, "rights.gpkg", data_dir)
    info = pyogrio.read_info(gpkg)
    assert info["features"] == 2  # r_bt and r_hh; the application r_app is not public
    assert info["crs"] == "EPSG:4490"
    fields = set(info["fields"])
    assert {"licence_no", "name", "holder_name"} <= fields
    assert not fields & {"elevation_top", "designed_scale", "version"}, fields  # private fields never
    _, _, _, values = pyogrio.raw.read(gpkg, columns=["licence_no"])
    assert set(values[0]) == {reg.r_bt.licence_no, reg.r_hh.licence_no}

    rows = list(csv.DictReader(io.StringIO(_download(public, "rights.csv", data_dir).read_text("utf-8-sig"))))
    assert {r["licence_no"] for r in rows} == {reg.r_bt.licence_no, reg.r_hh.licence_no}
    assert "elevation_top" not in rows[0] and rows[0]["boundary"].startswith("POLYGON")

    with zipfile.ZipFile(_download(public, "rights.cornerpoints.zip", data_dir)) as zf:
        names = zf.namelist()
        assert len(names) == 2 and all(n.endswith(".txt") for n in names)
        assert any(reg.r_bt.licence_no in zf.read(n).decode("utf-8") for n in names)
    assert public.get("/open-data/files/manifest.json").status_code == 404  # only the published files
    assert public.get("/open-data/files/..%2Fcurrent.json").status_code == 404


def test_a_change_rebuilds_the_files(reg, login, data_dir):
    public = login("public", reg)
    public.get("/open-data/")
    first = opendata.manifest()
    assert first["layers"]["rights"]["count"] == 2
    assert (
        public.get("/open-data/").status_code == 200 and opendata.manifest()["folder"] == first["folder"]
    )  # no change, no build
    services.create(
        ADMIN,
        "right",
        right_data("C1502002020009997", reg.a.pk, "150200", box(110.3, 41.6, 110.32, 41.62)),
        first_event={"kind": "granted", "date": "2020-01-01"},
    )
    public.get("/open-data/")
    second = opendata.manifest()
    assert second["folder"] != first["folder"] and second["layers"]["rights"]["count"] == 3
    assert pyogrio.read_info(opendata.file_path("rights.gpkg"))["features"] == 3


def test_the_files_follow_the_jurisdiction(reg, login, data_dir):
    with override_settings(JURISDICTION="qinghai", PROVINCE_PREFIX="63"):
        login("public", reg).get("/open-data/")
        assert opendata.manifest()["layers"]["rights"]["count"] == 0  # every test record is in Inner Mongolia


@pytest.mark.browser
def test_the_page_in_a_browser_downloads_a_geopackage_that_reads_back(portal_server, browser, tmp_path):
    """Chromium opens the page as the public, downloads the rights' GeoPackage by its link; GDAL
    (pyogrio) reads it back: every public right of the province, with its public attributes."""
    import json
    import time
    import urllib.request

    from selenium.webdriver.common.by import By

    from tests.support.browser import wait

    browser.delete_all_cookies()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.get(portal_server + "/open-data/")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#layer-rights + table a.download"), t=120)
    link = browser.find_element(By.CSS_SELECTOR, "#layer-rights + table a.download[data-format='gpkg']")
    assert link.text == "rights.gpkg"
    link.click()
    target = tmp_path / "rights.gpkg"
    deadline = time.time() + 60
    while time.time() < deadline and (not target.exists() or list(tmp_path.glob("*.crdownload"))):
        time.sleep(0.2)
    assert target.exists(), list(tmp_path.iterdir())

    want, page = {}, 1
    while True:  # the public's rights of the province, from the API
        with urllib.request.urlopen(f"{portal_server}/api/v1/rights?division=150000&size=1000&page={page}") as r:
            body = json.loads(r.read())
        want.update({row["licence_no"]: row for row in body["results"]})
        if page >= body["pages"]:
            break
        page += 1
    meta, _, geometry, values = pyogrio.raw.read(target, columns=["licence_no", "name", "kind", "holder_name"])
    cols = dict(zip(meta["fields"], values))  # in the file's order
    got = dict(zip(cols["licence_no"], zip(cols["name"], cols["kind"], cols["holder_name"])))
    assert len(want) > 100 and set(got) == set(want)
    for licence_no, (name, kind, holder) in got.items():
        assert (name, kind, holder) == (
            want[licence_no]["name"],
            want[licence_no]["kind"],
            want[licence_no]["holder_name"],
        )
    assert all(g is not None for g in geometry) and meta["crs"] == "EPSG:4490"
    assert not set(pyogrio.read_info(target)["fields"]) & {"elevation_top", "designed_scale", "version"}
