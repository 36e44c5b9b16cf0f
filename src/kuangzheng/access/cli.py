"""`kz user …`: users bound to a role and scope; `actor_named` for every command that acts as a user."""

from __future__ import annotations

import click

from kuangzheng.runtime import setup_django


@click.group()
def user():
    """Manage users and their roles."""


@user.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "regulator", "enterprise"]), required=True)
@click.option("--division", help="division code (regulators)")
@click.option("--enterprise", type=int, help="enterprise id (enterprise users)")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def user_create(username, role, division, enterprise, password):
    """Create a user bound to a role and scope."""
    setup_django()
    from kuangzheng.access import users
    from kuangzheng.errors import ServiceError

    try:
        users.create_user(username, password, role, division=division, enterprise=enterprise)
    except ServiceError as exc:
        raise click.ClickException(f"{exc.zh} / {exc.en}") from None
    click.echo(f"已创建 / created {username} ({role})")


def actor_named(username: str):
    """The actor a command acts as (`--as USER`)."""
    from django.contrib.auth import get_user_model

    from kuangzheng.access.actor import actor_for_user

    u = get_user_model().objects.filter(username=username).first()
    if u is None:
        raise click.ClickException(f"用户 {username} 不存在 / no user {username}")
    return actor_for_user(u)


@click.group()
def token():
    """API tokens for scripts (sent as `Authorization: Bearer …`)."""


def _user_named(username: str):
    from django.contrib.auth import get_user_model

    u = get_user_model().objects.filter(username=username).first()
    if u is None:
        raise click.ClickException(f"用户 {username} 不存在 / no user {username}")
    return u


@token.command("create")
@click.argument("username")
@click.option("--name", default="script", show_default=True, help="what the token is for")
@click.option("--days", default=90, show_default=True, type=int, help="days until it expires (1–366)")
def token_create(username, name, days):
    """Make a token for USERNAME and print its secret (shown this once only)."""
    setup_django()
    from kuangzheng.access import tokens
    from kuangzheng.errors import ServiceError

    try:
        made = tokens.create(_user_named(username), name, days)
    except ServiceError as exc:
        raise click.ClickException(f"{exc.zh} / {exc.en}") from None
    click.echo(
        f"令牌 / token #{made.token.pk} for {username}, expires {made.token.expires:%Y-%m-%d}"
        " — 仅显示一次 / shown once:",
        err=True,
    )
    click.echo(made.secret)


@token.command("list")
@click.argument("username")
def token_list(username):
    """List USERNAME's tokens (never their secrets)."""
    setup_django()
    from kuangzheng.access import tokens

    for t in tokens.of_user(_user_named(username)):
        d = tokens.describe(t)
        state = "active" if d["active"] else ("revoked" if d["revoked"] else "expired")
        click.echo(f"#{d['id']}\t{d['prefix']}…\t{d['name']}\t{state}\texpires {d['expires']}\tused {d['last_used']}")


@token.command("revoke")
@click.argument("token_id", type=int)
def token_revoke(token_id):
    """Revoke a token by its number (any user's: this is the administrator's command)."""
    setup_django()
    from kuangzheng.access import tokens
    from kuangzheng.errors import ServiceError

    try:
        t = tokens.revoke(None, token_id, any_user=True)
    except ServiceError as exc:
        raise click.ClickException(f"{exc.zh} / {exc.en}") from None
    click.echo(f"已吊销 / revoked #{t.pk} ({t.user.username}, {t.name})")
