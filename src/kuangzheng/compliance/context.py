"""The registry as the engine sees it: records as columns, zones and rights in a bulk spatial index,
and the spatial facts of any set of subjects (the registry's own, or a what-if subject of one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import shapely

from kuangzheng.compliance.core import batch as batches
from kuangzheng.compliance.core import minerals as mn
from kuangzheng.compliance.core import schema, spatial
from kuangzheng.compliance.core.engine import Batch
from kuangzheng.geo.index import STRtreeIndex
from kuangzheng.policy.catalogue import load_catalogue
from kuangzheng.registry import services as registry

ZANGQING = "002.al.no_new_in_zangqing_park"


def park_layers(zones: list[dict]) -> dict[str, list[dict]]:
    """The parks the rules name: non-ferrous specialised parks (名称含“有色”, or attrs.nonferrous) and the
    Zang-Qing park (its name as the catalogue writes it)."""
    names = load_catalogue().get(ZANGQING).value
    parks = [z for z in zones if z["kind"] == "industrial_park"]
    return {
        "nonferrous_park": [z for z in parks if "有色" in z["name"] or (z.get("attrs") or {}).get("nonferrous")],
        "zangqing_park": [z for z in parks if any(n in z["name"] for n in names)],
    }


@dataclass
class Registry:
    """Everything a sweep or a check needs, loaded once."""

    as_of: dt.date
    zones: list[dict]
    rights: list[dict]
    facilities: list[dict]
    index: STRtreeIndex
    reg: dict = field(default_factory=dict)  # rights as arrays for spatial.right_relations
    park_kind: dict = field(default_factory=dict)  # zone id -> set of park layers it belongs to


def _right_record(r: dict, first_transfer: dict) -> dict:
    return {
        **r,
        "division": r["division_id"],
        "capacity": r["designed_scale"],
        "capacity_unit": r["designed_scale_unit"],
        "coal_rank": r.get("facility__coal_rank") or "",
        "mining_method": r.get("facility__mining_method") or "",
        "area_km2": float(r["area_km2"]) if r["area_km2"] is not None else None,
        "first_transfer": first_transfer.get(r["id"]),
    }


def right_arrays(records: list[dict]) -> dict:
    return {
        "id": np.array([r["id"] for r in records], dtype=np.int64),
        "holder": np.array([r.get("holder_id") or 0 for r in records], dtype=np.int64),
        "kind": np.array([r.get("kind") or "" for r in records], dtype=str),
        "mask": mn.masks(mn.joined([r.get("minerals") or [] for r in records])),
        "top": np.array([batches._num(r.get("elevation_top")) for r in records], dtype=float),
        "bottom": np.array([batches._num(r.get("elevation_bottom")) for r in records], dtype=float),
        "live": np.isin([r.get("status") or "" for r in records], batches.LIVE_RIGHT_STATES).astype(np.int8),
        "has_geom": np.array([r.get("boundary") is not None for r in records], dtype=bool),
    }


def _zones(**where) -> list[dict]:
    return registry.sweep_records("zone", schema.loaded_fields("zone"), **where)


def _rights(transfers: dict | None = None, **where) -> list[dict]:
    """Rights as the engine reads them; `transfers` (first transfer dates) matter only for the rights
    that are subjects, so neighbours of a checked subject are read without them."""
    found = registry.sweep_records("right", schema.loaded_fields("right"), **where)
    return [_right_record(r, transfers or {}) for r in found]


def _facilities(**where) -> list[dict]:
    return [
        {**f, "division": f["division_id"]}
        for f in registry.sweep_records("facility", schema.loaded_fields("facility"), **where)
    ]


def load(as_of: dt.date, progress=None) -> Registry:
    """The whole registry (a sweep)."""
    step = progress or (lambda *a: None)
    zones = _zones()
    step("zones", len(zones))
    rights = _rights(registry.first_transfers())
    step("rights", len(rights))
    facilities = _facilities()
    step("facilities", len(facilities))
    return _assemble(as_of, zones, rights, facilities)


def _assemble(as_of: dt.date, zones: list[dict], rights: list[dict], facilities: list[dict]) -> Registry:
    index = STRtreeIndex()
    for kind in {z["kind"] for z in zones}:
        _add(index, f"zone:{kind}", [z for z in zones if z["kind"] == kind])
    park_kind: dict = {}
    for name, members in park_layers(zones).items():
        _add(index, f"zone:{name}", members)
        for z in members:
            park_kind.setdefault(z["id"], set()).add(name)
    _add(index, "rights", rights)
    return Registry(as_of, zones, rights, facilities, index, right_arrays(rights), park_kind)


# ---------------------------------------------------------------- one subject and its surroundings
# A check of one subject reads only the records that can change its facts (the windows of
# `core.spatial`), through the registry's bounding-box reads: its cost follows the subject's
# surroundings, not the registry's size, and nothing is cached, so every check sees the registry as
# it is. The sweep's facts and these agree (tests/compliance/test_surroundings.py).


def around_parcel(as_of: dt.date, parcel) -> Registry:
    """The registry around a right's parcel (a shapely geometry, or None: no spatial facts)."""
    if parcel is None or parcel.is_empty:
        return _assemble(as_of, [], [], [])
    box = tuple(parcel.bounds)
    zones = _zones(bbox=box)
    blocks = [
        z
        for z in zones
        if z["kind"] == "exploration_planning_block"
        and z["boundary"] is not None
        and shapely.intersects(parcel, shapely.from_wkb(bytes(z["boundary"])))
    ]
    window = spatial.rights_window(box, [shapely.from_wkb(bytes(z["boundary"])).bounds for z in blocks])
    return _assemble(as_of, zones, _rights(bbox=window), [])


