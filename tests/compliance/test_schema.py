"""One subject schema: the registry's field specifications are the declaration; the registry's
tables, the sweep's loader, the batch columns and the what-if format agree with it."""

import pytest
from django.db import models

from kuangzheng.compliance import whatif
from kuangzheng.compliance.core import batch, schema
from kuangzheng.policy.catalogue import JURISDICTION_INFO, JURISDICTIONS, PROVINCES
from kuangzheng.registry import services
from kuangzheng.registry.core import specs

NUMBER_FIELDS = (models.FloatField, models.IntegerField, models.DecimalField)


@pytest.mark.parametrize("kind", schema.KINDS)
def test_every_specified_field_is_a_column_of_the_registrys_table_with_its_choices(kind):
    model = services.SWEEP_MODELS[kind]
    for f in specs.by_name(schema.SPECS[kind]).values():
        if f.type == "geometry":
            continue
        column = model._meta.get_field(f.name)
        if f.type in ("float", "int"):
            assert isinstance(column, NUMBER_FIELDS), f.name
        if f.type == "choice":
            assert tuple(c for c, _ in column.choices) == f.choices, f.name


@pytest.mark.parametrize("kind", schema.KINDS)
def test_the_sweep_loads_exactly_the_specified_fields(kind, db):
    loaded = schema.loaded_fields(kind)
    assert services.sweep_records(kind, loaded) == []  # the names are the table's (the query runs)
    for f in schema.SPECS[kind]:
        if f.name != "external_id":
            assert any(name == f.name or name.startswith(f"{f.name}_") for name in loaded) or f.type == "geometry"


def test_batch_columns_and_what_if_fields_come_from_the_specs():
    cols = schema.columns("facility")
    assert cols["cell_current_ka"] == "number" and cols["equipment_level"] == "text"
    assert cols["eia_approved"] == "flag"  # a context fact (specs.CONTEXT)
    assert schema.columns("right")["capacity"] == "number"  # a right's designed scale
    assert "equipment_level" in batch.CATEGORIES and "name" not in batch.CATEGORIES
    record = set(whatif.record_fields("facility"))
    assert {f.name for f in specs.FACILITY} - record == {"enterprise", "external_id"}
    assert set(whatif.CONTEXT_FIELDS) >= {f.name for f in specs.CONTEXT}


def test_jurisdictions_come_from_one_data_file():
    assert JURISDICTIONS[0] == "national" and set(JURISDICTIONS) == set(JURISDICTION_INFO)
    assert PROVINCES == {"15": "inner_mongolia", "63": "qinghai", "54": "tibet"}
