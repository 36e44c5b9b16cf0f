"""Restoration's figures in monitoring (monitoring/outside.py): a seed 003 restoration target's status
computed from restoration records, a registered provider on the dashboard, and the disclosure rule
on both."""

import pytest

from kuangzheng.monitoring import outside, targets
from kuangzheng.monitoring.core.targets import PlanTarget, evaluate_target
from kuangzheng.policy.catalogue import load_catalogue
from kuangzheng.restoration import responsibility, services

from .helpers import ADMIN, actor, approved_plan

LEGACY = "003.target.restoration_area.legacy"
OLD = {
    "division": "150200",
    "problem_type": "露天采场",
    "area_ha": 4000,
    "arose_on": "1995-06-01",
    "mine_state": "abandoned",
    "party_exists": False,
    "source": "survey",
}


def _old_site(staff, site: str, project_year: int, restored_ha: float):
    p = responsibility.record_problem(staff, {**OLD, "site": site})
    responsibility.create_project(
        staff,
        {
            "name": f"{site}治理工程",
            "funding_source": "自治区财政",
            "mode": "government",
            "year": project_year,
            "problems": [p.pk],
        },
    )
    responsibility.record_restored(staff, p.pk, restored_ha)


def _row(year, who, target_id=LEGACY):
    return next(r for r in targets.evaluate_all(year, who) if r["id"] == target_id)


@pytest.fixture
def isolated_sources():
    """Registrations made by a test end with it; the app's own come back."""
    saved = outside.sources()
    yield outside
    for s in outside.sources():
        outside.unregister(s.name)
    for s in saved:
        outside.source(s.name, source_zh=s.source_zh, source_en=s.source_en, coverage=s.coverage)(s.provider)


def test_legacy_target_status_from_restoration_records(reg, isolated_sources):
    staff = actor(reg, "reg_bt")
    _old_site(staff, "白云鄂博废弃采坑", 2017, 1500)
    _old_site(staff, "石拐废弃矸石山", 2019, 2000)
    row = _row(2020, ADMIN)
    # restored ha → km², summed from the year after the base year 2015 (十三五): 15 in 2017, 35 by 2019
    assert row["years"] == [2017, 2019] and row["actuals"] == [pytest.approx(15), pytest.approx(35)]
    assert row["baseline_year"] == 2015 and row["baseline_value"] == 0.0
    e = load_catalogue().get(LEGACY)
    expected = evaluate_target(
        PlanTarget(LEGACY, 2015, 0.0, 2020, float(e.value), "km2", ">=", LEGACY), [2017, 2019], [15, 35], model="linear"
    )
    assert row["status"] == expected.status and row["status"] not in ("no_data", "withheld")
    assert row["projection"] == pytest.approx(expected.projection)
    assert "治理恢复台账" in row["actual_source"] and row["no_data_reason"] is None
    assert [o["source"] for o in row["outside"]] == ["restoration"]
    # government projects name no enterprise's figures: the public sees them too
    assert _row(2020, None)["status"] == expected.status
    # the reclamation target of ownerless mines is measured by the same figure; 2016 and earlier is not counted
    assert _row(2020, ADMIN, "003.target.land_reclamation_area")["actuals"][-1] == pytest.approx(35)
    # the plan's total (producing + legacy) has no producing part here
    assert _row(2020, ADMIN, "003.target.restoration_area")["actuals"] == [pytest.approx(15), pytest.approx(35)]
    # without the registration, monitoring has no actuals for it
    isolated_sources.unregister("restoration")
    assert _row(2020, ADMIN)["status"] == "no_data"


def _value_cell(html: str, key: str) -> str:
    i = html.index(f'data-key="{key}"')
    return html[html.index('class="value', i) : html.index("</tr>", i)]


def _provider(enterprises):
    def figures(year, division):
        if not division.startswith("15"):
            return []
        return [
            outside.Figure(
                "test.restored",
                "测试治理面积",
                "Test restored area",
                1250.0,
                "ha",
                enterprises,
                measures=(LEGACY,),
                flow=True,
            )
        ]

    return figures


def test_registered_provider_changes_the_dashboard(reg, login, isolated_sources):
    key = "test.restored|150000|None|2018"
    assert f'data-key="{key}"' not in login("admin", reg).get("/monitoring/").content.decode()
    outside.source("test", source_zh="测试来源", source_en="test source", coverage=lambda: ([2018], ["150203"]))(
        _provider(5)
    )
    html = login("public", reg).get("/monitoring/").content.decode()
    cell = _value_cell(html, key)
    assert "1250.0000" in cell and "测试来源" in cell and "测试治理面积" in html
    prefecture = login("public", reg).get("/monitoring/?level=prefecture").content.decode()
    assert 'data-key="test.restored|150200|None|2018"' in prefecture
    csv = login("public", reg).get("/monitoring/indicators.csv").content.decode("utf-8-sig")
    assert "test.restored,ha,150000,,2018,,1250.0," in csv and "测试来源" in csv


@pytest.mark.parametrize("role, sees", [("public", False), ("ent_a", False), ("reg_im", True), ("admin", True)])
def test_public_does_not_see_a_withheld_cell(role, sees, reg, login, isolated_sources):
    outside.source("test", source_zh="测试来源", source_en="test source", coverage=lambda: ([2018], ["150203"]))(
        _provider(2)
    )
    client = login(role, reg)
    cell = _value_cell(client.get("/monitoring/").content.decode(), "test.restored|150000|None|2018")
    who = None if role == "public" else actor(reg, role)
    row = _row(2020, who)
    if sees:
        assert "1250.0000" in cell and "不予公开" not in cell
        assert row["status"] not in ("withheld", "no_data") and row["actuals"] == [pytest.approx(12.5)]
    else:
        assert "1250" not in cell and "少于3家企业，不予公开" in cell
        assert row["status"] == "withheld" and row["actuals"] == [] and row["outside"][0]["actuals"] == []
        html = client.get("/monitoring/plan/?year=2020").content.decode()
        i = html.index('class="outside-actual" data-key="test.restored"')
        span = html[i : html.index("</span>", i)]
        assert "12.5" not in span and "少于3家企业，不予公开" in span


def test_one_enterprises_area_balance_is_withheld_from_the_public(reg, login):
    p = approved_plan(reg, first=2024, last=2029)
    ph = p.phases.get(seq=1)
    ent = actor(reg, "ent_a")
    ph = services.plan_phase(ent, ph.pk, {"version": ph.version, "planned": {"grassland": {"damaged": 12}}})
    ph = services.report_phase(
        ent, ph.pk, {"version": ph.version, "actual": {"grassland": {"damaged": 9.0, "reclaimed": 6.0}}}
    )
    key = f"restoration.damaged|150000|None|{ph.start_year}"
    staff = _value_cell(login("reg_im", reg).get("/monitoring/").content.decode(), key)
    assert "3.0000" in staff  # 9 ha over the phase's three years
    public = _value_cell(login("public", reg).get("/monitoring/").content.decode(), key)
    assert "3.0000" not in public and "少于3家企业，不予公开" in public
