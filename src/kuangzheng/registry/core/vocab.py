"""Controlled vocabularies of the registry: (code, Chinese label); English labels beside them."""

DIVISION_LEVELS = [("province", "省级"), ("prefecture", "地级（盟市）"), ("county", "县级（旗县）")]

OWNERSHIP = [
    ("state", "国有"),
    ("collective", "集体"),
    ("private", "民营"),
    ("foreign", "外资"),
    ("mixed", "混合所有制"),
    ("unknown", "未知"),
]

FACILITY_KINDS = [
    ("mine", "矿山"),
    ("concentrator", "选矿厂"),
    ("smelter", "冶炼厂"),
    ("al_line", "电解铝生产线"),
    ("refinery", "精炼厂"),
    ("processing_plant", "加工厂"),
    # energy-intensive plants the seeds restrict (seed 003: 禁止新建焦炭、钢铁、水泥、电石、铁合金等…项目)
    ("coke_plant", "焦化厂"),
    ("steel_plant", "钢铁厂"),
    ("cement_plant", "水泥厂"),
    ("calcium_carbide_plant", "电石厂"),
    ("ferroalloy_plant", "铁合金厂"),
]

FACILITY_STATUS = [
    ("planned", "规划"),
    ("under_construction", "在建"),
    ("operating", "生产"),
    ("suspended", "停产"),
    ("closed", "关闭"),
]

PROJECT_TYPES = [("new", "新建"), ("retrofit", "改造"), ("expansion", "扩建"), ("existing", "现有")]

EQUIPMENT_LEVELS = [
    ("intl_advanced", "国际先进"),
    ("domestic_advanced", "国内先进"),
    ("ordinary", "一般"),
    ("backward", "落后"),
]

MINING_METHODS = [("underground", "井工"), ("open_pit", "露天"), ("mixed", "联合")]

CAPACITY_UNITS = [("10^4 t/a", "万吨/年"), ("t/d", "吨/日"), ("t/a", "吨/年"), ("10^4 m3/a", "万立方米/年")]

RIGHT_KINDS = [("exploration", "探矿权"), ("mining", "采矿权")]

OBTAINED_BY = [
    ("application", "申请在先"),
    ("tender", "招标"),
    ("auction", "拍卖"),
    ("listing", "挂牌"),
    ("agreement", "协议出让"),
]

RIGHT_EVENTS = [
    ("applied", "申请"),
    ("granted", "批准登记"),
    ("renewed", "延续"),
    ("transferred", "转让"),
    ("merged", "合并"),
    ("reduced", "缩减"),
    ("suspended", "暂停"),
    ("expired", "到期"),
    ("cancelled", "注销"),
    ("exited", "退出"),
    ("closed", "闭坑"),
]

RIGHT_STATES = [
    ("applied", "申请中"),
    ("valid", "有效"),
    ("suspended", "暂停"),
    ("expired", "已到期"),
    ("merged", "已合并"),
    ("cancelled", "已注销"),
    ("exited", "已退出"),
    ("closed", "已闭坑"),
]

ZONE_KINDS = [
    ("key_exploration_area", "重点勘查区"),
    ("key_mining_area", "重点矿区"),
    ("restricted_mining_area", "限制开采区"),
    ("prohibited_mining_area", "禁止开采区"),
    ("exploration_planning_block", "勘查规划区块"),
    ("mining_planning_block", "开采规划区块"),
    ("integrated_exploration_zone", "整装勘查区"),
    ("key_environmental_treatment_area", "矿山地质环境重点治理区"),
    ("nature_reserve", "自然保护区"),
    ("industrial_park", "工业园区"),
    ("drinking_water_protection_area", "饮用水水源保护区"),
    ("mineralisation_belt", "成矿区带"),
    ("designated_concentrator_area", "选矿厂划定区域"),
    ("state_funded_exploration_area", "国家出资勘查区域"),
]

EN = {
    "province": "province",
    "prefecture": "prefecture / league",
    "county": "county / banner",
    "state": "state-owned",
    "collective": "collective",
    "private": "private",
    "foreign": "foreign-invested",
    "mixed": "mixed ownership",
    "unknown": "unknown",
    "mine": "mine",
    "concentrator": "concentrator",
    "smelter": "smelter",
    "al_line": "electrolytic-aluminium line",
    "refinery": "refinery",
    "processing_plant": "processing plant",
    "planned": "planned",
    "under_construction": "under construction",
    "operating": "operating",
    "suspended": "suspended",
    "closed": "closed",
    "new": "new",
    "retrofit": "retrofit",
    "expansion": "expansion",
    "existing": "existing",
    "exploration": "exploration right",
    "mining": "mining right",
    "application": "application",
    "tender": "tender",
    "auction": "auction",
    "listing": "listing",
    "agreement": "agreement transfer",
    "applied": "applied",
    "granted": "granted",
    "renewed": "renewed",
    "transferred": "transferred",
    "merged": "merged",
    "reduced": "reduced",
    "expired": "expired",
    "cancelled": "cancelled",
    "exited": "exited",
    "valid": "valid",
    "key_exploration_area": "key exploration area",
    "key_mining_area": "key mining area",
    "restricted_mining_area": "restricted mining area",
    "prohibited_mining_area": "prohibited mining area",
    "exploration_planning_block": "exploration planning block",
    "mining_planning_block": "mining planning block",
    "integrated_exploration_zone": "integrated-exploration zone",
    "key_environmental_treatment_area": "key environmental treatment area",
    "nature_reserve": "nature reserve",
    "industrial_park": "industrial park",
    "intl_advanced": "internationally advanced",
    "domestic_advanced": "domestically advanced",
    "ordinary": "ordinary",
    "backward": "backward",
    "underground": "underground",
    "open_pit": "open pit",
}


def label(choices, code, lang="zh") -> str:
    if lang == "en":
        return EN.get(code, code or "")
    return dict(choices).get(code, code or "")
