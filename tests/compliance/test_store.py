"""Storing a sweep (compliance/store.py): the rows built column-wise and written in chunks are exactly
the engine's own verdicts — facts in order, entries, outcome, reason — on SQLite and on PostgreSQL."""

import datetime as dt
import importlib.util
from pathlib import Path

import numpy as np
import pytest
from django.db import transaction

from kuangzheng.access.actor import Actor
from kuangzheng.compliance import services, store
from kuangzheng.compliance.core import engine
from kuangzheng.compliance.models import SweepResult, SweepRun

ADMIN = Actor("t-admin", "admin")
REG_BT = Actor("u-reg-bt", "regulator", division_code="150200")


def _synthetic():
    """bench/sweep.py's synthetic registry: every rule, sub-batches, derived facts, missing values."""
    path = Path(__file__).resolve().parents[2] / "bench" / "sweep.py"
    spec = importlib.util.spec_from_file_location("bench_sweep", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def swept():
    mod = _synthetic()
    fb, rb = mod.sweep(400)[:2]
    evals = engine.evaluate([fb, rb])
    rng = np.random.default_rng(3)
    labels = {
        b.kind: store.Labels.of(
            b.ids,
            [f"{b.kind} {i}" for i in b.ids.tolist()],
            list(b.text("division")),
            [None if x % 7 == 0 else int(x) for x in rng.integers(0, 50, len(b))],
        )
        for b in (fb, rb)
    }
    return mod.AS_OF, evals, labels


def _finite(facts: dict) -> list:
    return [(k, [None if isinstance(v[0], float) and not np.isfinite(v[0]) else v[0], v[1]]) for k, v in facts.items()]


def test_every_stored_row_is_the_engines_verdict(db, swept):
    as_of, evals, labels = swept
    run = services.store_sweep(ADMIN, as_of, evals, labels)
    stored = {(r.rule, r.subject_kind, r.subject_id): r for r in SweepResult.objects.filter(run=run)}
    expected = 0
    for ev in evals:
        lab = labels[ev.batch.kind]
        for i in np.flatnonzero(ev.outcome != engine.NA):
            expected += 1
            sid = int(ev.batch.ids[i])
            row = stored[(ev.rule.id, ev.batch.kind, sid)]
            facts, entries = engine.row_facts(ev, i)
            assert list(row.facts.items()) == _finite(facts), (ev.rule.id, sid)  # the order too
            assert row.entries == entries and (row.outcome, row.reason) == (ev.outcome[i], ev.reason[i])
            k = int(np.flatnonzero(lab.ids == sid)[0])
            owner = None if lab.owner[k] < 0 else lab.owner[k]
            assert (row.subject_name, row.division_code, row.enterprise_id) == (lab.name[k], lab.division[k], owner)
            if expected % 7 == 0:  # and it renders as the engine renders it
                got = services.render_row(row, as_of)
                want = engine.verdict(ev, i)
                assert {**got, "subject": want["subject"]} == want
    assert len(stored) == expected > 1000
    assert {r: sum(c.values()) for r, c in run.counts.items()} == {
        r: sum(1 for k in stored if k[0] == r) for r in {k[0] for k in stored}
    }


def test_chunks_change_nothing(db, swept):
    as_of, evals, labels = swept
    whole = [row for rows in store.result_rows(1, evals, labels, chunk=10**9) for row in rows]
    counts: dict = {}
    pieces = list(store.result_rows(1, evals, labels, counts=counts, chunk=97))
    assert max(len(p) for p in pieces) == 97 and [r for p in pieces for r in p] == whole
    assert sum(n for c in counts.values() for n in c.values()) == len(whole)


def test_a_regulator_stores_its_divisions_only_with_counts_to_match(db, swept):
    as_of, evals, labels = swept
    run = services.store_sweep(REG_BT, as_of, evals, labels)
    rows = SweepResult.objects.filter(run=run)
    assert run.scope == "1502" and rows.exists()
    assert set(rows.values_list("division_code", flat=True)) == {"150200"}
    want = sum(
        int(
            (
                (ev.outcome != engine.NA)
                & (labels[ev.batch.kind].division[labels[ev.batch.kind].rows_of(ev.batch.ids)] == "150200")
            ).sum()
        )
        for ev in evals
    )
    assert rows.count() == want == sum(n for c in run.counts.values() for n in c.values())


def test_a_failed_write_stores_nothing(db, swept):
    as_of, evals, labels = swept
    before = SweepRun.objects.count()
    broken = {k: store.Labels(v.ids, v.name, v.division, v.owner) for k, v in labels.items()}
    broken["right"].name = np.array([None] * len(broken["right"].ids), dtype=object)  # subject_name is NOT NULL
    with pytest.raises(Exception):  # noqa: B017  (whichever error the database raises for a NULL)
        services.store_sweep(ADMIN, as_of, evals, broken)
    assert SweepRun.objects.count() == before and not SweepResult.objects.exists()


def test_labels_align_by_id_whatever_the_order():
    lab = store.Labels.of([5, 3, 9], ["e", "c", "i"], ["150200", "630000", ""], [1, None, 2])
    assert lab.rows_of(np.array([5, 3, 9])).tolist() == [0, 1, 2]
    assert lab.rows_of(np.array([9, 4, 5, 3])).tolist() == [2, -1, 0, 1]
    assert lab.owner.tolist() == [1, -1, 2]


def test_plain_columns_are_the_engines_plain_values():
    j = np.array([2, 0, 1])
    assert store.plain_column(np.array([1.5, np.nan, np.inf]), j) == [None, 1.5, None]
    assert store.plain_column(np.array([0.1], dtype=np.float32), np.array([0])) == [engine.plain_value(np.float32(0.1))]
    assert store.plain_column(np.array([1, -1, 3], dtype=np.int8), j) == [3, 1, -1]
    assert store.plain_column(np.array([True, False, True]), j) == [True, True, False]
    assert store.plain_column(np.array(["铜", "", "煤"]), j) == ["煤", "铜", ""]
    dates = np.array([dt.date(2016, 1, 1), None, "x"], dtype=object)
    assert store.plain_column(dates, j) == ["x", "2016-01-01", None]
    when = np.array(["2015-12-31", "NaT"], dtype="datetime64[D]")
    assert store.plain_column(when, np.array([1, 0])) == [None, "2015-12-31"]


def test_the_transaction_is_the_callers(db, swept):
    """store.write joins the caller's transaction: rolled back with it."""
    as_of, evals, labels = swept
    run = SweepRun.objects.create(as_of=as_of, started_by="t")
    with pytest.raises(RuntimeError), transaction.atomic():
        store.write(store.result_rows(run.pk, evals[:3], labels))
        assert SweepResult.objects.filter(run=run).exists()
        raise RuntimeError
    assert not SweepResult.objects.filter(run=run).exists()
