"""The vectorised MVT encoder (registry/core/mvt.py) against mapbox-vector-tile, the maintained
encoder it stands in for: the same bytes, so the same decoded tile, for points and for polygons with
every case its geometry rules touch (rounding, repeated vertices, rings and parts that vanish,
holes, negative coordinates in the buffer, features with and without a kind, large ids)."""

import mapbox_vector_tile
import numpy as np
import pytest
import shapely

from kuangzheng.registry.core import mvt

OPTIONS = {"extents": 4096, "y_coord_down": True, "check_winding_order": False}


def _reference(name, ids, kinds, geoms):
    features = [
        {"geometry": g, "properties": {"kind": k} if k else {}, "id": int(i)} for i, k, g in zip(ids, kinds, geoms)
    ]
    return mapbox_vector_tile.encode([{"name": name, "features": features}], default_options=OPTIONS)


def _same(got: bytes, want: bytes) -> None:
    assert mapbox_vector_tile.decode(got) == mapbox_vector_tile.decode(want)
    assert got == want


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_points_match_mapbox_vector_tile(seed):
    rng = np.random.default_rng(seed)
    n = 3000
    ids = np.sort(rng.choice(2**40, n, replace=False))
    kinds = np.array([(None, "mining", "exploration", "", "采矿权")[i] for i in rng.integers(0, 5, n)], dtype=object)
    xy = rng.integers(-64, 4160, (n, 2))
    got = mvt.encode_points("rights", ids, mvt.kinds_of(kinds), xy)
    _same(got, _reference("rights", ids, kinds, shapely.points(xy.astype(float))))


def test_points_without_kinds_and_none_at_all():
    xy = np.array([[0, 0], [4096, 4096], [-64, 17]])
    _same(
        mvt.encode_points("facilities", [1, 2, 300], mvt.kinds_of([None] * 3), xy),
        _reference("facilities", [1, 2, 300], [None] * 3, shapely.points(xy.astype(float))),
    )
    assert mvt.encode_points("facilities", np.array([], dtype=np.int64), mvt.kinds_of([]), np.zeros((0, 2))) == b""


def _random_polygons(rng, n):
    out = []
    for i in range(n):
        cx, cy = rng.uniform(-100, 4200, 2)
        r = rng.uniform(0.2, 200)  # some round to a point or a line
        angles = np.sort(rng.uniform(0, 2 * np.pi, rng.integers(3, 30)))
        g = shapely.Polygon(np.column_stack((cx + r * np.cos(angles), cy + r * np.sin(angles))))
        if i % 5 == 0:  # a hole, sometimes too small to survive rounding
            g = g.buffer(0).difference(shapely.Point(cx, cy).buffer(r / rng.choice([3, 300])))
        if i % 7 == 0:  # parts of which one rounds to a point
            g = shapely.MultiPolygon(
                [shapely.box(cx, cy, cx + 0.3, cy + 0.3), shapely.box(cx + 5, cy + 5, cx + 20, cy + 9)]
            )
        if i % 11 == 0:  # a vanishing part first, then a polygon with a vanishing hole
            hole = [(cx + 9, cy + 9), (cx + 9.2, cy + 9), (cx + 9.2, cy + 9.2)]
            g = shapely.MultiPolygon(
                [
                    shapely.box(cx, cy, cx + 0.2, cy + 0.2),
                    shapely.Polygon(shapely.box(cx + 5, cy + 5, cx + 20, cy + 19).exterior, [hole]),
                ]
            )
        if i % 13 == 0:  # repeated vertices after rounding
            g = shapely.Polygon(
                [(cx, cy), (cx + 0.1, cy), (cx + 10, cy), (cx + 10.2, cy + 0.1), (cx + 10, cy + 10), (cx, cy + 10)]
            )
        if i % 17 == 0:  # a whole polygon that rounds to a point
            g = shapely.Polygon([(cx, cy), (cx + 0.3, cy), (cx, cy + 0.3)])
        out.append(g)
    geoms = shapely.orient_polygons(np.array(out, dtype=object), exterior_cw=False)
    keep = np.isin(shapely.get_type_id(geoms), (3, 6)) & ~shapely.is_empty(geoms)
    return geoms[keep]


@pytest.mark.parametrize("seed", [1, 2])
def test_polygons_match_mapbox_vector_tile(seed):
    rng = np.random.default_rng(seed)
    geoms = _random_polygons(rng, 2000)
    ids = np.arange(1, len(geoms) + 1) * 7
    kinds = np.array(
        [(None, "key_exploration_area", "restricted")[i] for i in rng.integers(0, 3, len(geoms))], dtype=object
    )
    got = mvt.encode_polygons("zones", ids, mvt.kinds_of(kinds), geoms)
    want = _reference("zones", ids, kinds, geoms)
    _same(got, want)
    kept = len(mapbox_vector_tile.decode(want)["zones"]["features"])
    assert 0 < kept < len(geoms)  # the cases above did drop features


def test_only_polygons_or_only_multipolygons():
    for geoms in (
        [shapely.box(0, 0, 10, 10), shapely.box(-64, -64, 4160, 4160)],
        [shapely.MultiPolygon([shapely.box(0, 0, 10, 10), shapely.box(20, 20, 30, 30)])],
    ):
        geoms = shapely.orient_polygons(np.array(geoms, dtype=object), exterior_cw=False)
        ids = list(range(1, len(geoms) + 1))
        _same(
            mvt.encode_polygons("zones", ids, mvt.kinds_of([None] * len(ids)), geoms),
            _reference("zones", ids, [None] * len(ids), geoms),
        )


def test_a_layer_of_which_nothing_survives_rounding_is_empty():
    geoms = np.array([shapely.box(0, 0, 0.2, 0.2)], dtype=object)
    assert (
        _reference("zones", [1], [None], geoms) == b""
        or not mapbox_vector_tile.decode(_reference("zones", [1], [None], geoms))["zones"]["features"]
    )
    assert mvt.encode_polygons("zones", [1], mvt.kinds_of([None]), geoms) == b""
