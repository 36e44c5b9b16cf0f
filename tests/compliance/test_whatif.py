"""What-if checks: the documented examples, geometry-derived facts, bad input, and the `kz check` CLI."""

import copy
import json

import pytest
from click.testing import CliRunner
from shapely.geometry import box

from kuangzheng.access.actor import Actor
from kuangzheng.access.users import create_user
from kuangzheng.cli import main
from kuangzheng.compliance import services
from kuangzheng.compliance.examples import EXAMPLES
from kuangzheng.errors import Forbidden, InvalidInput
from kuangzheng.geo import from_lonlat, write

ADMIN = Actor("t-admin", "admin")
ENT = Actor("u-ent-a", "enterprise", enterprise_id=1)


def outcomes(result):
    return {v["rule"]: v["outcome"] for v in result["verdicts"]}


# expected verdicts for each documented example, worked out by hand from the seeds
EXPECTED = {
    "facility": {
        "al.cell_current": "pass",
        "al.ac_molten": "pass",
        "al.ac_ingot": "pass",
        "al.current_efficiency": "warning",
        "al.capital_ratio": "pass",
        "backward.catalogue": "pass",
    },
    "qinghai_aluminium": {"al.capacity_replacement": "pass"},
    "smelter": {
        "smelting.single_series": "pass",
        "smelting.equipment": "pass",
        "smelting.self_supply": "pass",
        "smelting.park_siting": "fail",
    },
    # near 扎赉诺尔煤炭矿区, a key mining area of the demo data, not of the test registry: its outcome
    # is held on the demo data (test_examples_on_demo.py)
    "concentrator": {},
    "right": {"mineral.policy": "pass", "fee.floor_price": "pass", "plan.right_overlap": "pass"},
    "agreement": {"agreement.eligibility": "pass"},
    "tender": {"ie.zone_area": "pass"},
}


def test_a_right_without_a_boundary_has_no_spatial_facts(reg):
    """The spatial facts expect a subject layer even when it is empty (this answered 500 once)."""
    doc = copy.deepcopy(EXAMPLES["right"])
    doc["record"].pop("boundary", None)
    doc["record"].pop("corner_points", None)
    doc.pop("geometry", None)
    result = services.check_whatif(ADMIN, doc)
    assert outcomes(result)["mineral.policy"] == "pass"
    assert outcomes(result).get("plan.right_overlap") in (None, "missing_data")


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_documented_examples(name, reg):
    result = services.check_whatif(ADMIN, copy.deepcopy(EXAMPLES[name]))
    got = outcomes(result)
    for rule, expected in EXPECTED[name].items():
        assert got.get(rule) == expected, (rule, got.get(rule))
    if name == "tender":
        assert [r["name"] for r in result["tender"]["ranking"]] == ["甲", "乙"]
    if name == "right":
        assert result["fees"]["kind"] == "floor_price" and result["fees"]["floor_yuan_per_km2"] == 10000


def test_expansion_just_over_one_third_fails_on_the_geometry(reg):
    doc = copy.deepcopy(EXAMPLES["agreement"])
    doc["record"]["boundary"] = "POLYGON ((110.40 41.70, 110.4401 41.70, 110.4401 41.72, 110.40 41.72, 110.40 41.70))"
    v = [v for v in services.check_whatif(ADMIN, doc)["verdicts"] if v["rule"] == "agreement.eligibility"][0]
    assert v["outcome"] == "fail"
    facts = {f["name"]: f["value"] for f in v["facts"]}
    assert facts["expansion_ratio"] > 1 / 3 and facts["limit"] == "1/3"


def test_as_of_overrides_the_documents_date_and_changes_the_verdict(reg):
    doc = copy.deepcopy(EXAMPLES["facility"])
    doc["record"].update(project_type="existing", ac_molten_kwh_t=13000)
    assert outcomes(services.check_whatif(ADMIN, doc))["al.ac_molten"] == "pass"
    import datetime as dt

    assert outcomes(services.check_whatif(ADMIN, doc, dt.date(2016, 1, 1)))["al.ac_molten"] == "fail"


def test_a_right_against_the_registry_overlaps_and_corner_points_give_the_same_facts(reg):
    geom = box(110.01, 41.605, 110.04, 41.625)  # overlaps reg's Baotou right of enterprise a
    doc = {
        "subject": "right",
        "as_of": "2018-06-01",
        "record": {"kind": "mining", "division": "150200", "minerals": ["铜"], "boundary": geom.wkt},
    }
    as_wkt = outcomes(services.check_whatif(ADMIN, doc))
    assert as_wkt["plan.right_overlap"] == "fail"
    doc["record"]["holder"] = reg.a.pk  # the same holder's own right is no conflict
    assert outcomes(services.check_whatif(ADMIN, doc))["plan.right_overlap"] == "pass"
    del doc["record"]["boundary"]
    doc["record"]["corner_points"] = write(from_lonlat(geom, decimals=3)).decode("utf-8")
    assert outcomes(services.check_whatif(ADMIN, doc))["plan.right_overlap"] == "pass"


