"""Run one rule on plain records: the pure engine without Django."""

import datetime as dt

from kuangzheng.compliance.core import batch, engine


def run(kind, records, as_of, rule_id):
    b = batch.from_records(kind, records, as_of)
    (ev,) = engine.evaluate([b], [rule_id])
    return ev


def outcomes(kind, records, as_of, rule_id):
    ev = run(kind, records, as_of, rule_id)
    return [engine.OUTCOMES[o] for o in ev.outcome]


def one(kind, record, as_of, rule_id):
    """(outcome name, verdict dict) of one subject."""
    ev = run(kind, [record], as_of, rule_id)
    v = engine.verdict(ev, 0)
    return v["outcome"], v


def d(s):
    return dt.date.fromisoformat(s)


IM, QH, XZ = "150200", "630000", "540000"


# the date the compliance fixture's sweeps are run on
AS_OF = dt.date(2018, 6, 1)
