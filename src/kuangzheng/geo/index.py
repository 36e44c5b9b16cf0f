"""Spatial index service: bulk overlap, containment and distance queries over registry layers.

One interface, two backends:

* ``STRtreeIndex`` — the embedded default: Shapely 2's bulk STRtree over arrays of geometries + ids.
* ``PostGISIndex`` (in ``postgis.py``) — the same queries pushed down to PostgreSQL/PostGIS.

A *layer* is a named set of geometries in EPSG:4490 with unique, mutually comparable ids.
Definitions shared by both backends (so they give the same answers):

* overlap: the interiors intersect (intersects and not touches); each unordered pair once, with
  ``left < right`` when a layer is compared with itself. Values: ``area_km2`` of the intersection,
  ``share_left`` / ``share_right`` = that area over the area of each side.
* containment: the contained geometry is covered by the container (boundary inclusive).
* distance: the geodesic length (CGCS2000 ellipsoid) of the shortest line between the two
  geometries drawn in lon/lat, in metres; pairs with distance <= radius are returned.
* areas: planar area in the ellipsoidal Lambert cylindrical equal-area projection
  (``area.EQUAL_AREA_PROJ``), the projection the official area uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import shapely
from pyproj import Geod

from .area import ellipsoidal_area_km2

GEOD = Geod(a=6378137.0, rf=298.257222101)  # CGCS2000
METRES_PER_DEGREE_MIN = 110_574.0  # the shortest degree: of latitude, at the equator


@dataclass
class Pairs:
    """Result of a bulk query: parallel arrays of left ids, right ids and named values."""

    left: np.ndarray
    right: np.ndarray
    values: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.left)

    def sorted(self) -> Pairs:
        order = np.lexsort((self.right, self.left))
        return Pairs(self.left[order], self.right[order], {k: v[order] for k, v in self.values.items()})

    def records(self) -> list[dict]:
        names = list(self.values)
        return [
            {"left": a, "right": b, **{n: float(self.values[n][i]) for n in names}}
            for i, (a, b) in enumerate(zip(self.left.tolist(), self.right.tolist()))
        ]


class SpatialIndex(Protocol):
    def overlaps(self, left: str, right: str | None = None) -> Pairs:
        """Pairs whose interiors intersect; values area_km2, share_left, share_right."""

    def containment(self, container: str, contained: str) -> Pairs:
        """(container id, contained id) where the contained geometry is covered by the container."""

    def within_distance(self, left: str, right: str, radius_m: float) -> Pairs:
        """Pairs within ``radius_m`` metres; value distance_m."""


def degree_margin(radius_m: float, max_abs_lat: float) -> float:
    """A lon/lat distance (degrees) that no pair within ``radius_m`` metres can exceed."""
    lat = min(89.0, max_abs_lat + radius_m / METRES_PER_DEGREE_MIN)
    return 1.01 * radius_m / (METRES_PER_DEGREE_MIN * np.cos(np.radians(lat)))


def shortest_line_m(a, b) -> np.ndarray:
    """Geodesic length (m) of the lon/lat shortest line between geometries (vectorised)."""
    coords = shapely.get_coordinates(shapely.shortest_line(a, b)).reshape(-1, 2, 2)
    if not len(coords):
        return np.zeros(0)
    _, _, dist = GEOD.inv(coords[:, 0, 0], coords[:, 0, 1], coords[:, 1, 0], coords[:, 1, 1])
    return np.asarray(dist, dtype=float)


@dataclass
class _Layer:
    ids: np.ndarray
    geoms: np.ndarray
    tree: shapely.STRtree
    _areas: np.ndarray | None = None

    @property
    def areas(self) -> np.ndarray:
        if self._areas is None:
            self._areas = ellipsoidal_area_km2(self.geoms)
        return self._areas


class STRtreeIndex:
    """The embedded backend. ``layers`` maps a name to (ids, geometries in EPSG:4490)."""

    def __init__(self, layers: dict[str, tuple] | None = None):
        self._layers: dict[str, _Layer] = {}
        for name, (ids, geoms) in (layers or {}).items():
            self.add_layer(name, ids, geoms)

    def add_layer(self, name: str, ids, geoms) -> None:
        """Add a layer; ``geoms`` may be shapely geometries or WKB bytes (as the registry stores)."""
        ids = np.asarray(ids)
        geoms = np.asarray(geoms, dtype=object)
        if len(geoms) and isinstance(geoms[0], (bytes, bytearray, memoryview)):
            geoms = shapely.from_wkb([bytes(g) for g in geoms])
        if len(ids) != len(geoms):
            raise ValueError(
                f"图层{name}：编号{len(ids)}个，几何{len(geoms)}个，数量不符 / "
                f"layer {name}: {len(ids)} ids but {len(geoms)} geometries"
            )
        if len(np.unique(ids)) != len(ids):
            raise ValueError(f"图层{name}的编号有重复 / layer {name} has duplicate ids")
        self._layers[name] = _Layer(ids, geoms, shapely.STRtree(geoms))

    def _layer(self, name: str) -> _Layer:
        try:
            return self._layers[name]
        except KeyError:
            raise KeyError(f"没有名为{name}的图层 / no layer named {name}") from None

    def overlaps(self, left: str, right: str | None = None) -> Pairs:
        a = self._layer(left)
        b = self._layer(right or left)
        j, i = b.tree.query(a.geoms, predicate="intersects")  # j: index into a, i: into b
        if right is None or right == left:
            keep = a.ids[j] < b.ids[i]
            j, i = j[keep], i[keep]
        inner = ~shapely.touches(a.geoms[j], b.geoms[i])
        j, i = j[inner], i[inner]
        area = ellipsoidal_area_km2(shapely.intersection(a.geoms[j], b.geoms[i]))
        with np.errstate(divide="ignore", invalid="ignore"):
            values = {"area_km2": area, "share_left": area / a.areas[j], "share_right": area / b.areas[i]}
        return Pairs(a.ids[j], b.ids[i], values)

    def containment(self, container: str, contained: str) -> Pairs:
        a, b = self._layer(container), self._layer(contained)
        i, j = a.tree.query(b.geoms, predicate="covered_by")  # i: into b, j: into a
        return Pairs(a.ids[j], b.ids[i], {})

    def within_distance(self, left: str, right: str, radius_m: float) -> Pairs:
        a, b = self._layer(left), self._layer(right)
        lat = max(_max_abs_lat(a.geoms), _max_abs_lat(b.geoms))
        j, i = b.tree.query(a.geoms, predicate="dwithin", distance=degree_margin(radius_m, lat))
        dist = shortest_line_m(a.geoms[j], b.geoms[i])
        keep = dist <= radius_m
        return Pairs(a.ids[j][keep], b.ids[i][keep], {"distance_m": dist[keep]})


def _max_abs_lat(geoms) -> float:
    if not len(geoms):
        return 0.0
    bounds = shapely.bounds(geoms)
    return float(np.nanmax(np.abs(bounds[:, [1, 3]])))
