"""`kz credit …`: the lists' rules, entries, entering and removing, a holder's standing, and the
daily credit check (`kz credit daily --today 2029-03-16` runs it as of any day)."""

from __future__ import annotations

import datetime as dt
import json

import click

from kuangzheng.access.cli import actor_named
from kuangzheng.runtime import setup_django


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise click.BadParameter("日期格式应为 YYYY-MM-DD / the date must be YYYY-MM-DD") from None


def _run(fn):
    """Service errors as the CLI shows them: every problem in both languages, exit status 1."""
    from kuangzheng.errors import InvalidInput, ServiceError

    try:
        return fn()
    except InvalidInput as exc:
        for p in exc.problems:
            click.echo(p.text("zh") + " / " + p.text("en"), err=True)
        raise click.ClickException("未写入 / nothing written") from None
    except ServiceError as exc:
        raise click.ClickException(f"{exc.zh} / {exc.en}") from None


def _echo(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=1, default=str))


@click.group()
def credit():
    """信用名单 Credit lists: rules, entries, standing, the daily check."""


@credit.command("lists")
def lists_():
    """Each list's reasons, term, removal rule and bars, with their sources."""
    from .core import rules

    _echo(rules.lists())


@credit.command("entries")
@click.option("--list", "list_key", default="")
@click.option("--status", default="")
@click.option("--as", "as_user", default="", help="a user whose scope to read in (default: the public view)")
@click.option("--on", default=None, help="the day whose current entries to show (default today)")
def entries_(list_key, status, as_user, on):
    """Entries as a user sees them (the public: current entries only)."""
    setup_django()
    from kuangzheng.access.actor import PUBLIC_ACTOR

    from . import services

    actor = actor_named(as_user) if as_user else PUBLIC_ACTOR
    _echo(
        [services.serialize(actor, e) for e in services.entries(actor, list_key=list_key, status=status, on=_day(on))]
    )


@credit.command("enter")
@click.option("--as", "as_user", required=True, help="the regulator deciding")
@click.option("--list", "list_key", required=True)
@click.option("--enterprise", required=True, type=int)
@click.option("--reason", required=True)
@click.option("--detail", required=True, help="the facts and reasons (Chinese)")
@click.option("--basis", default="")
@click.option("--source", default="")
@click.option("--entered-on", default=None)
def enter_(as_user, list_key, enterprise, reason, detail, basis, source, entered_on):
    """Enter a holder on a list by decision."""
    setup_django()
    from . import services

    e = _run(
        lambda: services.enter(
            actor_named(as_user),
            list_key,
            enterprise,
            reason,
            detail_zh=detail,
            basis=basis,
            source=source,
            entered_on=_day(entered_on),
        )
    )
    _echo(services.public(e))


@credit.command("remove")
@click.argument("entry", type=int)
@click.option("--as", "as_user", required=True)
@click.option("--kind", type=click.Choice(["repair", "revoked", "rejected"]), required=True)
@click.option("--reason", required=True)
def remove_(entry, as_user, kind, reason):
    """Remove an entry (repair, revoked) or reject a proposal, with a reason."""
    setup_django()
    from . import services

    actor = actor_named(as_user)
    _echo(services.serialize(actor, _run(lambda: services.remove(actor, entry, kind, reason))))


@credit.command("standing")
@click.argument("enterprise", type=int)
@click.option("--on", default=None, help="the day (default today)")
def standing_(enterprise, on):
    """The lists a holder stands on at a day."""
    setup_django()
    from . import services

    _echo(services.standing(enterprise, _day(on)))


@credit.command("daily")
@click.option("--today", default=None, help="run as of this day (default: today)")
def daily(today):
    """End entries whose term is over, propose entries for missing annual filings, print the alerts."""
    setup_django()
    from . import services

    _echo(services.due_alerts(_day(today) or services.current_date()))
