"""The `kz` command: set up, serve and load the demo here; every domain's commands are mounted from
that domain's `cli` module."""

from __future__ import annotations

import json

import click

from kuangzheng.access import cli as access_cli
from kuangzheng.audit import cli as audit_cli
from kuangzheng.compliance import cli as compliance_cli
from kuangzheng.geo import cli as geo_cli
from kuangzheng.monitoring import cli as monitoring_cli
from kuangzheng.policy import cli as policy_cli
from kuangzheng.registry import cli as registry_cli
from kuangzheng.runtime import setup_django


@click.group()
def main():
    """矿政 Kuangzheng: mining-rights administration and non-ferrous industry governance."""


@main.command()
@click.option("--demo/--no-demo", default=False, help="Load the demo registry if the database is empty.")
def init(demo):
    """Create or migrate the database (and load the demo data and demo users)."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    click.echo("数据库已就绪 / database ready")
    if demo:
        _load_demo()


def _load_demo():
    from kuangzheng.registry.models import Division

    if Division.objects.exists():
        click.echo("演示数据已存在，跳过 / demo data already loaded, skipped")
        return
    from kuangzheng.monitoring import demo as monitoring_demo
    from kuangzheng.registry import demo

    click.echo("正在载入演示数据… / loading the demo registry…")
    stats = demo.load()
    click.echo(
        json.dumps({k: (v if not isinstance(v, list) else len(v)) for k, v in stats.items()}, ensure_ascii=False)
    )
    _demo_users()
    click.echo(json.dumps(monitoring_demo.load_demo(), ensure_ascii=False))


DEMO_PASSWORD = "kz-demo-2026"


def _demo_users():
    from kuangzheng.access import users
    from kuangzheng.registry.models import MineralRight

    holder = (
        MineralRight.objects.filter(division__code__startswith="1502").order_by("pk").first()
        or MineralRight.objects.order_by("pk").first()
    )
    made = [
        users.create_user("admin", DEMO_PASSWORD, "admin"),
        users.create_user("nmg", DEMO_PASSWORD, "regulator", division="150000"),
        users.create_user("baotou", DEMO_PASSWORD, "regulator", division="150200"),
    ]
    if holder:
        made.append(users.create_user("qiye", DEMO_PASSWORD, "enterprise", enterprise=holder.holder_id))
    click.echo("演示账号 / demo accounts (password " + DEMO_PASSWORD + "): " + ", ".join(u.username for u in made))


@main.command("load-demo")
def load_demo():
    """Load the demo registry into an empty database."""
    setup_django()
    _load_demo()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
def serve(host, port, threads):
    """Serve the portal and API with waitress (a production WSGI server)."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from waitress import serve as waitress_serve

    call_command("collectstatic", interactive=False, verbosity=0)
    from kuangzheng.wsgi import application  # after collectstatic: WhiteNoise indexes files when it starts

    click.echo(f"矿政门户 / Kuangzheng portal: http://{host}:{port}/  (static: {settings.STATIC_ROOT})")
    from kuangzheng import limits

    # no request body larger than the largest upload or API body is read at all (docs/limits.md)
    most = max(limits.get("upload_bytes"), limits.get("request_bytes")) + 1024 * 1024
    waitress_serve(application, host=host, port=port, threads=threads, max_request_body_size=most)


main.add_command(access_cli.user)
main.add_command(audit_cli.audit)
main.add_command(policy_cli.policy)
main.add_command(geo_cli.geo)
main.add_command(monitoring_cli.monitor)
for _command in registry_cli.COMMANDS + compliance_cli.COMMANDS:  # kz import / export; kz check / sweep …
    main.add_command(_command)
