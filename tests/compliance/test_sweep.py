"""Sweeps of a real (test) registry: stored with a run id, audited, scoped, diffed and exported."""

import csv
import io

import pytest
from openpyxl import load_workbook

from kuangzheng.access.actor import Actor
from kuangzheng.audit.models import AuditEntry
from kuangzheng.compliance import services
from kuangzheng.compliance.models import SweepResult
from kuangzheng.errors import Forbidden
from kuangzheng.registry import services as registry

from .helpers import AS_OF

ADMIN = Actor("t-admin", "admin")
REG_BT = Actor("u-reg-bt", "regulator", division_code="150200")
REG_QH = Actor("u-reg-qh", "regulator", division_code="630000")


def outcome(run, rule, kind, pk):
    row = SweepResult.objects.filter(run=run, rule=rule, subject_kind=kind, subject_id=pk).first()
    return row and services.render_row(row, run.as_of)


def test_sweep_stores_verdicts_with_facts_and_citations_and_audits(comp):
    run = services.run_sweep(ADMIN, AS_OF)
    v = outcome(run, "al.cell_current", "facility", comp.al.pk)
    assert v["outcome"] == "fail" and "380" in v["explanation"]["zh"]
    assert v["citations"][0]["id"] == "000.al.new.cell_current"
    assert outcome(run, "al.capital_ratio", "facility", comp.al.pk)["outcome"] == "pass"
    # the zinc smelter's self-supply share is not recorded: missing data, stored as such
    assert outcome(run, "smelting.self_supply", "facility", comp.fac_b.pk)["outcome"] == "missing_data"
    # copper mining rights against the mineral lists (copper mining is encouraged)
    assert outcome(run, "mineral.policy", "right", comp.r_bt.pk)["outcome"] == "pass"
    assert run.counts["al.cell_current"] == {"fail": 1}
    assert run.evaluations > run.subjects > 0
    assert AuditEntry.objects.filter(action="sweep", entity="compliance_run", entity_id=str(run.pk)).exists()


def test_the_same_registry_passes_in_2014_and_fails_in_2016_when_a_deadline_passes(comp):
    registry.update(
        ADMIN, "facility", comp.al.pk, {"project_type": "existing", "ac_molten_kwh_t": 13000}, comp.al.version
    )
    import datetime as dt

    early, late = services.run_sweep(ADMIN, dt.date(2014, 6, 1)), services.run_sweep(ADMIN, dt.date(2016, 6, 1))
    assert outcome(early, "al.ac_molten", "facility", comp.al.pk)["outcome"] == "pass"
    assert outcome(late, "al.ac_molten", "facility", comp.al.pk)["outcome"] == "fail"
    changes = services.diff(ADMIN, early, late)
    moved = [c for c in changes if c["rule"] == "al.ac_molten" and c["subject_id"] == comp.al.pk]
    assert moved and moved[0]["before"] == "pass" and moved[0]["after"] == "fail"


def test_diff_reports_what_changed_since_the_last_sweep(comp):
    first = services.run_sweep(ADMIN, AS_OF)
    registry.update(ADMIN, "facility", comp.al.pk, {"cell_current_ka": 400}, comp.al.version)
    second = services.run_sweep(ADMIN, AS_OF)
    changes = services.diff(ADMIN, first, second)
    assert [(c["rule"], c["before"], c["after"]) for c in changes if c["subject_id"] == comp.al.pk] == [
        ("al.cell_current", "fail", "pass")
    ]
    assert services.diff(ADMIN, second, second) == []


def test_scopes_of_runs_and_results(comp):
    run = services.run_sweep(ADMIN, AS_OF)
    all_rows = services.visible_results(ADMIN, run)
    assert {r.division_code for r in all_rows} >= {"150200", "150100"}
    assert {r.division_code for r in services.visible_results(REG_BT, run)} == {"150200"}
    assert not services.visible_results(REG_QH, run).exists()
    ent = Actor("u-ent-a", "enterprise", enterprise_id=comp.a.pk)
    mine = services.visible_results(ent, run)
    assert mine.exists() and set(mine.values_list("enterprise_id", flat=True)) == {comp.a.pk}
    with pytest.raises(Forbidden):
        services.visible_results(Actor("anonymous", "public"), run)
    with pytest.raises(Forbidden):
        services.run_sweep(ent, AS_OF)
    scoped = services.run_sweep(REG_BT, AS_OF)
    assert scoped.scope == "1502" and set(scoped.results.values_list("division_code", flat=True)) == {"150200"}


def test_exports_are_the_visible_rows(comp):
    run = services.run_sweep(ADMIN, AS_OF)
    rows = list(csv.reader(io.StringIO(services.export_csv(REG_BT, run).decode("utf-8-sig"))))
    assert rows[0][:3] == ["run", "as_of", "rule"]
    assert {r[8] for r in rows[1:]} == {"150200"}
    assert any(r[2] == "al.cell_current" and r[9] == "fail" for r in rows[1:])
    ws = load_workbook(io.BytesIO(services.export_xlsx(ADMIN, run))).active
    assert ws.max_row == services.visible_results(ADMIN, run).count() + 1


def test_check_of_one_registry_subject_agrees_with_the_sweep(comp):
    run = services.run_sweep(ADMIN, AS_OF)
    for kind, obj in (("facility", comp.al), ("right", comp.r_bt), ("right", comp.r_app), ("facility", comp.fac_b)):
        alone = {v["rule"]: v["outcome"] for v in services.check_subject(ADMIN, kind, obj.pk, AS_OF)}
        stored = {
            r.rule: services.render_row(r, AS_OF)["outcome"]
            for r in SweepResult.objects.filter(run=run, subject_kind=kind, subject_id=obj.pk)
        }
        assert alone == stored, (kind, obj.pk)
