"""restoration.yaml, and the catalogue figures the domain reads."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources

import yaml

from kuangzheng.policy.catalogue import load_catalogue

CYCLE_ENTRY = "003.geoenv.phased_plan_cycle"


@lru_cache(maxsize=1)
def config() -> dict:
    return yaml.safe_load(resources.files(__package__).joinpath("restoration.yaml").read_text("utf-8"))


def cycle_years() -> int:
    return int(load_catalogue().get(CYCLE_ENTRY).value)


def effective_date() -> dt.date:
    d = config()["responsibility"]["effective_date"]
    return d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d))


def variant_for(division_code: str) -> str:
    f = config()["fund"]
    return f["by_province"].get(division_code[:2], f["default"])


def variant(name: str) -> dict:
    return config()["fund"]["variants"][name]


def balance_band() -> float:
    return float(config()["balance"]["band"])


def document_types() -> dict[str, list[str]]:
    """The types a plan document may have and their signatures (first bytes)."""
    return config()["plan_document"]["types"]
