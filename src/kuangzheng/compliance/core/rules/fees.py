"""Exploration-right prices (M05, seed 000 part 二(一)5).

Inside an integrated-exploration zone, the blank-area part of a right pays yearly: 1000 yuan/km² in
year 1, and 1000 more per km² each year after (1000·n in year n). State-funded parts are priced by
appraisal and parts under existing social exploration rights are integrated on agreed terms — neither
has a formula, so the schedule lists them as such. Outside the zones the transfer floor price is at
least 10000 yuan/km². Every number comes from the catalogue as of the date asked.

Scope of the floor price (a reading, stated here and in docs/compliance.md): the seed's 出让底价 is a
reserve price, the figure below which a competitive sale (招标、拍卖、挂牌) cannot be concluded; seed
000 uses no such price for the non-competitive ways — an agreement transfer (协议出让, 二(二)) is
admitted by its case and sets no price, and a right by application has no sale. So `fee.floor_price`
checks rights obtained by tender, auction or listing; those by application or agreement are not
applicable, with that reason; a right whose way is not recorded is missing data (the outcome depends
on it: bound or not). Nothing else in seed 000 extends the floor to them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from kuangzheng.policy.catalogue import Catalogue, ParameterNotFound, load_catalogue
from kuangzheng.policy.lookup import param

from ..vocabulary import (
    AREA_PLACES,
    FEN,
    Batch,
    Result,
    compare,
    fails,
    missing,
    not_applicable,
    of_kind,
    passes,
    registered,
    rule,
    select,
)

FIRST = "fee.integrated_exploration.blank_area.first_year"
STEP = "fee.integrated_exploration.blank_area.yearly_increase"
FLOOR = "fee.exploration_right.floor_price"
STATE_FUNDED = "000.fee.integrated.state_funded_method"


def _cite(e) -> dict:
    return {"id": e.id, "doc": e.doc, "quote": e.quote, "value": e.value, "unit": e.unit}


def integrated_schedule(
    blank_km2: float,
    years: int,
    *,
    jurisdiction: str = "inner_mongolia",
    on: dt.date | None = None,
    start_year: int | None = None,
    state_funded_km2: float = 0.0,
    social_rights_km2: float = 0.0,
    catalogue: Catalogue | None = None,
) -> dict:
    """Yearly payments for the blank-area part of an integrated-exploration right."""
    if blank_km2 < 0 or years < 1:
        raise ValueError("空白区面积须≥0，年数须≥1 / blank area must be ≥ 0 and years ≥ 1")
    cat = catalogue or load_catalogue()
    on = on or dt.date.today()
    first, step = param(FIRST, jurisdiction, on, cat), param(STEP, jurisdiction, on, cat)
    n = np.arange(1, years + 1)
    rate = first.value + step.value * (n - 1)
    amount = rate * blank_km2
    rows = [
        {
            "year": int(i) if start_year is None else start_year + int(i) - 1,
            "year_index": int(i),
            "rate_yuan_per_km2": float(r),
            "amount_yuan": round(float(a), 2),
        }
        for i, r, a in zip(n, rate, amount)
    ]
    return {
        "blank_km2": blank_km2,
        "schedule": rows,
        "total_yuan": round(float(amount.sum()), 2),
        "state_funded_km2": state_funded_km2,
        "state_funded_method": "评估 appraisal",  # 以评估方式确定探矿权价款 (000.fee.integrated.state_funded_method)
        "social_rights_km2": social_rights_km2,
        "social_rights_method": "按事先约定的整合方式 integration on agreed terms",
        "citations": [_cite(first), _cite(step)] + ([_cite(cat.get(STATE_FUNDED))] if state_funded_km2 else []),
    }


def floor_price(
    area_km2: float,
    *,
    jurisdiction: str = "inner_mongolia",
    on: dt.date | None = None,
    catalogue: Catalogue | None = None,
) -> dict:
    """The minimum transfer price of an exploration right outside integrated-exploration zones."""
    if area_km2 < 0:
        raise ValueError("面积须≥0 / area must be ≥ 0")
    e = param(FLOOR, jurisdiction, on or dt.date.today(), catalogue or load_catalogue())
    return {
        "area_km2": area_km2,
        "floor_yuan_per_km2": e.value,
        "floor_yuan": round(e.value * area_km2, 2),
        "citations": [_cite(e)],
    }


def schedule_for(right: dict, on: dt.date, jurisdiction: str, years: int = 5) -> dict | None:
    """The price schedule of one exploration right (dict with area_km2, blank_km2, in_integrated_zone)."""
    try:
        if right.get("in_integrated_zone"):
            return {
                "kind": "integrated_exploration",
                **integrated_schedule(
                    float(right.get("blank_km2") or 0.0),
                    years,
                    jurisdiction=jurisdiction,
                    on=on,
                    start_year=right.get("start_year"),
                    state_funded_km2=float(right.get("state_funded_km2") or 0.0),
                    social_rights_km2=float(right.get("social_rights_km2") or 0.0),
                ),
            }
        if right.get("area_km2") is not None:
            return {"kind": "floor_price", **floor_price(float(right["area_km2"]), jurisdiction=jurisdiction, on=on)}
    except ParameterNotFound:
        return None
    return None


COMPETITIVE = ("tender", "auction", "listing")


@rule(
    "fee.floor_price",
    "right",
    "M05",
    ("整装勘查区外探矿权出让底价", "Exploration rights outside zones: floor price"),
    reasons={
        "at_least": passes(
            "出让价款 {price_per_km2} 元/平方公里，不低于底价 {threshold} 元/平方公里",
            "the price {price_per_km2} yuan/km² is not below the floor {threshold} yuan/km²",
        ),
        "below": fails(
            "出让价款 {price_per_km2} 元/平方公里，低于底价 {threshold} 元/平方公里",
            "the price {price_per_km2} yuan/km² is below the floor {threshold} yuan/km²",
        ),
        "missing": (
            "市场方式出让的探矿权未记录出让价款或面积，无法判断",
            "the transfer price or area of an exploration right transferred by market methods is not recorded",
        ),
        "way_unknown": missing(
            "未记录出让方式（obtained_by）：底价只约束招标、拍卖、挂牌出让，无法判断是否适用",
            "the way the right was obtained (obtained_by) is not recorded: the floor binds tender, auction "
            "and listing only, so whether it applies is unknown",
        ),
        "not_competitive": not_applicable(
            "出让底价是招标、拍卖、挂牌出让的底价；申请在先或协议出让的探矿权不适用",
            "the floor (reserve) price belongs to competitive sales (tender, auction, listing); "
            "it does not apply to a right obtained by application or by agreement",
        ),
    },
    labels={"price_per_km2": ("出让价款（每平方公里）", "price per km²")},
    applies=lambda b: of_kind(b, "exploration"),
    reads=("kind", "in_integrated_zone", "obtained_by", "price_yuan", "area_km2"),
    params=(FLOOR,),
)
def floor_price_rule(b: Batch) -> Result:
    """「整装勘查区以外的区域，探矿权出让底价不低于10000元/平方公里」 (000.fee.exploration.floor_price_outside_zones):
    the reserve price of a competitive sale (see the module's note)."""
    outside = of_kind(b, "exploration") & (b.num("in_integrated_zone") == 0)
    way_unknown = outside & b.isin("obtained_by", ("",))
    competitive = outside & b.isin("obtained_by", COMPETITIVE)
    floor = b.param(FLOOR, "yuan/km2", competitive | way_unknown)
    price, area = b.num("price_yuan"), b.num("area_km2")
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        per_km2 = price / area  # shown; the comparison is exact, in fen and 1e-4 km²
    price_fen, has_price = registered(price, FEN)
    area_steps, has_area = registered(area, AREA_PLACES)
    floor_fen, _ = registered(floor.value, FEN)
    # price / area OP floor  ⇔  price × 10^4 OP floor × (area in 1e-4 km²), all in fen: whole numbers
    at_least = has_price & has_area & compare(price_fen * 10**AREA_PLACES, floor.op, floor_fen * area_steps, floor.ops)
    reason = select(
        (outside & b.isin("obtained_by", ("application", "agreement")), "not_competitive"),
        (~(competitive | way_unknown), "not_subject"),
        (~floor.found, "not_in_force"),
        (np.isnan(per_km2), "missing"),
        (way_unknown, "way_unknown"),  # bound (pass / fail) if sold competitively, else not applicable
        (at_least, "at_least"),  # the entry's comparison: 不低于 is >=
        default="below",
    )
    return Result(
        reason,
        facts={
            "price_per_km2": (per_km2, "yuan/km2"),
            "threshold": (floor.value, "yuan/km2"),
            "price_yuan": (price, "yuan"),
            "area_km2": (area, "km2"),
        },
        entries=[floor.entry],
    )
