"""What the dashboard's cells are called on screen: divisions and metals by name, not code, and the
indicators with their definitions (the same words as docs/monitoring.md, shown on the page)."""

from __future__ import annotations

from kuangzheng.registry import services
from kuangzheng.registry.core import minerals

# report metal codes → the mineral vocabulary's codes
METAL_CODES = {
    "al": "primary_aluminium",
    "cu": "copper",
    "zn": "zinc",
    "pb": "lead",
    "ni": "nickel",
    "sn": "tin",
    "sb": "antimony",
    "hg": "mercury",
    "mg": "magnesium",
    "ti": "titanium",
}
OTHER = {"zh": "其他", "en": "other"}

# indicator id → (Chinese name, English name, Chinese definition, English definition)
INDICATORS = {
    "capacity_utilisation": ("产能利用率", "capacity utilisation", "产量之和 ÷ 同期产能之和", "Σ output / Σ capacity"),
    "processing_conversion_rate": (
        "加工转化率",
        "processing conversion rate",
        "区内投入加工的原生金属量 ÷ 区内原生金属产量",
        "primary metal taken into processing in the division / primary metal produced there",
    ),
    "recycled_share": (
        "再生金属产量占比",
        "recycled share",
        "再生金属产量 ÷ 全部金属产量",
        "recycled output / all output",
    ),
    "three_rate_compliance": (
        "矿山“三率”达标率",
        "mines meeting the three rates",
        "各项适用“三率”指标均达标的矿山数 ÷ 参评矿山数（缺报不计入）",
        "mines meeting every applicable standard / mines assessed (mines with a missing rate are left out)",
    ),
    "large_medium_mine_share": (
        "大中型矿山比例",
        "share of large and medium mines",
        "大型与中型矿山数 ÷ 填报规模的矿山数",
        "large + medium mines / mines that state a scale",
    ),
    "large_medium_capacity_share": (
        "大中型矿山产能占比",
        "capacity share of large and medium mines",
        "大中型矿山生产能力 ÷ 全部矿山生产能力",
        "capacity of large + medium mines / all capacity",
    ),
    "green_mine_count": (
        "绿色矿山数",
        "green mines",
        "列入国家级或省级绿色矿山名录的矿山数",
        "mines on the national or provincial green-mine list",
    ),
}


def division_names(lang: str) -> dict[str, str]:
    return {d.code: (d.name_en or d.name_zh) if lang == "en" else d.name_zh for d in services.divisions()}


def metal_name(code: str | None, lang: str) -> str:
    mineral = minerals.vocabulary().minerals.get(METAL_CODES.get(code or ""))
    if mineral is None:
        return OTHER[lang] if code else ""
    return mineral.en if lang == "en" else mineral.zh


def indicator_name(indicator: str, lang: str) -> str:
    names = INDICATORS.get(indicator)
    if names is None:
        return indicator
    return names[1] if lang == "en" else names[0]


def legend(row: dict, divisions: dict[str, str], lang: str) -> str:
    """'内蒙古自治区 · 电解铝' for a cell of division 150000 and metal al."""
    division = divisions.get(row.get("division") or "", row.get("division") or ("全部区划" if lang == "zh" else "all"))
    metal = metal_name(row.get("metal"), lang)
    return f"{division} · {metal}" if metal else division


def definitions(lang: str) -> list[dict]:
    return [
        {"id": k, "name": v[1] if lang == "en" else v[0], "definition": v[3] if lang == "en" else v[2]}
        for k, v in INDICATORS.items()
    ]
