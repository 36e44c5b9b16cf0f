"""`kz credit lists | enter | entries | standing | remove | daily --today` on the small registry."""

import json

from click.testing import CliRunner

from kuangzheng.cli import main
from kuangzheng.credit.models import ListEntry


def _kz(*args):
    return CliRunner().invoke(main, ["credit", *args])


def test_enter_standing_daily_and_remove(reg):
    r = _kz("lists")
    assert r.exit_code == 0 and "serious_dishonesty" in json.loads(r.output)
    r = _kz(
        "enter",
        "--as",
        "u-reg-bt",
        "--list",
        "abnormal",
        "--enterprise",
        str(reg.a.pk),
        "--reason",
        "x",
        "--detail",
        "d",
    )
    assert r.exit_code != 0 and "reason" in r.output and not ListEntry.objects.exists()
    r = _kz(
        "enter", "--as", "u-reg-bt", "--list", "abnormal", "--enterprise", str(reg.a.pk),
        "--reason", "unreachable", "--detail", "无法联系", "--entered-on", "2026-03-15",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    entry = json.loads(r.output)
    assert (entry["last_day"], entry["leaves_on"]) == ("2029-03-15", "2029-03-16")
    r = _kz("standing", str(reg.a.pk), "--on", "2029-03-15")
    assert [s["id"] for s in json.loads(r.output)] == [entry["id"]]
    r = _kz("daily", "--today", "2029-03-16")
    assert r.exit_code == 0, r.output
    kinds = {a["kind"] for a in json.loads(r.output)}
    assert {"credit_term_ended", "credit_proposal_pending"} <= kinds
    assert json.loads(_kz("standing", str(reg.a.pk), "--on", "2029-03-16").output) == []
    proposal = ListEntry.objects.get(status="proposed")
    r = _kz("remove", str(proposal.pk), "--as", "u-reg-im", "--kind", "rejected", "--reason", "已履行")
    assert r.exit_code == 0, r.output
    r = _kz("entries", "--as", "u-reg-im")
    assert {e["removal_kind"] for e in json.loads(r.output)} == {"escalated", "rejected"}
    assert json.loads(_kz("entries", "--on", "2029-03-16").output) == []  # the public view: nothing current
    assert _kz("daily", "--today", "2029-02-30").exit_code != 0
