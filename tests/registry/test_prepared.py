"""`kuangzheng.prepared`: a query compiled once and run with other values gives the rows the ORM
gives for those values, converted alike (JSON lists, dates, booleans, decimals)."""

import pytest

from kuangzheng.prepared import NotPreparable, PreparedQuery
from kuangzheng.registry.models import MineralRight

COLUMNS = ("id", "licence_no", "minerals", "valid_from", "is_generated", "area_km2", "holder__name")


def _query(low: float, high: float, kind: str):
    return (
        MineralRight.objects.filter(min_lon__gte=low, min_lon__lte=high, kind=kind).order_by("pk").values_list(*COLUMNS)
    )


@pytest.mark.django_db
def test_rows_are_what_the_orm_gives_for_the_same_values(reg):
    markers = {"low": 1.0e301, "high": 2.0e301}
    prepared = PreparedQuery(_query(markers["low"], markers["high"], "mining"), markers)
    assert prepared.columns == list(COLUMNS)
    for low, high in ((100.0, 120.0), (110.0, 110.05), (111.0, 112.0), (0.0, 1.0)):
        assert prepared.rows({"low": low, "high": high}) == list(_query(low, high, "mining")), (low, high)
    row = prepared.rows({"low": 100.0, "high": 120.0})[0]
    assert row[2] == ["铜"] and row[3].isoformat() == "2015-01-01" and row[4] is False


@pytest.mark.django_db
def test_a_marker_the_query_does_not_carry_is_refused(reg):
    with pytest.raises(NotPreparable):  # the query was built with other values than the markers
        PreparedQuery(_query(100.0, 120.0, "mining"), {"low": 1.0e301, "high": 2.0e301})
    with pytest.raises(NotPreparable):  # two markers of one value cannot be told apart
        PreparedQuery(_query(1.0e301, 1.0e301, "mining"), {"low": 1.0e301, "high": 1.0e301})
