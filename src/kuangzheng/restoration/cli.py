"""`kz restoration …`: indicators, the yearly report, a mine's fund and the ledger check."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kuangzheng.runtime import setup_django


@click.group()
def restoration():
    """矿山地质环境治理恢复 mine restoration: indicators, reports, fund accounts."""


@restoration.command()
@click.option("--division", default="", help="GB/T 2260 code of a league/city (default: the region).")
def indicators(division):
    """Area balance, historical restoration rate, fund coverage and green mines (JSON)."""
    setup_django()
    from . import indicators as ind

    click.echo(json.dumps(ind._summary(ind._prefix(None, division or None)), ensure_ascii=False, indent=1))


@restoration.command()
@click.argument("year", type=int)
@click.option("--division", default="")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the PDF here.")
def report(year, division, pdf_path):
    """The yearly report's totals (JSON), and its PDF with --pdf."""
    setup_django()
    from kuangzheng.access.actor import SYSTEM_ACTOR

    from . import reports

    data = reports.build(SYSTEM_ACTOR, year, division or None)
    click.echo(data["line"])
    click.echo(data["seed"]["line"])
    if pdf_path:
        pdf_path.write_bytes(reports.pdf(data))
        click.echo(f"PDF: {pdf_path}")


@restoration.command()
@click.argument("licence_no")
def fund(licence_no):
    """A mine's fund account: balances, totals and the invariant check (exit 1 if it fails)."""
    setup_django()
    from kuangzheng.registry import services as registry

    from . import fund as ledger
    from .models import FundAccount

    r = registry.records("right").filter(licence_no=licence_no).first()
    acc = FundAccount.objects.filter(right_id=r.pk).first() if r else None
    if acc is None:
        click.echo(f"没有该矿山的基金账户 / no fund account for {licence_no}", err=True)
        sys.exit(2)
    s = ledger.state(acc)
    s.pop("postings")
    click.echo(json.dumps(s, ensure_ascii=False, indent=1))
    sys.exit(0 if s["balanced"] else 1)


@restoration.command("check-ledgers")
def check_ledgers():
    """Re-check every fund account from its postings (exit 1 if any does not balance)."""
    setup_django()
    from . import fund as ledger
    from .models import FundAccount

    bad = [a.right_id for a in FundAccount.objects.all() if not ledger.state(a)["balanced"]]
    click.echo(json.dumps({"accounts": FundAccount.objects.count(), "unbalanced": bad}))
    sys.exit(1 if bad else 0)
