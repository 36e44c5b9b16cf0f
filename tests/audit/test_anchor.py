"""The anchored chain: signed checkpoints kept outside the database catch what the hash chain alone
cannot — truncation with the head rewound, an entry rewritten with every later hash recomputed — and
the records' current state is compared with their last audited state (direct SQL edits)."""

import base64
import json

from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.db import connection

from kuangzheng.audit import anchor
from kuangzheng.audit import service as audit
from kuangzheng.audit.models import AuditCheckpoint, AuditEntry
from kuangzheng.cli import main
from kuangzheng.registry import services
from tests.support.registry import ADMIN


def _sql(sql, params=()):
    with connection.cursor() as cur:
        cur.execute(sql, list(params))


def _rewind_head_to_tail():
    tail = AuditEntry.objects.order_by("-seq").first()
    _sql("update audit_audithead set seq = %s, hash = %s where id = 1", [tail.seq, tail.hash])


def _recompute_from(seq):
    """What a careful forger does after editing entry `seq`: recompute it and every later hash."""
    prev = AuditEntry.objects.get(seq=seq - 1).hash if seq > 1 else audit.GENESIS
    for e in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        h = audit.entry_hash(
            prev, e.seq, audit._iso(e.at), e.actor, e.role, e.action, e.entity, e.entity_id, e.before, e.after
        )
        _sql("update audit_auditentry set prev_hash = %s, hash = %s where id = %s", [prev, h, e.pk])
        prev = h
    _rewind_head_to_tail()


def test_an_untouched_database_verifies_intact(reg, settings):
    cp = anchor.checkpoint()
    services.update(ADMIN, "zone", reg.zone.pk, {"name": "新名"}, reg.zone.version)  # after the checkpoint
    r = audit.verify()
    assert r.ok, r.problems
    assert (r.checkpoints, r.records) == (1, 8) and not r.warnings
    assert settings.AUDIT_SIGNING_KEY_FILE.stat().st_mode & 0o077 == 0  # the key is private to its owner
    line = json.loads(settings.AUDIT_CHECKPOINT_LOG.read_text())
    assert (line["seq"], line["hash"]) == (cp.seq, AuditEntry.objects.get(seq=cp.seq).hash)


def test_truncation_with_the_head_rewound_is_detected(reg):
    anchor.checkpoint()
    last = AuditEntry.objects.order_by("-seq").first().seq
    _sql("delete from audit_auditentry where seq > %s", [last - 2])
    _rewind_head_to_tail()
    assert not any("chain head" in p or "prev_hash" in p for p in audit.verify(records=False).problems)
    r = audit.verify(records=False)
    assert not r.ok and any(f"entries {last - 1}–{last} missing" in p for p in r.problems), r.problems
    # removing the checkpoints from the database too does not help: the exported log still has them
    _sql("delete from audit_auditcheckpoint")
    r = audit.verify(records=False)
    assert not r.ok and any("beyond the chain's end" in p for p in r.problems)


def test_a_rewritten_entry_with_recomputed_hashes_is_detected(reg):
    anchor.checkpoint()
    e = AuditEntry.objects.get(seq=2)
    _sql("update audit_auditentry set after = %s where id = %s", [json.dumps(dict(e.after, name="伪造")), e.pk])
    _recompute_from(2)
    r = audit.verify(records=False)
    # the chain is consistent with itself again; only the signed checkpoint shows the rewrite
    assert [p for p in r.problems if "checkpoint" not in p] == []
    assert not r.ok and any("differs from the signed one" in p for p in r.problems), r.problems


def test_a_forged_checkpoint_does_not_verify(reg, settings):
    anchor.checkpoint()
    e = AuditEntry.objects.get(seq=3)
    _sql("update audit_auditentry set actor = %s where id = %s", ["someone-else", e.pk])
    _recompute_from(3)
    # the forger also rewrites the checkpoint in the database and the log, to the new head
    tail = AuditEntry.objects.order_by("-seq").first()
    _sql("update audit_auditcheckpoint set head_hash = %s where seq = %s", [tail.hash, tail.seq])
    line = json.loads(settings.AUDIT_CHECKPOINT_LOG.read_text())
    settings.AUDIT_CHECKPOINT_LOG.write_text(json.dumps(dict(line, hash=tail.hash)) + "\n")
    r = audit.verify(records=False)
    assert not r.ok and any("signature does not verify" in p for p in r.problems), r.problems
    # nor does one signed with the forger's own key
    fake = anchor.Checkpoint(tail.seq, tail.hash, line["at"], "f" * 16, "")
    sig = base64.b64encode(Ed25519PrivateKey.generate().sign(fake.message())).decode()
    settings.AUDIT_CHECKPOINT_LOG.write_text(json.dumps(dict(line, hash=tail.hash, signature=sig)) + "\n")
    assert any("signature does not verify" in p for p in audit.verify(records=False).problems)


