"""Spatial index service: known answers for the STRtree backend; parity with PostGIS (hypothesis)."""

import os

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry.polygon import orient

from kuangzheng.geo import STRtreeIndex

GRS80 = Geod(ellps="GRS80")


def geodesic_area_km2(poly):
    return abs(GRS80.geometry_area_perimeter(orient(shapely.segmentize(poly, 0.0002)))[0]) / 1e6


def test_overlap_area_and_shares_against_geodesic_area():
    a, b = shapely.box(110.0, 40.0, 110.2, 40.1), shapely.box(110.1, 40.05, 110.3, 40.2)
    touching = shapely.box(110.3, 40.0, 110.4, 40.1)  # shares an edge with b: not an overlap
    idx = STRtreeIndex({"rights": (["A", "B", "C"], [a, b, touching])})
    pairs = idx.overlaps("rights")
    assert list(zip(pairs.left, pairs.right)) == [("A", "B")]  # each pair once, no self pairs
    inter = geodesic_area_km2(a.intersection(b))
    assert pairs.values["area_km2"][0] == pytest.approx(inter, abs=1e-4)
    assert pairs.values["share_left"][0] == pytest.approx(inter / geodesic_area_km2(a), rel=1e-5)
    assert pairs.values["share_right"][0] == pytest.approx(inter / geodesic_area_km2(b), rel=1e-5)


def test_right_by_zone_overlap_and_containment():
    rights = [shapely.box(110.0, 40.0, 110.1, 40.1), shapely.box(110.5, 40.5, 110.6, 40.6)]
    zones = [shapely.box(109.9, 39.9, 110.05, 40.2), shapely.box(110.4, 40.4, 110.7, 40.7)]
    sites = [shapely.Point(110.05, 40.05), shapely.Point(110.7, 40.55), shapely.Point(111, 41)]
    idx = STRtreeIndex({"rights": ([1, 2], rights), "zones": ([10, 20], zones), "sites": ([7, 8, 9], sites)})
    ov = idx.overlaps("rights", "zones").sorted()
    assert list(zip(ov.left, ov.right)) == [(1, 10), (2, 20)]
    assert ov.values["share_left"][1] == pytest.approx(1.0)  # right 2 lies wholly in zone 20
    assert ov.values["share_left"][0] == pytest.approx(0.5, rel=1e-3)
    inside = idx.containment("zones", "sites").sorted()
    assert list(zip(inside.left, inside.right)) == [(10, 7), (20, 8)]  # 8 is on the edge: covered
    assert list(zip(*[idx.containment("zones", "rights").left, idx.containment("zones", "rights").right])) == [(20, 2)]


def test_within_distance_is_geodesic_metres():
    designated = shapely.box(110.0, 40.0, 110.1, 40.1)
    east = GRS80.fwd(110.1, 40.05, 90, 29_000)  # 29 km due east of the east edge
    north = GRS80.fwd(110.05, 40.1, 0, 31_000)
    idx = STRtreeIndex(
        {
            "zones": (["Z"], [designated]),
            "plants": (["near", "far"], [shapely.Point(east[:2]), shapely.Point(north[:2])]),
        }
    )
    hits = idx.within_distance("plants", "zones", 30_000)
    assert list(hits.left) == ["near"]
    assert hits.values["distance_m"][0] == pytest.approx(29_000, abs=1.0)
    assert set(idx.within_distance("plants", "zones", 31_100).left) == {"near", "far"}


def test_layers_from_wkb_and_bad_layers():
    idx = STRtreeIndex()
    idx.add_layer("r", [1, 2], [shapely.to_wkb(shapely.box(0, 0, 2, 2)), shapely.to_wkb(shapely.box(1, 1, 3, 3))])
    assert len(idx.overlaps("r")) == 1
    with pytest.raises(ValueError, match="duplicate ids"):
        idx.add_layer("d", [1, 1], [shapely.box(0, 0, 1, 1)] * 2)
    with pytest.raises(ValueError, match="2 ids but 1"):
        idx.add_layer("n", [1, 2], [shapely.box(0, 0, 1, 1)])
    with pytest.raises(KeyError, match="no layer named x"):
        idx.overlaps("x")


