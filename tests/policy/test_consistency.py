"""Growth rates recomputed: the three examples of issue 3, totals, ambiguities."""

import pytest

from kuangzheng.policy.consistency import cagr, check_growth, report

from .helpers import catalogue, entry, growth


def _value(id, value, year):
    return entry(id, value, kind="baseline", comparison="=", unit="10^4 t", param=None, year=year)


def test_cagr_formula():
    assert cagr(100, 121, 2) == pytest.approx(10.0)


def test_copper_260_to_458_over_five_years_is_12_0():
    cat = catalogue(
        _value("cu.2005", 260, 2005), _value("cu.2010", 458, 2010), growth("cu.rate", 12.0, to="cu.2010", frm="cu.2005")
    )
    g = check_growth(cat.by_id["cu.rate"], cat)
    assert g.computed == pytest.approx(11.99, abs=0.005) and g.tolerance == pytest.approx(0.05)
    assert g.agrees is True and g.years == 5


def test_3121_to_4600_at_8_percent():
    cat = catalogue(
        _value("a.2010", 3121, 2010), _value("a.2015", 4600, 2015), growth("a.rate", 8, to="a.2015", frm="a.2010")
    )
    g = check_growth(cat.by_id["a.rate"], cat)
    assert g.computed == pytest.approx(8.07, abs=0.005) and g.tolerance == 0.5 and g.agrees is True


def test_a_wrong_rate_disagrees_with_the_numbers():
    cat = catalogue(
        _value("cu.2005", 260, 2005), _value("cu.2010", 458, 2010), growth("cu.rate", 12.2, to="cu.2010", frm="cu.2005")
    )
    g = check_growth(cat.by_id["cu.rate"], cat)
    assert g.agrees is False and "DISAGREES" in g.message and "11.99" in g.message
    assert not g.explained_by_value_rounding


def test_seed_000_rates_imply_one_2012_base():
    rep = report()
    by_id = {g.id: g for g in rep.growth}
    g17 = by_id["000.capacity.five_metals.growth_to_2017"]
    g20 = by_id["000.capacity.five_metals.growth_to_2020"]
    assert (g17.stated, g17.years, g20.stated, g20.years) == (27.3, 5, 19.1, 8)
    assert g17.implied_base[0] == pytest.approx(418.8, abs=0.05)
    assert g20.implied_base[0] == pytest.approx(419.9, abs=0.05)
    cross = [c for c in rep.cross if g17.id in c and g20.id in c]
    assert len(cross) == 1 and cross[0].startswith("[agree]") and "6.7%/a" in cross[0]


def test_seed_000_totals_equal_their_parts():
    sums = {s.id: s for s in report().sums}
    assert sums["000.capacity.five_metals.2017"].total == 1400 and sums["000.capacity.five_metals.2017"].agrees
    assert sums["000.capacity.five_metals.2020"].total == 1700 and sums["000.capacity.five_metals.2020"].agrees


def test_every_stated_growth_rate_is_reported():
    rep = report()
    from kuangzheng.policy.catalogue import load_catalogue

    with_growth = {e.id for e in load_catalogue().entries if e.growth}
    assert {g.id for g in rep.growth} == with_growth


def test_shipped_004_examples_if_present():
    """Seed 004 belongs to another worker; when its entries exist, the issue's examples must hold."""
    rep = report()
    cu = [g for g in rep.growth if g.from_value == 260 and g.to_value == 458]
    big = [g for g in rep.growth if g.from_value == 3121 and g.to_value == 4600]
    if not (cu or big):
        pytest.skip("seed 004 has no growth entries for 260→458 or 3121→4600 yet")
    for g in cu + big:
        assert g.agrees is True, g.message


def test_ambiguities_are_reported_with_their_quotes():
    amb = [a for a in report().ambiguities if a.doc.startswith(("000", "001", "002"))]
    assert len(amb) >= 10 and all(a.note and a.quote for a in amb)
    text = report().text()
    assert "27.3" in text and "19.1" in text and "Ambiguities" in text
