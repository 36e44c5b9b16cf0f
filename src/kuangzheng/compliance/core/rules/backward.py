"""Backward capacity on the elimination catalogue of seed 004 (专栏7, M37), by metal.

A facility's recorded process is matched against the catalogue's items by keywords; each keyword
is a piece of the item's own wording (a test checks that), tied to the metal the item is listed
under. Process texts and keywords are compared without dashes and spaces (烧结-鼓风炉, 烧结—鼓风炉 and
烧结鼓风炉 are one process), and each keyword also matches its usual variant spellings (words.yaml:
坩锅炉 is 坩埚炉, 平罐 is 横罐, 土高炉 is 简易高炉…); the verdict reports a variant it read as
`process_read`. The copper furnaces (鼓风炉、电炉、反射炉炼铜) are copper *smelting*: a step of
the process (steps are split at dashes, commas, 及/和) names the furnace and no other job for it — an
electric slag-cleaning or settling furnace (电炉贫化/沉降), converting, refining, melting or a recycled-copper
furnace is not the listed item. Thresholds in the items (100 kA cells, 1万吨/年 recycled plants, 50 t
and 4 t furnaces) are read from the catalogue with its comparison (以下 includes the number); a
recycled plant's capacity is converted to 10^4 t/a first, and an unknown capacity or furnace size is
missing data. Items with a year are due by its end: before that a match is a warning (to be
eliminated by the deadline), after it a failure; items without a year fail at once.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from .. import minerals as mn
from .. import words as field_words
from ..vocabulary import Batch, Result, const, fails, missing, of_kind, rule, select, warns
from .mine_scale import annual_scale

# entry id -> (metal keys the item is listed under, keywords from the item's wording)
KEYWORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "004.backward.cu.2011": (("copper",), ("鼓风炉", "电炉", "反射炉")),
    "004.backward.cu.other": (("copper",), ("铜线杆（黑杆）", "黑杆", "无烟气治理措施的再生铜焚烧")),
    "004.backward.al.2011": (("aluminium",), ("自焙电解槽", "自焙")),
    "004.backward.al.other": (("aluminium", "lead"), ("坩埚炉", "湿法氟化盐")),
    "004.backward.pb": (("lead",), ("烧结锅", "烧结盘", "简易高炉", "烧结-鼓风炉", "未配套制酸")),
    "004.backward.zn": (("zinc",), ("马弗炉", "马槽炉", "横罐", "小竖罐", "简易冷凝设施进行收尘")),
    "004.backward.sb": (("antimony",), ("地坑炉", "坩埚炉", "赫氏炉")),
    "004.backward.hg": (("mercury",), ("铁锅和土灶", "蒸馏罐", "坩埚炉", "简易冷凝收尘设施")),
    "004.backward.other": ((), ("土坑炉", "烟气制酸干法净化", "热浓酸洗涤", "直接燃煤的反射炉")),
}
COPPER_FURNACES = "004.backward.cu.2011"  # its keywords are furnaces, matched as the copper-smelting step
# a step naming one of these gives the furnace another job than smelting copper
NOT_SMELTING = (
    "贫化",
    "沉降",
    "吹炼",
    "精炼",
    "还原",
    "焙烧",
    "挥发",
    "烟化",
    "熔化",
    "熔铸",
    "铸造",
    "保温",
    "感应",
    "中频",
    "工频",
    "再生",
    "炼铅",
    "炼锌",
    "炼锑",
)
STEP = re.compile(r"[-—–－‐‑―~～，,、；;/／＋+→]|及|和|与")
PLAIN = str.maketrans("()", "（）", "-—–－‐‑―~～ \u3000\t·")  # dashes and spaces out, brackets full-width
# scale floors: (metal, process marker, parameter, column, unit)
SCALE_FLOORS = (
    ("aluminium", "再生", "al.recycled_scale_min", "capacity", "10^4 t/a"),
    ("lead", "再生", "pb.recycled_scale_min", "capacity", "10^4 t/a"),
    ("copper", "再生", "cu.recycled_reverberatory_capacity_min", "furnace_t", "t"),
    ("aluminium", "再生", "al.recycled_reverberatory_capacity_min", "furnace_t", "t"),
)
KINDS = ("smelter", "al_line", "refinery", "processing_plant")
METAL_ZH = {"aluminium": "铝", "lead": "铅", "copper": "铜"}


def _label(entry_id: str, word: str) -> str:
    return f"{word}炼铜" if entry_id == COPPER_FURNACES else word


def _scale_label(metal: str, col: str) -> str:
    return f"再生{METAL_ZH[metal]}{'规模' if col == 'capacity' else '反射炉炉容'}未达到目录要求"


# every item a facility can match, numbered for a bit mask: keywords, the cell-current item, scale floors
ITEMS = (
    [_label(e, w) for e, (_, words) in KEYWORDS.items() for w in words]
    + ["100KA及以下预焙槽"]
    + [_scale_label(m, c) for m, _, _, c, _ in SCALE_FLOORS]
)
BIT = {item: np.int64(1) << np.int64(i) for i, item in enumerate(ITEMS)}
SCALE_ITEMS = {_scale_label(m, c) for m, _, _, c, _ in SCALE_FLOORS}


def plain(text: str) -> str:
    return text.translate(PLAIN)


def smelts_copper_in(text: str, furnace: str) -> bool:
    """A step of the process names `furnace` and no other job for it than smelting (熔炼/炼铜)."""
    return any(
        furnace in step and not any(job in step for job in NOT_SMELTING)
        for step in STEP.split(text.replace(" ", "").replace("\u3000", ""))
    )


def _derive(facts: dict) -> dict:
    bits = int(facts["matched_bits"][0] or 0)

    def shown(item: str) -> str:  # a scale item with the recorded figure beside it
        col, unit = ("capacity", "万吨/年") if "规模" in item else ("furnace_t", "吨")
        return f"{item}（{facts[col][0]:g} {unit}）" if item in SCALE_ITEMS and facts[col][0] is not None else item

    return {"matched": "；".join(shown(item) for item, bit in BIT.items() if bits & int(bit))}


@rule(
    "backward.catalogue",
    "facility",
    "M37",
    ("落后产能淘汰目录", "Backward-capacity elimination catalogue"),
    reasons={
        "pass": (
            "未见落后产能淘汰目录所列工艺或设备（工艺：{process}；槽电流：{cell_current_ka} kA）",
            "nothing on the elimination catalogue (process: {process}; cell current: {cell_current_ka} kA)",
        ),
        "listed": fails("属于落后产能淘汰目录：{matched}", "on the backward-capacity elimination catalogue: {matched}"),
        "listed_due": warns(
            "属于落后产能淘汰目录，须在 {deadline} 前淘汰：{matched}",
            "on the elimination catalogue, to be eliminated by {deadline}: {matched}",
        ),
        "no_furnace_size": missing(
            "再生金属反射炉未记录炉容（吨），无法对照目录",
            "the recycled-metal reverberatory furnace's size (t) is not recorded, so the catalogue cannot be applied",
        ),
        "no_recycled_scale": missing(
            "再生金属项目未记录以万吨/年或吨/年计的产能，无法对照目录的规模下限",
            "the recycled-metal plant's capacity is not recorded in 10^4 t/a or t/a, so the "
            "catalogue's scale floor cannot be applied",
        ),
        "missing": ("缺少工艺数据，无法对照淘汰目录", "the process is not recorded"),
    },
    labels={"process": ("工艺", "process")},
    derive=_derive,
    applies=lambda b: of_kind(b, *KINDS),
    reads=("kind", "process", "metals_mask", "cell_current_ka", "capacity", "capacity_unit", "furnace_t"),
    params=("al.prebaked_cell_current_backward_above", *(f[2] for f in SCALE_FLOORS)),
    entries=tuple(KEYWORDS),
)
def catalogue(b: Batch) -> Result:
    """「铝：铝自焙电解槽及100KA及以下预焙槽（2011年）」 (004.backward.al.2011), 「铅：采用烧结锅、烧结盘、简易高炉等
    落后方式炼铅工艺及设备，1万吨/年以下的再生铅项目，未配套制酸及尾气吸收系统的烧结机炼铅工艺，烧结-鼓风炉炼铅工艺」
    (004.backward.pb) and the other items of 专栏7 (004.backward.*): a listed process or device fails, or
    warns while its year's deadline is ahead."""
    n = len(b)
    applies = of_kind(b, *KINDS)
    bound = b.binds("004.backward.al.2011")
    live = applies & bound
    proc, m = b.coded("process"), b.mask("metals_mask")
    # processes repeat across a registry: match on the distinct texts, then spread back with the codes
    texts = proc.categories
    flat = np.array([plain(t) for t in texts], dtype=str)

    def of_text(found: np.ndarray) -> np.ndarray:
        return found[proc.codes]

    matched = np.zeros(n, dtype=np.int64)
    due = np.zeros(n, dtype=bool)  # matched only items whose deadline is still ahead
    hard = np.zeros(n, dtype=bool)  # matched an item whose deadline has passed or that has none
    used = []

    def hit(rows, entry_id, item, looked_up: bool = False):
        """Rows matching a catalogue item; `looked_up` when the entry came from a declared parameter."""
        e = b.cat().get(entry_id) if looked_up else b.entry(entry_id)
        rows = rows & live
        if not rows.any():
            return
        matched[rows] |= BIT[item]
        if e.deadline is not None and b.as_of <= e.deadline:
            due[rows] = True
        else:
            hard[rows] = True
        code = np.int16(b.entry_code(entry_id))  # declared, or found through a declared parameter
        used.append(np.where(rows, code, np.int16(-1)))

    variants = field_words.process_variants()
    spelled = [[] for _ in texts]  # per distinct text: the variant spellings read as a keyword
    folded = np.array([plain(unicodedata.normalize("NFKC", t)) for t in texts], dtype=str)
    for eid, (metals, keywords) in KEYWORDS.items():
        of_metal = mn.has(m, mn.keys(*metals)) if metals else np.ones(n, dtype=bool)
        for w in keywords:
            found = np.zeros(len(texts), dtype=bool)
            for v in variants.get(w, (w,)):  # the keyword as the catalogue writes it, then its variants
                if eid == COPPER_FURNACES:
                    now = np.array([smelts_copper_in(t, v) for t in texts], dtype=bool)
                else:
                    now = (np.char.find(flat, plain(v)) >= 0) | (np.char.find(folded, plain(v)) >= 0)
                if v != w:
                    for i in np.flatnonzero(now & ~found):
                        spelled[i].append(f"{v} = {w}")
                found |= now
            if found.any():
                hit(of_metal & of_text(found), eid, _label(eid, w))
    read = np.array(["；".join(x) for x in spelled] or [""], dtype=object)[proc.codes]
    # cells of 100 kA and below (the catalogue keeps the requirement as > 100 kA)
    cells = of_kind(b, "al_line")
    larger = b.param("al.prebaked_cell_current_backward_above", "kA", cells & live)
    cur = b.num("cell_current_ka")
    small = cells & larger.found & ~np.isnan(cur) & ~larger.met_by(cur)
    hit(small, "004.backward.al.2011", "100KA及以下预焙槽")
    unknown = {"capacity": np.zeros(n, dtype=bool), "furnace_t": np.zeros(n, dtype=bool)}
    scale = annual_scale(b)
    for metal, marker, name, col, unit in SCALE_FLOORS:
        rows = live & mn.has(m, mn.keys(metal)) & of_text(np.char.find(flat, marker) >= 0)
        if col == "furnace_t":
            rows &= of_text(np.char.find(flat, "反射炉") >= 0)
        floor = b.param(name, unit, rows)
        val = scale if col == "capacity" else b.num(col)
        rows &= floor.found
        below = rows & ~np.isnan(val) & ~floor.met_by(val)  # the catalogue's comparison
        unknown[col] |= rows & np.isnan(val)
        if below.any():
            hit(below, b.entry_table[int(floor.entry[below][0])], _scale_label(metal, col), looked_up=True)
    known = ~b.eq("process", "") | (cells & ~np.isnan(cur))
    reason = select(
        (~applies, "not_subject"),
        (~bound, "not_in_force"),
        (hard, "listed"),  # an item whose deadline has passed, or that has none
        (due, "listed_due"),
        (unknown["furnace_t"], "no_furnace_size"),
        (unknown["capacity"], "no_recycled_scale"),
        (~known, "missing"),
        default="pass",
    )
    return Result(
        reason,
        facts={
            "process": (proc, None),
            "cell_current_ka": (cur, "kA"),
            "capacity": (scale, "10^4 t/a"),
            "furnace_t": (b.num("furnace_t"), "t"),
            "matched_bits": (matched, None),
            "process_read": (read, None),  # variant spellings taken as the catalogue's words
            "deadline": (const(n, b.entry("004.backward.al.2011").deadline.isoformat()), None),
        },
        entries=used,
    )
