"""Concurrent writers on PostgreSQL: the audit chain stays a single chain and no update is lost.
(On SQLite, BEGIN IMMEDIATE serialises writers before they read anything, so writers never interleave.)"""

import pytest

from kuangzheng.audit import service as audit
from kuangzheng.audit.models import AuditEntry
from kuangzheng.errors import StaleVersion
from kuangzheng.registry import services
from kuangzheng.registry.models import Enterprise
from tests.support.race import postgres_only, refused_by, together
from tests.support.registry import ADMIN

pytestmark = postgres_only


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain():
    from tests.support.registry import _divisions

    _divisions()
    ents = [services.create(ADMIN, "enterprise", {"name": f"并发企业{i}", "division": "150200"}) for i in range(4)]
    start = AuditEntry.objects.count()

    def writer(pk):
        def go():
            for j in range(8):
                e = Enterprise.objects.get(pk=pk)
                services.update(ADMIN, "enterprise", pk, {"address": f"地址{j}"}, e.version)

        return go

    outcomes, errors = together([writer(e.pk) for e in ents], start_together=False, timeout=60)
    assert errors == [] and outcomes == ["ok"] * 4
    assert AuditEntry.objects.count() == start + 32
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert audit.verify().ok


@pytest.mark.django_db(transaction=True)
def test_two_editors_at_once_only_one_wins():
    from tests.support.registry import _divisions

    _divisions()
    e = services.create(ADMIN, "enterprise", {"name": "争用企业", "division": "150200"})
    outcomes, errors = together(
        [lambda text=text: services.update(ADMIN, "enterprise", e.pk, {"address": text}, 1) for text in "甲乙"],
        ok="saved",
        refused=refused_by(StaleVersion),
        timeout=60,
    )
    assert errors == []
    assert sorted(outcomes) == ["refused", "saved"]
    assert Enterprise.objects.get(pk=e.pk).version == 2
