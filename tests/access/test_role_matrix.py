"""Every API endpoint and portal page, called as every role: the allowed succeed, the denied are
refused. Expected outcomes are written out here from the rules, not computed by the code under test."""

import math

import pytest
from shapely.geometry import box

from kuangzheng.api.routes import api
from tests.support.registry import CODE_A, right_data

ROLES = ["admin", "reg_im", "reg_bt", "reg_qh", "ent_a", "public"]
STAFF_IN_SCOPE = {"admin", "reg_im", "reg_bt"}  # every test record lies in Baotou (150200) or Hohhot (150100)

# which records each role sees at all (ids by fixture attribute) — Hohhot is outside reg_bt's scope,
# Qinghai's regulator sees nothing in Inner Mongolia, applications are not public
VISIBLE = {
    "enterprises": {
        "admin": {"a", "b"},
        "reg_im": {"a", "b"},
        "reg_bt": {"a"},
        "reg_qh": set(),
        "ent_a": {"a", "b"},
        "public": {"a", "b"},
    },
    "facilities": {
        "admin": {"fac", "fac_b"},
        "reg_im": {"fac", "fac_b"},
        "reg_bt": {"fac"},
        "reg_qh": set(),
        "ent_a": {"fac", "fac_b"},
        "public": {"fac", "fac_b"},
    },
    "rights": {
        "admin": {"r_bt", "r_hh", "r_app"},
        "reg_im": {"r_bt", "r_hh", "r_app"},
        "reg_bt": {"r_bt", "r_app"},
        "reg_qh": set(),
        "ent_a": {"r_bt", "r_hh"},
        "public": {"r_bt", "r_hh"},
    },
    "zones": {r: ({"zone"} if r != "reg_qh" else set()) for r in ROLES},
}
# which visible records each role sees in full (private fields, history)
FULL = {
    "enterprises": {"admin": {"a", "b"}, "reg_im": {"a", "b"}, "reg_bt": {"a"}, "ent_a": {"a"}},
    "facilities": {"admin": {"fac", "fac_b"}, "reg_im": {"fac", "fac_b"}, "reg_bt": {"fac"}, "ent_a": {"fac"}},
    "rights": {
        "admin": {"r_bt", "r_hh", "r_app"},
        "reg_im": {"r_bt", "r_hh", "r_app"},
        "reg_bt": {"r_bt", "r_app"},
        "ent_a": {"r_bt"},
    },
    "zones": {"admin": {"zone"}, "reg_im": {"zone"}, "reg_bt": {"zone"}},
}
PRIVATE_FIELD = {
    "enterprises": "legal_representative",
    "facilities": "process",
    "rights": "elevation_top",
    "zones": None,
}
MAIN = {"enterprises": "a", "facilities": "fac", "rights": "r_bt", "zones": "zone"}


def _new(kind, reg):
    return {
        "enterprises": {"name": "新企业", "credit_code": "91150200MA0N0NEW1" + "X", "division": "150200"},
        "facilities": {"name": "新设施", "kind": "mine", "division": "150200", "enterprise": reg.a.pk},
        "rights": {
            **right_data("C1502002020009999", reg.a.pk, "150200", box(110.2, 41.6, 110.22, 41.62)),
            "event": {"kind": "granted", "date": "2020-01-01"},
        },
        "zones": {"code": "Z-NEW", "name": "新区块", "kind": "mining_planning_block", "division": "150200"},
    }[kind]


def _fix_credit(data):
    from kuangzheng.registry.core.codes import make_credit_code

    if "credit_code" in data:
        data["credit_code"] = make_credit_code(data["credit_code"][:17])
    return data


def expect_create(kind, role):
    if role in STAFF_IN_SCOPE:
        return 201
    if role == "ent_a" and kind == "facilities":
        return 201
    return 403


def expect_update(kind, role, key):
    if key not in VISIBLE[kind][role]:
        return 404
    if role in STAFF_IN_SCOPE:
        return 200
    if role == "ent_a" and kind in ("enterprises", "facilities") and key in FULL[kind]["ent_a"]:
        return 200
    return 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", list(VISIBLE))
