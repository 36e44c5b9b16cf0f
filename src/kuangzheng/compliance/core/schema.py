"""The subject schema: the columns a batch of each kind (facility, right, zone) can hold, by type,
derived from the registry's field specifications (`registry.core.specs`: the records' fields and the
`CONTEXT` facts a check may state) plus what the engine derives itself (spatial facts, masks, dates).

Rules declare the columns they read (`engine.rule(reads=…)`); registering a rule checks each name
here, so a misspelt column fails at import instead of answering "missing data" for every subject.
The loader (`compliance.context`) and the what-if parser (`compliance.whatif`) take their field
lists from here too. A column that exists but is absent from a batch (a what-if subject that does
not state it) reads as missing: NaN, '' or -1.
"""

from __future__ import annotations

from kuangzheng.registry.core import specs, vocab
from kuangzheng.registry.core.specs import F

SPECS = {"facility": specs.FACILITY, "right": specs.RIGHT, "zone": specs.ZONE}
KINDS = tuple(SPECS)
# Spec type -> column type. References (enterprise, zone), geometry and JSON are not columns.
COLUMN_TYPE = {"float": "number", "int": "number", "str": "text", "choice": "text", "date": "date", "division": "text"}
RENAMED = {"designed_scale": "capacity", "designed_scale_unit": "capacity_unit"}  # a right's scale is its capacity
NOT_COLUMNS = {"external_id", "commissioned", "plan"}  # commissioned becomes `since`
FREE_TEXT = ("name", "code", "licence_no")  # the other text columns are categories (few distinct values)

# Fields of a right that the registry keeps on its mine (the facility it is for) or derives from events.
_FACILITY = specs.by_name(specs.FACILITY)
RIGHT_EXTRAS = [
    _FACILITY["coal_rank"],
    _FACILITY["mining_method"],
    F("status", "状态", "status", "choice", choices=tuple(c for c, _ in vocab.RIGHT_STATES)),
    F("first_transfer", "首次转让日期", "first transfer", "date"),
]
# Loaded from the registry besides the fields (ORM value names).
LOADED_EXTRAS = {
    "facility": (),
    "right": ("status", "facility__coal_rank", "facility__mining_method"),
    "zone": (),
}
# Facts a check states in nested context objects (replacement_plan, agreement) or the parser computes.
CONTEXT_DERIVED = {
    "number": ("replacement_retired", "added_km2", "original_km2"),
    "flag": ("has_deep_processing", "adjacent"),
    "text": ("agreement_case",),
}
# Facts computed from the geometries against the registry (compliance/core/spatial.py).
SPATIAL = {
    "facility": {
        "flag": (
            "in_concentrator_area",
            "in_nonferrous_park",
            "in_zangqing_park",
            "in_water_source_area",
            "in_nature_reserve_site",
        ),
        # the last two are not computed for facilities (yet): a mine's records may state them
        "number": ("key_mining_area_km", "in_fragile_area", "other_holder_same_mineral_mining"),
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
# Columns `batch.finish` / `batch.from_records` derive for every batch (project_type: a right's, from
# its status).
DERIVED = {
    "text": ("division", "jurisdiction", "minerals", "project_type"),
    "mask": ("metals_mask",),
    "flag": ("live",),
}
DERIVED_DATES = {"facility": ("since",), "right": ("since",), "zone": ()}


def fields(kind: str) -> list[F]:
    """The specifications of a subject's own fields (the registry's, and a right's extras)."""
    return SPECS[kind] + (RIGHT_EXTRAS if kind == "right" else [])


def columns(kind: str) -> dict[str, str]:
    """{column: type} of a batch of `kind` (type: number, text, flag, date, mask)."""
    out: dict[str, str] = {}
    for f in fields(kind):
        if f.name in NOT_COLUMNS or f.type not in COLUMN_TYPE:
            continue
        out[RENAMED.get(f.name, f.name)] = COLUMN_TYPE[f.type]
    if any(f.type == "geometry" for f in SPECS[kind]):
        out["area_km2"] = "number"
    for f in specs.CONTEXT:
        out[f.name] = "flag" if f.type == "bool" else "number"
    for part in (CONTEXT_DERIVED, SPATIAL[kind], DERIVED, {"date": DERIVED_DATES[kind]}):
        for typ, names in part.items():
            for name in names:
                out.setdefault(name, typ)
    return out


def all_columns() -> set[str]:
    return {name for kind in KINDS for name in columns(kind)}


def of_type(kind: str, typ: str) -> tuple[str, ...]:
    return tuple(name for name, t in columns(kind).items() if t == typ)


def loaded_fields(kind: str) -> tuple[str, ...]:
    """The registry values (ORM names) the sweep loads for each subject of `kind`."""
    out = ["id"]
    for f in SPECS[kind]:
        if f.name == "external_id":
            continue
        if f.type in ("division", "enterprise", "zone"):
            out.append(f"{f.name}_id")
        elif f.type == "geometry":
            out += ["boundary", "area_km2"]
        else:
            out.append(f.name)
    return tuple(dict.fromkeys([*out, *LOADED_EXTRAS[kind]]))
