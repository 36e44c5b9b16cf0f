"""GIS clients read the Features API of a real server (`kz serve` on loopback with the demo data):
OWSLib, GDAL's OAPIF driver through pyogrio (its bundled GDAL), and `ogrinfo` from Debian's gdal-bin.
Counts, attributes and coordinates are checked in every offered CRS against the REST API's lon/lat
and an independent pyproj transformation (always_xy, so the reference cannot share our axis order)."""

import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pyogrio
import pyogrio.raw
import pytest
import shapely
from owslib.ogcapi.features import Features
from pyproj import Transformer

COLLECTIONS = {"mineral-rights": "rights", "zones": "zones", "facilities": "facilities"}
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG4490 = "http://www.opengis.net/def/crs/EPSG/0/4490"


def _json(url: str):
    with urllib.request.urlopen(url, timeout=60) as r:
        return json.loads(r.read())


@pytest.fixture(scope="module")
def reference(portal_server):
    """The public records as the REST API gives them (lon/lat), by collection and id."""
    out = {}
    for cid, path in COLLECTIONS.items():
        fc = _json(f"{portal_server}/api/v1/{path}?format=geojson&size=1000")
        assert fc["numberMatched"] <= 1000
        out[cid] = {f["id"]: f for f in fc["features"]}
    return out


@pytest.fixture(scope="module")
def offered(portal_server):
    return {c["id"]: c["crs"] for c in _json(f"{portal_server}/ogcapi/collections")["collections"]}


def _first_vertex(geom) -> tuple[float, float]:
    coords = geom["coordinates"]
    while isinstance(coords[0], list):
        coords = coords[0]
    return coords[0], coords[1]


def _expected_xy(lon: float, lat: float, crs_uri: str) -> tuple[float, float]:
    """(x, y) in the traditional GIS order (lon/lat, easting/northing) by pyproj, always_xy."""
    if crs_uri in (CRS84, EPSG4490):
        return lon, lat
    code = int(crs_uri.rsplit("/", 1)[1])
    return Transformer.from_crs("EPSG:4490", f"EPSG:{code}", always_xy=True).transform(lon, lat)


def test_owslib_lists_every_collection_and_the_definition(portal_server):
    api = Features(portal_server + "/ogcapi")
    assert set(api.feature_collections()) == set(COLLECTIONS) | {"monitoring-points", "notices", "credit-list-entries"}
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in api.conformance()["conformsTo"]
    assert {"/collections/mineral-rights/items", "/collections/facilities/items"} <= set(api.api()["paths"])


@pytest.mark.parametrize("cid", COLLECTIONS)
def test_owslib_reads_every_collection_in_every_offered_crs(portal_server, reference, offered, cid):
    api = Features(portal_server + "/ogcapi")
    assert api.collection(cid)["storageCrs"] == EPSG4490
    for crs_uri in offered[cid]:
        doc = api.collection_items(cid, limit=10000, crs=crs_uri)
        assert doc["numberMatched"] == doc["numberReturned"] == len(reference[cid]) > 0, crs_uri
        for f in doc["features"][:25]:
            ref = reference[cid][f["id"]]
            assert f["properties"]["name"] == ref["properties"]["name"]
            lon, lat = _first_vertex(ref["geometry"])
            x, y = _expected_xy(lon, lat, crs_uri)
            a, b = _first_vertex(f["geometry"])
            if crs_uri == CRS84:
                assert (a, b) == pytest.approx((lon, lat), abs=1e-9)
            else:  # EPSG order: latitude first (4490), northing first (Gauss–Krüger zones)
                assert (a, b) == pytest.approx((y, x), abs=1e-3 if crs_uri != EPSG4490 else 1e-9), crs_uri


def test_owslib_pages_through_next_links(portal_server, reference):
    api = Features(portal_server + "/ogcapi")
    first = api.collection_items("facilities", limit=100)
    ids = [f["id"] for f in first["features"]]
    nxt = next(link["href"] for link in first["links"] if link["rel"] == "next")
    while nxt:
        page = _json(nxt)
        ids += [f["id"] for f in page["features"]]
        nxt = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    assert sorted(ids) == sorted(reference["facilities"]) and len(set(ids)) == len(ids)


def test_gdal_lists_the_layers_with_the_storage_crs(portal_server):
    layers = dict(pyogrio.list_layers(f"OAPIF:{portal_server}/ogcapi"))
    assert layers == {
        "mineral-rights": "Polygon",
        "zones": "Polygon",
        "facilities": "Point",
        "monitoring-points": "Point",
        "notices": "Point",
        "credit-list-entries": "Unknown",
    }
    assert pyogrio.read_info(f"OAPIF:{portal_server}/ogcapi", layer="facilities")["crs"] == "EPSG:4490"


