"""The approval path's pure parts: every allowed and refused transition, the working-day clock on
the Chinese calendar, licence numbering, completeness of an application."""

import datetime as dt

import pytest

from kuangzheng import uploads
from kuangzheng.applications.core import clock, kinds, machine, numbering
from kuangzheng.errors import FieldProblem

# Written out from the workflow an office runs (not read from the data file under test).
EXPECTED = {
    ("draft", "file"): ("filed", "applicant"),
    ("draft", "withdraw"): ("withdrawn", "applicant"),
    ("filed", "withdraw"): ("withdrawn", "applicant"),
    ("more_requested", "withdraw"): ("withdrawn", "applicant"),
    ("review_more_requested", "withdraw"): ("withdrawn", "applicant"),
    ("filed", "accept"): ("accepted", "regulator"),
    ("filed", "refuse_acceptance"): ("not_accepted", "regulator"),
    ("filed", "request_more"): ("more_requested", "regulator"),
    ("more_requested", "supply"): ("filed", "applicant"),
    ("accepted", "start_review"): ("under_review", "regulator"),
    ("under_review", "request_more_in_review"): ("review_more_requested", "regulator"),
    ("review_more_requested", "supply_in_review"): ("under_review", "applicant"),
    ("under_review", "approve"): ("approved", "regulator"),
    ("under_review", "refuse"): ("refused", "regulator"),
    ("in_notice", "refuse"): ("refused", "regulator"),
    ("approved", "publish"): ("in_notice", "regulator"),
    ("in_notice", "register"): ("registered", "regulator"),
}
STATES = [
    "draft",
    "filed",
    "not_accepted",
    "more_requested",
    "accepted",
    "under_review",
    "review_more_requested",
    "approved",
    "in_notice",
    "registered",
    "refused",
    "withdrawn",
]
ACTIONS = sorted({a for _, a in EXPECTED})


def test_the_data_has_exactly_the_expected_states_and_actions():
    assert list(machine.states()) == STATES
    assert sorted(machine.actions()) == ACTIONS


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_transition(state, action):
    want = EXPECTED.get((state, action))
    for by in ("applicant", "regulator"):
        got = machine.check(state, action, by)
        if want and by == want[1]:
            assert got == machine.Step(action, state, want[0], by)
        else:
            assert isinstance(got, FieldProblem) and got.field == "action"
            assert got.zh and got.en


def test_refusal_messages_name_what_is_allowed_and_who():
    p = machine.check("filed", "register", "regulator")
    assert "登记发证" in p.zh and "受理" in p.zh and "accept" in p.en
    p = machine.check("filed", "accept", "applicant")
    assert "审批机关" in p.zh and "approving authority" in p.en
    p = machine.check("filed", "fly", "regulator")
    assert "fly" in p.en and "未知" in p.zh


def test_terminal_states_allow_nothing():
    for s in ("not_accepted", "registered", "refused", "withdrawn"):
        assert machine.is_terminal(s) and machine.allowed(s) == []


# Spring Festival 2026 (国务院办公厅通知): 15–23 February off; Saturday 14 and Saturday 28 February are
# make-up working days.
def test_spring_festival_holiday_and_its_make_up_saturdays():
    assert clock.is_working_day(dt.date(2026, 2, 14))  # Saturday, make-up
    assert clock.is_working_day(dt.date(2026, 2, 28))  # Saturday, make-up
    assert not clock.is_working_day(dt.date(2026, 2, 16))  # Monday, holiday
    assert not clock.is_working_day(dt.date(2026, 3, 1))  # ordinary Sunday
    # (13 Feb, 28 Feb]: Sat 14 + Tue 24 … Fri 27 + Sat 28 = 6; a plain weekday count would give 6 too
    # only by accident, so check the dates that differ from a Monday–Friday calendar
    assert clock.working_days_between(dt.date(2026, 2, 13), dt.date(2026, 2, 28)) == 6
    assert clock.working_days_between(dt.date(2026, 2, 13), dt.date(2026, 2, 23)) == 1
    # five working days from Thursday 12 February: 13, 14 (Sat), 24, 25, 26
    assert clock.add_working_days(dt.date(2026, 2, 12), 5) == dt.date(2026, 2, 26)


