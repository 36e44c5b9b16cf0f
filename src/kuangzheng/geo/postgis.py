"""The PostGIS backend of the spatial index service (same interface and answers as STRtreeIndex).

The registry stores a boundary as WKB (bytea) in EPSG:4490. Queries read it as
``ST_GeomFromWKB(col, 4490)`` and ``ensure_indexes()`` creates a GiST index on exactly that
expression, so the planner uses the index without a geometry column or a staging table. Areas go
through ``ST_Transform`` to the same equal-area PROJ string as the embedded backend; distances are
``ST_Length(ST_ShortestLine(a, b)::geography)`` — the geodesic length of the same shortest line.
Takes any DB-API connection with ``%s`` parameters (psycopg 3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from psycopg import sql

from .area import EQUAL_AREA_PROJ
from .index import Pairs, degree_margin

SRID = 4490


@dataclass(frozen=True)
class Table:
    """Where a layer lives: table (optionally ``schema.table``), id column, WKB column."""

    name: str
    id_column: str = "id"
    wkb_column: str = "boundary"

    def ident(self) -> sql.Composable:
        return sql.Identifier(*self.name.split("."))

    def geom(self, alias: str) -> sql.Composable:
        return sql.SQL("ST_GeomFromWKB({}.{}, {})").format(
            sql.Identifier(alias), sql.Identifier(self.wkb_column), sql.Literal(SRID))

    def id(self, alias: str) -> sql.Composable:
        return sql.SQL("{}.{}").format(sql.Identifier(alias), sql.Identifier(self.id_column))


def _area(expr: sql.Composable) -> sql.Composable:
    return sql.SQL("ST_Area(ST_Transform({}, {})) / 1e6").format(expr, sql.Literal(EQUAL_AREA_PROJ))


class PostGISIndex:
    """PostGIS backend. ``layers`` maps a layer name to its ``Table``."""

    def __init__(self, connection, layers: dict[str, Table]):
        self.conn = connection
        self.layers = dict(layers)

    def _table(self, name: str) -> Table:
        try:
            return self.layers[name]
        except KeyError:
            raise KeyError(f"没有名为{name}的图层 / no layer named {name}") from None

    def ensure_indexes(self) -> None:
        """Create the GiST expression index each query relies on (idempotent)."""
        with self.conn.cursor() as cur:
            for t in self.layers.values():
                index = sql.Identifier(f"{t.name.split('.')[-1]}_{t.wkb_column}_gist4490")
                cur.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} USING gist ({})").format(
                    index, t.ident(), sql.SQL("ST_GeomFromWKB({}, {})").format(
                        sql.Identifier(t.wkb_column), sql.Literal(SRID))))
                cur.execute(sql.SQL("ANALYZE {}").format(t.ident()))
        self.conn.commit()

    def _rows(self, query: sql.Composable, params=()) -> list[tuple]:
        with self.conn.cursor() as cur:
            cur.execute(query, params)
            return cur.fetchall()

    def overlaps(self, left: str, right: str | None = None) -> Pairs:
        a, b = self._table(left), self._table(right or left)
        ga, gb = a.geom("a"), b.geom("b")
        same = sql.SQL("AND {} < {}").format(a.id("a"), b.id("b")) if right in (None, left) else sql.SQL("")
        q = sql.SQL("""
            SELECT {ia}, {ib}, {inter}, {aa}, {ab}
            FROM {ta} a JOIN {tb} b ON ST_Intersects({ga}, {gb}) {same}
            WHERE NOT ST_Touches({ga}, {gb})""").format(
            ia=a.id("a"), ib=b.id("b"), inter=_area(sql.SQL("ST_Intersection({}, {})").format(ga, gb)),
            aa=_area(ga), ab=_area(gb), ta=a.ident(), tb=b.ident(), ga=ga, gb=gb, same=same)
        rows = self._rows(q)
        area = np.array([r[2] for r in rows], dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            values = {"area_km2": area,
                      "share_left": area / np.array([r[3] for r in rows], dtype=float),
                      "share_right": area / np.array([r[4] for r in rows], dtype=float)}
        return Pairs(_ids(rows, 0), _ids(rows, 1), values)

    def containment(self, container: str, contained: str) -> Pairs:
        a, b = self._table(container), self._table(contained)
        q = sql.SQL("SELECT {}, {} FROM {} a JOIN {} b ON ST_Covers({}, {})").format(
            a.id("a"), b.id("b"), a.ident(), b.ident(), a.geom("a"), b.geom("b"))
        rows = self._rows(q)
        return Pairs(_ids(rows, 0), _ids(rows, 1), {})

    def within_distance(self, left: str, right: str, radius_m: float) -> Pairs:
        a, b = self._table(left), self._table(right)
        lat = max(self._max_abs_lat(a), self._max_abs_lat(b))
        ga, gb = a.geom("a"), b.geom("b")
        q = sql.SQL("""
            SELECT ia, ib, d FROM (
              SELECT {ia} AS ia, {ib} AS ib, ST_Length(ST_ShortestLine({ga}, {gb})::geography) AS d
              FROM {ta} a JOIN {tb} b ON ST_DWithin({ga}, {gb}, %s)) pairs
            WHERE d <= %s""").format(ia=a.id("a"), ib=b.id("b"), ga=ga, gb=gb, ta=a.ident(), tb=b.ident())
        rows = self._rows(q, (degree_margin(radius_m, lat), radius_m))
        return Pairs(_ids(rows, 0), _ids(rows, 1), {"distance_m": np.array([r[2] for r in rows], dtype=float)})

    def _max_abs_lat(self, t: Table) -> float:
        g = t.geom("t")
        q = sql.SQL("SELECT max(greatest(abs(ST_YMin({g}::box2d)), abs(ST_YMax({g}::box2d)))) FROM {t} t").format(
            g=g, t=t.ident())
        value = self._rows(q)[0][0]
        return float(value or 0.0)


def _ids(rows: list[tuple], col: int) -> np.ndarray:
    return np.array([r[col] for r in rows])
