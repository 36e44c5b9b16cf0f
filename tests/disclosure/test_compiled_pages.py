"""The plain bbox pages of the Features API run queries compiled once per caller's scope and kept
(`kuangzheng.prepared`): each caller, one after another, must get exactly the records an
independent reading finds (its scope, then the exact shapes) and each record as the ORM path shows
it — a query compiled for one caller and reused for another would leak or hide records."""

import json

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from kuangzheng.access.actor import PUBLIC_ACTOR, Actor, actor_for_user
from kuangzheng.disclosure import layers
from kuangzheng.disclosure.core import crs
from kuangzheng.registry import geometry, services

BOXES = [
    (109.0, 40.0, 113.0, 43.0),  # everything
    (110.10, 41.60, 110.12, 41.62),  # the application's own box
    (110.11, 41.61, 110.5, 41.9),  # crosses the application's edge
    (111.55, 40.75, 111.58, 40.78),  # inside Hohhot's right only
    (100.0, 30.0, 100.5, 30.5),  # nothing
]


ACTOR_NAMES = ("public", "admin", "reg_bt", "reg_qh", "ent_a", "ent_b")


def _actors(reg) -> dict[str, Actor]:
    users = {name: actor_for_user(reg.users[name]) for name in ("admin", "reg_bt", "reg_qh", "ent_a")}
    # the applicant (enterprise b) sees its application; enterprise a does not
    return {
        "public": PUBLIC_ACTOR,
        **users,
        "ent_b": Actor(username="ent-b", role="enterprise", enterprise_id=reg.b.pk),
    }


def _expected(actor: Actor, entity: str, bbox) -> list[int]:
    query = box(*bbox)
    return sorted(
        r.pk
        for r in services.scoped(actor, entity)
        if r.boundary and shapely.intersects(geometry.load(r.boundary), query)
    )


def _plain(feature: dict) -> dict:
    return json.loads(json.dumps(feature))  # tuples and lists alike


@pytest.mark.django_db
def test_every_caller_in_turn_gets_its_own_records_from_the_compiled_queries(reg):
    actors = _actors(reg)
    seen_application = set()
    for _ in range(2):  # the second round runs on the queries every caller compiled in the first
        for name, actor in actors.items():
            for lay_id, entity in (("mineral-rights", "right"), ("zones", "zone")):
                lay = layers.layer(lay_id)
                for bbox in BOXES:
                    records, matched = layers.page(actor, lay, offset=0, limit=100, bbox=bbox)
                    ids = [r.pk for r in records]
                    assert ids == _expected(actor, entity, bbox), (name, lay_id, bbox)
                    assert matched == len(ids)
                    for feat in layers.features(actor, lay, records, crs.CRS84):
                        shown = services.feature(actor, entity, services.get(actor, entity, feat["id"]))
                        shown["properties"].pop("bbox", None)
                        assert _plain(feat) == _plain(shown), (name, feat["id"])
                    if reg.r_app.pk in ids:
                        seen_application.add(name)
    assert seen_application == {"admin", "reg_bt", "ent_b"}


@pytest.mark.django_db
def test_a_page_of_a_large_match_is_cut_from_every_match_and_counts_them_all(reg):
    lay = layers.layer("mineral-rights")
    admin = actor_for_user(reg.users["admin"])
    every = _expected(admin, "right", BOXES[0])
    assert len(every) == 3
    for offset in range(4):
        records, matched = layers.page(admin, lay, offset=offset, limit=2, bbox=BOXES[0])
        assert [r.pk for r in records] == every[offset : offset + 2] and matched == 3


@pytest.mark.django_db
def test_records_by_id_are_read_within_the_callers_scope_again(reg):
    """The ids come from a scoped query; the read by id applies the scope again all the same."""
    ids = sorted([reg.r_app.pk, reg.r_bt.pk, reg.r_hh.pk])
    assert [r.pk for r in services.light_by_ids(PUBLIC_ACTOR, "right", ids)] == sorted([reg.r_bt.pk, reg.r_hh.pk])
    # three ids run the query compiled for four (the last id repeated): still each record once
    admin = actor_for_user(reg.users["admin"])
    assert [r.pk for r in services.light_by_ids(admin, "right", ids)] == ids
    assert services.light_by_ids(admin, "right", []) == []
    # more ids than are compiled: the ORM reads them, within the scope all the same
    many = list(range(1, 3000))
    assert [r.pk for r in services.light_by_ids(admin, "right", many)] == ids
    assert [r.pk for r in services.light_by_ids(PUBLIC_ACTOR, "right", many)] == sorted([reg.r_bt.pk, reg.r_hh.pk])


_coord = st.floats(min_value=109.5, max_value=112.0, allow_nan=False)
_lat = st.floats(min_value=40.5, max_value=42.0, allow_nan=False)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(xs=st.tuples(_coord, _coord), ys=st.tuples(_lat, _lat), who=st.sampled_from(sorted(ACTOR_NAMES)))
def test_any_box_any_caller_matches_the_independent_reading(reg, xs, ys, who):
    """Random boxes over the registry (its rights' edges and corners included) for random callers:
    the compiled queries, reused across examples, answer what the scope and the exact shapes say."""
    actor = _actors(reg)[who]
    bbox = (min(xs), min(ys), max(xs), max(ys))
    for lay_id, entity in (("mineral-rights", "right"), ("zones", "zone")):
        records, matched = layers.page(actor, layers.layer(lay_id), offset=0, limit=100, bbox=bbox)
        assert [r.pk for r in records] == _expected(actor, entity, bbox) and matched == len(records)
