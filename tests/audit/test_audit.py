"""The audit chain: every write is recorded; altering or deleting an entry in the database is detected."""

from click.testing import CliRunner
from django.db import connection

from kuangzheng.audit import service as audit
from kuangzheng.audit.models import AuditEntry
from kuangzheng.cli import main
from kuangzheng.registry import services
from tests.support.registry import ADMIN


def test_every_write_is_recorded_with_before_and_after(reg):
    n = AuditEntry.objects.count()
    services.update(ADMIN, "enterprise", reg.a.pk, {"address": "包头市青山区"}, reg.a.version)
    e = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == n + 1
    assert (e.actor, e.action, e.entity, e.entity_id) == ("t-admin", "update", "enterprise", str(reg.a.pk))
    assert e.before["address"] == "包头市昆都仑区" and e.after["address"] == "包头市青山区"
    assert audit.verify().ok


def _raw(sql, params):
    with connection.cursor() as cur:
        cur.execute(sql, params)


def test_editing_an_entry_in_the_database_is_detected(reg):
    assert audit.verify().ok
    target = AuditEntry.objects.order_by("seq")[3]
    _raw("update audit_auditentry set actor = %s where id = %s", ["someone-else", target.pk])
    r = audit.verify()
    assert not r.ok and any(f"seq {target.seq}:" in p and "altered" in p for p in r.problems)


def test_deleting_an_entry_is_detected(reg):
    target = AuditEntry.objects.order_by("seq")[2]
    _raw("delete from audit_auditentry where id = %s", [target.pk])
    r = audit.verify()
    assert not r.ok and any("missing" in p for p in r.problems)


def test_deleting_the_last_entry_is_detected(reg):
    last = AuditEntry.objects.order_by("-seq").first()
    _raw("delete from audit_auditentry where id = %s", [last.pk])
    assert not audit.verify().ok


def test_rewriting_an_entry_with_a_fresh_hash_breaks_the_next_link(reg):
    """A forger who recomputes the altered entry's own hash still breaks the chain after it."""
    e = AuditEntry.objects.order_by("seq")[1]
    after = dict(e.after, name="伪造")
    h = audit.entry_hash(
        e.prev_hash, e.seq, audit._iso(e.at), e.actor, e.role, e.action, e.entity, e.entity_id, e.before, after
    )
    AuditEntry.objects.filter(pk=e.pk).update(after=after, hash=h)
    r = audit.verify()
    assert not r.ok and any(f"seq {e.seq + 1}:" in p for p in r.problems)


def test_entries_cannot_be_changed_through_the_orm(reg):
    import pytest

    e = AuditEntry.objects.first()
    with pytest.raises(PermissionError):
        e.save()
    with pytest.raises(PermissionError):
        e.delete()


def test_kz_audit_verify_exit_codes(reg):
    runner = CliRunner()
    ok = runner.invoke(main, ["audit", "verify"])
    assert ok.exit_code == 0 and "intact" in ok.output
    _raw("update audit_auditentry set after = %s where seq = 1", ['{"x": 1}'])
    bad = runner.invoke(main, ["audit", "verify"])
    assert bad.exit_code == 1 and "TAMPERED" in bad.output