def around_point(as_of: dt.date, lon, lat, park_id=None) -> Registry:
    """The registry around a facility's point (None: no spatial facts) and the park it records."""
    zones = []
    if lon not in (None, "") and lat not in (None, ""):
        zones = _zones(bbox=spatial.facility_window(float(lon), float(lat), concentrator_radius_m()))
    if park_id is not None and park_id not in {z["id"] for z in zones}:
        zones += _zones(ids=[park_id])
    return _assemble(as_of, zones, [], [])


def concentrator_radius_m() -> float:
    radius = load_catalogue().get("000.concentrator.zone_radius")
    return float(radius.value) * (1000 if radius.unit == "km" else 1)


def subject(kind: str, pk: int) -> dict:
    """One registry subject as the sweep reads it."""
    if kind == "right":
        return _rights(registry.first_transfers([pk]), ids=[pk])[0]
    if kind == "facility":
        return _facilities(ids=[pk])[0]
    return _zones(ids=[pk])[0]


def _add(index: STRtreeIndex, name: str, records: list[dict]) -> None:
    rows = [r for r in records if r.get("boundary") is not None]
    if rows:
        index.add_layer(name, [r["id"] for r in rows], [bytes(r["boundary"]) for r in rows])


def right_batch(reg: Registry, records: list[dict], layer: str = "rights") -> Batch:
    """Rights (registry or what-if) with their spatial facts against the registry."""
    b = batches.from_records("right", records, reg.as_of)
    subj = right_arrays(records)
    for k, v in spatial.right_relations(reg.index, layer, subj, reg.reg).items():
        b.cols[k] = v
    return b


def facility_batch(reg: Registry, records: list[dict], layer: str = "facilities") -> Batch:
    b = batches.from_records("facility", records, reg.as_of)
    ids = np.array([r["id"] for r in records])
    has_point = np.array(
        [r.get("lon") not in (None, "") and r.get("lat") not in (None, "") for r in records], dtype=bool
    )
    if has_point.any() and layer not in reg.index._layers:
        pts = [(float(r["lon"]), float(r["lat"])) for r, ok in zip(records, has_point) if ok]
        reg.index.add_layer(layer, ids[has_point], shapely.points(pts))
    cols = (
        spatial.facility_relations(reg.index, layer, ids, has_point, concentrator_radius_m())
        if has_point.any()
        else {k: np.full(len(ids), -1, dtype=np.int8) for k in spatial.FACILITY_FLAGS}
    )
    # a park recorded on the facility counts as much as its location
    for flag, layer_name in (("in_nonferrous_park", "nonferrous_park"), ("in_zangqing_park", "zangqing_park")):
        by_fk = np.array([layer_name in reg.park_kind.get(r.get("park_id"), ()) for r in records], dtype=bool)
        cols[flag] = np.where(by_fk, 1, cols[flag]).astype(np.int8)
    for k, v in cols.items():
        b.cols[k] = v
    return b


def zone_batch(reg: Registry, records: list[dict]) -> Batch:
    rows = [
        {**z, "division": z["division_id"], "area_km2": float(z["area_km2"]) if z.get("area_km2") is not None else None}
        for z in records
    ]
    return batches.from_records("zone", rows, reg.as_of)


def registry_batches(reg: Registry) -> dict[str, Batch]:
    return {
        "facility": facility_batch(reg, reg.facilities),
        "right": right_batch(reg, reg.rights),
        "zone": zone_batch(reg, reg.zones),
    }


def labels(reg: Registry) -> dict:
    """Name, division and owner of every subject, as columns aligned with `registry_batches`."""
    from .store import Labels

    return {
        "facility": Labels.of(
            [f["id"] for f in reg.facilities],
            [f["name"] for f in reg.facilities],
            [f["division_id"] for f in reg.facilities],
            [f["enterprise_id"] for f in reg.facilities],
        ),
        "right": Labels.of(
            [r["id"] for r in reg.rights],
            [f"{r['licence_no']} {r['name']}" for r in reg.rights],
            [r["division_id"] for r in reg.rights],
            [r["holder_id"] for r in reg.rights],
        ),
        "zone": Labels.of(
            [z["id"] for z in reg.zones],
            [f"{z['code']} {z['name']}" for z in reg.zones],
            [z["division_id"] for z in reg.zones],
            [None] * len(reg.zones),
        ),
    }