def test_list_detail_history(kind, role, reg, login):
    c = login(role, reg)
    ids = {
        getattr(reg, k).pk: k
        for k in ("a", "b", "fac", "fac_b", "r_bt", "r_hh", "r_app", "zone")
        if type(getattr(reg, k)).__name__ == type(getattr(reg, MAIN[kind])).__name__
    }
    r = c.get(f"/api/v1/{kind}?size=100")
    assert r.status_code == 200
    got = {ids[x["id"]] for x in r.json()["results"]}
    assert got == VISIBLE[kind][role]
    full = FULL[kind].get(role, set())
    for x in r.json()["results"]:
        key = ids[x["id"]]
        assert x["full_view"] == (key in full)
        if PRIVATE_FIELD[kind]:
            assert (PRIVATE_FIELD[kind] in x) == (key in full)
    for pk, key in ids.items():
        d = c.get(f"/api/v1/{kind}/{pk}")
        assert d.status_code == (200 if key in VISIBLE[kind][role] else 404), (key, d.content)
        h = c.get(f"/api/v1/{kind}/{pk}/history")
        assert h.status_code == (200 if key in full else 403 if key in VISIBLE[kind][role] else 404)
        page = c.get(
            f"/{ {'enterprises': 'enterprises', 'facilities': 'facilities', 'rights': 'rights', 'zones': 'zones'}[kind] }/{pk}/"
        )
        assert page.status_code == (200 if key in VISIBLE[kind][role] else 404)
        if page.status_code == 200 and PRIVATE_FIELD[kind]:
            private_value = {"enterprises": "张三", "facilities": "浮选", "rights": "1200.0"}[kind]
            assert (private_value in page.content.decode()) == (
                key in full and getattr(reg, key).pk in (reg.a.pk, reg.fac.pk, reg.r_bt.pk)
            ) or key not in (MAIN[kind],)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", list(VISIBLE))
def test_create(kind, role, reg, login):
    c = login(role, reg)
    r = c.post(f"/api/v1/{kind}", _fix_credit(_new(kind, reg)), content_type="application/json")
    assert r.status_code == expect_create(kind, role), r.content


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "kind,key,change",
    [
        ("enterprises", "a", {"address": "新地址"}),
        ("enterprises", "b", {"address": "新地址"}),
        ("facilities", "fac", {"process": "重选"}),
        ("facilities", "fac_b", {"process": "湿法"}),
        ("rights", "r_bt", {"name": "改名"}),
        ("rights", "r_hh", {"name": "改名"}),
        ("zones", "zone", {"name": "改名"}),
    ],
)
def test_update(kind, key, change, role, reg, login):
    c = login(role, reg)
    obj = getattr(reg, key)
    r = c.patch(f"/api/v1/{kind}/{obj.pk}", {**change, "version": obj.version}, content_type="application/json")
    assert r.status_code == expect_update(kind, role, key), r.content


@pytest.mark.parametrize("role", ROLES)
def test_right_event(role, reg, login):
    c = login(role, reg)
    r = c.post(
        f"/api/v1/rights/{reg.r_bt.pk}/events",
        {"kind": "suspended", "date": "2025-01-01", "version": reg.r_bt.version},
        content_type="application/json",
    )
    assert r.status_code == expect_update("rights", role, "r_bt"), r.content


@pytest.mark.parametrize("role", ROLES)
def test_right_conflicts(role, reg, login):
    c = login(role, reg)
    for key in ("r_bt", "r_hh", "r_app"):
        r = c.get(f"/api/v1/rights/{getattr(reg, key).pk}/conflicts")
        assert r.status_code == (200 if key in VISIBLE["rights"][role] else 404)
    if "r_bt" in VISIBLE["rights"][role]:
        zones = c.get(f"/api/v1/rights/{reg.r_bt.pk}/conflicts").json()["zones"]
        assert [z["code"] for z in zones] == ["Z-150200-01"]  # the right lies wholly inside the key mining area
        assert zones[0]["share_of_this"] == 1.0 and 0 < zones[0]["share_of_other"] < 0.1


