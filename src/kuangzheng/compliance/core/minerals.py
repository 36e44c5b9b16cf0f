"""Mineral names as bit masks, so list membership is one AND over a column.

The registry writes minerals in Chinese or English ("铜", "copper", "thermal coal"); the catalogue
writes them as the seeds do ("铀矿", "煤炭", "稀有、稀土及分散元素矿产"). Both are mapped to the
canonical keys below; a name maps to every key it names ("铅锌" is lead and zinc). Matching is by
whole name, never by substring, so 砂金 (placer gold) is not 金 (gold) and 超贫磁铁矿 is not 铁.
"""

from __future__ import annotations

import numpy as np

from kuangzheng.registry.core import minerals as vocabulary

# canonical key -> names (Chinese as the seeds write them, English as data sets do)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "copper": ("铜", "铜矿", "copper"),
    "lead": ("铅", "铅矿", "lead", "铅锌", "铅锌矿", "lead-zinc"),
    "zinc": ("锌", "锌矿", "zinc", "铅锌", "铅锌矿", "lead-zinc"),
    "magnesium": ("镁", "magnesium"),
    "aluminium": ("铝", "电解铝", "aluminium", "aluminum"),
    "gold": ("金", "金矿", "岩金", "gold"),
    "silver": ("银", "银矿", "silver"),
    "platinum": ("铂", "platinum"),
    "palladium": ("钯", "palladium"),
    "placer_gold": ("砂金", "河道砂金", "placer gold"),
    "river_placer_gold": ("河道砂金",),
    "placer_iron": ("砂铁",),
    "iron": ("铁", "铁矿", "富铁", "iron", "iron ore"),
    "rich_iron": ("富铁",),
    "ultra_lean_magnetite": ("超贫磁铁矿",),
    "coal": ("煤", "煤炭", "褐煤", "烟煤", "无烟煤", "焦煤", "coal", "thermal coal", "metallurgical coal", "lignite"),
    "uranium": ("铀", "铀矿", "uranium"),
    "oil": ("石油", "oil"),
    "natural_gas": ("天然气", "natural gas"),
    "coalbed_methane": ("煤层气",),
    "shale_gas": ("页岩气",),
    "geothermal": ("地热",),
    "hot_dry_rock": ("干热岩",),
    "tin": ("锡", "tin"),
    "nickel": ("镍", "nickel"),
    "chromium": ("铬", "chromium"),
    "manganese": ("锰", "manganese"),
    "potash": ("钾盐", "potash"),
    "graphite": ("晶质石墨", "石墨", "graphite"),
    "rare_earth": ("稀土", "稀土矿", "rare earth", "rare earths", "稀有、稀土及分散元素矿产"),
    "rare_dispersed": ("稀有", "分散元素", "稀散", "稀有、稀土及分散元素矿产"),
    "tungsten": ("钨", "钨矿", "tungsten"),
    "fluorite": ("萤石", "fluorite"),
    "lithium": ("锂", "lithium"),
    "molybdenum": ("钼", "molybdenum"),
    "antimony": ("锑", "antimony"),
    "mercury": ("汞", "mercury"),
    "blue_asbestos": ("蓝石棉",),
    "brick_clay": ("可耕地砖瓦用粘土",),
    "wetland_peat": ("湿地泥炭",),
    "sand_gravel_clay": ("砂石粘土", "砂石", "建筑用砂", "建筑用砂石土", "砖瓦用粘土", "sand and gravel"),
}
KEYS = tuple(SYNONYMS)
BIT = {k: np.uint64(1) << np.uint64(i) for i, k in enumerate(KEYS)}
assert len(KEYS) <= 64

PRECIOUS = ("gold", "silver", "platinum", "palladium")


def _names() -> dict[str, list[str]]:
    """Every name → its keys: the synonyms above, and every spelling the registry's mineral vocabulary
    (registry/core/minerals.yaml: the seeds', ICMM's and GEM's) gives the mineral a key's first
    synonym names — so a record the registry understands is understood here too."""
    by_name: dict[str, list[str]] = {}
    for key, names in SYNONYMS.items():
        same = vocabulary.resolve(names[0])
        more = (same.zh, same.en, *same.aliases) if same is not None else ()
        for n in dict.fromkeys(x.lower() for x in (*names, *more)):
            by_name.setdefault(n, []).append(key)
    return by_name


NAME_KEYS = _names()
# A subject that mines 河道砂金 mines placer gold (both keys), but a list naming 河道砂金 does not
# name all placer gold: list items map to their most specific key only.
LIST_ITEM_KEYS = {"河道砂金": ("river_placer_gold",), "富铁": ("rich_iron",)}


def mask_of(names, list_items: bool = False) -> np.uint64:
    """Mask of a list of names: a subject's minerals, or (list_items=True) a catalogue list's items.
    Unknown names add nothing."""
    m = np.uint64(0)
    for n in names:
        n = str(n).strip().lower()
        for key in LIST_ITEM_KEYS.get(n) if list_items and n in LIST_ITEM_KEYS else NAME_KEYS.get(n, ()):
            m |= BIT[key]
    return m


def keys(*names: str) -> np.uint64:
    m = np.uint64(0)
    for k in names:
        m |= BIT[k]
    return m


def joined(lists) -> np.ndarray:
    """Minerals lists as '|a|b|' strings (lower-case, trimmed): the input of `masks`."""
    return np.asarray(["|" + "|".join(str(x).strip().lower() for x in (v or [])) + "|" for v in lists], dtype=str)


def masks(joined_names: np.ndarray) -> np.ndarray:
    """Mask per row from '|a|b|' strings: one vectorised search per known name, not per row."""
    joined_names = np.asarray(joined_names, dtype=str)
    out = np.zeros(len(joined_names), dtype=np.uint64)
    if not len(joined_names):
        return out
    for name, ks in NAME_KEYS.items():
        hit = np.char.find(joined_names, f"|{name}|") >= 0
        if hit.any():
            out[hit] |= keys(*ks)
    return out


def has(mask_col: np.ndarray, m: np.uint64) -> np.ndarray:
    return (mask_col & m) != 0


def names_in(mask) -> list[str]:
    return [k for k in KEYS if int(mask) & int(BIT[k])]
