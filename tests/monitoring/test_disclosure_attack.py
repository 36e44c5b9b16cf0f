"""The disclosure rule against an attacker on the demo, over HTTP: the public's indicator tables at
every level (prefecture, province, nation), monthly and yearly, and the early-warning releases.

The attacker (tests/support/attacker.py) tries every sum and difference of published figures:
totals over divisions, over months and over the years of a restoration cycle, and the same figure
published by several indicators (output is one indicator's numerator and another's denominator).
It only uses relations that hold in the true (admin) figures, so what it finds is real. Under the
old rule (withhold cells under 3 enterprises, nothing more) it gets cells back; under the rule
served now it gets nothing.

The figures other domains register (restoration's areas and fund coverage, outside.py) are attacked
the same way from the dashboard's CSV, on the demo and on a generated adversarial case.
"""

import math

import pytest

from kuangzheng.access.actor import Actor
from kuangzheng.monitoring.config import params
from kuangzheng.monitoring.core.indicators import cycle_of
from tests.support.attacker import solve
from tests.support.live import signed_in

LEVELS = ("prefecture", "province", "national")
# figures published by more than one indicator (their definitions in docs/monitoring.md)
SAME_FIGURE = {
    ("capacity_utilisation", "numerator"): "output",
    ("unit_energy", "denominator"): "output",
    ("unit_electricity", "denominator"): "output",
    ("recycled_share", "denominator"): "output",
    ("heavy_metals", "numerator"): "heavy_metals",
    ("emissions_vs_baseline", "numerator"): "heavy_metals",
    ("emissions_to_path", "numerator"): "heavy_metals",
    ("land_restored", "numerator"): "land_restored",
    ("restoration_balance", "numerator"): "land_restored",
    ("large_medium_mine_share", "numerator"): "large_medium_mines",
    ("green_share_large_medium", "denominator"): "large_medium_mines",
    ("large_medium_mine_share", "denominator"): "mines",
    ("green_mine_count", "denominator"): "mines",
}


def _tables(base: str, user: str | None) -> dict:
    """(level, row key) → row, for every published indicator row."""
    s = signed_in(base, user)
    out = {}
    for level in LEVELS:
        for annual in ("false", "true"):
            r = s.get(f"{base}/api/v1/monitoring/indicators", params={"level": level, "annual": annual}, timeout=300)
            r.raise_for_status()
            for row in r.json():
                period = row.get("period") or f"cycle:{row.get('cycle')}"
                out[(level, row["indicator"], row.get("metal") or "", row["division"], period)] = row
    return out


def _figures(rows: dict, withheld_if=None) -> tuple[dict, set]:
    """Known figures and unknown ones: cell (figure, metal, level, division, period) → value."""
    known, unknown = {}, set()
    for (level, indicator, metal, division, period), row in rows.items():
        hidden = row["withheld"] if withheld_if is None else withheld_if(row)
        for column in ("numerator", "denominator"):
            figure = SAME_FIGURE.get((indicator, column), f"{indicator}.{column}")
            cell = (figure, metal, level, division, period)
            if not hidden and row[column] is not None:
                known[cell] = row[column]
            elif hidden:
                unknown.add(cell)
    return known, unknown - set(known)


def _relations(cells, truth: dict) -> list:
    p = params()
    groups: dict = {}
    for cell in cells:
        figure, metal, level, division, period = cell
        up = {"prefecture": ("province", division[:2] + "0000"), "province": ("national", "000000")}.get(level)
        if up:
            groups.setdefault(("d", (figure, metal, *up, period)), []).append(cell)
        if len(period) == 7:
            groups.setdefault(("p", (figure, metal, level, division, period[:4])), []).append(cell)
        elif period.isdigit():
            c = int(cycle_of([int(period)], p["cycle_start_year"], p["cycle_years"])[0])
            groups.setdefault(("p", (figure, metal, level, division, f"cycle:{c}")), []).append(cell)
    out = []
    for (_, total), parts in groups.items():
        if total in truth and all(x in truth for x in parts):
            t, s = truth[total], sum(truth[x] for x in parts)
            if math.isclose(t, s, rel_tol=1e-9, abs_tol=1e-6):  # only sums that hold
                out.append((total, parts))
    return out


@pytest.fixture(scope="module")
def published(portal_server):
    truth_rows = _tables(portal_server, "admin")
    truth, _ = _figures(truth_rows, withheld_if=lambda row: False)
    for (indicator, column), figure in SAME_FIGURE.items():  # the attacker's identities are true
        for (level, ind, metal, division, period), row in truth_rows.items():
            if ind == indicator and row[column] is not None:
                assert math.isclose(truth[(figure, metal, level, division, period)], row[column], rel_tol=1e-9)
    return truth_rows, truth, _relations(truth, truth), _tables(portal_server, None)


