"""The four indicators not in the first report types — processing conversion, recycled share,
large/medium mine shares, green mines — from report fields (v2 templates), hand-computed; their
wiring to plan targets; the real national series as actuals; and the disclosure rule (a cell
from fewer than 3 enterprises withheld from the public, shown to regulators in scope)."""

import pytest

from kuangzheng.access.actor import Actor
from kuangzheng.monitoring import config, measures, reports, targets
from kuangzheng.monitoring.core import owid
from kuangzheng.monitoring.models import Report
from kuangzheng.registry import services
from tests.support.access import bearer
from tests.support.registry import ADMIN

from .helpers import workbook

STAFF = Actor("a", "admin")
REG_IM = Actor("u-reg-im", "regulator", division_code="150000")
REG_BT = Actor("u-reg-bt", "regulator", division_code="150200")


def _facility(name, kind, division, enterprise, metal="铜"):
    return services.create(
        ADMIN,
        "facility",
        {"name": name, "kind": kind, "division": division, "enterprise": enterprise.pk, "metals": [metal]},
    )


def _accepted(fac, report_type, period, metal, values):
    return Report.objects.create(
        facility=fac,
        enterprise_id=fac.enterprise_id,
        division_id=fac.division_id,
        report_type=report_type,
        period=period,
        metal=metal,
        values=values,
        status="accepted",
    )


@pytest.fixture
def data(reg):
    """Two copper smelters (enterprises A, B), a copper processing plant (C) and four mines (A, B, C, C)."""
    c = services.create(ADMIN, "enterprise", {"name": "包头丙铜材有限公司", "division": "150200"})
    s1 = _facility("甲铜冶炼厂", "smelter", "150200", reg.a)
    s2 = _facility("乙铜冶炼厂", "smelter", "150100", reg.b)
    plant = _facility("丙铜材加工厂", "processing_plant", "150200", c)
    mon = "monthly_production"
    _accepted(
        s1, mon, "2018-06", "cu", {"output": 1000, "capacity": 24000, "recycled_output": 200, "primary_metal_used": 300}
    )
    _accepted(s2, mon, "2018-06", "cu", {"output": 3000, "capacity": 48000, "primary_metal_used": 0})
    _accepted(plant, mon, "2018-06", "cu", {"output": 500, "capacity": 12000, "primary_metal_used": 1200})
    mines = [
        (reg.a, "large", 2e6, ("provincial", "national")),
        (reg.b, "medium", 5e5, ("none", "provincial")),
        (c, "small", 1e5, ("none", "none")),
        (c, "small", 1e5, ("none", "none")),
    ]
    for i, (ent, scale, cap, green) in enumerate(mines):
        mine = _facility(f"测试矿山{i}", "mine", "150200", ent)
        for year, level in zip(("2018", "2019"), green):
            _accepted(
                mine,
                "annual_resources_environment",
                year,
                "cu",
                {"mine_scale": scale, "mine_capacity": cap, "green_mine": level, "land_restored": 10.0},
            )
    reg.c = c
    return reg


def _cell(tables, indicator, **key):
    rows = [
        r
        for r in measures.table_rows(tables)
        if r["indicator"] == indicator and all(str(r.get(k)) == str(v) for k, v in key.items())
    ]
    assert len(rows) == 1, (indicator, key, rows)
    return rows[0]


def test_conversion_and_recycled_share_hand_computed(data):
    t = measures.monthly_tables("province", annual=True)
    conv = _cell(t, "processing_conversion_rate", division="150000", metal="cu", period="2018")
    # processed 300 + 1200 over primary output (1000 − 200 recycled) + 3000; the plant's output is no primary metal
    assert conv["value"] == pytest.approx(1500 / 3800) and conv["enterprises"] == 3
    rec = _cell(t, "recycled_share", division="150000", metal="cu", period="2018")
    assert rec["value"] == pytest.approx(200 / 4000) and rec["enterprises"] == 2
    util = _cell(t, "capacity_utilisation", division="150000", metal="cu", period="2018")
    assert util["value"] == pytest.approx(4000 / (72000 / 12))  # the processing plant is not a smelter


