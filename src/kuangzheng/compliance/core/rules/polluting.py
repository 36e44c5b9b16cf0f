"""Heavily polluting energy-intensive projects around Wuhai (seed 003 ch. 4, regional layout).

「以乌海市为中心，…重点发展煤焦化、煤化工和建材工业产业，禁止新建焦炭、钢铁、水泥、电石、铁合金等污染排放严重项目」
(003.layout.wuhai_prohibited_new_projects). The registry keeps these plants as facility kinds; each kind
is tied to the word the catalogue's list uses for it, so the list (policy data) decides which kinds are
banned. 以乌海市为中心 is read as Wuhai city's own divisions (GB/T 2260 prefix 1503): the seed draws no
wider line. Only new plants are banned (禁止新建); expansions and existing plants are not subjects.
"""

from __future__ import annotations

import numpy as np

from ..vocabulary import Batch, Result, const, fails, not_applicable, of_kind, passes, rule, select

WUHAI_BAN = "003.layout.wuhai_prohibited_new_projects"
WUHAI_PREFIX = "1503"
# facility kind -> the word the catalogue's list writes for its product
PLANT_WORD = {
    "coke_plant": "焦炭",
    "steel_plant": "钢铁",
    "cement_plant": "水泥",
    "calcium_carbide_plant": "电石",
    "ferroalloy_plant": "铁合金",
}


@rule(
    "layout.wuhai_polluting_projects",
    "facility",
    "M38",
    ("乌海地区禁止新建污染排放严重项目", "Wuhai area: no new heavily polluting plants"),
    reasons={
        "banned": fails(
            "乌海市禁止新建{product}等污染排放严重项目",
            "new {product} plants (heavily polluting) may not be built in the Wuhai area",
        ),
        "not_listed": passes(
            "该类项目不在乌海市禁止新建的项目之列", "this kind of plant is not on the Wuhai list of banned new projects"
        ),
        "outside_wuhai": not_applicable(
            "项目不在乌海市（禁止新建的规定以乌海市为中心）",
            "the project is not in Wuhai, the area the ban is stated for",
        ),
    },
    labels={"product": ("产品", "product")},
    applies=lambda b: of_kind(b, *PLANT_WORD),
    reads=("kind", "project_type", "division"),
    entries=(WUHAI_BAN,),
)
def wuhai_polluting_projects(b: Batch) -> Result:
    """「禁止新建焦炭、钢铁、水泥、电石、铁合金等污染排放严重项目」 (003.layout.wuhai_prohibited_new_projects)."""
    plant = of_kind(b, *PLANT_WORD) & b.eq("project_type", "new")
    bound = b.binds(WUHAI_BAN)
    wuhai = np.char.startswith(b.text("division").astype(str), WUHAI_PREFIX)
    listed_words = set(b.entry(WUHAI_BAN).value)
    kind = b.text("kind")
    product = np.array([PLANT_WORD.get(k, "") for k in kind], dtype=object)
    listed = np.array([p in listed_words for p in product], dtype=bool)
    reason = select(
        (~plant, "not_subject"),
        (~bound, "not_in_force"),
        (~wuhai, "outside_wuhai"),
        (listed, "banned"),
        default="not_listed",
    )
    return Result(
        reason,
        facts={"product": (product, None), "area": (const(len(b), "乌海市"), None)},
        entries=[b.cite(WUHAI_BAN, plant & bound & wuhai)],
    )