def _attack(truth, relations, rows, withheld_if=None) -> dict:
    known, unknown = _figures(rows, withheld_if)
    found = solve(relations, known, unknown)
    assert all(math.isclose(float(v), truth[c], rel_tol=1e-6, abs_tol=1e-6) for c, v in found.items())
    return found


def test_the_threshold_rule_alone_leaks_on_the_demo(published):
    truth_rows, truth, relations, _ = published
    found = _attack(truth, relations, truth_rows, withheld_if=lambda row: (row["enterprises"] or 0) < 3)
    assert found  # e.g. a province total minus its public prefectures


def test_no_published_figure_gives_a_withheld_one_back(published):
    _, truth, relations, public = published
    assert any(r["withheld"] for r in public.values()) and not all(r["withheld"] for r in public.values())
    assert _attack(truth, relations, public) == {}


def test_releases_show_no_value_of_a_withheld_cell(published, portal_server):
    public = published[3]
    hidden = {
        (ind, metal, division, period) for (_, ind, metal, division, period), r in public.items() if r["withheld"]
    }
    items = [
        i
        for rel in signed_in(portal_server, None).get(f"{portal_server}/api/v1/monitoring/releases").json()
        for i in rel["items"]
    ]
    assert items  # the demo publishes one release
    on_hidden = [i for i in items if (i["indicator"], i["metal"] or "", i["division"], i["period"]) in hidden]
    assert on_hidden and all(i["value"] is None and i["withheld"] for i in on_hidden)
    assert all(i["value"] is not None for i in items if i not in on_hidden)


# --- figures other domains register (monitoring/outside.py: restoration's areas and fund) ---------
# They are published on the dashboard and its CSV beside the report tables. The attacker knows that
# each adds up over divisions, that a total restored area is the producing area plus the (public,
# government) legacy area, and that the reclaim ratio times the damaged area is the reclaimed area.

IDENTITIES = [("restoration.total_restored", ("restoration.producing_restored", "restoration.legacy_restored"))]
RATIOS = [("restoration.reclaim_balance", "restoration.reclaimed", "restoration.damaged")]  # ratio, num, den


def _outside_csv(base: str, user: str | None) -> dict:
    """(level, indicator, division, period) → {value, enterprises, withheld} of every outside row."""
    import csv
    import io

    s = signed_in(base, user)
    out = {}
    for level in LEVELS:
        r = s.get(f"{base}/monitoring/indicators.csv", params={"level": level}, timeout=300)
        r.raise_for_status()
        for row in csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))):
            if "." in row["indicator"]:  # a registered figure: "<domain>.<name>"
                value = float(row["value"]) if row["value"] else None
                enterprises = int(row["enterprises"]) if row["enterprises"] else None
                out[(level, row["indicator"], row["division"], row["period"])] = {
                    "value": value,
                    "enterprises": enterprises,
                    "withheld": row["withheld"] == "True",
                }
    return out


def _outside_relations(truth: dict, identities: list) -> list:
    """Sums over divisions per figure, and the identities between figures, that hold in the truth."""
    groups: dict = {}
    for cell in truth:
        level, indicator, division, period = cell
        up = {"prefecture": ("province", division[:2] + "0000"), "province": ("national", "000000")}.get(level)
        if up:
            groups.setdefault((up[0], indicator, up[1], period), []).append(cell)
    candidates = list(groups.items())
    for level, _, division, period in {(c[0], None, c[2], c[3]) for c in truth}:
        for total, parts in identities:
            candidates.append(((level, total, division, period), [(level, p, division, period) for p in parts]))
    out = []
    for total, parts in candidates:
        if total in truth and all(x in truth for x in parts):
            if math.isclose(truth[total], sum(truth[x] for x in parts), rel_tol=1e-9, abs_tol=1e-6):
                out.append((total, parts))
    return out


