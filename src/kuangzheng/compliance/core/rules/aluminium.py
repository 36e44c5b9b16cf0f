"""Electrolytic aluminium access (M24, seed 000 part 四(二)) and capacity replacement (M27, seeds 001, 002).

New and retrofitted projects are held to the new-line values; an expansion (扩建) builds new cells,
so it is held to them too. Existing lines have their own values until the catch-up deadline (the
end of the 12th Five-Year Plan), after which the catalogue gives them the new-line energy values.
Current efficiency is worded 原则上 ("in principle"): short of it is a warning, not a failure.
"""

from __future__ import annotations

import numpy as np

from ..vocabulary import (
    Batch,
    Result,
    const,
    fails,
    flag_result,
    is_project,
    not_applicable,
    of_kind,
    passes,
    quantity,
    rule,
    select,
    threshold_result,
    warns,
)

LINE = "facility"

AL = lambda b: of_kind(b, "al_line")  # noqa: E731  (the rows these rules can concern)


AL_READS = ("kind", "project_type")


def _names_of(suffix: str) -> tuple[str, str]:
    """The parameter for new projects and the one for existing lines."""
    return f"al.new.{suffix}", f"al.existing.{suffix}"


def _names(batch: Batch, suffix: str) -> dict:
    project = is_project(batch)
    new, existing = _names_of(suffix)
    return {new: project, existing: ~project}


@rule(
    "al.cell_current",
    LINE,
    "M24",
    ("电解铝预焙槽槽电流", "Electrolytic aluminium: prebaked-cell current"),
    labels={"cell_current_ka": ("槽电流", "cell current")},
    applies=AL,
    reads=AL_READS + ("cell_current_ka",),
    params=tuple(_names_of("cell_current_min")),
)
def cell_current(b: Batch) -> Result:
    """「新建及改造电解铝项目，必须采用400KA及以上大型预焙槽工艺」 (000.al.new.cell_current);
    「现有电解铝生产线要达到160KA及以上预焙槽」 (000.al.existing.cell_current)."""
    return threshold_result(
        b, of_kind(b, "al_line"), b.num("cell_current_ka"), _names(b, "cell_current_min"), "kA", "cell_current_ka"
    )


@rule(
    "al.ac_molten",
    LINE,
    "M24",
    ("铝液电解交流电耗", "Electrolytic aluminium: AC consumption of molten aluminium"),
    labels={"ac_molten_kwh_t": ("铝液电解交流电耗", "AC consumption of molten aluminium")},
    applies=AL,
    reads=AL_READS + ("ac_molten_kwh_t",),
    params=tuple(_names_of("ac_consumption_liquid_max")),
)
def ac_molten(b: Batch) -> Result:
    """「铝液电解交流电耗必须低于12750千瓦时/吨铝」 (000.al.new.ac_liquid); existing lines
    「…铝液电解交流电耗必须低于13350千瓦时/吨铝」 (000.al.existing.ac_liquid), then the new-line value."""
    return threshold_result(
        b,
        of_kind(b, "al_line"),
        b.num("ac_molten_kwh_t"),
        _names(b, "ac_consumption_liquid_max"),
        "kWh/t",
        "ac_molten_kwh_t",
    )


@rule(
    "al.ac_ingot",
    LINE,
    "M24",
    ("铝锭综合交流电耗", "Electrolytic aluminium: AC consumption of ingot"),
    labels={"ac_ingot_kwh_t": ("铝锭综合交流电耗", "AC consumption of ingot")},
    applies=AL,
    reads=AL_READS + ("ac_ingot_kwh_t",),
    params=tuple(_names_of("ac_consumption_ingot_max")),
)
def ac_ingot(b: Batch) -> Result:
    """「铝锭综合交流电耗必须低于13200千瓦时/吨铝，电流效率原则上不应低于93%」 (000.al.new.ac_ingot);
    existing lines 「铝锭综合交流电耗必须低于13800千瓦时/吨铝」 (000.al.existing.ac_ingot) until the deadline."""
    return threshold_result(
        b,
        of_kind(b, "al_line"),
        b.num("ac_ingot_kwh_t"),
        _names(b, "ac_consumption_ingot_max"),
        "kWh/t",
        "ac_ingot_kwh_t",
    )


