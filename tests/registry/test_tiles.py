"""The map's vector tiles: built per data version and scope view (a write shows in the next tile),
the same features from PostGIS as from the embedded encoder, geometry in the right place, and the
portal map following the deployment's jurisdiction."""

import math

import mapbox_vector_tile
import pytest
import shapely
from django.db import connection
from django.test import override_settings
from shapely.geometry import box

from kuangzheng.access.actor import PUBLIC_ACTOR
from kuangzheng.access.users import create_user, staff_views
from kuangzheng.registry import services, tiles, tilewarm
from tests.support.registry import ADMIN, right_data


def _tile_of(lon, lat, z):
    n = 2**z
    return z, int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def _layers(client, z, x, y):
    r = client.get(f"/api/v1/map/tiles/{z}/{x}/{y}.mvt")
    assert r.status_code == 200
    return mapbox_vector_tile.decode(r.content, default_options={"y_coord_down": True})


def test_a_write_shows_in_the_next_tile(reg, login):
    public = login("public", reg)
    z, x, y = _tile_of(110.01, 41.61, 12)
    before = {f["id"] for f in _layers(public, z, x, y)["rights"]["features"]}
    data = right_data("C1502002020009998", reg.a.pk, "150200", box(110.02, 41.61, 110.03, 41.62))
    new = services.create(ADMIN, "right", data, first_event={"kind": "granted", "date": "2020-01-01"})
    assert new.pk not in before
    assert {f["id"] for f in _layers(public, z, x, y)["rights"]["features"]} == before | {new.pk}


def test_tiles_carry_no_names(reg, login):
    """Names come to the page from the API as text, never inside tiles: a tile feature has its id and
    kind only."""
    z, x, y = _tile_of(110.01, 41.61, 12)
    for layer in _layers(login("admin", reg), z, x, y).values():
        for f in layer["features"]:
            assert set(f["properties"]) <= {"kind"}


def test_the_boundary_lands_where_it_lies(reg, login):
    """The right's polygon, decoded back to lon/lat from tile units, covers its registered boundary
    to within a tile unit (web Mercator, y down)."""
    z, x, y = _tile_of(110.01, 41.61, tiles.RIGHT_POINT_ZOOM)  # the whole right lies in this tile
    feature = next(f for f in _layers(login("admin", reg), z, x, y)["rights"]["features"] if f["id"] == reg.r_bt.pk)
    ring = feature["geometry"]["coordinates"][0]
    x0, y0, x1, y1 = tiles.lonlat_bounds(z, x, y)
    lon = [x0 + (px / tiles.EXTENT) * (x1 - x0) for px, _ in ring]
    merc = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731
    top, bottom = merc(y1), merc(y0)
    lat = [
        math.degrees(2 * math.atan(math.exp(top - py / tiles.EXTENT * (top - bottom))) - math.pi / 2) for _, py in ring
    ]
    want = shapely.from_wkb(bytes(services.records("right").get(pk=reg.r_bt.pk).boundary)).bounds
    unit = (x1 - x0) / tiles.EXTENT
    assert min(lon) == pytest.approx(want[0], abs=unit) and max(lon) == pytest.approx(want[2], abs=unit)
    assert min(lat) == pytest.approx(want[1], abs=unit) and max(lat) == pytest.approx(want[3], abs=unit)


@pytest.mark.parametrize("z", [4, 13])
def test_postgis_and_the_embedded_encoder_agree(reg, z):
    if connection.vendor != "postgresql" or not tiles._has_postgis():
        pytest.skip("the PostGIS encoder runs on PostgreSQL with PostGIS")
    z, x, y = _tile_of(110.01, 41.61, z)
    for name, entity in tiles.ENTITY.items():
        qs = tiles._records(ADMIN, entity, z, x, y, "")
        python = mapbox_vector_tile.decode(tiles._encode_python(ADMIN, name, z, x, y, "") or b"")
        postgis = mapbox_vector_tile.decode(tiles._encode_postgis(qs, name, entity, z, x, y) or b"")
        got = {f["id"]: (f["properties"], f["geometry"]["type"]) for f in postgis.get(name, {}).get("features", [])}
        want = {f["id"]: (f["properties"], f["geometry"]["type"]) for f in python.get(name, {}).get("features", [])}
        assert got == want, name


