"""A vectorised Mapbox Vector Tile encoder for the map's layers, in numpy.

`mapbox-vector-tile` builds every feature as a protobuf object in Python, and the opening view of a
province holds ~100,000 points and thousands of polygons: a cold first render spent seconds encoding
(bench/README.md). An MVT layer is a simple protobuf, so here every field of every feature is built
at once: a "ragged" value is (bytes, length per feature), and fields are joined feature by feature
with index arithmetic, one numpy pass per field whatever the number of features. Points are one
MoveTo; polygons are rings of deltas under the rules of `mapbox-vector-tile` (coordinates rounded
half to even, repeated points dropped, the closing point omitted, a ring with no segment left dropped,
a polygon whose exterior is dropped dropped with its holes), so a tile decodes to what that library
produces (tests/registry/test_mvt.py: decode-equal, and byte-for-byte).

Features carry an id and at most one string property (`kind`: what the map styles by).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import shapely

VARINT_BYTES = 10  # a uint64 takes at most ten 7-bit groups
_SHIFTS = np.arange(0, 7 * VARINT_BYTES, 7, dtype=np.uint64)
MOVE_TO, LINE_TO, CLOSE_PATH = 1, 2, 7
POINT, POLYGON = 1, 3  # GeomType
Ragged = tuple[np.ndarray, np.ndarray]  # (uint8 bytes of all rows, one after another; length of each row)


class Kinds(NamedTuple):
    """Each feature's kind as a code into `names` (-1: none), as a layer's index keeps them."""

    codes: np.ndarray
    names: list


def kinds_of(values) -> Kinds:
    """Kinds from one str (or None) per feature."""
    names: dict[str, int] = {}
    codes = [names.setdefault(v, len(names)) if isinstance(v, str) and v else -1 for v in values]
    return Kinds(np.array(codes, dtype=np.int64).reshape(-1), list(names))


def _varints(values) -> Ragged:
    """One protobuf varint per (unsigned) value."""
    v = np.asarray(values).astype(np.uint64).reshape(-1)
    width = max(1, (int(v.max()).bit_length() + 6) // 7) if len(v) else 1  # columns the largest needs
    rest = v[:, None] >> _SHIFTS[:width]
    length = np.maximum(1, (rest != 0).sum(axis=1))
    column = np.arange(width)
    more = (column < (length - 1)[:, None]).astype(np.uint8) << 7
    data = (rest & np.uint64(0x7F)).astype(np.uint8) | more
    return data[column < length[:, None]], length


def _zigzag(values) -> np.ndarray:
    v = np.asarray(values, dtype=np.int64)
    return ((v << 1) ^ (v >> 63)).astype(np.uint64)


def _constant(n: int, *data: int) -> Ragged:
    return np.tile(np.array(data, dtype=np.uint8), n), np.full(n, len(data), dtype=np.int64)


def _only(part: Ragged, where: np.ndarray) -> Ragged:
    """The part in the rows where `where` holds, nothing (length 0) in the others."""
    data, length = part
    return data[np.repeat(where, length)], np.where(where, length, 0)


def _join(*parts: Ragged) -> Ragged:
    """Row by row, the parts' bytes one after another."""
    lengths = np.column_stack([p[1] for p in parts]).astype(np.int64)
    total = lengths.sum(axis=1)
    out = np.empty(int(total.sum()), dtype=np.uint8)
    row_start = np.cumsum(total) - total
    before = np.cumsum(lengths, axis=1) - lengths  # where each part begins within its row
    for i, (data, length) in enumerate(parts):
        if not len(data):
            continue
        start_in_part = np.cumsum(length) - length
        at = np.repeat(row_start + before[:, i] - start_in_part, length) + np.arange(len(data))
        out[at] = data
    return out, total


def _field(tag: int, part: Ragged) -> Ragged:
    """A length-delimited field per row: tag, length, the part's bytes."""
    return _join(_constant(len(part[1]), tag), _varints(part[1]), part)


