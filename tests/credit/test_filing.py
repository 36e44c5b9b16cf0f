"""Annual information filing and the daily credit check: the reminder before the due date, the
proposal after it (once), its confirmation by a regulator, the term warnings, and the entries the
run ends. Dates are passed in (`today`), never slept for."""

import pytest

from kuangzheng.audit.models import AuditEntry
from kuangzheng.credit import services
from kuangzheng.credit.models import AnnualFiling, ListEntry
from kuangzheng.errors import Forbidden, InvalidInput

from .helpers import D, actors, enter

pytestmark = pytest.mark.django_db
GOOD = {"contact_phone": "0472-1234567", "address": "包头市", "exploration_investment": "120.5", "ore_mined": 30}


def _kinds(alerts):
    return sorted((a["kind"], a["subject"]) for a in alerts)


def test_an_enterprise_files_its_annual_information(reg):
    f = services.file_annual(actors(reg)["ent_a"], dict(GOOD, info_year=2025), today=D(2026, 6, 30))
    assert (f.info_year, f.late, f.division, f.data["exploration_investment"]) == (2025, False, "150200", 120.5)
    assert AuditEntry.objects.filter(entity="credit.AnnualFiling", action="credit-annual-filing").count() == 1
    late = services.file_annual(actors(reg)["ent_a"], dict(GOOD, info_year=2024), today=D(2026, 7, 1))
    assert late.late is True
    d = services.filing_dict(late)
    assert d["due"] == "2025-06-30"


def test_filing_refusals_name_the_fields(reg):
    a = actors(reg)
    with pytest.raises(InvalidInput) as exc:
        services.file_annual(a["ent_a"], {"info_year": 2026, "ore_mined": "-1", "bogus": 1}, today=D(2026, 6, 1))
    fields = {p.field for p in exc.value.problems}
    assert fields == {"info_year", "ore_mined", "bogus", "contact_phone", "address", "exploration_investment"}
    services.file_annual(a["ent_a"], dict(GOOD, info_year=2025), today=D(2026, 6, 1))
    with pytest.raises(InvalidInput) as exc:
        services.file_annual(a["ent_a"], dict(GOOD, info_year=2025), today=D(2026, 6, 2))
    assert "已公示" in exc.value.problems[0].zh
    with pytest.raises(Forbidden):
        services.file_annual(a["reg_bt"], GOOD, today=D(2026, 6, 1))
    assert AnnualFiling.objects.count() == 1


def test_daily_check_reminds_then_proposes_once_then_a_regulator_confirms(reg):
    # holders of live rights: a (r_bt) and b (r_hh); r_app is only applied for
    early = services.due_alerts(D(2026, 5, 31))
    assert early == []  # before the reminder period (30 days up to 30 June)
    due = services.due_alerts(D(2026, 6, 1))
    assert _kinds(due) == [
        ("credit_filing_due", f"registry.Enterprise:{reg.a.pk}"),
        ("credit_filing_due", f"registry.Enterprise:{reg.b.pk}"),
    ]
    first = next(x for x in due if x["subject"].endswith(str(reg.a.pk)))
    assert first["division"] == "150200" and first["due"] == D(2026, 6, 30) and "2025" in first["text_zh"]
    services.file_annual(actors(reg)["ent_a"], dict(GOOD, info_year=2025), today=D(2026, 6, 20))
    assert _kinds(services.due_alerts(D(2026, 6, 30))) == [("credit_filing_due", f"registry.Enterprise:{reg.b.pk}")]
    missing = services.due_alerts(D(2026, 7, 1))  # b missed it: a proposal, not an entry
    [p] = ListEntry.objects.all()
    assert (p.enterprise_id, p.list_key, p.status, p.info_year) == (reg.b.pk, "abnormal", "proposed", 2025)
    assert _kinds(missing) == [("credit_filing_missing", f"credit.ListEntry:{p.pk}")]
    assert services.standing(reg.b.pk, D(2026, 7, 1)) == []
    services.due_alerts(D(2026, 7, 2))
    assert ListEntry.objects.count() == 1  # idempotent
    e = services.confirm(actors(reg)["reg_im"], p.pk, version=p.version, today=D(2026, 7, 3))
    assert (e.status, e.last_day) == ("listed", D(2029, 7, 3))
    assert services.due_alerts(D(2026, 7, 4)) == []


def test_due_date_on_a_sunday_moves_the_proposal_a_day(reg):
    """30 June 2024 was a Sunday: the 2023 information is due on Monday 1 July."""
    services.file_annual(actors(reg)["ent_a"], dict(GOOD, info_year=2023), today=D(2024, 5, 1))
    services.due_alerts(D(2024, 7, 1))
    assert not ListEntry.objects.exists()
    services.due_alerts(D(2024, 7, 2))
    assert list(ListEntry.objects.values_list("enterprise_id", flat=True)) == [reg.b.pk]


def test_daily_check_warns_before_the_abnormal_term_ends_and_ends_it(reg):
    services.file_annual(actors(reg)["ent_a"], dict(GOOD, info_year=2028), today=D(2029, 1, 2))
    e = enter(reg, entered_on=D(2026, 3, 15), today=D(2026, 3, 15))
    warn = [a for a in services.due_alerts(D(2029, 1, 15)) if a["subject"] == f"credit.ListEntry:{e.pk}"]
    assert [(a["kind"], a["due"]) for a in warn] == [("credit_term_ending", D(2029, 3, 15))]
    assert "严重违法失信名单" in warn[0]["text_zh"]
    assert not [a for a in services.due_alerts(D(2029, 1, 14)) if a["kind"] == "credit_term_ending"]
    ended = services.due_alerts(D(2029, 3, 16))
    kinds = {(a["kind"], a["subject"]) for a in ended}
    assert ("credit_term_ended", f"credit.ListEntry:{e.pk}") in kinds
    e.refresh_from_db()
    assert ("credit_proposal_pending", f"credit.ListEntry:{e.followed_by_id}") in kinds
