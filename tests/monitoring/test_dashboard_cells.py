"""The dashboard's cells are built once per data version and view (monitoring/cells.py): a second
look at unchanged data builds nothing, each view keeps its own disclosure, and any write is seen."""

import pytest

from kuangzheng.access.actor import PUBLIC_ACTOR
from kuangzheng.monitoring import cells, disclosure

from .test_structure_indicators import REG_BT, _accepted, _facility, data  # noqa: F401  (the fixture)


@pytest.fixture
def builds(monkeypatch):
    cells.forget()
    built = []
    real = disclosure.apply  # the disclosure rule, applied once per build
    monkeypatch.setattr(disclosure, "apply", lambda actor, rows, level: built.append(level) or real(actor, rows, level))
    yield built
    cells.forget()


def _util(rows):
    (row,) = [
        r
        for r in rows
        if r["indicator"] == "capacity_utilisation"
        and r["division"] == "150200"
        and r["metal"] == "cu"
        and r["period"] == "2018-06"
    ]
    return row


@pytest.mark.usefixtures("data")
def test_unchanged_data_is_built_once_per_view(builds):
    first = cells.visible(REG_BT, "prefecture")
    _util(first)["value"] = "annotated by a caller"
    again = cells.visible(REG_BT, "prefecture")
    assert builds == ["prefecture"]
    assert again == cells.visible(REG_BT, "prefecture") and _util(again)["value"] != "annotated by a caller"
    # one smelter in Baotou in June 2018: the regulator in scope sees its figure, the public does not
    public = cells.visible(PUBLIC_ACTOR, "prefecture")
    assert builds == ["prefecture", "prefecture"]
    assert not _util(again)["withheld"] and _util(public)["withheld"] and _util(public)["value"] is None


@pytest.mark.usefixtures("data")
def test_a_new_report_is_seen_at_once(reg, builds):
    before = _util(cells.visible(REG_BT, "prefecture"))
    smelter = _facility("丁铜冶炼厂", "smelter", "150200", reg.b)
    _accepted(smelter, "monthly_production", "2018-06", "cu", {"output": 2000, "capacity": 24000})
    after = _util(cells.visible(REG_BT, "prefecture"))
    assert builds == ["prefecture", "prefecture"]
    assert after["value"] != before["value"] and after["enterprises"] == before["enterprises"] + 1


@pytest.mark.usefixtures("data")
def test_the_table_pages_through_every_cell(reg, login, monkeypatch):
    import re

    from kuangzheng.monitoring import views

    client = login("reg_im", reg)
    every = client.get("/monitoring/").content.decode()
    keys = re.findall(r'class="indicator-row" data-key="([^"]+)"', every)
    assert len(keys) > 5 and 'id="indicator-pager"' not in every  # one page holds them all
    monkeypatch.setattr(views, "TABLE_PAGE", 5)
    seen, page = [], 1
    while True:
        html = client.get(f"/monitoring/?page={page}").content.decode()
        seen += re.findall(r'class="indicator-row" data-key="([^"]+)"', html)
        if f"page={page + 1}" not in html:
            break
        page += 1
    assert seen == keys and page == -(-len(keys) // 5)  # every cell once, in order, nothing dropped
    for bad in ("x", "0", "-1", "99999"):  # a bad page number gets a page, never an error
        assert client.get(f"/monitoring/?page={bad}").status_code == 200
