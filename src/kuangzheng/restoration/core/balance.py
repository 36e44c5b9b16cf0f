"""The area balance of M48 and seed 003: "年复垦面积与年破坏面积基本平衡" and "生产矿山年度占用土地面积
与年度治理面积基本达到平衡". The seed gives no number for 基本 (roughly); the platform reads it as a
ratio band, configured in restoration.yaml (with the reading stated there, not as a policy figure).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Balance:
    year: int
    damaged: float
    reclaimed: float
    ratio: float | None  # reclaimed / damaged
    verdict: str  # balanced | behind | no_damage


VERDICT_ZH = {"balanced": "基本平衡", "behind": "复垦滞后", "no_damage": "当年无新增损毁"}


def judge(year: int, damaged: float, reclaimed: float, band: float) -> Balance:
    """Balanced when reclaimed ≥ damaged × (1 − band); reclaiming more than was damaged (catching up
    on earlier years) still counts as balanced."""
    if damaged <= 0:
        return Balance(year, damaged, reclaimed, None, "no_damage")
    ratio = reclaimed / damaged
    return Balance(
        year, round(damaged, 4), round(reclaimed, 4), round(ratio, 4), "balanced" if ratio >= 1 - band else "behind"
    )


def rate(restored: float, damaged: float) -> float | None:
    """Restoration rate in % (restored / damaged), as the seed's 治理率."""
    return round(100 * restored / damaged, 1) if damaged > 0 else None


def coverage(fund_cents: int, outstanding_cost_cents: int) -> float | None:
    """Fund coverage in %: the fund balance against the cost of phases not yet paid."""
    return round(100 * fund_cents / outstanding_cost_cents, 1) if outstanding_cost_cents > 0 else None
