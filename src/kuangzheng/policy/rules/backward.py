"""Backward capacity on the elimination catalogue of seed 004 (专栏7, M37), by metal.

A facility's recorded process is matched against the catalogue's items by keywords; each keyword
is a piece of the item's own wording (a test checks that), tied to the metal the item is listed
under. Thresholds in the items (100 kA cells, 1万吨/年 recycled plants, 50 t and 4 t furnaces) are
read from the catalogue. Items with a year are due by its end: before that a match is a warning
(to be eliminated by the deadline), after it a failure; items without a year fail at once.
"""

from __future__ import annotations

import numpy as np

from ..engine import FAIL, MISSING, PASS, R_MISSING, R_PASS, WARN, Batch, Result, const, resolve, rule
from . import minerals as mn
from .common import entry, entry_rows, of_kind, in_force

# entry id -> (metal keys the item is listed under, keywords from the item's wording)
KEYWORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "004.backward.cu.2011": (("copper",), ("鼓风炉", "电炉", "反射炉炼铜")),
    "004.backward.cu.other": (("copper",), ("铜线杆（黑杆）", "黑杆", "无烟气治理措施的再生铜焚烧")),
    "004.backward.al.2011": (("aluminium",), ("自焙电解槽", "自焙")),
    "004.backward.al.other": (("aluminium", "lead"), ("坩埚炉",
                                                      "湿法氟化盐")),
    "004.backward.pb": (("lead",), ("烧结锅", "烧结盘", "简易高炉", "烧结-鼓风炉", "未配套制酸")),
    "004.backward.zn": (("zinc",), ("马弗炉", "马槽炉", "横罐", "小竖罐", "简易冷凝设施进行收尘")),
    "004.backward.sb": (("antimony",), ("地坑炉", "坩埚炉", "赫氏炉")),
    "004.backward.hg": (("mercury",), ("铁锅和土灶", "蒸馏罐", "坩埚炉", "简易冷凝收尘设施")),
    "004.backward.other": ((), ("土坑炉", "烟气制酸干法净化", "热浓酸洗涤", "直接燃煤的反射炉")),
}
# scale floors: (metal, process marker, parameter, column, unit)
SCALE_FLOORS = (
    ("aluminium", "再生", "al.recycled_scale_min", "capacity", "10^4 t/a"),
    ("lead", "再生", "pb.recycled_scale_min", "capacity", "10^4 t/a"),
    ("copper", "再生", "cu.recycled_reverberatory_capacity_min", "furnace_t", "t"),
    ("aluminium", "再生", "al.recycled_reverberatory_capacity_min", "furnace_t", "t"),
)
KINDS = ("smelter", "al_line", "refinery", "processing_plant")
R_LISTED, R_DUE, R_FURNACE = 10, 11, 12
METAL_ZH = {"aluminium": "铝", "lead": "铅", "copper": "铜"}
# every item a facility can match, numbered for a bit mask: keywords, the cell-current item, scale floors
ITEMS = [w for _, (_, words) in KEYWORDS.items() for w in words] + ["100KA及以下预焙槽"] + \
    [f"再生{METAL_ZH[m]}{'规模' if c == 'capacity' else '反射炉炉容'}低于目录下限" for m, _, _, c, _ in SCALE_FLOORS]
BIT = {item: np.int64(1) << np.int64(i) for i, item in enumerate(ITEMS)}


def _derive(facts: dict) -> dict:
    bits = int(facts["matched_bits"][0] or 0)
    return {"matched": "；".join(item for item, bit in BIT.items() if bits & int(bit))}


