"""What a Chinese regulator reads, in a real browser on the demo data: minerals by their Chinese
names, chart legends by division and metal name, no pointer to repository files, one record per
real mine, rights linked to their mines, and overlaps only where the demo makes them."""

import json
import re
import urllib.request

import pytest
import shapely
from selenium.webdriver.common.by import By

from kuangzheng.registry.core import minerals
from tests.support.browser import wait

pytestmark = pytest.mark.browser
ENGLISH_MINERALS = {
    n.lower()
    for m in [*minerals.vocabulary().minerals.values(), *minerals.vocabulary().categories.values()]
    for n in (m.en, *m.aliases)
    if n.isascii()
} | {"coal", "thermal coal", "iron ore", "lanthanides", "aluminium", "aluminum"}
BARE_CODE = re.compile(r"^\d{6}\b|\b\d{6}\s+[a-z]{2}\b")


def _api(base, path):
    with urllib.request.urlopen(base + "/api/v1/" + path, timeout=60) as r:
        return json.loads(r.read())


@pytest.mark.parametrize("path", ["/facilities/?page=1", "/facilities/?page=3", "/rights/?page=1", "/rights/?page=4"])
def test_lists_name_minerals_in_chinese(portal_server, browser, path):
    browser.delete_all_cookies()
    browser.get(portal_server + path)
    cells = [
        c.text
        for c in browser.find_elements(By.CSS_SELECTOR, "#records tr.record-row td")
        if c.text and minerals.lookup(c.text.split("、")[0]) is not None
    ]
    assert cells, "no mineral column found"
    english = [n for c in cells for n in c.split("、") if n.strip().lower() in ENGLISH_MINERALS]
    assert not english, english


def test_dashboard_legends_name_divisions_and_metals(portal_server, browser):
    browser.delete_all_cookies()
    browser.get(portal_server + "/monitoring/")
    wait(
        browser, lambda d: d.execute_script("return !!echarts.getInstanceByDom(document.getElementById('chart-util'))")
    )
    legends = browser.execute_script(
        "return [...document.querySelectorAll('.indicator-chart')].flatMap(el => "
        "(echarts.getInstanceByDom(el).getOption().series || []).map(s => s.name))"
    )
    assert legends, "no chart series"
    assert not [n for n in legends if BARE_CODE.search(n)], legends
    assert not [n for n in legends for part in n.split(" · ") if part.strip().lower() in ENGLISH_MINERALS], legends
    assert "内蒙古自治区 · 电解铝" in legends
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "docs/" not in body and "指标定义" in body


@pytest.mark.parametrize("path", ["/", "/monitoring/", "/monitoring/plan/", "/monitoring/forecast/", "/policy/"])
def test_public_pages_point_to_no_repository_file(portal_server, browser, path):
    browser.delete_all_cookies()
    browser.get(portal_server + path)
    assert not re.search(r"docs/[\w-]+\.md", browser.find_element(By.TAG_NAME, "body").text)


def test_demo_has_one_record_per_mine_and_linked_rights(portal_server):
    facilities = _api(portal_server, "facilities?size=5000")["results"]
    ids = [i for f in facilities for i in (f.get("source_ids") or [f["external_id"]]) if i]
    assert len(ids) == len(set(ids))
    both = [f for f in facilities if len(f.get("source_ids") or []) > 1]
    assert len(both) >= 150 and all(f["name"] for f in both)
    named = [f for f in facilities if f["external_id"].startswith("M") and f["name"] != f["name_en"]]
    assert len(named) > 190
    rights = [r for r in _api(portal_server, "rights?kind=mining&size=5000")["results"] if r["is_generated"]]
    assert rights and all(r["facility"] for r in rights)  # the demo's rights (other tests add their own)


def test_demo_overlaps_only_where_meant(portal_server):
    fc = _api(portal_server, "rights?format=geojson&size=5000")
    geoms = [
        (f["properties"]["licence_no"], shapely.geometry.shape(f["geometry"]))
        for f in fc["features"]
        if f["properties"]["is_generated"]  # the demo's rights (other tests add their own)
    ]
    tree = shapely.STRtree([g for _, g in geoms])
    pairs = set()
    for i, (_, g) in enumerate(geoms):
        for j in tree.query(g, predicate="intersects"):
            if j > i and shapely.intersection(g, geoms[j][1]).area > 1e-8:
                pairs.add((geoms[i][0], geoms[j][0]))
    kinds = sorted("".join(sorted(a[0] + b[0])) for a, b in pairs)
    assert kinds == ["CC", "CT"], pairs  # the two deliberate pairs: mining × mining, exploration × mining


def test_a_rights_page_map_shows_its_division_and_its_neighbours(portal_server, browser):
    """The map of a right draws, for context, the boundary of its division (dashed) and the other rights
    around it; the demo's deliberate mining × mining overlap guarantees a neighbour."""
    fc = _api(portal_server, "rights?format=geojson&size=5000")
    geoms = [
        (f["id"], shapely.geometry.shape(f["geometry"])) for f in fc["features"] if f["properties"]["is_generated"]
    ]
    tree = shapely.STRtree([g for _, g in geoms])
    pk = next(
        pk
        for i, (pk, g) in enumerate(geoms)
        if any(j != i and shapely.intersection(g, geoms[j][1]).area > 1e-8 for j in tree.query(g))
    )
    browser.delete_all_cookies()
    browser.get(f"{portal_server}/rights/{pk}/")
    wait(browser, lambda d: d.find_element(By.ID, "detail-map").get_attribute("data-loaded") == "1")
    el = browser.find_element(By.ID, "detail-map")
    assert int(el.get_attribute("data-neighbours")) >= 1
    assert el.get_attribute("data-division")  # a division with a boundary, by name
    assert browser.find_elements(By.CSS_SELECTOR, '#detail-map path[stroke-dasharray="6 4"]')
    assert len(browser.find_elements(By.CSS_SELECTOR, "#detail-map path")) >= 3  # division, neighbour, this
    assert "周边矿业权" in browser.find_element(By.ID, "detail-map-legend").text