@rule(
    "al.current_efficiency",
    LINE,
    "M24",
    ("电解铝电流效率（原则上）", "Electrolytic aluminium: current efficiency (in principle)"),
    labels={"current_efficiency_pct": ("电流效率", "current efficiency")},
    applies=AL,
    reads=AL_READS + ("current_efficiency_pct",),
    params=tuple(_names_of("current_efficiency_min")),
)
def current_efficiency(b: Batch) -> Result:
    """「铝锭综合交流电耗必须低于13200千瓦时/吨铝，电流效率原则上不应低于93%」
    (000.al.new.current_efficiency); existing lines 92% (000.al.existing.current_efficiency)."""
    return threshold_result(
        b,
        of_kind(b, "al_line"),
        b.num("current_efficiency_pct"),
        _names(b, "current_efficiency_min"),
        "%",
        "current_efficiency_pct",
    )


@rule(
    "al.capital_ratio",
    LINE,
    "M24",
    ("电解铝项目最低资本金比例", "Electrolytic aluminium project: minimum capital ratio"),
    labels={"capital_ratio_pct": ("项目资本金比例", "capital ratio")},
    applies=AL,
    reads=AL_READS + ("capital_ratio_pct",),
    params=("al.project.capital_ratio_min",),
)
def capital_ratio(b: Batch) -> Result:
    """「电解铝项目最低资本金比例必须达到40%」 (000.al.project.capital_ratio)."""
    return threshold_result(
        b,
        of_kind(b, "al_line") & is_project(b),
        b.num("capital_ratio_pct"),
        "al.project.capital_ratio_min",
        "%",
        "capital_ratio_pct",
    )


CATCH_UP = "000.al.existing.catch_up"


@rule(
    "al.energy_catch_up",
    LINE,
    "M24",
    ("现有电解铝生产线能耗达标期限", "Existing aluminium lines: energy catch-up deadline"),
    reasons={
        "pass": passes(
            "现有生产线的铝液电耗 {ac_molten_kwh_t} 与铝锭电耗 {ac_ingot_kwh_t} kWh/t 已达到新建和改造企业能耗水平"
            "（低于 {new_molten}、{new_ingot} kWh/t）",
            "the existing line already meets the new-line energy level (molten {ac_molten_kwh_t} < {new_molten},"
            " ingot {ac_ingot_kwh_t} < {new_ingot} kWh/t)",
        ),
        "catch_up_due": warns(
            "现有生产线尚未达到新建和改造企业能耗水平（铝液低于 {new_molten}、铝锭低于 {new_ingot} kWh/t），"
            "须在 {deadline}（“十二五”末）前通过技术改造达到",
            "the existing line does not yet meet the new-line energy level (molten < {new_molten}, "
            "ingot < {new_ingot} kWh/t) and must reach it by {deadline} (end of the 12th FYP)",
        ),
        "deadline_passed": not_applicable(
            "达标期限 {deadline} 已过：现有生产线的电耗已按新建水平由 al.ac_molten / al.ac_ingot 审查",
            "the deadline {deadline} has passed: existing lines are now held to the new-line "
            "values by al.ac_molten / al.ac_ingot",
        ),
        "missing": ("缺少铝液或铝锭交流电耗数据，无法判断", "AC consumption (molten or ingot) is not recorded"),
    },
    labels={"ac_molten_kwh_t": ("铝液电解交流电耗", "AC consumption of molten aluminium")},
    applies=AL,
    reads=AL_READS + ("ac_molten_kwh_t", "ac_ingot_kwh_t"),
    params=("al.new.ac_consumption_liquid_max", "al.new.ac_consumption_ingot_max"),
    entries=(CATCH_UP,),
)
def energy_catch_up(b: Batch) -> Result:
    """「不符合交流电耗规范条件的现有企业要通过技术改造节能降耗，在“十二五”末达到新建和改造企业能耗水平」
    (000.al.existing.catch_up). Before the deadline an existing line short of the new-line level is
    warned of it; after it the catalogue's dated values make al.ac_molten / al.ac_ingot fail it."""
    existing = of_kind(b, "al_line") & ~is_project(b)
    bound = b.binds(CATCH_UP)
    deadline = b.entry(CATCH_UP).deadline
    molten, ingot = b.num("ac_molten_kwh_t"), b.num("ac_ingot_kwh_t")
    new_molten = b.param("al.new.ac_consumption_liquid_max", "kWh/t", existing & bound)
    new_ingot = b.param("al.new.ac_consumption_ingot_max", "kWh/t", existing & bound)
    reason = select(
        (~existing, "not_subject"),
        (~bound, "not_in_force"),
        (b.as_of > deadline, "deadline_passed"),
        (np.isnan(molten) | np.isnan(ingot), "missing"),
        (new_molten.met_by(molten) & new_ingot.met_by(ingot), "pass"),
        default="catch_up_due",
    )
    return Result(
        reason,
        facts={
            "ac_molten_kwh_t": (molten, "kWh/t"),
            "ac_ingot_kwh_t": (ingot, "kWh/t"),
            "new_molten": (new_molten.value, "kWh/t"),
            "new_ingot": (new_ingot.value, "kWh/t"),
            "deadline": (const(len(b), deadline.isoformat()), None),
        },
        entries=[b.cite(CATCH_UP, existing & bound), new_molten.entry, new_ingot.entry],
    )


