"""Unit conversion using the project's unit table (src/kuangzheng/policy/units.yaml).

The table is read as data; no policy code is imported.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from .errors import MonitorInputError


@lru_cache(maxsize=1)
def unit_table() -> dict[str, tuple[str, float]]:
    """unit code → (base unit, factor): value × factor = amount in the base unit."""
    text = resources.files("kuangzheng.policy").joinpath("units.yaml").read_text("utf-8")
    return {str(u["code"]): (str(u["base"]), float(u["factor"])) for u in yaml.safe_load(text)}


def factor(from_unit: str, to_unit: str, field: str = "unit") -> float:
    """The factor f with value_in_to_unit = value_in_from_unit × f."""
    table = unit_table()
    for u in (from_unit, to_unit):
        if u not in table:
            raise MonitorInputError(
                field, f"未知单位 {u!r}（见 policy/units.yaml）", f"unknown unit {u!r} (see policy/units.yaml)"
            )
    (b1, f1), (b2, f2) = table[from_unit], table[to_unit]
    if b1 != b2:
        raise MonitorInputError(
            field,
            f"单位 {from_unit!r} 与 {to_unit!r} 不可换算",
            f"unit {from_unit!r} cannot be converted to {to_unit!r}",
        )
    return f1 / f2
