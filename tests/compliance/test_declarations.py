"""Rules declare what they read, and a typo fails loudly: at registration (import) for a column the
subject schema lacks or a parameter / entry the catalogue lacks, and during evaluation for a read
the rule did not declare. What-if documents with unknown fields are refused, the nearest name named."""

import copy
import datetime as dt

import pytest

from kuangzheng.compliance import services
from kuangzheng.compliance.core import batch, engine
from kuangzheng.compliance.examples import EXAMPLES
from kuangzheng.errors import InvalidInput
from tests.support.registry import ADMIN as ADMIN_ACTOR

AS_OF = dt.date(2018, 6, 1)


@pytest.fixture
def planted():
    """Rules registered by a test are taken out again afterwards."""
    before = dict(engine.load_rules())
    yield
    engine.RULES.clear()
    engine.RULES.update(before)


def _register(**declared):
    return engine.rule("test.planted", "facility", "M24", ("测试", "test"), **declared)(lambda b: None)


def test_a_misspelt_column_fails_registration_naming_it(planted):
    with pytest.raises(engine.RuleDeclarationError) as e:
        _register(reads=("kind", "cell_curent_ka"))
    assert "'cell_curent_ka'" in str(e.value) and "did you mean 'cell_current_ka'" in str(e.value)
    assert ("facility", "test.planted") not in engine.RULES


def test_a_misspelt_parameter_and_entry_fail_registration_naming_them(planted):
    with pytest.raises(engine.RuleDeclarationError) as e:
        _register(reads=("kind",), params=("al.new.cell_curent_min",), entries=("000.al.existing.catch_upp",))
    text = str(e.value)
    assert "parameter 'al.new.cell_curent_min'" in text and "'al.new.cell_current_min'" in text
    assert "entry '000.al.existing.catch_upp'" in text and "'000.al.existing.catch_up'" in text
    assert ("facility", "test.planted") not in engine.RULES


def test_a_column_of_another_subject_kind_is_not_in_the_schema(planted):
    with pytest.raises(engine.RuleDeclarationError, match="'in_prohibited'"):
        _register(reads=("in_prohibited",))  # a right's spatial fact, not a facility's


def test_a_correct_declaration_registers(planted):
    _register(reads=("kind", "cell_current_ka"), params=("al.new.cell_current_min",))
    assert engine.RULES[("facility", "test.planted")].reads >= {"kind", "cell_current_ka"}


@pytest.mark.parametrize(
    "body,missing",
    [
        (lambda b: b.num("cell_current_ka"), "column 'cell_current_ka'"),
        (lambda b: engine.resolve(b, "al.new.cell_current_min", "kA"), "parameter 'al.new.cell_current_min'"),
        (lambda b: b.entry_column("000.al.existing.catch_up", b.eq("kind", "al_line")), "entry '000.al.existing"),
    ],
)
def test_reading_what_was_not_declared_fails_during_evaluation(planted, body, missing):
    def fn(b):
        body(b)
        return engine.Result.empty(len(b))

    engine.rule("test.planted", "facility", "M24", ("测试", "test"), reads=("kind",))(fn)
    b = batch.from_records("facility", [{"kind": "al_line", "division": "150200", "cell_current_ka": 300}], AS_OF)
    with pytest.raises(engine.UndeclaredRead, match=missing):
        engine.evaluate([b], ["test.planted"])


def test_every_rule_declares_what_it_reads():
    rules = engine.load_rules().values()
    assert len(rules) > 30 and all(r.reads - set(engine.ALWAYS_READ) for r in rules)


def _with_metal_typo():
    doc = copy.deepcopy(EXAMPLES["smelter"])
    doc["record"]["metal"] = doc["record"].pop("metals")
    return doc


def test_a_what_if_field_typo_is_refused_naming_the_known_field(reg):
    with pytest.raises(InvalidInput) as e:
        services.check_whatif(ADMIN_ACTOR, _with_metal_typo())
    (p,) = e.value.problems
    assert p.field == "record.metal" and "「metals」" in p.zh and "'metals'" in p.en


def test_unknown_fields_anywhere_in_the_document_are_each_named(reg):
    doc = copy.deepcopy(EXAMPLES["qinghai_aluminium"])
    doc["as_off"] = "2020-01-01"
    doc["context"]["replacement_plan"]["retired_capcity"] = 1
    doc["context"]["eia_aproved"] = True
    with pytest.raises(InvalidInput) as e:
        services.check_whatif(ADMIN_ACTOR, doc)
    got = {p.field: p.en for p in e.value.problems}
    assert "did you mean 'as_of'" in got["as_off"]
    assert "did you mean 'retired_capacity'" in got["context.replacement_plan.retired_capcity"]
    assert "did you mean 'eia_approved'" in got["context.eia_aproved"]


def test_the_api_answers_400_naming_the_field(reg, login):
    c = login("admin", reg)
    r = c.post("/api/v1/compliance/check", _with_metal_typo(), content_type="application/json")
    assert r.status_code == 400
    (p,) = r.json()["problems"]
    assert p["field"] == "record.metal" and "metals" in p["message_zh"] and "metals" in p["message_en"]
