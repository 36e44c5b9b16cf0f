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
from functools import lru_cache
from typing import Protocol

import shapely
from django.db.models import Max, Min, Q, QuerySet
from shapely.geometry import box

from kuangzheng.access.actor import PUBLIC_ACTOR, Actor, division_prefix
from kuangzheng.errors import FieldProblem, InvalidInput, NotFound
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

    def select(self, actor: Actor, *, bbox=None, when: Interval | None = None, properties=None, condition=None):
        """The records this caller sees, filtered (bbox in CRS84), in a stable order: a QuerySet."""

    def features(self, actor: Actor, records) -> list[dict]:
        """GeoJSON features of the records, as this caller may see them."""

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

    def select(self, actor: Actor, *, bbox=None, when=None, properties=None, condition=None) -> QuerySet:
        qs = services.scoped(actor, self.entity).select_related(*RELATED[self.entity])
        qs = _filtered(qs, self, actor, when, properties, condition)
        if bbox is not None:
            qs = _within_bbox(qs, self, bbox)
        return qs.order_by("pk")

    def features(self, actor: Actor, records) -> list[dict]:
        out = [services.feature(actor, self.entity, obj) for obj in records]
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

    def select(self, actor: Actor, *, bbox=None, when=None, properties=None, condition=None) -> QuerySet:
        qs = _filtered(self.records(actor), self, actor, when, properties, condition)
        if bbox is not None:
            x0, y0, x1, y1 = bbox
            qs = qs.filter(
                **{f"{self.lon}__gte": x0, f"{self.lon}__lte": x1, f"{self.lat}__gte": y0, f"{self.lat}__lte": y1}
            )
        return qs.order_by("pk")

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

RELATED = {"right": ("holder", "division"), "facility": ("enterprise", "division"), "zone": ("division",)}


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


def select(
    actor: Actor,
    lay: Layer,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    when: Interval | None = None,
    properties: dict[str, str] | None = None,
    condition: Q | None = None,
) -> QuerySet:
    """The records of a layer this caller sees, filtered; bbox in CRS84 (lon, lat)."""
    return lay.select(actor, bbox=bbox, when=when, properties=properties, condition=condition)


def _within_bbox(qs: QuerySet, lay: Layer, bbox) -> QuerySet:
    """Records whose geometry intersects the box: points by their coordinates; boundaries whose
    bounding box lies inside the query box at once, those crossing its edge by their exact shape."""
    x0, y0, x1, y1 = bbox
    if lay.point:
        return qs.filter(lon__gte=x0, lon__lte=x1, lat__gte=y0, lat__lte=y1)
    overlap = qs.filter(max_lon__gte=x0, min_lon__lte=x1, max_lat__gte=y0, min_lat__lte=y1)
    if lay.entity == "right":  # a range on the indexed min_lon: a strip, not half the table
        overlap = overlap.filter(min_lon__gte=x0 - _widest(lay.entity))
    inside = Q(min_lon__gte=x0, max_lon__lte=x1, min_lat__gte=y0, max_lat__lte=y1)
    edge = [(pk, bytes(blob)) for pk, blob in overlap.exclude(inside).values_list("pk", "boundary") if blob]
    crossing = []
    if edge:  # the exact shapes, tested together
        pks, blobs = zip(*edge, strict=True)
        hits = shapely.intersects(shapely.from_wkb(list(blobs)), box(x0, y0, x1, y1))
        crossing = [pk for pk, hit in zip(pks, hits, strict=True) if hit]
    return overlap.filter(inside | Q(pk__in=crossing))


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
