"""Example what-if documents: the portal form offers them, docs/check-input.md shows them, and the
tests run every one (so the documented format cannot drift from the parser)."""

EXAMPLES = {
    "facility": {
        "subject": "facility",
        "as_of": "2014-06-01",
        "record": {
            "name": "某电解铝新建项目",
            "kind": "al_line",
            "project_type": "new",
            "division": "150200",
            "metals": ["铝"],
            "lon": 110.02,
            "lat": 41.61,
            "capacity": 50,
            "capacity_unit": "10^4 t/a",
            "cell_current_ka": 400,
            "ac_molten_kwh_t": 12700,
            "ac_ingot_kwh_t": 13150,
            "current_efficiency_pct": 92.5,
            "capital_ratio_pct": 40,
            "process": "500kA预焙槽",
        },
    },
    "qinghai_aluminium": {
        "subject": "facility",
        "as_of": "2018-03-01",
        "record": {
            "name": "某电解铝扩建项目",
            "kind": "al_line",
            "project_type": "expansion",
            "division": "630000",
            "metals": ["铝"],
            "capacity": 20,
            "capacity_unit": "10^4 t/a",
        },
        "context": {"replacement_plan": {"retired_capacity": 20, "sources": ["某铝厂160kA系列（已关停）"]}},
    },
    "smelter": {
        "subject": "facility",
        "as_of": "2016-06-01",
        "record": {
            "name": "某铅锌冶炼项目",
            "kind": "smelter",
            "project_type": "new",
            "division": "150200",
            "metals": ["铅", "锌"],
            "single_series_capacity": 10,
            "equipment_level": "domestic_advanced",
            "self_supply_pct": 30,
            "process": "富氧底吹-鼓风炉还原",
            "lon": 110.02,
            "lat": 41.61,
        },
    },
    "concentrator": {
        "subject": "facility",
        "as_of": "2016-06-01",
        "record": {
            "name": "某铜选矿厂",
            "kind": "concentrator",
            "project_type": "new",
            "division": "150781",
            "metals": ["铜"],
            "lon": 117.62,
            "lat": 49.50,
            "daily_capacity": 300,
        },
    },
    "right": {
        "subject": "right",
        "as_of": "2018-06-01",
        "record": {
            "name": "某铜矿勘查",
            "kind": "exploration",
            "division": "150200",
            "minerals": ["铜"],
            "obtained_by": "listing",
            "boundary": {
                "type": "Polygon",
                "coordinates": [[[110.30, 41.70], [110.35, 41.70], [110.35, 41.73], [110.30, 41.73], [110.30, 41.70]]],
            },
        },
        "context": {"price_yuan": 200000},
    },
    "agreement": {
        "subject": "right",
        "as_of": "2016-06-01",
        "record": {
            "name": "某铅锌矿扩大开采范围",
            "kind": "mining",
            "division": "150200",
            "minerals": ["铅", "锌"],
            "boundary": "POLYGON ((110.40 41.70, 110.44 41.70, 110.44 41.72, 110.40 41.72, 110.40 41.70))",
            "elevation_top": 1300,
            "elevation_bottom": 900,
        },
        "context": {
            "agreement": {
                "case": "mining_right_expansion",
                "has_deep_processing": True,
                "original_boundary": "POLYGON ((110.40 41.70, 110.43 41.70, 110.43 41.72, 110.40 41.72, 110.40 41.70))",
            }
        },
    },
    "tender": {
        "subject": "zone",
        "as_of": "2016-06-01",
        "record": {
            "name": "某整装勘查区",
            "code": "ZZ-DEMO",
            "kind": "integrated_exploration_zone",
            "division": "150000",
            "minerals": ["铜"],
            "boundary": "POLYGON ((111.0 42.0, 111.3 42.0, 111.3 42.2, 111.0 42.2, 111.0 42.0))",
        },
        "tender": {
            "bids": [
                {
                    "name": "甲",
                    "investment_yuan": 80000000,
                    "deep_drilling": True,
                    "state_geological_unit_with_social_capital": False,
                    "explorer_with_deep_processor": True,
                },
                {
                    "name": "乙",
                    "investment_yuan": 120000000,
                    "deep_drilling": False,
                    "state_geological_unit_with_social_capital": True,
                    "explorer_with_deep_processor": False,
                },
            ]
        },
    },
}
