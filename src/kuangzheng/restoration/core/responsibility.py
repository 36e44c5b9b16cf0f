"""New or old damage (M49): the boundary is the date the responsibility mechanism took effect.

Old (government restores): arose before that date, or the responsible party no longer exists, or the
mine was closed by policy — "计划经济时期遗留、责任人灭失、政策性关闭". New (the enterprise restores):
caused by a mine in construction or production on or after that date, whose party still exists.
"""

from __future__ import annotations

import datetime as dt

MINE_STATES = {"construction": "在建", "producing": "生产", "abandoned": "废弃", "policy_closed": "政策性关闭"}
FUNDING_MODES = {
    "government": "政府财政投入",
    "ppp": "政府、社会资金合作治理",
    "build_then_subsidise": "先建后补",
    "polluter_pays": "责任者付费，专业化治理",
}
SOURCES = {"survey": "矿山地质环境调查", "inspection": "督查发现", "report": "企业定期报告"}
REASONS = {
    "before_mechanism": ("在责任机制建立前形成", "arose before the responsibility mechanism took effect"),
    "party_gone": ("责任人灭失", "the responsible party no longer exists"),
    "policy_closed": ("政策性关闭", "the mine was closed by policy"),
    "enterprise": ("在建、生产矿山造成，由矿山企业负责治理", "caused by a mine in construction or production"),
}


def classify(arose_on: dt.date, mine_state: str, party_exists: bool, effective: dt.date) -> tuple[str, str]:
    """("new" | "old", reason key)."""
    if arose_on < effective:
        return "old", "before_mechanism"
    if not party_exists:
        return "old", "party_gone"
    if mine_state == "policy_closed":
        return "old", "policy_closed"
    if mine_state == "abandoned":
        return "old", "party_gone"
    return "new", "enterprise"
