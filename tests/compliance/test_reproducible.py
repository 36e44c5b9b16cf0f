"""Verdicts that can be reproduced: reasons are stable keys, a run records the code version and the
catalogue hash it ran with and keeps the wording its verdicts render with, and runs stored before
(integer reasons) migrate with nothing lost and still render."""

import dataclasses

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kuangzheng.compliance import services
from kuangzheng.compliance.core import batch, engine
from kuangzheng.compliance.models import SweepResult, SweepRun
from kuangzheng.policy.catalogue import load_catalogue
from tests.support.registry import ADMIN

from .helpers import AS_OF

RULE = ("facility", "al.cell_current")


def _cell_current_row(run, pk):
    return SweepResult.objects.get(run=run, rule=RULE[1], subject_kind="facility", subject_id=pk)


def test_a_run_records_its_versions_and_reasons_are_keys(comp):
    run = services.run_sweep(ADMIN, AS_OF)
    assert run.code_version == engine.code_version() and "+" in run.code_version
    assert run.catalogue_hash == engine.catalogue_digest() and len(run.catalogue_hash) == 64
    assert run.total_seconds >= run.seconds > 0
    reasons = set(SweepResult.objects.filter(run=run).values_list("reason", flat=True))
    assert "fail" in reasons and not any(r.isdigit() for r in reasons)
    assert _cell_current_row(run, comp.al.pk).reason == "fail"


def test_a_stored_verdict_renders_as_produced_after_the_wording_and_catalogue_change(comp, monkeypatch, login):
    run = services.run_sweep(ADMIN, AS_OF)
    row = _cell_current_row(run, comp.al.pk)
    before = services.render_row(row, run.as_of)
    assert before["outcome"] == "fail" and "380" in before["explanation"]["en"]

    rule = engine.RULES[RULE]
    monkeypatch.setitem(
        engine.RULES,
        RULE,
        dataclasses.replace(
            rule, title_zh="改过的标题", reasons={**rule.reasons, "fail": ("改过：{value}", "changed: {value}")}
        ),
    )
    cat = load_catalogue()
    reworded = dataclasses.replace(
        cat,
        entries=tuple(
            dataclasses.replace(e, quote="改过的引文") if e.id == "000.al.new.cell_current" else e for e in cat.entries
        ),
    )
    monkeypatch.setattr(engine, "load_catalogue", lambda *a, **k: reworded)
    # today's engine says it differently …
    now = next(v for v in services.check_subject(ADMIN, "facility", comp.al.pk, AS_OF) if v["rule"] == RULE[1])
    assert now["explanation"]["en"] == "changed: 380" and now["title"]["zh"] == "改过的标题"
    assert now["citations"][0]["quote"] == "改过的引文"
    # … the stored verdict renders exactly as it was produced: service, API and page
    assert services.render_row(SweepResult.objects.get(pk=row.pk), run.as_of) == before
    c = login("admin", comp)
    api = c.get(f"/api/v1/compliance/runs/{run.pk}/results", {"rule": RULE[1]}).json()["results"]
    assert [v for v in api if v["subject"]["id"] == comp.al.pk][0] == {**before, "subject": api[0]["subject"]}
    page = c.get(f"/compliance/runs/{run.pk}/results/{row.pk}/").content.decode()
    assert before["citations"][0]["quote"] in page and "改过" not in page


def test_a_run_made_by_an_older_version_says_so_on_its_page(comp, login):
    run = services.run_sweep(ADMIN, AS_OF)
    c = login("admin", comp)
    assert 'id="older-version"' not in c.get(f"/compliance/runs/{run.pk}/").content.decode()
    SweepRun.objects.filter(pk=run.pk).update(code_version="0.0+000000000000", catalogue_hash="0" * 64)
    page = c.get(f"/compliance/runs/{run.pk}/").content.decode()
    assert 'id="older-version"' in page and "0.0+000000000000" in page
    assert services.run_info(SweepRun.objects.get(pk=run.pk))["older_code"] is True


# (rule, kind, record, old integer reason) — mine_scale.py used 10 for three different reasons
OLD_ROWS = [
    (
        "mine.min_scale",
        "facility",
        {
            "kind": "mine",
            "metals": ["煤"],
            "coal_rank": "褐煤",
            "mining_method": "underground",
            "capacity": 100,
            "capacity_unit": "10^4 t/a",
            "project_type": "existing",
        },
        10,
    ),
    (
        "mine.one_deposit_one_enterprise",
        "right",
        {"kind": "mining", "status": "applied", "minerals": ["铜"], "other_holder_same_mineral_mining": 2},
        10,
    ),
    ("coal.new_mine_moratorium", "right", {"kind": "mining", "status": "applied", "minerals": ["煤"]}, 10),
    ("al.cell_current", "facility", {"kind": "al_line", "project_type": "new", "cell_current_ka": 300}, 2),
]
KEYS = ["upgrade_or_exit", "shared_deposit", "in_moratorium", "fail"]


@pytest.mark.django_db(transaction=True)
def test_runs_stored_with_integer_reasons_migrate_and_still_render():
    before, after = ("compliance", "0002_facts_keep_key_order"), ("compliance", "0003_reason_keys_and_versions")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    run = old.get_model("compliance", "SweepRun").objects.create(as_of=AS_OF, started_by="old", subjects=4)
    wanted = []
    for i, (rule_id, kind, rec, code) in enumerate(OLD_ROWS, 1):
        b = batch.from_records(kind, [{**rec, "division": "150200", "id": i}], AS_OF)
        (ev,) = engine.evaluate([b], [rule_id])
        facts, entries = engine.row_facts(ev, 0)
        wanted.append(engine.verdict(ev, 0))
        old.get_model("compliance", "SweepResult").objects.create(
            run=run,
            rule=rule_id,
            subject_kind=kind,
            subject_id=i,
            outcome=int(ev.outcome[0]),
            reason=code,
            facts=facts,
            entries=entries,
        )
    executor = MigrationExecutor(connection)
    executor.migrate([after])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    run = SweepRun.objects.get(pk=run.pk)
    rows = list(SweepResult.objects.filter(run=run).order_by("subject_id"))
    assert [r.reason for r in rows] == KEYS
    for row, want in zip(rows, wanted):
        got = services.render_row(row, run.as_of)
        assert {**got, "subject": want["subject"]} == {**want, "reason": row.reason}
    assert services.versions(run)["legacy"] and run.wording is not None


def test_reason_keys_are_unique_within_each_rule_and_name_their_text():
    for r in engine.load_rules().values():
        assert all(isinstance(k, str) and not k.isdigit() for k in r.reasons), r.id
    assert len(set(engine.REASON_KEYS)) == len(engine.REASON_KEYS)


def test_the_catalogue_hash_follows_its_content():
    cat = load_catalogue()
    assert engine.catalogue_digest(cat) == engine.catalogue_digest(load_catalogue())
    other = dataclasses.replace(cat, raw=cat.raw[:-1])
    assert engine.catalogue_digest(other) != engine.catalogue_digest(cat)
