"""A small registry every registry test starts from: real division boundaries (from the shipped
CTAmap data) for Inner Mongolia, Baotou, Hohhot and Qinghai, two enterprises, rights, a facility,
a zone, and one user per role."""

import datetime as dt
import functools
import json
from importlib import resources

import pytest
from shapely.geometry import box, shape

from kuangzheng.access.actor import Actor
from kuangzheng.access.users import create_user
from kuangzheng.registry import geometry, services
from kuangzheng.registry.core.codes import make_credit_code
from kuangzheng.registry.models import Division

ADMIN = Actor("t-admin", "admin")
PASSWORD = "test-pass-123"

# A Baotou site and a Hohhot site, inside their prefectures' real boundaries.
BAOTOU_BOX = box(110.00, 41.60, 110.05, 41.63)
HOHHOT_BOX = box(111.60, 40.80, 111.65, 40.83)
CODE_A = make_credit_code("91150200MA0N000A1")
CODE_B = make_credit_code("91150100MA0N000B2")


@functools.cache
def _division_rows():
    wanted, rows = {"150000", "150200", "150100", "630000"}, []
    for level, fname in (("province", "provinces.geojson"), ("prefecture", "prefectures.geojson")):
        fc = json.loads(resources.files("kuangzheng.data").joinpath(f"cn-admin/{fname}").read_text("utf-8"))
        for f in fc["features"]:
            code = str(f["properties"]["id"])
            if code in wanted:
                rows.append(
                    dict(
                        code=code,
                        name_zh=f["properties"]["地名"],
                        name_en=f["properties"]["name"],
                        level=level,
                        parent_id=None if level == "province" else code[:2] + "0000",
                        **geometry.columns(shape(f["geometry"]).buffer(0)),
                    )
                )
    return rows


def _divisions():
    for row in _division_rows():
        Division.objects.create(**row)


def right_data(licence, holder, division, geom, **kw):
    d = {
        "licence_no": licence,
        "kind": "mining",
        "name": f"矿山{licence}",
        "holder": holder,
        "division": division,
        "minerals": ["铜"],
        "valid_from": "2015-01-01",
        "valid_to": "2035-01-01",
        "obtained_by": "listing",
        "boundary": geom.wkt,
        "designed_scale": 30,
        "designed_scale_unit": "10^4 t/a",
        "elevation_top": 1200,
        "elevation_bottom": 800,
    }
    d.update(kw)
    return d


GRANT = {"kind": "granted", "date": "2015-01-01", "document_ref": "测试〔2015〕1号"}


@pytest.fixture
def reg(db):
    """The small registry; returns a namespace of its records and users."""
    _divisions()
    a = services.create(
        ADMIN,
        "enterprise",
        {
            "name": "包头甲矿业有限公司",
            "credit_code": CODE_A,
            "division": "150200",
            "ownership": "private",
            "legal_representative": "张三",
            "address": "包头市昆都仑区",
        },
    )
    b = services.create(
        ADMIN,
        "enterprise",
        {"name": "呼和浩特乙矿业有限公司", "credit_code": CODE_B, "division": "150100", "ownership": "state"},
    )
    r_bt = services.create(
        ADMIN, "right", right_data("C1502002015000001", a.pk, "150200", BAOTOU_BOX), first_event=GRANT
    )
    r_hh = services.create(
        ADMIN, "right", right_data("C1501002015000002", b.pk, "150100", HOHHOT_BOX), first_event=GRANT
    )
    r_app = services.create(
        ADMIN,
        "right",
        right_data("C1502002016000003", b.pk, "150200", box(110.10, 41.60, 110.12, 41.62)),
        first_event={"kind": "applied", "date": "2016-03-01"},
    )
    fac = services.create(
        ADMIN,
        "facility",
        {
            "name": "甲选矿厂",
            "kind": "concentrator",
            "division": "150200",
            "enterprise": a.pk,
            "metals": ["铜"],
            "lon": 110.02,
            "lat": 41.61,
            "daily_capacity": 500,
            "process": "浮选",
        },
    )
    fac_b = services.create(
        ADMIN,
        "facility",
        {
            "name": "乙冶炼厂",
            "kind": "smelter",
            "division": "150100",
            "enterprise": b.pk,
            "metals": ["锌"],
            "lon": 111.62,
            "lat": 40.81,
            "single_series_capacity": 12,
        },
    )
    zone = services.create(
        ADMIN,
        "zone",
        {
            "code": "Z-150200-01",
            "name": "包头重点矿区",
            "kind": "key_mining_area",
            "division": "150200",
            "boundary": box(109.9, 41.5, 110.2, 41.7).wkt,
        },
    )
    users = {
        "admin": create_user("u-admin", PASSWORD, "admin"),
        "reg_im": create_user("u-reg-im", PASSWORD, "regulator", division="150000"),
        "reg_bt": create_user("u-reg-bt", PASSWORD, "regulator", division="150200"),
        "reg_qh": create_user("u-reg-qh", PASSWORD, "regulator", division="630000"),
        "ent_a": create_user("u-ent-a", PASSWORD, "enterprise", enterprise=a.pk),
    }

    class R:
        pass

    ns = R()
    ns.a, ns.b, ns.r_bt, ns.r_hh, ns.r_app, ns.fac, ns.fac_b, ns.zone, ns.users = (
        a,
        b,
        r_bt,
        r_hh,
        r_app,
        fac,
        fac_b,
        zone,
        users,
    )
    ns.today = dt.date(2026, 11, 24)
    return ns


@pytest.fixture
def login(client):
    def as_(role, reg):
        client.logout()
        if role != "public":
            client.force_login(reg.users[role])
        return client

    return as_
