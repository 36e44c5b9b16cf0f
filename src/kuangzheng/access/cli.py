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
