"""The public layers the Features API serves: a small protocol (`Layer`) that any domain implements
and registers (`register`), so that domains above disclosure (hj212's monitoring points, credit's
lists, supervision's notices …) publish their layer from their own code without disclosure
importing them. The registry's layers read through `registry.services` (`scoped` for what the
caller may see at all, `feature` for the fields of each record this caller may see); `PointLayer`
serves any other domain's located records. A filter is applied only on the fields the caller may
see for every record it matches, so `numberMatched` cannot reveal a withheld value."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Protocol

import shapely
from django.db.models import BinaryField, Case, F, Max, Min, Q, QuerySet, Value, When
from shapely.geometry import box

from kuangzheng.access.actor import PUBLIC_ACTOR, Actor, division_prefix
from kuangzheng.errors import FieldProblem, InvalidInput, NotFound
from kuangzheng.prepared import compiled
from kuangzheng.registry import services

from .core import crs as crs_core
from .core.query import Interval

FILTER_TYPES = ("str", "choice", "int", "float", "date", "list", "division")
EXTENT_SECONDS = 60  # the collections' extents (and so their zone CRS lists) are recomputed this often


class Layer(Protocol):
    """A public layer: what the Features API needs of it. Geometries are GeoJSON in lon/lat
    (CRS84); the API turns them into the asked CRS."""

    id: str
    zh: str
    en: str
    description_zh: str
    description_en: str
    start: str | None  # temporal fields: a record is valid from `start` to `end` (None: no time)
    end: str | None
    label: str  # the property an HTML list shows as the feature's name
    has_geometry: bool  # False: every feature's geometry is null (no geometry queryable, no bbox match)

    @property
    def point(self) -> bool: ...

    def queryables(self, actor: Actor) -> dict[str, dict]:
        """The properties this caller may filter on: name → {type, zh, en, choices}."""

    def page(
        self,
        actor: Actor,
        *,
        offset: int,
        limit: int,
        bbox=None,
        when: Interval | None = None,
        properties=None,
        condition=None,
    ) -> tuple[list, int]:
        """One page of the records this caller sees, filtered (bbox in CRS84), in a stable order, and
        how many match in all (`paged` does it for a QuerySet)."""

    def features(self, actor: Actor, records: list) -> list[dict]:
        """GeoJSON features of the records of a page (or of `get`), as this caller may see them."""

    def get(self, actor: Actor, pk: str):
        """One record this caller sees, or NotFound."""

    def public_extent(self) -> dict:
        """{"bbox": [x0, y0, x1, y1] | None, "interval": [start, end] | None} of the public view."""


LAYERS: dict[str, Layer] = {}


def register(lay: Layer) -> Layer:
    """Serve `lay` as a collection (a domain calls this when its app is ready)."""
    LAYERS[lay.id] = lay
    return lay


@dataclass(frozen=True)
class RegistryLayer:
    id: str
    entity: str
    zh: str
    en: str
    description_zh: str
    description_en: str
    start: str | None = None  # temporal fields: the record is valid from `start` to `end`
    end: str | None = None
    label: str = "name"
    has_geometry = True

    @property
    def point(self) -> bool:
        return self.entity == "facility"

    def queryables(self, actor: Actor) -> dict[str, dict]:
        full = sees_every_field(actor)
        out = {}
        for f in services.entity(self.entity).specs:
            if f.type in FILTER_TYPES and (full or f.public):
                out[f.name] = {"type": f.type, "zh": f.zh, "en": f.en, "choices": list(f.choices)}
        if self.entity == "right":
            out["status"] = {"type": "str", "zh": "状态", "en": "status", "choices": []}
        return out

    def page(self, actor: Actor, *, offset, limit, bbox=None, when=None, properties=None, condition=None):
        def records() -> QuerySet:
            return _filtered(services.scoped(actor, self.entity), self, actor, when, properties, condition)

        read = partial(services.light, self.entity)  # plain values: no model instances, no related rows
        if bbox is None:
            return paged(records().order_by("pk"), offset, limit, read)
        if self.point:
            x0, y0, x1, y1 = bbox
            qs = records().filter(lon__gte=x0, lon__lte=x1, lat__gte=y0, lat__lte=y1)
            return paged(qs.order_by("pk"), offset, limit, read)
        plain = not (properties or condition or when)  # what map clients ask: compiled once per scope
        matching = _ids_in_box(records, self, bbox, ("box", self.id, *services.scope_key(actor)) if plain else None)
        # every match is known, so numberMatched needs no count
        return services.light_by_ids(actor, self.entity, matching[offset : offset + limit]), len(matching)

    def features(self, actor: Actor, records) -> list[dict]:
        out = services.features(actor, self.entity, records)
        for feat in out:
            feat["properties"].pop("bbox", None)  # always lon/lat: the geometry says it in the asked CRS
        return out

    def get(self, actor: Actor, pk: str):
        if not pk.isdigit():
            raise NotFound("要素", "feature")
        return services.get(actor, self.entity, int(pk))

    def public_extent(self) -> dict:
        qs = services.scoped(PUBLIC_ACTOR, self.entity)
        if self.point:
            agg = qs.aggregate(a=Min("lon"), b=Min("lat"), c=Max("lon"), d=Max("lat"))
        else:
            agg = qs.aggregate(a=Min("min_lon"), b=Min("min_lat"), c=Max("max_lon"), d=Max("max_lat"))
        return _extent_of(qs, agg, self)


@dataclass(frozen=True)
class PointLayer:
    """A layer of located records of any domain: `records(actor)` is what the caller may see (the
    domain's own scope rule), `describe(actor, records)` gives each record's (lon, lat, properties)
    as the caller may see it (lon/lat None: no location), `fields` the public fields one may filter
    on (name → {type, zh, en, choices}; type str, choice, int or float; name is the model field)."""

    id: str
    zh: str
    en: str
    description_zh: str
    description_en: str
    records: Callable[[Actor], QuerySet]
    describe: Callable[[Actor, list], list[tuple[float | None, float | None, dict]]]
    fields: dict[str, dict] = field(default_factory=dict)
    lon: str = "lon"  # the model fields (or lookups) of the location, for bbox and extent
    lat: str = "lat"
    start: str | None = None
    end: str | None = None
    label: str = "name"
    point = True
    has_geometry = True

    def queryables(self, actor: Actor) -> dict[str, dict]:
        return {name: {"choices": [], **spec} for name, spec in self.fields.items()}

    def page(self, actor: Actor, *, offset, limit, bbox=None, when=None, properties=None, condition=None):
        qs = _filtered(self.records(actor), self, actor, when, properties, condition)
        if bbox is not None:
            x0, y0, x1, y1 = bbox
            qs = qs.filter(
                **{f"{self.lon}__gte": x0, f"{self.lon}__lte": x1, f"{self.lat}__gte": y0, f"{self.lat}__lte": y1}
            )
        return paged(qs.order_by("pk"), offset, limit)

    def features(self, actor: Actor, records) -> list[dict]:
        records = list(records)
        return [
            {
                "type": "Feature",
                "id": obj.pk,
                "geometry": {"type": "Point", "coordinates": [lon, lat]} if lon is not None else None,
                "properties": props,
            }
            for obj, (lon, lat, props) in zip(records, self.describe(actor, records))
        ]

    def get(self, actor: Actor, pk: str):
        obj = self.records(actor).filter(pk=int(pk)).first() if pk.isdigit() else None
        if obj is None:
            raise NotFound("要素", "feature")
        return obj

    def public_extent(self) -> dict:
        qs = self.records(PUBLIC_ACTOR)
        agg = qs.aggregate(a=Min(self.lon), b=Min(self.lat), c=Max(self.lon), d=Max(self.lat))
        return _extent_of(qs, agg, self)


def _extent_of(qs: QuerySet, agg: dict, lay: Layer) -> dict:
    bbox = [agg["a"], agg["b"], agg["c"], agg["d"]]
    out = {"bbox": bbox if None not in bbox else None, "interval": None}
    if lay.start:
        t = qs.aggregate(s=Min(lay.start), e=Max(lay.end))
        if t["s"] is not None:
            out["interval"] = [t["s"].isoformat(), t["e"].isoformat() if t["e"] else None]
    return out


def paged(qs: QuerySet, offset: int, limit: int, read: Callable = list) -> tuple[list, int]:
    """A page of an ordered QuerySet, read by `read`, and how many match in all: counting is a
    second query over the filter, which a page neither empty nor full makes needless."""
    records = read(qs[offset : offset + limit])
    return records, offset + len(records) if 0 < len(records) < limit else qs.count()


def filtered(qs: QuerySet, lay: Layer, actor: Actor, *, when=None, properties=None, condition=None) -> QuerySet:
    """`qs` narrowed by the query's property filters, CQL2 condition and datetime, on `lay`'s
    queryables for this caller: for layers other domains implement themselves (e.g. credit's)."""
    return _filtered(qs, lay, actor, when, properties, condition)


def _filtered(qs: QuerySet, lay: Layer, actor: Actor, when, properties, condition) -> QuerySet:
    allowed = lay.queryables(actor)
    for name, raw in (properties or {}).items():
        qs = qs.filter(_filter_value(name, allowed[name], raw))
    if condition is not None:
        qs = qs.filter(condition)
    if when is not None and lay.start:
        if when.end is not None:
            qs = qs.filter(**{f"{lay.start}__lte": when.end})
        if when.start is not None:
            qs = qs.filter(**{f"{lay.end}__gte": when.start})
        if lay.start == lay.end:
            qs = qs.filter(**{f"{lay.start}__isnull": False})
    return qs


for _registry_layer in (
    RegistryLayer(
        "mineral-rights",
        "right",
        "矿业权",
        "Mineral rights",
        "探矿权与采矿权的范围（不含申请中的），公开字段",
        "Exploration and mining rights (applications excluded): public fields",
        "valid_from",
        "valid_to",
    ),
    RegistryLayer(
        "zones",
        "zone",
        "规划分区与区块",
        "Planning zones and blocks",
        "规划分区、勘查开采规划区块、保护区与工业园区",
        "Planning zones, exploration and mining blocks, protected areas and industrial parks",
        "release_date",
        "release_date",
    ),
    RegistryLayer(
        "facilities",
        "facility",
        "生产设施",
        "Facilities",
        "矿山、选矿厂、冶炼厂、电解铝与加工企业的位置，公开字段",
        "Mines, concentrators, smelters, aluminium lines and plants: locations and public fields",
    ),
):
    register(_registry_layer)


def layer(collection_id: str) -> Layer:
    try:
        return LAYERS[collection_id]
    except KeyError:
        raise NotFound("要素集合", "collection") from None


def sees_every_field(actor: Actor) -> bool:
    """Administrators and regulators see every record of their scope in full; anyone else sees the
    public view of at least some records, so may filter on public fields only."""
    return actor.is_admin or actor.is_regulator


def queryables(actor: Actor, lay: Layer) -> dict[str, dict]:
    """The properties this caller may filter on: name → {type, zh, en, choices}."""
    return lay.queryables(actor)


def element_match(name: str, item: str) -> Q:
    """An element of a JSON list: its quoted text, escaped (SQLite) or not (PostgreSQL)."""
    item = item.strip()
    return Q(**{f"{name}__icontains": json.dumps(item)}) | Q(
        **{f"{name}__icontains": json.dumps(item, ensure_ascii=False)}
    )


def prefix_match(code: str) -> Q:
    """A division and everything inside it (GB/T 2260 codes nest)."""
    return Q(division__code__startswith=division_prefix(code.strip()))


def _filter_value(name: str, spec: dict, raw: str) -> Q:
    kind = spec["type"]
    try:
        if kind == "division":
            return prefix_match(raw)
        if kind == "list":
            return element_match(name, raw)
        if kind == "int":
            return Q(**{name: int(raw)})
        if kind == "float":
            return Q(**{name: float(raw)})
        if kind == "date":
            return Q(**{name: dt.date.fromisoformat(raw.strip())})
    except ValueError:
        raise InvalidInput(
            [
                FieldProblem(
                    name, f"「{spec['zh']}」应为{kind}：{raw[:40]}", f"'{spec['en']}' must be a {kind}: {raw[:40]}"
                )
            ]
        ) from None
    return Q(**{name: raw})


def page(
    actor: Actor,
    lay: Layer,
    *,
    offset: int,
    limit: int,
    bbox: tuple[float, float, float, float] | None = None,
    when: Interval | None = None,
    properties: dict[str, str] | None = None,
    condition: Q | None = None,
) -> tuple[list, int]:
    """A page of the records of a layer this caller sees, filtered (bbox in CRS84: lon, lat), and
    how many match in all."""
    return lay.page(actor, offset=offset, limit=limit, bbox=bbox, when=when, properties=properties, condition=condition)


# where the box's values go in a compiled box query: no coordinate or other parameter is one of these
BOX_MARKERS = {"x0": 1.0e301, "y0": 2.0e301, "x1": 3.0e301, "y1": 4.0e301, "strip": 5.0e301}


def _box_query(qs: QuerySet, lay: RegistryLayer, v: dict) -> QuerySet:
    """(id, boundary or None) of the records whose bounding box meets the box, in id order; the
    boundary only of those whose bounding box crosses the box's edge."""
    overlap = qs.filter(max_lon__gte=v["x0"], min_lon__lte=v["x1"], max_lat__gte=v["y0"], min_lat__lte=v["y1"])
    if "strip" in v:  # a range on the indexed min_lon: a strip, not half the table
        overlap = overlap.filter(min_lon__gte=v["strip"])
    inside = Q(min_lon__gte=v["x0"], max_lon__lte=v["x1"], min_lat__gte=v["y0"], max_lat__lte=v["y1"])
    edge_shape = Case(When(inside, then=Value(None)), default=F("boundary"), output_field=BinaryField())
    return overlap.order_by("pk").values_list("pk", edge_shape)


def _ids_in_box(records: Callable[[], QuerySet], lay: RegistryLayer, bbox, key: tuple | None) -> list[int]:
    """The ids, in order, of the records whose boundary intersects the box, in one query: those whose
    bounding box lies inside the query box at once, those crossing its edge by their exact shape.
    With a `key` (the same `records` for the same key), the query is compiled once and kept under it."""
    x0, y0, x1, y1 = bbox
    values = {"x0": x0, "y0": y0, "x1": x1, "y1": y1}
    if lay.entity == "right":
        values["strip"] = x0 - _widest(lay.entity)
    markers = {k: BOX_MARKERS[k] for k in values}
    query = compiled(key, lambda: (_box_query(records(), lay, markers), markers)) if key else None
    rows = query.rows(values) if query else list(_box_query(records(), lay, values))
    edge = [i for i, (_, blob) in enumerate(rows) if blob is not None]
    if edge:  # the exact shapes, tested together
        shapes = shapely.from_wkb([bytes(rows[i][1]) for i in edge])
        missed = {rows[i][0] for i, hit in zip(edge, shapely.intersects(shapes, box(x0, y0, x1, y1))) if not hit}
        return [pk for pk, _ in rows if pk not in missed]
    return [pk for pk, _ in rows]


def features(actor: Actor, lay: Layer, records, dst_crs: str) -> list[dict]:
    """GeoJSON features as this caller may see them, coordinates in `dst_crs`'s axis order."""
    out = lay.features(actor, records)
    for feat, geom in zip(out, crs_core.transform_geometries([f["geometry"] for f in out], dst_crs)):
        feat["geometry"] = geom
    return out


def _widest(entity: str) -> float:
    """The widest longitude span of any record, so that `min_lon >= x0 - widest` loses nothing. Keyed
    by the newest record (id and creation time): a right's boundary never grows after it is registered
    (a reduction must lie inside it; edits cannot touch it), so a new right is what widens the span.
    The one other way, a right registered without a boundary that gets one by a reduction, is caught
    by the key's minute (EXTENT_SECONDS). Records of an import still being written count too (a wider
    span only widens the strip), so the span holds when they appear."""
    return _widest_at(entity, services.newest(entity), int(time.time() // EXTENT_SECONDS))


@lru_cache(maxsize=8)
def _widest_at(entity: str, _newest: tuple | None, _epoch: int) -> float:
    return services.widest_span(entity) + 1e-9


def get(actor: Actor, lay: Layer, pk: str):
    return lay.get(actor, pk)


def extent(lay: Layer) -> dict:
    """The public extent of a layer (bounding box in CRS84 and time interval); cached briefly."""
    return _extent(lay.id, int(time.time() // EXTENT_SECONDS))


@lru_cache(maxsize=16)
def _extent(collection_id: str, _epoch: int) -> dict:
    return LAYERS[collection_id].public_extent()


def offered_crs(lay: Layer) -> list[str]:
    bbox = extent(lay)["bbox"]
    return crs_core.offered(bbox[0], bbox[2]) if bbox else crs_core.offered(None, None)