@pytest.mark.parametrize("cid", COLLECTIONS)
def test_gdal_reads_every_collection_in_every_offered_crs(portal_server, reference, offered, cid):
    """GDAL requests `crs=`, reads the EPSG axis order and hands (x, y) in GIS order: a server that
    sent lon/lat under EPSG:4490 would come out swapped here."""
    for crs_uri in offered[cid]:
        option = "OGC:CRS84" if crs_uri == CRS84 else "EPSG:" + crs_uri.rsplit("/", 1)[1]
        meta, _, geoms, fields = pyogrio.raw.read(f"OAPIF:{portal_server}/ogcapi", layer=cid, CRS=option)
        names = list(meta["fields"])
        ids, labels = fields[names.index("id")], fields[names.index("name")]
        assert len(geoms) == len(reference[cid]), crs_uri
        for fid, label, wkb in list(zip(ids, labels, geoms))[:25]:
            ref = reference[cid][int(fid)]
            assert label == ref["properties"]["name"]
            x, y = _expected_xy(*_first_vertex(ref["geometry"]), crs_uri)
            got = shapely.get_coordinates(shapely.from_wkb(wkb))[0]
            assert tuple(got) == pytest.approx((x, y), abs=1e-3 if crs_uri not in (CRS84, EPSG4490) else 1e-8), (
                crs_uri,
                fid,
            )


def test_ogrinfo_from_gdal_bin_counts_and_reads_a_point(portal_server, reference):
    if shutil.which("ogrinfo") is None:
        pytest.skip("Debian's gdal-bin is not installed (.ci/run installs it)")
    out = subprocess.run(
        ["ogrinfo", "-ro", "-so", f"OAPIF:{portal_server}/ogcapi", "facilities"],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert f"Feature Count: {len(reference['facilities'])}" in out
    fid, ref = next(iter(reference["facilities"].items()))
    lon, lat = ref["geometry"]["coordinates"]
    out = subprocess.run(
        ["ogrinfo", "-ro", "-q", f"OAPIF:{portal_server}/ogcapi", "facilities", "-where", f"id = {fid}"],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert f"name (String) = {ref['properties']['name']}" in out
    point = out.split("POINT (", 1)[1].split(")", 1)[0].split()
    assert (float(point[0]), float(point[1])) == pytest.approx((lon, lat), abs=1e-6)


# --- a collection without geometry: credit's lists (entries made with `kz credit enter` on the server's data)

KZ = str(Path(sys.executable).with_name("kz"))
CREDIT = "credit-list-entries"


@pytest.fixture(scope="module")
def credit_entries(portal_server, portal_env):
    """Two demo enterprises entered on the geological-data blacklist (a list no other test uses),
    as the public REST API then lists them, by id."""
    enterprises = _json(f"{portal_server}/api/v1/enterprises?size=50")["results"]
    for ent in enterprises[-2:]:
        r = subprocess.run(
            [KZ, "credit", "enter", "--as", "admin", "--list", "geodata_blacklist", "--enterprise", str(ent["id"])]
            + ["--reason", "data_not_submitted", "--detail", "逾期未汇交地质资料 <b>"],
            env=portal_env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert r.returncode == 0, r.stderr
    listed = _json(f"{portal_server}/api/v1/credit/entries")
    assert len(listed) >= 2
    return {e["id"]: e for e in listed}


def test_owslib_reads_the_credit_lists_in_every_offered_crs(portal_server, offered, credit_entries):
    api = Features(portal_server + "/ogcapi")
    assert api.collection(CREDIT)["storageCrs"] == EPSG4490
    for crs_uri in offered[CREDIT]:
        doc = api.collection_items(CREDIT, limit=10000, crs=crs_uri)
        assert doc["numberMatched"] == doc["numberReturned"] == len(credit_entries), crs_uri
        for f in doc["features"]:
            assert f["geometry"] is None
            assert f["properties"]["enterprise"] == credit_entries[f["id"]]["enterprise"]
            assert f["properties"]["detail_zh"] == credit_entries[f["id"]]["detail_zh"]
        # Other tests on this server enter the abnormal list too: ours are the blacklist's, markup kept as text.
        ours = [f for f in doc["features"] if f["properties"]["list_key"] == "geodata_blacklist"]
        assert len(ours) == 2 and {f["properties"]["detail_zh"] for f in ours} == {"逾期未汇交地质资料 <b>"}


def test_gdal_reads_the_credit_lists_without_geometry(portal_server, offered, credit_entries):
    for crs_uri in offered[CREDIT]:
        option = "OGC:CRS84" if crs_uri == CRS84 else "EPSG:" + crs_uri.rsplit("/", 1)[1]
        meta, fids, geoms, fields = pyogrio.raw.read(
            f"OAPIF:{portal_server}/ogcapi", layer=CREDIT, CRS=option, return_fids=True
        )
        got = dict(zip(fids.tolist(), fields[list(meta["fields"]).index("list_key")].tolist()))
        assert got == {pk: e["list_key"] for pk, e in credit_entries.items()}, crs_uri
        assert geoms is None or all(g is None for g in geoms)
