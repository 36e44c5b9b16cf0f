"""Heavy-metal projects in areas needing special protection (seed 004 四(四), M37).

「禁止在在自然保护区、饮用水水源保护区等需要特殊保护的地区，大中城市及其近郊，居民集中区等对环境条件要求高的区域内
新建、改建、扩建增加重金属污染物排放的项目」 (004.zoning.heavy_metal_project_ban). The registry keeps two of
the named areas as zone kinds — 自然保护区 (nature_reserve) and 饮用水水源保护区
(drinking_water_protection_area) — so the rule tests a project's location against those; cities,
their outskirts and residential areas have no layer, and the verdict says it did not test them.

Which projects add heavy-metal emissions (a reading, stated in docs/compliance.md): the seed does not
list them; the plan it follows (《重金属污染综合防治“十二五”规划》, 004.policy.heavy_metal_plans) names the
mining, dressing and smelting of heavy non-ferrous metals as the key industries. So new, rebuilt
(retrofit) and expanded mines, concentrators, smelters, refineries and plants of copper, lead, zinc,
nickel, tin, antimony, mercury or chromium are the subjects.
"""

from __future__ import annotations

import numpy as np

from .. import minerals as mn
from ..vocabulary import Batch, Result, fails, is_project, missing, of_kind, passes, rule, select

BAN = "004.zoning.heavy_metal_project_ban"
HEAVY = ("copper", "lead", "zinc", "nickel", "tin", "antimony", "mercury", "chromium")
KINDS = ("mine", "concentrator", "smelter", "refinery", "processing_plant")


def heavy_metal_projects(b: Batch) -> np.ndarray:
    return of_kind(b, *KINDS) & is_project(b) & mn.has(b.mask("metals_mask"), mn.keys(*HEAVY))


@rule(
    "heavy_metal.protected_area",
    "facility",
    "M37",
    ("特殊保护地区禁止新建、改建、扩建重金属排放项目", "No heavy-metal projects in specially protected areas"),
    reasons={
        "in_water_source_area": fails(
            "项目位于饮用水水源保护区内：禁止新建、改建、扩建增加重金属污染物排放的项目",
            "the project lies in a drinking-water source protection area, where new, rebuilt or expanded "
            "projects adding heavy-metal emissions are prohibited",
        ),
        "in_nature_reserve": fails(
            "项目位于自然保护区内：禁止新建、改建、扩建增加重金属污染物排放的项目",
            "the project lies in a nature reserve, where new, rebuilt or expanded projects adding "
            "heavy-metal emissions are prohibited",
        ),
        "outside": passes(
            "项目不在登记簿中的饮用水水源保护区或自然保护区内（大中城市及其近郊、居民集中区无图层，未检查）",
            "the project is in no drinking-water source protection area or nature reserve of the registry "
            "(cities, their outskirts and residential areas have no layer and were not tested)",
        ),
        "no_site": missing("缺少项目位置，无法判断是否位于特殊保护地区", "the project's location is not recorded"),
    },
    applies=lambda b: of_kind(b, *KINDS),
    reads=("kind", "project_type", "metals_mask", "in_water_source_area", "in_nature_reserve_site"),
    entries=(BAN,),
)
def protected_area(b: Batch) -> Result:
    """「禁止在在自然保护区、饮用水水源保护区等需要特殊保护的地区…新建、改建、扩建增加重金属污染物排放的项目」
    (004.zoning.heavy_metal_project_ban)."""
    project = heavy_metal_projects(b)
    bound = b.binds(BAN)
    water, reserve = b.flag("in_water_source_area"), b.flag("in_nature_reserve_site")
    reason = select(
        (~project, "not_subject"),
        (~bound, "not_in_force"),
        (water == 1, "in_water_source_area"),
        (reserve == 1, "in_nature_reserve"),
        ((water < 0) | (reserve < 0), "no_site"),
        default="outside",
    )
    return Result(
        reason,
        facts={
            "in_water_source_area": (np.where(water < 0, None, water == 1).astype(object), None),
            "in_nature_reserve_site": (np.where(reserve < 0, None, reserve == 1).astype(object), None),
        },
        entries=[b.cite(BAN, project & bound)],
    )