@pytest.mark.parametrize("role", ROLES)
def test_misc_endpoints(role, reg, login):
    c = login(role, reg)
    assert c.get("/api/v1/me").json()["role"] == {"admin": "admin", "ent_a": "enterprise", "public": "public"}.get(
        role, "regulator"
    )
    assert c.get("/api/v1/divisions").status_code == 200
    assert c.get("/api/v1/audit/verify").status_code == (200 if role == "admin" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_audit_checkpoint_is_public(role, reg, login):
    from kuangzheng.audit import anchor

    c = login(role, reg)
    assert c.get("/api/v1/audit/checkpoint").status_code == 404
    cp = anchor.checkpoint()
    assert c.get("/api/v1/audit/checkpoint").json()["hash"] == cp.hash
    assert c.get("/audit/checkpoint/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "page",
    ["/", "/rights/", "/enterprises/", "/facilities/", "/zones/", "/login/", "/supervision/", "/supervision/verify/"],
)
def test_pages(page, role, reg, login):
    c = login(role, reg)
    r = c.get(page)
    assert r.status_code == (302 if page == "/login/" and role != "public" else 200)


@pytest.mark.parametrize("role", ROLES)
def test_portal_writes(role, reg, login):
    c = login(role, reg)
    r = c.post(
        "/enterprises/new/",
        _fix_credit({"name": "门户新企业", "credit_code": "91150200MA0N0PRT1X", "division": "150200"}),
    )
    expected = {"public": 302, "reg_qh": 403, "ent_a": 403}.get(role, 302)
    assert r.status_code == expected
    if role == "public":
        assert r["Location"].startswith("/login/")
    elif expected == 302:
        assert r["Location"].startswith("/enterprises/")
    e = c.post(
        f"/rights/{reg.r_bt.pk}/events/", {"kind": "suspended", "date": "2025-01-01", "version": reg.r_bt.version}
    )
    reg.r_bt.refresh_from_db()
    assert (reg.r_bt.status == "suspended") == (role in STAFF_IN_SCOPE)
    assert e.status_code in (302, 404)


def _tile(lon, lat, z):
    n = 2**z
    return z, int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


@pytest.mark.parametrize("role", ROLES)
def test_map_tiles_and_popups(role, reg, login):
    """The map's vector tiles and its click look-up hold exactly the records the role sees, with
    public fields only (whoever asks, tiles carry no private field)."""
    import mapbox_vector_tile

    c = login(role, reg)
    ids = {kind: {getattr(reg, k).pk: k for k in VISIBLE[kind]["admin"]} for kind in ("rights", "facilities", "zones")}
    z, x, y = _tile(110.02, 41.61, 4)  # every test record lies in this tile at zoom 4
    r = c.get(f"/api/v1/map/tiles/{z}/{x}/{y}.mvt")
    assert r.status_code == 200 and r["Content-Type"] == "application/vnd.mapbox-vector-tile"
    layers = mapbox_vector_tile.decode(r.content)
    for kind in ("rights", "facilities", "zones"):
        got = {ids[kind][f["id"]] for f in layers.get(kind, {}).get("features", []) if f["id"] in ids[kind]}
        assert got == VISIBLE[kind][role], (kind, got)
        for f in layers.get(kind, {}).get("features", []):
            assert set(f["properties"]) <= {"kind"}
    rights = layers.get("rights", {}).get("features", [])
    assert {f["geometry"]["type"] for f in rights} == (
        {"Point"} if VISIBLE["rights"][role] else set()
    )  # dots at zoom 4
    z, x, y = _tile(110.01, 41.61, 13)
    polygons = mapbox_vector_tile.decode(c.get(f"/api/v1/map/tiles/{z}/{x}/{y}.mvt").content)
    shown = {f["id"]: f["geometry"]["type"] for f in polygons.get("rights", {}).get("features", [])}
    assert (shown.get(reg.r_bt.pk) == "Polygon") == ("r_bt" in VISIBLE["rights"][role])
    at = c.get("/api/v1/map/at?lon=110.025&lat=41.615&z=13").json()
    assert {r["id"] for r in at["rights"]} == ({reg.r_bt.pk} if "r_bt" in VISIBLE["rights"][role] else set())
    assert {z["id"] for z in at["zones"]} == ({reg.zone.pk} if "zone" in VISIBLE["zones"][role] else set())
    for row in at["rights"]:
        assert (PRIVATE_FIELD["rights"] in row) == ("r_bt" in FULL["rights"].get(role, set()))
    view = c.get("/api/v1/map/view?bbox=109,40,112,42&size=50").json()
    for kind in ("rights", "facilities", "zones"):
        assert view[kind]["count"] == len(VISIBLE[kind][role])
        assert {ids[kind][r["id"]] for r in view[kind]["results"]} == VISIBLE[kind][role]
    for row in view["rights"]["results"]:
        assert (PRIVATE_FIELD["rights"] in row) == (ids["rights"][row["id"]] in FULL["rights"].get(role, set()))
    assert c.get("/api/v1/map/view?bbox=120,45,121,46").json()["rights"]["count"] == 0
    assert c.get("/api/v1/map/view?bbox=1,2,3").status_code == 400
    assert c.get("/api/v1/map/tiles/4/16/0.mvt").status_code == 404  # x outside the zoom's grid
    assert c.get("/api/v1/map/tiles/19/0/0.mvt").status_code == 404
    assert c.get("/api/v1/map/at?lon=nan&lat=41&z=5").status_code in (400, 404)


@pytest.mark.parametrize("role", ROLES)
def test_open_data_is_the_public_view_for_every_role(role, reg, login, tmp_path):
    """/open-data/ and its files: open to every role, and the same public files whoever asks."""
    from django.test import override_settings

    with override_settings(DATA_DIR=tmp_path):
        c = login(role, reg)
        assert c.get("/open-data/").status_code == 200
        r = c.get("/open-data/files/rights.csv")
        assert r.status_code == 200
        text = b"".join(r.streaming_content).decode("utf-8-sig")
        assert reg.r_bt.licence_no in text and reg.r_app.licence_no not in text and "elevation_top" not in text
        assert c.get("/open-data/files/nothing.csv").status_code == 404


def test_matrix_covers_every_api_endpoint():
    """A new endpoint must be added to this matrix: list every operation the API serves."""
    served = set()
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for op in view.operations:
                for m in op.methods:
                    served.add((m, (prefix.rstrip("/") + "/" + path.lstrip("/")).rstrip("/").replace("//", "/")))
    covered = {("GET", "/me"), ("GET", "/divisions"), ("GET", "/audit/verify")}
    covered |= {("GET", "/me/tokens"), ("POST", "/me/tokens"), ("DELETE", "/me/tokens/{token_id}")}
    covered |= {("GET", "/audit/checkpoint")}
    covered |= {
        ("GET", "/map/tiles/{z}/{x}/{y}.mvt"),
        ("GET", "/map/at"),
        ("GET", "/map/view"),
    }  # test_map_tiles_and_popups
    for kind in VISIBLE:
        covered |= {
            ("GET", f"/{kind}"),
            ("GET", f"/{kind}/{{pk}}"),
            ("GET", f"/{kind}/{{pk}}/history"),
            ("POST", f"/{kind}"),
            ("PATCH", f"/{kind}/{{pk}}"),
        }
    covered |= {("POST", "/rights/{pk}/events"), ("GET", "/rights/{pk}/conflicts")}
    covered |= {("GET", f"/policy/{p}") for p in POLICY_ENDPOINTS} | {("GET", "/policy/entries/{entry_id}")}
    from tests.monitoring.test_api_roles import ENDPOINTS as MONITORING  # their role tests: tests/monitoring

    covered |= set(MONITORING)
    from tests.compliance.test_api_roles import ENDPOINTS as COMPLIANCE  # their role tests: tests/compliance

    covered |= set(COMPLIANCE)
    from tests.hj212.test_api_roles import ENDPOINTS as HJ212  # their role tests: tests/hj212

    covered |= set(HJ212)
    from tests.applications.test_api_roles import ENDPOINTS as APPLICATIONS  # their role tests: tests/applications

    covered |= set(APPLICATIONS)
    from tests.credit.test_api_roles import ENDPOINTS as CREDIT  # their role tests: tests/credit

    covered |= set(CREDIT)
    from tests.notices.test_api_roles import ENDPOINTS as NOTICES  # their role tests: tests/notices

    covered |= set(NOTICES)
    from tests.restoration.test_api_roles import ENDPOINTS as RESTORATION  # their role tests: tests/restoration

    covered |= set(RESTORATION)
    from tests.supervision.test_api_roles import ENDPOINTS as SUPERVISION  # their role tests: tests/supervision

    covered |= set(SUPERVISION)
    served = {(m, p if p.startswith("/") else "/" + p) for m, p in served}
    missing = served - covered
    assert not missing, f"endpoints without a role-matrix test: {sorted(missing)}"


POLICY_ENDPOINTS = ["entries", "export", "check", "consistency", "param"]


@pytest.mark.parametrize("role", ROLES)
def test_policy_catalogue_is_public_to_every_role(role, reg, login):
    c = login(role, reg)
    assert c.get("/api/v1/policy/entries?doc=000&kind=access_threshold").status_code == 200
    assert c.get("/api/v1/policy/entries/000.al.new.cell_current").json()["value"] == 400
    assert c.get("/api/v1/policy/export?format=csv").status_code == 200
    assert c.get("/api/v1/policy/check").json()["ok"] is True
    assert c.get("/api/v1/policy/consistency").status_code == 200
    r = c.get("/api/v1/policy/param?name=al.new.cell_current_min&jurisdiction=inner_mongolia&on=2014-01-01")
    assert r.json()["id"] == "000.al.new.cell_current"
    assert c.get("/policy/").status_code == 200 and c.get("/policy/docs/004/").status_code == 200


def test_api_session_writes_need_csrf(reg):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(reg.users["admin"])
    r = c.post(
        "/api/v1/zones",
        {"code": "Z-CSRF", "name": "x", "kind": "key_mining_area", "division": "150200"},
        content_type="application/json",
    )
    assert r.status_code == 403


def test_api_token_auth(reg, client):
    from tests.support.access import bearer

    r = client.get("/api/v1/me", **bearer(reg.users["reg_bt"]))
    assert r.json()["role"] == "regulator" and r.json()["division"] == "150200"
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer kz_wrong").status_code == 401
    _ = CODE_A


@pytest.mark.parametrize("role", ROLES)
def test_own_api_tokens(role, reg, login):
    """Every signed-in role manages its own tokens and no one else's; the public has none."""
    from kuangzheng.access import tokens

    others = tokens.create(reg.users["reg_qh" if role != "reg_qh" else "admin"], "not yours")
    c = login(role, reg)
    listed = c.get("/api/v1/me/tokens")
    made = c.post("/api/v1/me/tokens", {"name": "script"}, content_type="application/json")
    foreign = c.delete(f"/api/v1/me/tokens/{others.token.pk}")
    if role == "public":
        assert (listed.status_code, made.status_code, foreign.status_code) == (401, 401, 401)
        return
    assert listed.status_code == 200 and made.status_code == 201 and foreign.status_code == 404
    assert c.delete(f"/api/v1/me/tokens/{made.json()['id']}").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_form_pages(role, reg, login):
    """New/edit forms: the public is sent to sign in; others get the form only for records they may edit."""
    c = login(role, reg)
    for path, key in [("enterprises", "a"), ("facilities", "fac"), ("rights", "r_bt"), ("zones", "zone")]:
        r = c.get(f"/{path}/new/")
        assert r.status_code == (302 if role == "public" else 200)
        e = c.get(f"/{path}/{getattr(reg, key).pk}/edit/")
        if role == "public":
            assert e.status_code == 302
        else:
            assert (
                e.status_code == expect_update(path, role, key)
                if e.status_code != 200
                else expect_update(path, role, key) == 200
            )


@pytest.mark.parametrize("role", ROLES)
def test_admin_site(role, reg, login):
    c = login(role, reg)
    r = c.get("/admin/registry/mineralright/")
    assert r.status_code == (200 if role == "admin" else 302)


def test_pages_load_nothing_from_other_hosts(reg, client):
    """Intranets have no internet: no script, style or image may come from another host."""
    import re

    for page in ["/", "/rights/", f"/rights/{reg.r_bt.pk}/", "/policy/", "/api/v1/docs", "/login/"]:
        html = client.get(page).content.decode()
        external = re.findall(r'(?:src|href)=["\'](?:https?:)?//[^"\']+', html)
        assert not external, (page, external)