def test_a_direct_update_of_a_registry_row_is_detected(reg):
    assert audit.verify().ok
    _sql("update registry_mineralright set name = %s where id = %s", ["私改名称", reg.r_bt.pk])
    r = audit.verify()
    assert not r.ok and r.problems == [
        f"right {reg.r_bt.pk}: name differ from the last audited state (seq "
        f"{AuditEntry.objects.filter(entity='right', entity_id=str(reg.r_bt.pk)).order_by('-seq').first().seq}):"
        " changed outside the service layer / 与最后审计状态不符（绕过服务层修改）"
    ]


def test_direct_inserts_and_deletes_are_detected(reg):
    _sql("delete from registry_facility where id = %s", [reg.fac_b.pk])
    services.entity("zone").model.objects.create(
        code="Z-SQL", name="绕过服务层", kind="key_mining_area", division_id="150200"
    )
    problems = audit.verify().problems
    assert any(f"facility {reg.fac_b.pk}: audited" in p and "no longer in the database" in p for p in problems)
    assert any(p.startswith("zone ") and "no audit entry" in p for p in problems)


def test_changes_through_the_services_keep_the_records_verified(reg):
    services.update(ADMIN, "enterprise", reg.a.pk, {"address": "新地址"}, reg.a.version)
    services.add_event(ADMIN, reg.r_bt.pk, {"kind": "suspended", "date": "2025-01-01"}, reg.r_bt.version)
    assert audit.verify().ok


def test_the_first_write_of_a_day_and_every_n_entries_anchor_the_chain(
    reg, settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_CHECKPOINT_EVERY = 3
    with django_capture_on_commit_callbacks(execute=True):
        services.update(ADMIN, "zone", reg.zone.pk, {"name": "一"}, 1)
    first = AuditCheckpoint.objects.get()
    assert first.seq == AuditEntry.objects.order_by("-seq").first().seq
    for v in (2, 3):
        with django_capture_on_commit_callbacks(execute=True):
            services.update(ADMIN, "zone", reg.zone.pk, {"name": str(v)}, v)
    assert AuditCheckpoint.objects.count() == 1  # the same day, fewer than 3 entries since
    with django_capture_on_commit_callbacks(execute=True):
        services.update(ADMIN, "zone", reg.zone.pk, {"name": "四"}, 4)
    assert AuditCheckpoint.objects.count() == 2 and audit.verify().ok


def test_the_latest_checkpoint_is_published(reg, client):
    assert client.get("/api/v1/audit/checkpoint").status_code == 404
    assert "尚无检查点" in client.get("/audit/checkpoint/").content.decode()
    cp = anchor.checkpoint()
    pub = client.get("/api/v1/audit/checkpoint").json()
    assert (pub["seq"], pub["hash"], pub["algorithm"]) == (cp.seq, cp.hash, "Ed25519")
    # anyone holding the published values verifies the signature with the published key alone
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(pub["public_key"]))
    key.verify(
        base64.b64decode(pub["signature"]),
        f"kuangzheng-audit-checkpoint/1\n{pub['seq']}\n{pub['hash']}\n{pub['at']}".encode(),
    )
    assert cp.hash in client.get("/audit/checkpoint/").content.decode()


def test_kz_audit_checkpoint_and_verify(reg):
    runner = CliRunner()
    made = runner.invoke(main, ["audit", "checkpoint"])
    assert made.exit_code == 0 and "checkpoint seq" in made.output
    ok = runner.invoke(main, ["audit", "verify"])
    assert ok.exit_code == 0 and "1 signed checkpoints, 8 records" in ok.output
    _sql("update registry_enterprise set address = %s where id = %s", ["改", reg.a.pk])
    bad = runner.invoke(main, ["audit", "verify"])
    assert bad.exit_code == 1 and "TAMPERED" in bad.output and "address differ" in bad.output
