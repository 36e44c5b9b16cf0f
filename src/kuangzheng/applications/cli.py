"""`kz application …`: import a batch of applications, list the queue, report counts and times."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kuangzheng.access.cli import actor_named
from kuangzheng.runtime import setup_django


@click.group()
def application():
    """审批 Applications and approvals: batch import, queue, report."""


@application.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "as_user", required=True, help="the enterprise user filing them")
def import_(path, as_user):
    """File a JSON list of applications (with `documents`: {item: file path}); all or none."""
    setup_django()
    from kuangzheng.errors import InvalidInput

    from . import services

    base = Path(path).parent
    docs = json.loads(Path(path).read_text("utf-8"))
    try:
        done = services.import_batch(actor_named(as_user), docs, lambda p: (base / p).read_bytes())
    except InvalidInput as exc:
        for p in exc.problems:
            click.echo(p.text("zh") + " / " + p.text("en"), err=True)
        raise click.ClickException(
            f"导入失败，未写入任何申请 / import refused, nothing written ({len(exc.problems)})"
        ) from None
    click.echo(json.dumps({"filed": [a.pk for a in done]}, ensure_ascii=False))


@application.command("list")
@click.option("--as", "as_user", default="admin", show_default=True)
@click.option("--status", default="")
@click.option("--kind", default="")
@click.option("--overdue", is_flag=True)
def list_(as_user, status, kind, overdue):
    """The queue in the user's scope, oldest filing first."""
    setup_django()
    from . import services

    actor = actor_named(as_user)
    for a in services.queue(actor, status=status, kind=kind, overdue=overdue):
        d = services.serialize(actor, a, full=False)
        left = ", ".join(f"{c['clock']} {c['days_left']}" for c in d["clocks"] if c["running"])
        click.echo(f"{d['id']}\t{d['kind']}\t{d['status']}\t{d['filed_at'] or '-'}\t{d['name']}\t{left}")


@application.command("report")
@click.option("--as", "as_user", default="admin", show_default=True)
def report(as_user):
    """Counts per status and working days spent per stage (median, max), as JSON."""
    setup_django()
    from kuangzheng.errors import ServiceError

    from . import services

    try:
        out = services.report(actor_named(as_user))
    except ServiceError as exc:
        raise click.ClickException(f"{exc.zh} / {exc.en}") from None
    click.echo(json.dumps(out, ensure_ascii=False, indent=2))
