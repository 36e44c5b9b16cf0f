"""The subject schema: the columns a batch of each kind (facility, right, zone) can hold, by type.

Rules declare the columns they read (`engine.rule(reads=…)`); registering a rule checks each name
here, so a misspelt column fails at import instead of answering "missing data" for every subject.
A column that exists but is absent from a batch (a what-if subject that does not state it) reads as
missing: NaN, '' or -1.
"""

from __future__ import annotations

# Registry fields, as the batch names them (a right's designed scale is its `capacity`).
REGISTRY = {
    "facility": {
        "number": (
            "capacity",
            "single_series_capacity",
            "daily_capacity",
            "cell_current_ka",
            "ac_molten_kwh_t",
            "ac_ingot_kwh_t",
            "current_efficiency_pct",
            "capital_ratio_pct",
            "self_supply_pct",
            "lon",
            "lat",
        ),
        "text": (
            "kind",
            "project_type",
            "process",
            "equipment_level",
            "mining_method",
            "coal_rank",
            "capacity_unit",
            "status",
            "name",
        ),
        "date": (),
    },
    "right": {
        "number": ("capacity", "elevation_top", "elevation_bottom", "area_km2"),
        "text": ("kind", "status", "obtained_by", "capacity_unit", "coal_rank", "mining_method", "name"),
        "date": ("valid_from", "valid_to", "first_transfer"),
    },
    "zone": {
        "number": ("area_km2",),
        "text": ("kind", "name", "code"),
        "date": ("release_date",),
    },
}
# Facts a check may state that the registry does not keep (docs/check-input.md, `context`).
CONTEXT = {
    "flag": (
        "eia_approved",
        "environment_consent",
        "state_council_consent",
        "planning_review_passed",
        "findings",
        "in_designated_quarry_area",
        "integrated_agreement",
        "has_deep_processing",
        "adjacent",
    ),
    "number": (
        "price_yuan",
        "mining_scale",
        "furnace_t",
        "idle_years",
        "replacement_retired",
        "added_km2",
        "original_km2",
    ),
    "text": ("agreement_case",),
}
# Facts computed from the geometries against the registry (compliance/core/spatial.py).
SPATIAL = {
    "facility": {
        "flag": ("in_concentrator_area", "in_nonferrous_park", "in_zangqing_park"),
        "number": ("key_mining_area_km",),
    },
    "right": {
        "number": (
            "conflicts",
            "other_holder_same_mineral_mining",
            "in_prohibited",
            "in_nature_reserve",
            "in_restricted",
            "exploration_blocks",
            "mining_blocks",
            "block_other_subjects",
            "in_fragile_area",
            "in_integrated_zone",
            "straddles_integrated_zone",
        )
    },
    "zone": {},
}
# Columns every batch gets from `batch.finish` / `batch.from_records`.
DERIVED = {
    "text": ("division", "jurisdiction", "minerals"),
    "mask": ("metals_mask",),
    "flag": ("live",),
    "date": ("since",),
}
DERIVED_BY_KIND = {"right": {"text": ("project_type",)}}
KINDS = tuple(REGISTRY)


def columns(kind: str) -> dict[str, str]:
    """{column: type} of a batch of `kind` (type: number, text, flag, date, mask)."""
    out: dict[str, str] = {}
    for part in (REGISTRY[kind], CONTEXT, SPATIAL[kind], DERIVED, DERIVED_BY_KIND.get(kind, {})):
        for typ, names in part.items():
            for name in names:
                out.setdefault(name, typ)
    return out


def all_columns() -> set[str]:
    return {name for kind in KINDS for name in columns(kind)}
