"""`kz audit …`: the audit trail."""

from __future__ import annotations

import sys

import click

from kuangzheng.runtime import setup_django


@click.group()
def audit():
    """The audit trail."""


@audit.command("verify")
def audit_verify():
    """Recompute the hash chain; exit 1 if any entry was altered or removed."""
    setup_django()
    from kuangzheng.audit import service

    r = service.verify()
    for p in r.problems:
        click.echo(p, err=True)
    click.echo(f"{'完整' if r.ok else '被篡改'} / {'intact' if r.ok else 'TAMPERED'}: {r.checked} entries checked")
    sys.exit(0 if r.ok else 1)