def test_mine_shares_and_green_mines_hand_computed(data):
    t = measures.annual_tables("province")
    lm = _cell(t, "large_medium_mine_share", division="150000", period="2019")
    assert lm["value"] == pytest.approx(2 / 4) and lm["denominator"] == 4
    cap = _cell(t, "large_medium_capacity_share", division="150000", period="2019")
    assert cap["value"] == pytest.approx(2.5e6 / 2.7e6)
    assert _cell(t, "green_mine_count", division="150000", period="2018")["value"] == 1
    assert _cell(t, "green_mine_count", division="150000", period="2019")["value"] == 2
    assert _cell(t, "green_mine_count_national", division="150000", period="2019")["value"] == 1
    assert _cell(t, "green_share_large_medium", division="150000", period="2018")["value"] == pytest.approx(0.5)
    assert _cell(t, "green_share_large_medium", division="150000", period="2019")["value"] == pytest.approx(1.0)


def test_targets_get_their_actuals(data):
    rows = {r["id"]: r for r in targets.evaluate_all(2019, STAFF)}
    assert rows["003.target.large_medium_share"]["actuals"] == [pytest.approx(50.0)] * 2
    assert rows["003.target.national_green_mines"]["years"] == [2018, 2019]
    assert rows["003.target.national_green_mines"]["actuals"] == [0.0, 1.0]
    assert rows["003.target.green_share_large_medium"]["actuals"] == [pytest.approx(50.0), pytest.approx(100.0)]
    assert (
        rows["003.target.mines_max"]["actuals"] == [4.0, 4.0] and rows["003.target.mines_max"]["status"] == "achieved"
    )
    # 十三五 restored area, cumulative from 2016: 4 mines × 10 ha a year = 0.4 then 0.8 km²
    restored = rows["003.target.restoration_area.producing"]
    assert restored["actuals"] == [pytest.approx(0.4), pytest.approx(0.8)] and restored["baseline_value"] == 0.0
    other = rows["000.conversion.other_major"]  # cu, zn, pb and mg together; a standing target ≥ 65 %
    assert other["actuals"] == [pytest.approx(100 * 1500 / 3800)] and other["status"] == "not_met"


def test_every_target_has_actuals_or_a_reason(db):
    ids = {e.id for e in targets.numeric_targets()}
    wired = set(config.config()["target_actuals"])
    assert wired <= ids  # no misspelt target id
    rows = targets.evaluate_all(2019)
    unexplained = [r["id"] for r in rows if r["id"] not in wired and not r["no_data_reason"]]
    assert unexplained == []
    assert len(wired) == 32


def test_national_aluminium_output_from_the_real_series(db):
    row = next(r for r in targets.evaluate_all(2019) if r["id"] == "004.target.output.al")
    years, kt = owid.china_production()["aluminium"]
    assert row["years"][-1] == 2015 and row["actuals"][-1] == pytest.approx(float(kt[years == 2015][0]) / 10)
    assert row["years"][0] == 2005 and "OWID" in row["actual_source"]
    # 2010 baseline from the seed's own table; the ≤ 2400 万吨 cap was overshot: off track
    assert row["baseline_year"] == 2010 and row["status"] == "off_track"


def test_recycled_output_above_output_is_an_error_located(reg):
    fac = services.create(
        ADMIN, "facility", {"name": "测试铜冶炼", "kind": "smelter", "division": "150200", "enterprise": reg.a.pk}
    )
    ent = Actor("u-ent-a", "enterprise", enterprise_id=reg.a.pk)
    r = reports.upload(
        ent,
        "monthly_production",
        workbook([[f"KZF-{fac.pk}", "2020-01", "铜", 1000, 24000, 20000, 50, 300, None, 1200, 400]]),
    )
    assert not r["ok"] and any((e["row"], e["column"]) == (4, "J") for e in r["errors"])
    ok = reports.upload(
        ent,
        "monthly_production",
        workbook([[f"KZF-{fac.pk}", "2020-01", "铜", 1000, 24000, 20000, 50, 300, None, 200, 400]]),
    )
    assert ok["ok"] and Report.objects.get().values["primary_metal_used"] == 400