# ---------------------------------------------------------------- parity with PostGIS


@pytest.fixture(scope="module")
def pg():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("DATABASE_URL is not a PostgreSQL URL: PostGIS parity not tested")
    psycopg = pytest.importorskip("psycopg")
    conn = psycopg.connect(url)
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
        if cur.fetchone() is None:
            conn.close()
            pytest.skip("PostGIS extension not installed in DATABASE_URL")
    yield conn
    conn.close()


def _load(conn, name, geoms):
    with conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {name}")
        cur.execute(f"CREATE TEMP TABLE {name} (id integer PRIMARY KEY, boundary bytea NOT NULL)")
        cur.executemany(f"INSERT INTO {name} VALUES (%s, %s)", [(i, shapely.to_wkb(g)) for i, g in enumerate(geoms)])


# grid cells of 0.01°: exact coordinates, so touching and containment are decided the same way
cell = st.integers(0, 40)
rect = st.tuples(cell, cell, st.integers(1, 15), st.integers(1, 15)).map(
    lambda t: shapely.box(110 + t[0] / 100, 40 + t[1] / 100, 110 + (t[0] + t[2]) / 100, 40 + (t[1] + t[3]) / 100)
)
tri = (
    st.tuples(cell, cell, cell, cell, cell, cell)
    .map(
        lambda t: shapely.Polygon(
            [
                (110 + t[0] / 100, 40 + t[1] / 100),
                (110 + t[2] / 100, 40 + t[3] / 100),
                (110 + t[4] / 100, 40 + t[5] / 100),
            ]
        )
    )
    .filter(lambda p: p.area > 1e-5)
)
point = st.tuples(st.integers(0, 600), st.integers(0, 600)).map(
    lambda t: shapely.Point(110 + t[0] / 1000, 40 + t[1] / 1000)
)


def _same(a, b, value_tol):
    a, b = a.sorted(), b.sorted()
    assert list(zip(a.left.tolist(), a.right.tolist())) == list(zip(b.left.tolist(), b.right.tolist()))
    for name, tol in value_tol.items():
        assert np.allclose(a.values[name], b.values[name], rtol=tol, atol=tol)


@pytest.mark.postgres
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rights=st.lists(st.one_of(rect, tri), min_size=1, max_size=25),
    zones=st.lists(rect, min_size=1, max_size=8),
    sites=st.lists(point, min_size=1, max_size=10),
    radius=st.sampled_from([500.0, 3_000.0, 30_000.0]),
)
def test_postgis_and_strtree_give_the_same_answers(pg, rights, zones, sites, radius):
    from kuangzheng.geo.postgis import PostGISIndex, Table

    layers = {"rights": rights, "zones": zones, "sites": sites}
    for name, geoms in layers.items():
        _load(pg, f"kzt_{name}", geoms)
    remote = PostGISIndex(pg, {n: Table(f"kzt_{n}") for n in layers})
    remote.ensure_indexes()
    local = STRtreeIndex({n: (np.arange(len(g)), g) for n, g in layers.items()})
    areas = {"area_km2": 1e-9, "share_left": 1e-9, "share_right": 1e-9}
    _same(local.overlaps("rights"), remote.overlaps("rights"), areas)
    _same(local.overlaps("rights", "zones"), remote.overlaps("rights", "zones"), areas)
    _same(local.containment("zones", "rights"), remote.containment("zones", "rights"), {})
    _same(local.containment("zones", "sites"), remote.containment("zones", "sites"), {})
    near_l, near_r = local.within_distance("sites", "rights", radius), remote.within_distance("sites", "rights", radius)
    borderline = np.abs(np.r_[near_l.values["distance_m"], near_r.values["distance_m"]] - radius) < 0.01
    if not borderline.any():
        _same(near_l, near_r, {"distance_m": 1e-6})
