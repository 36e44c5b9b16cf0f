"""Batches from plain records (dicts) or columns: the one entry to the engine for the registry sweep,
the what-if check, the tests and the benchmark. Column names follow the registry's fields; the
derived columns (jurisdiction, minerals masks, live, project type of rights, since) are made here."""

from __future__ import annotations

import datetime as dt

import numpy as np

from . import minerals as mn
from .engine import Batch, Coded

NUMBERS = (
    "capacity",
    "single_series_capacity",
    "daily_capacity",
    "cell_current_ka",
    "ac_molten_kwh_t",
    "ac_ingot_kwh_t",
    "current_efficiency_pct",
    "capital_ratio_pct",
    "self_supply_pct",
    "replacement_retired",
    "mining_scale",
    "furnace_t",
    "area_km2",
    "elevation_top",
    "elevation_bottom",
    "price_yuan",
    "added_km2",
    "original_km2",
    "idle_years",
    "lon",
    "lat",
)
TEXTS = (
    "kind",
    "project_type",
    "process",
    "equipment_level",
    "mining_method",
    "coal_rank",
    "capacity_unit",
    "division",
    "status",
    "obtained_by",
    "agreement_case",
    "name",
    "code",
)
FLAGS = (
    "eia_approved",
    "environment_consent",
    "state_council_consent",
    "planning_review_passed",
    "findings",
    "has_deep_processing",
    "adjacent",
    "in_designated_quarry_area",
    "integrated_agreement",
)
# text columns with few distinct values, kept dictionary-encoded (engine.Coded)
CATEGORIES = tuple(t for t in TEXTS if t not in ("name", "code")) + ("minerals",)
DATES = ("valid_from", "valid_to", "release_date", "first_transfer", "since")
LIVE_RIGHT_STATES = ("applied", "valid", "suspended")


def _num(v):
    if v is None or v == "":
        return np.nan
    return float(v)


def _flag(v):
    return -1 if v is None or v == "" else int(bool(v))


def _date(v):
    if v in (None, ""):
        return np.datetime64("NaT")
    return np.datetime64(v.isoformat() if isinstance(v, dt.date) else str(v)[:10], "D")


def from_records(kind: str, records: list[dict], as_of: dt.date, catalogue=None) -> Batch:
    """A batch of `kind` ('facility', 'right' or 'zone') from record dicts; absent fields are missing."""
    present = set().union(*(r.keys() for r in records)) if records else set()
    cols: dict[str, np.ndarray] = {}
    for name in NUMBERS:
        if name in present:
            cols[name] = np.array([_num(r.get(name)) for r in records], dtype=float)
    for name in TEXTS:
        if name in present:
            values = [str(r.get(name) or "") for r in records]
            cols[name] = Coded.encode(values) if name in CATEGORIES else np.array(values, dtype=str)
    for name in FLAGS:
        if name in present:
            cols[name] = np.array([_flag(r.get(name)) for r in records], dtype=np.int8)
    for name in DATES:
        if name in present:
            cols[name] = np.array([_date(r.get(name)) for r in records], dtype="datetime64[D]")
    names = "metals" if kind == "facility" else "minerals"
    lists = [r.get(names) or [] for r in records]
    cols["minerals"] = Coded.encode(["、".join(str(x) for x in v) for v in lists])
    cols["metals_mask"] = mn.masks(mn.joined(lists))
    for extra in ("in_concentrator_area", "in_nonferrous_park", "in_zangqing_park"):
        if extra in present:
            cols[extra] = np.array([_flag(r.get(extra)) if r.get(extra) != -1 else -1 for r in records], dtype=np.int8)
    for extra in (
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
        "key_mining_area_km",
    ):
        if extra in present:
            cols[extra] = np.array([_num(r.get(extra)) for r in records], dtype=float)
    if kind == "facility" and "commissioned" in present and "since" not in present:
        cols["since"] = commissioned_dates([_num(r.get("commissioned")) for r in records])
    ids = np.array([r.get("id", i) for i, r in enumerate(records)])
    return finish(kind, ids, cols, as_of, catalogue)


def finish(kind: str, ids, cols: dict, as_of: dt.date, catalogue=None) -> Batch:
    """Derived columns: live, the project type of rights (an application is new), `since`; categorical
    text columns dictionary-encoded."""
    n = len(ids)
    for name in CATEGORIES:
        if name in cols:
            cols[name] = Coded.encode(cols[name])
    status = cols.get("status")
    if kind == "facility":
        cols.setdefault(
            "live", (~status.isin(("closed",))).astype(np.int8) if status is not None else np.ones(n, np.int8)
        )
    elif kind == "right":
        if status is not None:
            cols.setdefault("live", status.isin(LIVE_RIGHT_STATES).astype(np.int8))
            cols.setdefault(
                "project_type", Coded(np.array(["existing", "new"]), status.isin(("applied",)).astype(np.int16))
            )
        if "since" not in cols and "valid_from" in cols:
            cols["since"] = cols["valid_from"]
    return Batch(kind, np.asarray(ids), cols, as_of, catalogue)


def commissioned_dates(years) -> np.ndarray:
    """Commissioning years as 1 January of the year (NaT when unknown)."""
    y = np.asarray(years, dtype=float)
    out = np.full(len(y), np.datetime64("NaT"), dtype="datetime64[D]")
    ok = ~np.isnan(y)
    out[ok] = (y[ok].astype(int) - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    return out