def test_the_map_shows_the_deployments_province(reg, client):
    assert 'data-province="150000"' in client.get("/").content.decode()
    with override_settings(JURISDICTION="qinghai", PROVINCE_PREFIX="63"):
        page = client.get("/").content.decode()
        assert 'data-province="630000"' in page and "青海" in page and "内蒙古" not in page
    with override_settings(JURISDICTION="national", PROVINCE_PREFIX=""):
        assert 'data-province=""' in client.get("/").content.decode()


# ---------------------------------------------------------------- the opening view, built ahead


def _opening_tile_at(lon, lat):
    box_ = tilewarm.extent(tilewarm.division())
    opening = tilewarm.opening_tiles(box_)
    z = max(t[0] for t in opening)
    return next(t for t in opening if t == _tile_of(lon, lat, z))


def _decoded(client, z, x, y, division):
    r = client.get(f"/api/v1/map/tiles/{z}/{x}/{y}.mvt?division={division}")
    assert r.status_code == 200
    return r.content, mapbox_vector_tile.decode(r.content, default_options={"y_coord_down": True})


@pytest.fixture
def store_dir(tmp_path):
    with override_settings(DATA_DIR=tmp_path, PROVINCE_PREFIX="15"):
        tiles._tiles.clear()
        yield tmp_path
    tiles._tiles.clear()


def test_the_opening_view_is_built_ahead_and_served_from_the_store(reg, login, store_dir, monkeypatch):
    """The job builds the public's opening tiles; a fresh process (memory cache empty) serves them
    without encoding anything, and they hold what the public may see (no application)."""
    built = tilewarm.warm.enqueue().return_value
    z, x, y = _opening_tile_at(110.11, 41.61)
    assert built >= 1 and (tiles.store_root()).exists()
    tiles._tiles.clear()

    def no_encoding(*args):
        raise AssertionError("the tile was encoded again, not read from the store")

    monkeypatch.setattr(tiles, "_build", no_encoding)
    _, layers = _decoded(login("public", reg), z, x, y, "150000")
    ids = {f["id"] for f in layers["rights"]["features"]}
    assert reg.r_bt.pk in ids and reg.r_app.pk not in ids


def test_a_write_after_the_build_shows_in_the_next_tile(reg, login, store_dir):
    tilewarm.warm.enqueue()
    z, x, y = _opening_tile_at(110.02, 41.61)
    tiles._tiles.clear()  # as in another process: the store is all there is
    data = right_data("C1502002020009997", reg.a.pk, "150200", box(110.02, 41.61, 110.03, 41.62))
    new = services.create(ADMIN, "right", data, first_event={"kind": "granted", "date": "2020-01-01"})
    _, layers = _decoded(login("public", reg), z, x, y, "150000")
    assert new.pk in {f["id"] for f in layers["rights"]["features"]}


def test_the_store_never_gives_one_viewer_anothers_tiles(reg, login, store_dir):
    """A tile stored as an administrator sees it (with the application) is not what the public gets
    at the same place and version, nor the other way round."""
    z, x, y = _opening_tile_at(110.11, 41.61)
    version = tiles.data_version()
    tiles.store(ADMIN, z, x, y, "150000", version)
    tiles._tiles.clear()
    _, public = _decoded(login("public", reg), z, x, y, "150000")
    assert reg.r_app.pk not in {f["id"] for f in public["rights"]["features"]}
    tiles._tiles.clear()
    tiles.store(PUBLIC_ACTOR, z, x, y, "150000", version)
    tiles._tiles.clear()
    _, admin = _decoded(login("admin", reg), z, x, y, "150000")
    assert reg.r_app.pk in {f["id"] for f in admin["rights"]["features"]}


def test_nothing_is_stored_when_the_data_changed_during_the_build(reg, store_dir):
    z, x, y = _opening_tile_at(110.11, 41.61)
    stale = tiles.data_version()
    services.create(ADMIN, "right", right_data("C1502002020009996", reg.a.pk, "150200", box(110.05, 41.6, 110.06, 41.61)),
                    first_event={"kind": "granted", "date": "2020-01-01"})  # fmt: skip
    tiles.store(PUBLIC_ACTOR, z, x, y, "150000", stale)
    assert not tiles._stored((("public",), z, x, y, "150000", stale)).exists()