def _one(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _varints([len(body)])[0].tobytes() + body


def _tags(kinds: Kinds) -> tuple[Ragged, list[str]]:
    """Each feature's tags field (key 0 = "kind", then the value's index; none without a kind) and the
    layer's values in the order first used, as mapbox-vector-tile numbers them."""
    codes = np.asarray(kinds.codes, dtype=np.int64)
    used, first = np.unique(codes[codes >= 0], return_index=True)
    used = used[np.argsort(first)]  # by first use
    rank = np.zeros(max(1, len(kinds.names)), dtype=np.int64)
    rank[used] = np.arange(len(used))
    has_kind = codes >= 0
    packed = _join(_constant(len(codes), 0), _varints(rank[np.where(has_kind, codes, 0)]))
    return _only(_field(0x12, packed), has_kind), [kinds.names[i] for i in used]


def _layer(name: str, ids, kinds: Kinds, geometry_type: int, geometry: Ragged, extent: int) -> bytes:
    n = len(ids)
    tags, values = _tags(kinds)
    features = _join(_constant(n, 0x08), _varints(ids), tags, _constant(n, 0x18, geometry_type), _field(0x22, geometry))
    body = _one(0x0A, name.encode()) + _field(0x12, features)[0].tobytes()
    if values:
        body += _one(0x1A, b"kind") + b"".join(_one(0x22, _one(0x0A, v.encode())) for v in values)
    body += b"\x28" + _varints([extent])[0].tobytes() + b"\x78\x02"  # extent, version 2
    return _one(0x1A, body)  # Tile.layers


def encode_points(name: str, ids, kinds: Kinds, xy, extent: int = 4096) -> bytes:
    """One layer of points: ids (n,) non-negative, their kinds, xy (n, 2) integer tile units (y down).
    Empty when there are none."""
    if not len(ids):
        return b""
    xy = np.asarray(xy, dtype=np.int64).reshape(-1, 2)
    geometry = _join(_constant(len(xy), (1 << 3) | MOVE_TO), _varints(_zigzag(xy[:, 0])), _varints(_zigzag(xy[:, 1])))
    return _layer(name, np.asarray(ids), kinds, POINT, geometry, extent)


def _vertices(coords: np.ndarray, ring_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The integer vertices of every ring as encoded: rounded, without the closing point, without a
    vertex equal to the one kept before it. (vertices (m, 2), ring of each)."""
    grid = np.round(coords).astype(np.int64)  # half to even, as Python's round()
    keep = np.r_[ring_of[1:] == ring_of[:-1], False]  # the last vertex of a ring closes it: omitted
    idx = np.flatnonzero(keep)
    g, r = grid[idx], ring_of[idx]
    repeat = np.r_[False, (g[1:] == g[:-1]).all(axis=1) & (r[1:] == r[:-1])]  # equal runs keep their first
    idx = idx[~repeat]
    return grid[idx], ring_of[idx]


def encode_polygons(name: str, ids, kinds: Kinds, geoms, extent: int = 4096) -> bytes:
    """One layer of Polygons and MultiPolygons in tile units (y down, oriented as MVT wants: exterior
    rings with a positive area in tile units). A feature none of whose exteriors has a segment left
    after rounding is left out, as mapbox-vector-tile leaves it."""
    geoms = np.asarray(geoms, dtype=object)
    if not len(geoms):
        return b""
    kind, coords, offsets = shapely.to_ragged_array(geoms)
    if kind == shapely.GeometryType.POLYGON:  # one part each
        offsets = (*offsets, np.arange(len(geoms) + 1))
    ring_offsets, part_offsets, geom_offsets = offsets
    ring_of = np.repeat(np.arange(len(ring_offsets) - 1), np.diff(ring_offsets))
    ring_part = np.repeat(np.arange(len(part_offsets) - 1), np.diff(part_offsets))
    part_of = np.repeat(np.arange(len(geom_offsets) - 1), np.diff(geom_offsets))
    exterior = np.zeros(len(ring_part), dtype=bool)
    exterior[part_offsets[:-1][np.diff(part_offsets) > 0]] = True  # each polygon's first ring, then its holes
    grid, vertex_ring = _vertices(coords, ring_of)
    ring_ok = np.bincount(vertex_ring, minlength=len(ring_part)) >= 2  # at least one segment
    part_ok = np.zeros(len(part_of), dtype=bool)
    part_ok[ring_part[exterior & ring_ok]] = True
    ring_ok &= part_ok[ring_part]
    grid, vertex_ring = grid[ring_ok[vertex_ring]], vertex_ring[ring_ok[vertex_ring]]
    if not len(grid):
        return b""
    feature_of = part_of[ring_part[vertex_ring]]
    # coordinates are deltas from the previous vertex of the same feature (across its rings and parts)
    delta = np.diff(grid, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    feature_start = np.r_[True, feature_of[1:] != feature_of[:-1]]
    delta[feature_start] = grid[feature_start]
    ring_start = np.r_[True, vertex_ring[1:] != vertex_ring[:-1]]
    ring_end = np.r_[vertex_ring[1:] != vertex_ring[:-1], True]
    segments = np.bincount(vertex_ring, minlength=len(ring_part))[vertex_ring] - 1
    n = len(grid)
    per_vertex = _join(  # MoveTo(1) at a ring's first vertex, LineTo(segments) after it, ClosePath at its last
        _only(_constant(n, (1 << 3) | MOVE_TO), ring_start),
        _varints(_zigzag(delta[:, 0])),
        _varints(_zigzag(delta[:, 1])),
        _only(_varints((segments.astype(np.uint64) << np.uint64(3)) | np.uint64(LINE_TO)), ring_start),
        _only(_constant(n, (1 << 3) | CLOSE_PATH), ring_end),
    )
    kept = np.flatnonzero(np.bincount(feature_of, minlength=len(geoms)))
    # vertices come feature by feature, so each kept feature's bytes are one run of per_vertex's
    geometry = (
        per_vertex[0],
        np.bincount(feature_of, weights=per_vertex[1], minlength=len(geoms)).astype(np.int64)[kept],
    )
    kinds = Kinds(np.asarray(kinds.codes)[kept], kinds.names)
    return _layer(name, np.asarray(ids)[kept], kinds, POLYGON, geometry, extent)
