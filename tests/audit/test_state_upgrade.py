"""A database made before a migration added a field still verifies: the field's empty default is
what the migration wrote, not an edit; a value written into it behind the services is an edit."""

from kuangzheng.audit.state import differing_fields


def test_a_field_added_later_counts_only_once_it_holds_something():
    audited = {"name": "甲矿", "area_km2": 1.5}
    assert differing_fields({"name": "甲矿", "area_km2": 1.5, "name_en": "", "source_ids": []}, audited) == []
    assert differing_fields({"name": "甲矿", "area_km2": 1.5, "name_en": "Mine A"}, audited) == ["name_en"]


def test_a_changed_or_removed_field_is_reported():
    audited = {"name": "甲矿", "area_km2": 1.5}
    assert differing_fields({"name": "乙矿", "area_km2": 1.5}, audited) == ["name"]
    assert differing_fields({"name": "甲矿"}, audited) == ["area_km2"]
    assert differing_fields({"name": "甲矿", "area_km2": None}, audited) == ["area_km2"]