@rule("backward.catalogue", "facility", "M37", ("落后产能淘汰目录", "Backward-capacity elimination catalogue"),
      reasons={R_PASS: ("未见落后产能淘汰目录所列工艺或设备（工艺：{process}；槽电流：{cell_current_ka} kA）",
                        "nothing on the elimination catalogue (process: {process}; cell current: {cell_current_ka} kA)"),
               R_LISTED: ("属于落后产能淘汰目录：{matched}", "on the backward-capacity elimination catalogue: {matched}"),
               R_DUE: ("属于落后产能淘汰目录，须在 {deadline} 前淘汰：{matched}",
                       "on the elimination catalogue, to be eliminated by {deadline}: {matched}"),
               R_FURNACE: ("再生金属反射炉未记录炉容（吨），无法对照目录", "the recycled-metal reverberatory furnace's "
                           "size (t) is not recorded, so the catalogue cannot be applied"),
               R_MISSING: ("缺少工艺数据，无法对照淘汰目录", "the process is not recorded")},
      labels={"process": ("工艺", "process")}, derive=_derive, applies=lambda b: of_kind(b, *KINDS))
def catalogue(b: Batch) -> Result:
    n = len(b)
    res = Result.empty(n)
    applies = of_kind(b, *KINDS)
    bound = entry_rows(b, "004.backward.al.2011")
    live = in_force(res, applies, bound)
    proc, m = b.text("process"), b.mask("metals_mask")
    matched = np.zeros(n, dtype=np.int64)
    due = np.zeros(n, dtype=bool)       # matched only items whose deadline is still ahead
    hard = np.zeros(n, dtype=bool)      # matched an item whose deadline has passed or that has none
    used = []

    def hit(rows, entry_id, item):
        e = entry(b, entry_id)
        rows = rows & live
        if not rows.any():
            return
        matched[rows] |= BIT[item]
        if e.deadline is not None and b.as_of <= e.deadline:
            due[rows] = True
        else:
            hard[rows] = True
        used.append(b.entry_column(entry_id, rows))

    # processes repeat across a registry: match keywords on the distinct texts, then spread back
    texts, which = np.unique(proc, return_inverse=True)
    for eid, (metals, words) in KEYWORDS.items():
        of_metal = mn.has(m, mn.keys(*metals)) if metals else np.ones(n, dtype=bool)
        for w in words:
            found = np.char.find(texts, w) >= 0
            if found.any():
                hit(of_metal & found[which], eid, w)
    # cells of 100 kA and below (the catalogue keeps the requirement as > 100 kA)
    cells = of_kind(b, "al_line")
    lk = resolve(b, "al.prebaked_cell_current_backward_above", "kA", cells & live)
    cur = b.num("cell_current_ka")
    with np.errstate(invalid="ignore"):
        small = cells & lk.found & ~np.isnan(cur) & ~(cur > lk.value)
    hit(small, "004.backward.al.2011", "100KA及以下预焙槽")
    furnace_unknown = np.zeros(n, dtype=bool)
    for metal, marker, name, col, unit in SCALE_FLOORS:
        rows = live & mn.has(m, mn.keys(metal)) & (np.char.find(texts, marker) >= 0)[which]
        if col == "furnace_t":
            rows &= (np.char.find(texts, "反射炉") >= 0)[which]
        lk = resolve(b, name, unit, rows)
        val = b.num(col)
        with np.errstate(invalid="ignore"):
            below = rows & lk.found & (val < lk.value)
        furnace_unknown |= rows & lk.found & np.isnan(val) & (col == "furnace_t")
        if below.any():
            item = f"再生{METAL_ZH[metal]}{'规模' if col == 'capacity' else '反射炉炉容'}低于目录下限"
            hit(below, b.entry_table[int(lk.entry[below][0])], item)
    known = (proc != "") | (cells & ~np.isnan(cur))
    res.set(live & ~known, MISSING, R_MISSING)
    res.set(live & known, PASS, R_PASS)
    res.set(live & furnace_unknown, MISSING, R_FURNACE)
    res.set(live & due & ~hard, WARN, R_DUE)
    res.set(live & hard, FAIL, R_LISTED)
    res.facts.update(process=(proc, None), cell_current_ka=(cur, "kA"), matched_bits=(matched, None),
                     deadline=(const(n, entry(b, "004.backward.al.2011").deadline.isoformat()), None))
    res.entries += used
    return res
