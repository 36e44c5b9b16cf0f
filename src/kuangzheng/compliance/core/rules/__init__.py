"""The rule functions of the compliance engine, one module per group of mechanisms.

Importing this package registers every rule with `kuangzheng.compliance.core.engine`. Each rule is written
once over numpy columns; docs/compliance.md lists them with the seed passages they implement.
"""

from . import (
    agreement,
    aluminium,
    backward,
    concentrator,
    exploration,
    fees,
    heavy_metals,
    integration,
    mine_scale,
    mineral_policy,
    planning,
    polluting,
    restructuring,
    smelting,
)

__all__ = [
    "agreement",
    "aluminium",
    "backward",
    "concentrator",
    "exploration",
    "fees",
    "heavy_metals",
    "integration",
    "mine_scale",
    "mineral_policy",
    "planning",
    "polluting",
    "restructuring",
    "smelting",
]