def test_staff_scope_views_are_built_ahead_and_shared_by_their_users(reg, login, store_dir, monkeypatch):
    """The job also builds the opening view of each scope view the active staff have; every regulator
    of a division is served the one build (the key is the scope view), with the application the
    public does not see; an enterprise user's tiles are still encoded on request."""
    second = create_user("u-reg-im-2", "pw-Secret-2026!", "regulator", division="150000")
    assert {tiles.viewer(a) for a in staff_views()} == {
        ("admin",),
        ("regulator", "15"),
        ("regulator", "1502"),
        ("regulator", "63"),
    }
    tilewarm.warm.enqueue()
    z, x, y = _opening_tile_at(110.11, 41.61)
    tiles._tiles.clear()  # as in another process: the store is all there is
    encoded = []
    build = tiles._build
    monkeypatch.setattr(tiles, "_build", lambda *a: encoded.append(a[0]) or build(*a))
    for user in (reg.users["reg_im"], second, reg.users["reg_bt"], reg.users["admin"]):
        _, layers = _decoded(_as(login, reg, user), z, x, y, "150000")
        assert reg.r_app.pk in {f["id"] for f in layers["rights"]["features"]}
    _, qinghai = _decoded(_as(login, reg, reg.users["reg_qh"]), z, x, y, "150000")
    assert not qinghai.get("rights", {}).get("features")  # its own view: nothing in Inner Mongolia
    assert not encoded, "a staff view's opening tile was encoded on request"
    _decoded(_as(login, reg, reg.users["ent_a"]), z, x, y, "150000")
    assert len(encoded) == 1  # one view per enterprise: not built ahead


def _as(login, reg, user):
    client = login("public", reg)
    client.force_login(user)
    return client


def test_one_tile_is_built_once_however_many_ask_at_once(store_dir, monkeypatch):
    """Visitors and the build-ahead job asking for the same tile while it is being built wait for
    that one build (under the GIL a second build doubles everyone's wait)."""
    import threading
    import time

    monkeypatch.setattr(tiles, "data_version", lambda: ("v",))
    calls = []

    def slow_build(*args):
        calls.append(args)
        time.sleep(0.3)
        return b"tile"

    monkeypatch.setattr(tiles, "_build", slow_build)
    got = []
    askers = [
        threading.Thread(target=lambda: got.append(tiles.tile(PUBLIC_ACTOR, 5, 25, 11, "150000"))) for _ in range(4)
    ]
    askers.append(threading.Thread(target=lambda: tiles.store(PUBLIC_ACTOR, 5, 25, 11, "150000", ("v",))))
    for t in askers:
        t.start()
    for t in askers:
        t.join()
    assert len(calls) == 1 and got == [b"tile"] * 4
    assert tiles._stored((("public",), 5, 25, 11, "150000", ("v",))).read_bytes() == b"tile"


def test_a_new_process_reads_the_index_the_job_saved(reg, login, store_dir, monkeypatch):
    """The job saves each view's layer index beside its tiles; a new process (memory empty) answers
    the in-view counts and list and encodes a tile the job did not build from it, without querying
    every record, and with what it would have queried (the public's records only)."""
    public = login("public", reg)
    tiles._indexes.clear()
    want = public.get("/api/v1/map/view?division=150000").json()
    tilewarm.warm.enqueue()
    tiles._indexes.clear()
    tiles._tiles.clear()

    def no_query(*args):
        raise AssertionError("the index was queried again, not read from the store")

    monkeypatch.setattr(tiles, "_query_index", no_query)
    assert public.get("/api/v1/map/view?division=150000").json() == want
    z, x, y = _tile_of(110.11, 41.61, 12)  # far below the opening view's zooms: encoded on request
    _, layers = _decoded(public, z, x, y, "150000")
    ids = {f["id"] for f in layers["rights"]["features"]}
    assert reg.r_bt.pk in ids and reg.r_app.pk not in ids
    assert {f["id"] for f in layers["zones"]["features"]} == {reg.zone.pk}
