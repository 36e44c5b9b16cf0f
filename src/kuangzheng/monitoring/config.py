"""monitoring.yaml read into the core's objects; thresholds resolved from the policy catalogue."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from kuangzheng.monitoring.core.early_warning import WarningRule
from kuangzheng.policy.catalogue import JURISDICTION_INFO, load_catalogue

NEGATE = {">=": "<", ">": "<=", "<=": ">", "<": ">="}
PROVINCE_PREFIX = {code: j["prefix"] for code, j in JURISDICTION_INFO.items()}  # from policy/jurisdictions.yaml


@lru_cache(maxsize=1)
def config() -> dict:
    return yaml.safe_load(resources.files(__package__).joinpath("monitoring.yaml").read_text("utf-8"))


def entry(entry_id: str):
    return load_catalogue().get(entry_id)


def _rule(d: dict) -> WarningRule:
    common = dict(
        id=d["id"],
        indicator=d["indicator"],
        severity=d["severity"],
        metal=d.get("metal"),
        jurisdiction=str(d.get("jurisdiction", "")),
        message_zh=d.get("message_zh", ""),
        message_en=d.get("message_en", ""),
    )
    if "threshold_from" in d:
        e = entry(d["threshold_from"])
        # a target "for year Y" is applied as a limit from Y on; a threshold from its effective date
        start = e.year if e.kind == "target" and e.year else e.effective.year
        return WarningRule(
            comparison=NEGATE[e.comparison],
            threshold=float(e.value),
            unit=e.unit,
            citation_id=e.id,
            effective_from=start,
            effective_until=e.until.year - 1 if e.until else None,
            **common,
        )
    return WarningRule(
        comparison=d["comparison"],
        threshold=float(d["threshold"]),
        unit=d["unit"],
        citation_id=d["citation_id"],
        **common,
    )


def warning_rules() -> list[WarningRule]:
    return [_rule(d) for d in config()["warning_rules"]]


def params() -> dict:
    """Indicator parameters with the catalogue's numbers filled in."""
    p = config()["indicator_params"]
    path = entry(p["emissions_path"]["entry"])
    cycle = entry(p["restoration"]["cycle_entry"])
    repl = entry(p["replacement"]["entry"])
    # 等量 (equal) is allowed, so the minimum ratio of retired to new capacity is 1
    ratio = 1.0 if "等量" in repl.value else None
    return {
        "baseline_year": path.base_year,
        "target_year": path.year,
        "path_ratio": float(p["emissions_path"]["ratio"]),
        "path_citation": path.id,
        "cycle_years": int(cycle.value),
        "cycle_start_year": int(p["restoration"]["cycle_start_year"]),
        "top_n": int(p["concentration"]["top_n"]),
        "replacement_ratio": ratio,
        "replacement_citation": repl.id,
    }
