"""Spatial facts for the rules, computed in bulk through the geometry core's index.

One function per subject kind turns index queries (overlaps, containment, distance — see
`kuangzheng.geo.index` for their exact definitions) into columns the rules read. The same code
serves the sweep (the subjects are the registry's own layer) and the what-if check (the subject is
a layer of one beside the registry's layers), so both paths see the same facts.

Layer names: "zone:<kind>" for zones of one kind, "zone:nonferrous_park" and "zone:zangqing_park"
for the parks the rules name, "rights" for the registry's live rights.
"""

from __future__ import annotations

import numpy as np

from kuangzheng.geo.index import Pairs, degree_margin

Box = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat


# ---------------------------------------------------------------- the surroundings of one subject
# A check of one subject needs only the registry records that can change its facts. Every fact is a
# pairwise predicate (overlap, containment, distance) whose pairs have meeting envelopes, so a record
# whose envelope misses the windows below can change no fact. Records are picked by envelope
# (`meets`), as the registry's bounding-box search picks them.


def meets(a: Box, b: Box) -> bool:
    """The envelopes meet (edges included), as the registry's bounding-box search decides."""
    return a[2] >= b[0] and a[0] <= b[2] and a[3] >= b[1] and a[1] <= b[3]


def union_box(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def rights_window(parcel: Box, blocks: list[Box]) -> Box:
    """Where the rights that change a right's facts lie: those meeting its parcel (conflicts), and
    those in the exploration planning blocks it lies in (`block_other_subjects` counts holders
    across the whole block)."""
    return union_box([parcel, *blocks])


def facility_window(lon: float, lat: float, radius_m: float) -> Box:
    """Where the zones that change a facility's facts lie: within the concentrator radius of its
    point (the distance facts), which also holds every zone containing the point."""
    m = degree_margin(radius_m, abs(lat))
    return (lon - m, lat - m, lon + m, lat + m)


def _positions(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    order = np.argsort(ids, kind="stable")
    return order[np.searchsorted(ids, wanted, sorter=order)]


def _count(ids: np.ndarray, pairs_left: np.ndarray) -> np.ndarray:
    out = np.zeros(len(ids), dtype=float)
    if len(pairs_left):
        np.add.at(out, _positions(ids, pairs_left), 1)
    return out


def _has_layer(index, name: str) -> bool:
    return name in getattr(index, "_layers", {}) or name in getattr(index, "layers", {})


def _overlaps(index, left: str, right: str) -> Pairs:
    if not _has_layer(index, right):
        return Pairs(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), {})
    return index.overlaps(left, right)


def _zone_count(index, layer: str, ids: np.ndarray, zone: str) -> np.ndarray:
    return _count(ids, _overlaps(index, layer, f"zone:{zone}").left)


def _both_ways(p: Pairs, same_layer: bool) -> tuple[np.ndarray, np.ndarray]:
    if not same_layer:
        return p.left, p.right
    return np.concatenate([p.left, p.right]), np.concatenate([p.right, p.left])


RIGHT_COLUMNS = (
    "in_prohibited",
    "in_nature_reserve",
    "in_restricted",
    "exploration_blocks",
    "mining_blocks",
    "in_fragile_area",
    "in_integrated_zone",
    "straddles_integrated_zone",
    "conflicts",
    "other_holder_same_mineral_mining",
    "block_other_subjects",
)


def right_relations(index, layer: str, subj: dict, reg: dict, rights_layer: str = "rights") -> dict[str, np.ndarray]:
    """Columns for rights. `subj` and `reg` are dicts of parallel arrays: id, holder, kind, mask
    (minerals), top, bottom (elevations, NaN unknown), has_geom; `reg` also live (1/0)."""
    ids = np.asarray(subj["id"])
    n = len(ids)
    if not _has_layer(index, layer):  # no subject has a boundary (a what-if right without one): all unknown
        return {k: np.full(n, np.nan) for k in RIGHT_COLUMNS}
    cols = {}
    cols["in_prohibited"] = _zone_count(index, layer, ids, "prohibited_mining_area")
    cols["in_nature_reserve"] = _zone_count(index, layer, ids, "nature_reserve")
    cols["in_restricted"] = _zone_count(index, layer, ids, "restricted_mining_area")
    cols["exploration_blocks"] = _zone_count(index, layer, ids, "exploration_planning_block")
    cols["mining_blocks"] = _zone_count(index, layer, ids, "mining_planning_block")
    cols["in_fragile_area"] = _zone_count(index, layer, ids, "key_environmental_treatment_area")
    inside = np.zeros(n)
    if _has_layer(index, "zone:integrated_exploration_zone"):
        inside = _count(ids, index.containment("zone:integrated_exploration_zone", layer).right)
    cols["in_integrated_zone"] = inside
    touching = _zone_count(index, layer, ids, "integrated_exploration_zone")
    cols["straddles_integrated_zone"] = np.where((touching > 0) & (inside == 0), 1.0, 0.0)

    # conflicts with other holders' live rights (mining rights stacked at different elevations do not clash)
    same = layer == rights_layer
    a, r = _both_ways(_overlaps(index, layer, rights_layer), same)
    conflicts = np.zeros(n)
    shared = np.zeros(n)
    if len(a):
        reg_ids = np.asarray(reg["id"])
        sa, rr = _positions(ids, a), _positions(reg_ids, r)
        other = (
            (subj["holder"][sa] != reg["holder"][rr]) & (np.asarray(reg["live"])[rr] == 1) & (ids[sa] != reg_ids[rr])
        )
        both_mining = (subj["kind"][sa] == "mining") & (reg["kind"][rr] == "mining")
        stacked = (
            both_mining
            & ~np.isnan(subj["top"][sa])
            & ~np.isnan(reg["top"][rr])
            & ~np.isnan(subj["bottom"][sa])
            & ~np.isnan(reg["bottom"][rr])
            & (np.maximum(subj["bottom"][sa], reg["bottom"][rr]) >= np.minimum(subj["top"][sa], reg["top"][rr]))
        )
        clash = other & ~stacked
        np.add.at(conflicts, sa[clash], 1)
        same_mineral = clash & both_mining & ((subj["mask"][sa] & reg["mask"][rr]) != 0)
        np.add.at(shared, sa[same_mineral], 1)
    cols["conflicts"] = conflicts
    cols["other_holder_same_mineral_mining"] = shared
    cols["block_other_subjects"] = _block_others(index, layer, subj, reg, rights_layer)
    assert tuple(cols) == RIGHT_COLUMNS
    missing = ~np.asarray(subj["has_geom"], dtype=bool)
    for k in cols:
        cols[k] = np.where(missing, np.nan, cols[k])
    return cols


def _block_others(index, layer: str, subj: dict, reg: dict, rights_layer: str) -> np.ndarray:
    """Per subject: the most other holders of live exploration rights found in any one exploration
    planning block it lies in (distinct holders, the subject's own holder excluded)."""
    ids = np.asarray(subj["id"])
    out = np.zeros(len(ids))
    blocks = "zone:exploration_planning_block"
    if not _has_layer(index, blocks) or not len(ids):
        return out
    sp = index.overlaps(layer, blocks)
    if not len(sp):
        return out
    if not _has_layer(index, rights_layer):  # no right anywhere near: no other holder in the blocks
        return out
    rp = sp if layer == rights_layer else index.overlaps(rights_layer, blocks)
    reg_ids = np.asarray(reg["id"])
    rr = _positions(reg_ids, rp.left)
    keep = (reg["kind"][rr] == "exploration") & (np.asarray(reg["live"])[rr] == 1)
    holders = np.asarray(reg["holder"], dtype=np.int64)[rr][keep]
    blk = np.asarray(rp.right, dtype=np.int64)[keep]
    key = blk * (1 << 32) + holders
    uniq = np.unique(key)
    per_block, counts = np.unique(uniq >> 32, return_counts=True)
    s = _positions(ids, sp.left)
    sblk = np.asarray(sp.right, dtype=np.int64)
    sholder = np.asarray(subj["holder"], dtype=np.int64)[s]
    total = np.zeros(len(sblk))
    found = np.isin(sblk, per_block)
    total[found] = counts[np.searchsorted(per_block, sblk[found])]
    own = np.isin(sblk * (1 << 32) + sholder, uniq)
    np.maximum.at(out, s, total - own)
    return out


# 「由盟市对重点矿区和成矿区带划定区域，覆盖半径一般控制在30公里以内」: the zones the areas are drawn around
CONCENTRATOR_CENTRES = ("key_mining_area", "mineralisation_belt")
FACILITY_FLAGS = (
    "in_concentrator_area",
    "in_nonferrous_park",
    "in_zangqing_park",
    "in_water_source_area",
    "in_nature_reserve_site",
)


def facility_relations(index, layer: str, ids: np.ndarray, has_point: np.ndarray, radius_m: float) -> dict:
    """Columns for facilities (points): designated concentrator area (inside one drawn in the registry,
    or within `radius_m` of a key mining area or a mineralisation belt), the distance to the nearest of
    those, and containment in the parks and protected areas the rules name."""
    ids = np.asarray(ids)
    n = len(ids)
    near = np.full(n, np.inf)
    for centre in CONCENTRATOR_CENTRES:  # the areas are drawn around key mining areas and belts
        if _has_layer(index, f"zone:{centre}"):
            p = index.within_distance(layer, f"zone:{centre}", radius_m)
            if len(p):
                np.minimum.at(near, _positions(ids, p.left), p.values["distance_m"])
    drawn = np.zeros(n)
    if _has_layer(index, "zone:designated_concentrator_area"):  # an area a league or city has drawn
        drawn = _count(ids, index.containment("zone:designated_concentrator_area", layer).right)
    cols = {
        "in_concentrator_area": np.where(np.isfinite(near) | (drawn > 0), 1, 0).astype(np.int8),
        "key_mining_area_km": np.where(np.isfinite(near), near / 1000, np.nan),
    }
    for flag, zone in (
        ("in_nonferrous_park", "nonferrous_park"),
        ("in_zangqing_park", "zangqing_park"),
        ("in_water_source_area", "drinking_water_protection_area"),
        ("in_nature_reserve_site", "nature_reserve"),
    ):
        inside = np.zeros(n)
        if _has_layer(index, f"zone:{zone}"):
            inside = _count(ids, index.containment(f"zone:{zone}", layer).right)
        cols[flag] = (inside > 0).astype(np.int8)
    missing = ~np.asarray(has_point, dtype=bool)
    for k in FACILITY_FLAGS:
        cols[k] = np.where(missing, -1, cols[k]).astype(np.int8)
    return cols
