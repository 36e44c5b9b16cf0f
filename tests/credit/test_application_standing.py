"""The holder's standing in the applications' automatic checks at filing: a list that bars the kind
blocks (a reviewer must override it with a reason), a list that only flags shows, no entry shows none."""

import pytest

from kuangzheng.applications import services as applications
from tests.applications.helpers import FAR, filed

from .helpers import actors, enter

pytestmark = pytest.mark.django_db


def test_no_entry_no_standing_verdict(reg):
    app = filed(reg, FAR)
    standing = app.checks["standing"]
    assert standing["checked"] is True and standing["verdicts"] == []
    assert not [k for k in app.checks["blocking"] if k.startswith("credit:")]


def test_a_list_that_bars_the_kind_blocks_the_application(reg):
    e = enter(reg, "serious_dishonesty", "decided_violation", detail_zh="行政处罚决定")
    app = filed(reg, FAR)  # a new mining right: barred by the serious-dishonesty list
    [v] = app.checks["standing"]["verdicts"]
    assert (v["key"], v["effect"], v["blocking"]) == (f"credit:serious_dishonesty:{e.pk}", "block", True)
    assert "第十八条" in v["bar_source"] and "第十七条" in v["basis"]
    assert v["key"] in app.checks["blocking"]
    im = actors(reg)["reg_im"]
    app = applications.act(im, app.pk, "accept", {"version": app.version})
    app = applications.override(im, app.pk, v["key"], "已核实：处罚已履行", app.version)
    assert v["key"] in app.overrides


def test_a_list_that_only_flags_is_shown_but_does_not_block(reg):
    e = enter(reg, "abnormal", "unreachable")
    app = filed(reg, FAR)
    [v] = app.checks["standing"]["verdicts"]
    assert (v["id"], v["effect"], v["blocking"]) == (e.pk, "flag", False)
    assert v["key"] not in app.checks["blocking"]