def test_clock_stops_during_more_material_and_restarts_or_continues():
    d = dt.date
    # filed Mon 2 Feb; 补正 requested Wed 4 Feb (2 days used); supplied Fri 27 Feb: acceptance restarts
    hist = [("file", "filed", d(2026, 2, 2)), ("request_more", "more_requested", d(2026, 2, 4))]
    (acc,) = clock.clocks(hist, d(2026, 2, 26))
    assert (acc.clock, acc.used, acc.running) == ("acceptance", 2, False)
    hist.append(("supply", "filed", d(2026, 2, 27)))
    (acc,) = clock.clocks(hist, d(2026, 3, 2))  # Sat 28 (make-up) + Mon 2 Mar
    assert (acc.used, acc.running, acc.left) == (2, True, 3)
    # accepted Mon 2 Mar, review from Tue 3 Mar, 补正 Thu 5 Mar, supplied Mon 16 Mar: decision continues
    hist += [
        ("accept", "accepted", d(2026, 3, 2)),
        ("start_review", "under_review", d(2026, 3, 3)),
        ("request_more_in_review", "review_more_requested", d(2026, 3, 5)),
    ]
    acc, dec = clock.clocks(hist, d(2026, 3, 13))
    assert (dec.used, dec.running) == (3, False)  # 3 Mar, 4 Mar, 5 Mar; stopped since
    hist.append(("supply_in_review", "under_review", d(2026, 3, 16)))
    acc, dec = clock.clocks(hist, d(2026, 4, 20))
    assert dec.running and dec.used == 3 + 24 and dec.overdue and dec.left == -7  # 17 Mar–20 Apr less Qingming 4–6 Apr


def test_calendar_years_the_package_does_not_know_are_refused():
    with pytest.raises(clock.CalendarUnknown):
        clock.is_working_day(dt.date(2099, 1, 5))


def test_licence_number_layout():
    assert numbering.licence_number("mining", "150200", dt.date(2026, 2, 9), 7) == "C15020020260200007"
    assert numbering.licence_number("exploration", "630000", dt.date(2026, 11, 1), 123) == "T63000020261100123"
    assert numbering.series_key("mining", "150200", dt.date(2026, 2, 9)) == "C150200202602"
    assert numbering.licence_number("mining", "150200", dt.date(2026, 2, 9), 7, pattern="{prefix}-{serial}") == "C-7"


def test_every_missing_item_is_named():
    probs = kinds.missing_items("new_mining", {"name": "x"}, parcel=False, right=False, documents={"application_form"})
    fields = {p.field for p in probs}
    assert "record.name" not in fields
    assert {"record.division", "record.minerals", "corner_points"} <= fields
    assert {"documents.development_plan", "documents.restoration_plan"} <= fields
    assert "documents.application_form" not in fields
    assert all(p.zh and p.en for p in probs)
    probs = kinds.missing_items("change", {"change": "colour"}, parcel=False, right=False, documents=set())
    assert {"record.change", "licence_no", "documents.application_form"} == {p.field for p in probs}


def test_every_kind_names_its_items_in_both_languages():
    assert set(kinds.kinds()) == {
        "new_exploration",
        "new_mining",
        "exploration_to_mining",
        "renewal",
        "transfer",
        "change",
        "cancellation",
        "agreement_transfer",
    }
    for k in kinds.kinds().values():
        assert k["zh"] and k["en"] and k["documents"]
        assert all(d["zh"] and d["en"] for d in k["documents"].values())


def test_attachment_types_by_their_first_bytes():
    types = kinds.attachment_types()
    assert uploads.sniff(b"%PDF-1.7 ...", types) == "application/pdf"
    assert uploads.sniff(b"\x89PNG\r\n\x1a\n....", types) == "image/png"
    assert uploads.sniff(b"MZ\x90\x00", types) is None  # an executable named .pdf


def test_the_kinds_that_create_a_right_get_the_planning_joint_review():
    creating = {k for k, v in kinds.kinds().items() if v["registry"] in ("create", "convert")}
    assert creating == {"new_exploration", "new_mining", "exploration_to_mining", "agreement_transfer"}
    for k in kinds.kinds():
        roles = machine.review_roles(kinds.kind(k))
        assert roles[:3] == ["geology", "planning", "environment"]
        assert ("joint" in roles) == (k in creating)
