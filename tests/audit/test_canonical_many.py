"""Snapshots written a column at a time (`canonical_many`, what a bulk import hashes and stores) are
the exact text `canonical` writes for each snapshot, for every kind of value a snapshot can hold —
so the hashes are those `record` makes and `verify` recomputes."""

import datetime as dt
import math
from decimal import Decimal

import pytest

from kuangzheng.audit import service as audit
from kuangzheng.audit.models import AuditEntry
from tests.support.registry import ADMIN

AWKWARD = [
    "plain",
    "矿业权「甲」",
    'quote " backslash \\ slash /',
    "tab\tnewline\ncr\r nul\x00 bell\x07 del\x7f",
    "\u2028\u2029 emoji 🪨",
    "",
    None,
    0,
    -7,
    10**30,
    True,
    False,
    0.0,
    -0.0,
    1.5,
    1e16,
    1e-7,
    2.8045,
    math.nan,
    math.inf,
    -math.inf,
    dt.date(2026, 12, 1),
    dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 1, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),  # equal to the one above
    Decimal("1.0"),
    Decimal("1.00"),  # equal to the one above, written differently
    b"\x01\x03\x00\x00\x00",
    bytes(range(256)),
    ["铜", "铅、锌"],
    [1, 1.0, True],
    [True, 1, 1.0],
    {"b": 1, "a": [None, {"z": -0.0}]},
    {},
    [],
]


def test_canonical_many_writes_what_canonical_writes_for_every_kind_of_value():
    n = len(AWKWARD)
    columns = {
        "value": AWKWARD,
        "reversed": AWKWARD[::-1],
        "same": [AWKWARD[3]] * n,
        "Ünïcode key": list(range(n)),
    }
    texts = audit.canonical_many(columns)
    assert texts == [audit.canonical(audit.jsonable({k: col[i] for k, col in columns.items()})) for i in range(n)]


@pytest.mark.django_db
def test_entries_recorded_from_canonical_texts_are_those_record_would_make():
    # what a JSON column gives back as it was on both databases: PostgreSQL's jsonb refuses \u0000 and
    # NaN (input refuses them first: jsonin); -0.0 and 1e16, which jsonb reads back as 0.0 and
    # 10000000000000000, are hashed and stored as jsonb reads them (below)
    unstorable = ("\\u0000", "NaN", "Infinity")
    storable = [v for v in AWKWARD if not any(s in audit.canonical(v) for s in unstorable)]
    snaps = [{"name": v, "n": i} for i, v in enumerate(storable)]
    texts = audit.canonical_many({"name": [s["name"] for s in snaps], "n": [s["n"] for s in snaps]})
    audit.record_many(ADMIN, "create", "probe", [(i, None, t) for i, t in enumerate(texts)])
    audit.record_many(ADMIN, "create", "probe", [(i, None, s) for i, s in enumerate(snaps)])
    entries = list(AuditEntry.objects.filter(entity="probe").order_by("seq"))
    half = len(snaps)
    assert [e.after for e in entries[:half]] == [e.after for e in entries[half:]]
    assert audit.verify(records=False).ok


@pytest.mark.django_db
def test_floats_jsonb_rewrites_are_hashed_as_it_reads_them_back():
    """On PostgreSQL, jsonb keeps no negative zero and prints 1e16 as 10000000000000000: a snapshot
    hashed with -0.0 or 1e+16 would no longer verify once read back. Both paths hash what it reads."""
    floats = {"zero": -0.0, "big": 1e16, "huge": 1.5e300, "small": 1.5e-10, "nested": [-0.0, {"x": 2.5e20}]}
    audit.record(ADMIN, "update", "probe", 1, floats, floats)
    audit.record_many(ADMIN, "create", "probe", [(2, None, floats), (3, None, audit.canonical_many({"v": [-0.0]})[0])])
    entries = list(AuditEntry.objects.filter(entity="probe").order_by("seq"))
    assert entries[0].after["big"] == 10**16 and entries[0].after["huge"] == 15 * 10**299
    assert entries[1].after == entries[0].after and entries[2].after == {"v": 0.0}
    report = audit.verify(records=False)
    assert report.ok, report.problems