def _outside_attack(truth: dict, rows: dict, withheld_if=None, identities=IDENTITIES) -> dict:
    """Every value the attacker recovers: linear sums and differences, then ratio × denominator
    (and numerator ÷ ratio), repeated until nothing new comes."""
    relations = _outside_relations(truth, identities)
    known, unknown = {}, set()
    for cell, row in rows.items():
        hidden = row["withheld"] if withheld_if is None else withheld_if(row)
        if hidden:
            unknown.add(cell)
        elif row["value"] is not None:
            known[cell] = row["value"]
    found: dict = {}
    while True:
        new = {c: float(v) for c, v in solve(relations, known, unknown).items() if c not in found}
        for level, _, division, period in {(c[0], None, c[2], c[3]) for c in truth}:
            for ratio, num, den in RATIOS:
                r, n, d = ((level, k, division, period) for k in (ratio, num, den))
                if r in known and d in known and n in unknown and n not in new:
                    new[n] = known[r] * known[d]
                if r in known and n in known and d in unknown and d not in new and known[r]:
                    new[d] = known[n] / known[r]
        if not new:
            break
        found.update(new)
        known.update(new)
        unknown -= set(new)
    for c, v in found.items():  # only true values
        assert math.isclose(v, truth[c], rel_tol=1e-4, abs_tol=1e-3), c
    return found


def test_no_outside_figure_gives_a_withheld_one_back_on_the_demo(portal_server):
    admin, public = _outside_csv(portal_server, "admin"), _outside_csv(portal_server, None)
    truth = {c: r["value"] for c, r in admin.items() if r["value"] is not None}
    assert any(c[1].startswith("restoration.") for c in truth)  # the demo's restoration figures are there
    assert set(public) == set(admin)
    withheld = [c for c, r in public.items() if r["withheld"]]
    old_rule = _outside_attack(
        truth, admin, withheld_if=lambda r: r["enterprises"] is not None and r["enterprises"] < 3
    )
    print(
        f"demo: {len(public)} outside cells, {len(withheld)} withheld; the threshold rule alone gives back {len(old_rule)}"
    )
    assert withheld and len(withheld) < len(public)
    assert _outside_attack(truth, public) == {}


# --- a generated adversarial case: one enterprise in a prefecture, its province public ----------


@pytest.fixture
def adversary(db):
    """A registered source whose prefecture 150200 rests on one enterprise and 150100 on four: under
    the threshold rule alone, the province minus Hohhot gives Baotou back; a total that adds a public
    figure, and a ratio, give it back too."""
    from kuangzheng.monitoring import outside

    area = {"150200": (7.25, 1), "150100": (30.5, 4), "150000": (37.75, 5), "000000": (37.75, 5)}
    public = {"150200": 2.0, "150100": 3.0, "150000": 5.0, "000000": 5.0}

    def figures(year, division):
        if division not in area:
            return []
        value, n = area[division]
        fig = outside.Figure
        return [
            fig("adv.area", "面积", "area", value, "ha", n, group="adv"),
            fig("adv.legacy", "政府项目", "government", public[division], "ha", None),
            fig("adv.total", "合计", "total", value + public[division], "ha", n, group="adv"),
        ]

    saved = outside.sources()
    outside.source("adversary", source_zh="对抗", source_en="adversary", coverage=lambda: ([2020], list(area)[:2]))(
        figures
    )
    yield outside
    outside.unregister("adversary")
    for src in saved:
        outside.source(src.name, source_zh=src.source_zh, source_en=src.source_en, coverage=src.coverage)(src.provider)


def _dashboard(outside, actor) -> dict:
    return {
        (level, r["indicator"], r["division"], r["period"]): r
        for level in LEVELS
        for r in outside.dashboard_rows(level, actor)
        if r["indicator"].startswith("adv.")
    }


def test_an_adversarial_case_leaks_under_the_threshold_rule_and_not_under_ours(adversary):
    admin = _dashboard(adversary, Actor("a", "admin"))
    truth = {c: r["value"] for c, r in admin.items()}
    identities = [*IDENTITIES, ("adv.total", ("adv.area", "adv.legacy"))]
    old = _outside_attack(
        truth, admin, withheld_if=lambda r: r["enterprises"] is not None and r["enterprises"] < 3, identities=identities
    )
    assert old[("prefecture", "adv.area", "150200", "2020")] == pytest.approx(7.25)
    public = _dashboard(adversary, None)
    assert public[("prefecture", "adv.area", "150200", "2020")]["withheld"]
    assert _outside_attack(truth, public, identities=identities) == {}
    # the total that adds the public figure goes with its area (one group); Hohhot is the complement
    assert public[("prefecture", "adv.total", "150200", "2020")]["withheld"]
    assert public[("prefecture", "adv.area", "150100", "2020")]["withheld"]
    assert not public[("prefecture", "adv.legacy", "150200", "2020")]["withheld"]
    # the province's regulator sees every cell of its scope
    regulator = _dashboard(adversary, Actor("r", "regulator", division_code="150000"))
    assert not any(r["withheld"] for c, r in regulator.items() if c[0] != "national")
