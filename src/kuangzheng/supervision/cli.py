"""`kz supervise …`: the daily job, draw verification, zombie rights."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from kuangzheng.runtime import setup_django


@click.group()
def supervise():
    """监管执法 Supervision: daily watch, random-draw verification, zombie rights."""


def _day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError:
        raise click.BadParameter("日期格式应为 YYYY-MM-DD / the date must be YYYY-MM-DD") from None


@supervise.command()
@click.option("--date", "on", default=None, help="Run as of this day (YYYY-MM-DD; default today).")
def daily(on):
    """Escalate overdue orders, raise and resolve alerts, mail the digest (the task `kz serve` runs daily)."""
    day = _day(on)
    setup_django()
    from .tasks import daily as job

    result = job.enqueue(day.isoformat())
    click.echo(
        json.dumps({"task": str(result.id), "status": str(result.status), "result": _value(result)}, ensure_ascii=False)
    )


def _value(result):
    try:
        return result.return_value
    except Exception:  # queued for the worker (KZ_TASKS=db): no value yet
        return None


@supervise.command()
@click.option(
    "--verify",
    "path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A published draw result file.",
)
def draw(path):
    """Recompute a published draw from its result file alone (no database needed)."""
    from .core import draw as core

    try:
        published = json.loads(Path(path).read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"不是 JSON 文件 / not a JSON file: {exc}") from None
    problems = core.verify(published) if isinstance(published, dict) else ["the file is not a JSON object"]
    if problems:
        for p in problems:
            click.echo("✗ " + p, err=True)
        raise click.ClickException("复核不通过 / the draw does NOT verify")
    click.echo(
        f"✓ 复核通过 / verified: {len(published['drawn'])} of {len(published['subjects'])} subjects, "
        f"seed {published['seed']!r}, subjects SHA-256 {published['subjects_sha256']}"
    )


@supervise.command()
@click.option("--date", "on", default=None)
def zombies(on):
    """List zombie exploration rights with their evidence (M19)."""
    day = _day(on)
    setup_django()
    from . import zombies as z

    click.echo(json.dumps(z.detect(day), ensure_ascii=False, indent=1, default=str))


@supervise.command()
@click.argument("username")
@click.option("--division", required=True, help="The inspector's division (GB/T 2260 code).")
@click.option("--link", "links", multiple=True, type=int, help="An enterprise id the inspector is linked to (recusal).")
@click.option("--as", "as_user", default="admin", show_default=True)
def inspector(username, division, links, as_user):
    """Put a regulator into the inspector pool."""
    setup_django()
    from django.contrib.auth import get_user_model

    from kuangzheng.access.cli import actor_named
    from kuangzheng.errors import ServiceError

    from . import plans

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"用户 {username} 不存在 / no user {username}")
    try:
        ins = plans.enrol(actor_named(as_user), user, division, list(links))
    except ServiceError as exc:
        raise click.ClickException(f"{exc.zh} / {exc.en}") from None
    click.echo(json.dumps({"code": ins.code, "division": ins.division, "links": ins.links}, ensure_ascii=False))
