"""`kz audit …`: the audit trail."""

from __future__ import annotations

import sys

import click

from kuangzheng.runtime import setup_django


@click.group()
def audit():
    """The audit trail."""


@audit.command("verify")
@click.option("--no-records", is_flag=True, help="skip comparing the registry's records with the log")
def audit_verify(no_records):
    """Recompute the hash chain, check it against the signed checkpoints and the registry's records
    against their last audited state; exit 1 if anything was altered, removed or edited directly."""
    setup_django()
    from kuangzheng.audit import service

    r = service.verify(records=not no_records)
    for p in r.problems:
        click.echo(p, err=True)
    for w in r.warnings:
        click.echo(f"note: {w}", err=True)
    click.echo(
        f"{'完整' if r.ok else '被篡改'} / {'intact' if r.ok else 'TAMPERED'}: {r.checked} entries checked,"
        f" {r.checkpoints} signed checkpoints, {r.records} records compared with their last audited state"
    )
    sys.exit(0 if r.ok else 1)


@audit.command("checkpoint")
def audit_checkpoint():
    """Sign the chain's head with the audit key and append it to the checkpoint log (the server also
    does this on the first write of each day; run it from cron for a fixed time)."""
    setup_django()
    from django.conf import settings

    from kuangzheng.audit import anchor

    cp = anchor.checkpoint()
    if cp is None:
        click.echo("审计日志为空 / the audit log is empty: nothing to anchor")
        return
    click.echo(f"检查点 / checkpoint seq {cp.seq} {cp.hash} at {cp.at} (key {cp.key_id})")
    click.echo(f"log: {settings.AUDIT_CHECKPOINT_LOG}", err=True)