# --- disclosure ---------------------------------------------------------------------------------


def _value_cell(html, key):
    i = html.index(f'data-key="{key}"')
    return html[html.index('class="value', i) : html.index("</td>", html.index('class="value', i))]


@pytest.mark.parametrize(
    "role, sees", [("public", False), ("ent_a", False), ("reg_bt", False), ("reg_im", True), ("admin", True)]
)
def test_dashboard_withholds_cells_of_fewer_than_3_enterprises(role, sees, data, login):
    html = login(role, data).get("/monitoring/?indicator=recycled_share").content.decode()
    cell = _value_cell(html, "recycled_share|150000|cu|2018")
    if sees:
        assert "0.0500" in cell and "不予公开" not in cell
    else:
        assert "—" in cell and "少于3家企业，不予公开" in cell and "0.05" not in cell
    # the conversion cell has 3 enterprises (A, B and the plant C), but its denominator is the two
    # smelters' primary output (output − recycled), the same figures as the withheld cells of A and B:
    # it is withheld with them (complementary suppression), with its own note
    conv = login(role, data).get("/monitoring/?indicator=processing_conversion_rate").content.decode()
    cell = _value_cell(conv, "processing_conversion_rate|150000|cu|2018")
    if sees:
        assert "0.3947" in cell
    else:
        assert "0.3947" not in cell and "公开后可推算出少于3家企业的数据" in cell


def test_csv_and_api_apply_the_rule(data, reg, client):
    csv = client.get("/monitoring/indicators.csv").content.decode("utf-8-sig").splitlines()
    header = csv[0].split(",")
    rec = next(
        dict(zip(header, line.split(","))) for line in csv if line.startswith("recycled_share,1,150000,cu,2018,")
    )
    assert rec["value"] == rec["numerator"] == rec["denominator"] == "" and rec["withheld"] == "True"
    public = client.get("/api/v1/monitoring/indicators?annual=true").json()
    cell = next(r for r in public if r["indicator"] == "recycled_share" and r["period"] == "2018")
    assert cell["withheld"] and cell["value"] is None and cell["note_en"] == "fewer than 3 enterprises: withheld"
    staff = client.get("/api/v1/monitoring/indicators?annual=true", **bearer(reg.users["reg_im"])).json()
    cell = next(r for r in staff if r["indicator"] == "recycled_share" and r["period"] == "2018")
    assert not cell["withheld"] and cell["value"] == pytest.approx(0.05)


def test_plan_targets_withheld_for_the_public_only(data):
    pub = {r["id"]: r for r in targets.evaluate_all(2019)}
    # three enterprises (A, B, C) behind the mine shares, but the green share of large and medium mines
    # comes from A and B alone, and the public green-mine count (only A's mine is listed) would give
    # it back: every cell of those mines is withheld together; the province regulator sees them
    assert pub["003.target.large_medium_share"]["status"] == "withheld"
    im = {r["id"]: r for r in targets.evaluate_all(2019, REG_IM)}
    assert im["003.target.large_medium_share"]["actuals"] == [pytest.approx(50.0)] * 2
    assert im["000.conversion.other_major"]["status"] == "not_met"
    # one zinc smelter joins the cu + zn + pb + mg rate: its own cell has 1 enterprise, and the combined
    # figure minus the public copper cell would reveal it, so the smallest count decides
    _accepted(
        data.fac_b, "monthly_production", "2018-06", "zn", {"output": 500, "capacity": 12000, "primary_metal_used": 100}
    )
    seen = {
        who: {r["id"]: r for r in targets.evaluate_all(2019, actor)}["000.conversion.other_major"]
        for who, actor in (("public", None), ("reg_bt", REG_BT), ("reg_im", REG_IM), ("admin", STAFF))
    }
    assert seen["public"]["status"] == seen["reg_bt"]["status"] == "withheld"
    assert seen["public"]["actuals"] == [] and seen["public"]["note_zh"] == "少于3家企业，不予公开"
    for who in ("reg_im", "admin"):
        assert seen[who]["actuals"] == [pytest.approx(100 * 1600 / 4300)] and seen[who]["status"] == "not_met"