def test_bad_input_names_every_field_in_both_languages(reg):
    doc = {
        "subject": "facility",
        "record": {"kind": "al_plant", "division": "15", "cell_current_ka": "abc", "capital_ratio_pct": -1, "lon": 110},
        "context": {"replacement_plan": {"retired_capacity": "x"}, "eia_approved": "yes"},
    }
    with pytest.raises(InvalidInput) as e:
        services.check_whatif(ADMIN, doc)
    fields = {p.field for p in e.value.problems}
    assert fields == {
        "record.kind",
        "record.division",
        "record.cell_current_ka",
        "record.capital_ratio_pct",
        "record.lon",
        "context.replacement_plan.retired_capacity",
        "context.eia_approved",
    }
    assert all(p.zh and p.en for p in e.value.problems)
    with pytest.raises(InvalidInput) as e:
        services.check_whatif(ADMIN, {"subject": "mine", "record": {}})
    assert e.value.problems[0].field == "subject"
    with pytest.raises(InvalidInput) as e:
        services.check_whatif(
            ADMIN,
            {
                "subject": "right",
                "record": {"kind": "mining", "division": "150200", "boundary": "POLYGON ((1 1, 2 1, 2 2, 1 1))"},
            },
        )
    assert e.value.problems[0].field == "record.boundary"


def test_public_may_not_run_what_if_checks_but_enterprises_may(reg):
    with pytest.raises(Forbidden):
        services.check_whatif(Actor("anonymous", "public"), copy.deepcopy(EXAMPLES["facility"]))
    assert services.check_whatif(ENT, copy.deepcopy(EXAMPLES["facility"]))["verdicts"]


def test_kz_check_and_kz_sweep_from_the_command_line(reg, tmp_path):
    create_user("admin", "x-pass-123", "admin")
    f = tmp_path / "app.json"
    f.write_text(json.dumps(EXAMPLES["facility"], ensure_ascii=False), encoding="utf-8")
    r = CliRunner().invoke(main, ["check", str(f), "--as-of", "2014-06-01"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["as_of"] == "2014-06-01" and outcomes(out)["al.cell_current"] == "pass"
    f.write_text(
        json.dumps({"subject": "facility", "record": {"kind": "al_line", "division": "1502"}}), encoding="utf-8"
    )
    r = CliRunner().invoke(main, ["check", str(f)])
    assert r.exit_code != 0 and "record.division" in r.output
    r = CliRunner().invoke(main, ["sweep", "--as-of", "2018-06-01"])
    assert r.exit_code == 0, r.output
    assert "rule evaluations" in r.output


def test_every_example_in_docs_check_input_runs(reg):
    import re
    from pathlib import Path

    text = Path(__file__).resolve().parents[2].joinpath("docs/check-input.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text.split("## Examples", 1)[1], flags=re.S)
    assert len(blocks) == len(EXAMPLES)
    for block in blocks:
        doc = json.loads(block)
        assert doc in EXAMPLES.values()
        assert services.check_whatif(ADMIN, doc)["verdicts"]


def test_an_integrated_exploration_agreement_is_read_from_the_context(reg):
    """M01–M03 bind rights held under an integrated-exploration agreement; the what-if context says so."""
    from kuangzheng.registry import services as registry

    registry.create(
        ADMIN,
        "zone",
        {
            "code": "ZZ-T",
            "name": "试验整装勘查区",
            "kind": "integrated_exploration_zone",
            "division": "150200",
            "minerals": ["铜"],
            "boundary": box(110.5, 41.5, 110.8, 41.7).wkt,
        },
    )
    doc = {
        "subject": "right",
        "as_of": "2018-06-01",
        "record": {
            "kind": "exploration",
            "division": "150200",
            "minerals": ["铜"],
            "status": "valid",
            "obtained_by": "application",
            "valid_from": "2012-06-01",
            "boundary": box(110.6, 41.55, 110.62, 41.57).wkt,
        },
        "context": {"findings": False},
    }
    assert "ie.term" not in outcomes(services.check_whatif(ADMIN, copy.deepcopy(doc)))  # not applicable
    doc["context"]["integrated_agreement"] = True
    assert outcomes(services.check_whatif(ADMIN, doc))["ie.term"] == "fail"  # 5 years passed, no findings: exit
