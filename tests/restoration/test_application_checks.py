"""The M46 preconditions reach the applications' filing checks (recorded for the reviewer)."""

from kuangzheng.applications import services as applications
from kuangzheng.restoration import fund, services
from tests.applications.helpers import actors, filed

from .helpers import actor, approved_plan


def test_a_new_mine_is_checked_by_hand(reg):
    app = filed(reg)
    assert [x["item"] for x in app.checks["restoration"]] == ["plan", "deposit", "letter", "reclamation"]
    assert {x["outcome"] for x in app.checks["restoration"]} == {"not_checked"}


def test_a_renewal_of_a_registered_mine_records_each_precondition(reg):
    p = approved_plan(reg)
    services.record_letter(actor(reg, "reg_bt"), p.pk, "包责〔2024〕1号", p.version)
    fund.post(actor(reg, "ent_a"), right=reg.r_bt.pk, kind="deposit", amount="1000", request_id="d")
    ent = actors(reg)["ent_a"]
    app = applications.create(
        ent, {"kind": "renewal", "licence_no": reg.r_bt.licence_no, "record": {"valid_to": "2045-01-01"}}
    )
    applications.attach(ent, app.pk, "application_form", "f.pdf", b"%PDF-1.4")
    app = applications.act(ent, app.pk, "file", {"version": applications.get(ent, app.pk).version})
    got = {x["item"]: x["outcome"] for x in app.checks["restoration"]}
    assert got == {"plan": "pass", "deposit": "pass", "letter": "pass", "reclamation": "fail"}