REPLACEMENT = "al.new_project.capacity_replacement"


@rule(
    "al.capacity_replacement",
    LINE,
    "M27",
    ("电解铝产能等量或减量置换", "Aluminium capacity replacement (equal or reduced)"),
    reasons={
        "pass": (
            "置换退出产能 {replacement_retired} 万吨/年 ≥ 新增产能 {capacity} 万吨/年，符合等量或减量置换",
            "retired capacity {replacement_retired} ≥ new capacity {capacity} (10^4 t/a): equal or reduced replacement",
        ),
        "short": fails(
            "置换退出产能 {replacement_retired} 万吨/年 少于新增产能 {capacity} 万吨/年，不符合等量或减量置换",
            "retired capacity {replacement_retired} is less than the new capacity {capacity} (10^4 t/a): "
            "not an equal or reduced replacement",
        ),
        "missing": (
            "缺少项目产能（及其单位）或产能置换方案（退出产能），无法判断",
            "the project capacity (with its unit) or its replacement plan (retired capacity) is not recorded",
        ),
    },
    labels={"replacement_retired": ("置换退出产能", "retired capacity")},
    applies=AL,
    reads=AL_READS + ("capacity", "capacity_unit", "replacement_retired"),
    params=(REPLACEMENT,),
)
def capacity_replacement(b: Batch) -> Result:
    """「确有必要的电解铝新(改、扩)建项目，要严格落实产能等量或减量置换方案」 (001.al.capacity_replacement).
    Σ retired ≥ new: 等量 (equal) or 减量 (reduced) — the catalogue lists both as admissible."""
    project = of_kind(b, "al_line") & is_project(b)
    replacement = b.param(REPLACEMENT, where=project)  # a list entry: found where it binds
    new, retired = quantity(b, "capacity", "capacity_unit", "10^4 t/a"), b.num("replacement_retired")
    reason = select(
        (~project, "not_subject"),
        (~replacement.found, "not_in_force"),
        (np.isnan(new) | np.isnan(retired), "missing"),
        (retired >= new, "pass"),
        default="short",
    )
    return Result(
        reason,
        facts={"replacement_retired": (retired, "10^4 t/a"), "capacity": (new, "10^4 t/a")},
        entries=[replacement.entry],
    )


ZANGQING = "002.al.no_new_in_zangqing_park"


@rule(
    "al.zangqing_park",
    LINE,
    "M27",
    ("藏青工业园不引进电解铝新（改、扩）建项目", "No new aluminium projects in the Zang-Qing industrial park"),
    reasons={
        "pass": ("项目不在藏青工业园内", "the project is not in the Zang-Qing industrial park"),
        "fail": (
            "项目位于藏青工业园内：该园区不引进电解铝新（改、扩）建项目",
            "the project is in the Zang-Qing industrial park, which admits no new, retrofitted or expanded "
            "electrolytic aluminium projects",
        ),
        "missing": ("缺少项目位置或所在园区，无法判断", "the project's location or park is not recorded"),
    },
    labels={"in_zangqing_park": ("位于藏青工业园", "in the Zang-Qing park")},
    applies=AL,
    reads=AL_READS + ("in_zangqing_park",),
    entries=(ZANGQING,),
)
def zangqing_park(b: Batch) -> Result:
    """「在藏青工业园不引进电解铝新（改、扩）建项目，并加大督促检查力度」 (002.al.no_new_in_zangqing_park)."""
    project = of_kind(b, "al_line") & is_project(b)
    return flag_result(b, project, b.binds(ZANGQING), b.flag("in_zangqing_park"), "in_zangqing_park", ZANGQING)
