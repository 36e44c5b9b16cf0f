"""The `kz` command: set up, serve, load the demo, manage users, import/export, verify the audit chain.

Pure-core command groups (`kz policy …`, `kz geo …`) are mounted from their packages.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuangzheng.settings")
    import django

    try:
        from django.conf import settings

        django.setup()
    except RuntimeError as exc:  # settings refuse a DATABASE_URL they cannot use
        raise click.ClickException(str(exc)) from None
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    _check_database()


def _check_database():
    """Fail early, and clearly, when the configured database cannot be reached."""
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        s = connection.settings_dict
        where = s["NAME"] if connection.vendor == "sqlite" else f"{s.get('HOST') or 'localhost'}:{s.get('PORT') or 5432}/{s['NAME']}"
        raise click.ClickException(
            f"无法连接数据库 {where}（DATABASE_URL）/ cannot connect to the database {where} (DATABASE_URL): "
            f"{str(exc).strip().splitlines()[0] if str(exc).strip() else exc}")


@click.group()
def main():
    """矿政 Kuangzheng: mining-rights administration and non-ferrous industry governance."""


@main.command()
@click.option("--demo/--no-demo", default=False, help="Load the demo registry if the database is empty.")
def init(demo):
    """Create or migrate the database (and load the demo data and demo users)."""
    _django()
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
    from kuangzheng.registry import demo

    click.echo("正在载入演示数据… / loading the demo registry…")
    stats = demo.load()
    click.echo(json.dumps({k: (v if not isinstance(v, list) else len(v)) for k, v in stats.items()}, ensure_ascii=False))
    _demo_users()
    click.echo(json.dumps(__import__("kuangzheng.monitoring.demo", fromlist=["load_demo"]).load_demo(), ensure_ascii=False))


DEMO_PASSWORD = "kz-demo-2026"


def _demo_users():
    from kuangzheng.access import users
    from kuangzheng.registry.models import MineralRight

    holder = MineralRight.objects.filter(division__code__startswith="1502").order_by("pk").first() \
        or MineralRight.objects.order_by("pk").first()
    made = [users.create_user("admin", DEMO_PASSWORD, "admin"),
            users.create_user("nmg", DEMO_PASSWORD, "regulator", division="150000"),
            users.create_user("baotou", DEMO_PASSWORD, "regulator", division="150200")]
    if holder:
        made.append(users.create_user("qiye", DEMO_PASSWORD, "enterprise", enterprise=holder.holder_id))
    click.echo("演示账号 / demo accounts (password " + DEMO_PASSWORD + "): " + ", ".join(u.username for u in made))


@main.command("load-demo")
def load_demo():
    """Load the demo registry into an empty database."""
    _django()
    _load_demo()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
def serve(host, port, threads):
    """Serve the portal and API with waitress (a production WSGI server)."""
    _django()
    from django.conf import settings
    from django.core.management import call_command
    from waitress import serve as waitress_serve

    call_command("collectstatic", interactive=False, verbosity=0)
    from kuangzheng.wsgi import application  # after collectstatic: WhiteNoise indexes files when it starts

    click.echo(f"矿政门户 / Kuangzheng portal: http://{host}:{port}/  (static: {settings.STATIC_ROOT})")
    waitress_serve(application, host=host, port=port, threads=threads)


@main.group()
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
    _django()
    from kuangzheng.access import users
    from kuangzheng.errors import ServiceError

    try:
        users.create_user(username, password, role, division=division, enterprise=enterprise)
    except ServiceError as exc:
        raise click.ClickException(f"{exc.zh} / {exc.en}")
    click.echo(f"已创建 / created {username} ({role})")


ENTITY_CHOICE = click.Choice(["enterprise", "facility", "right", "zone"])


@main.command("import")
@click.argument("entity", type=ENTITY_CHOICE)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "as_user", default="admin", show_default=True, help="user the import is recorded as")
def import_(entity, path, as_user):
    """Import registry records from JSON (a list of objects) or CSV: all rows or none."""
    _django()
    from kuangzheng.registry import transfer

    actor = _actor(as_user)
    rows = transfer.read_rows(Path(path))
    try:
        result = transfer.import_rows(actor, entity, rows, progress=_progress(len(rows)))
    except transfer.ImportRejected as exc:
        for p in exc.problems:
            click.echo(p.text("zh") + " / " + p.text("en"), err=True)
        raise click.ClickException(f"导入失败，未写入任何记录（{len(exc.problems)} 个问题）/ import refused, nothing written "
                                   f"({len(exc.problems)} problems)")
    click.echo(f"新增 {result['created']}，已存在跳过 {result['unchanged']} / created {result['created']}, "
               f"unchanged {result['unchanged']}")


@main.command("export")
@click.argument("entity", type=ENTITY_CHOICE)
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "geojson", "gpkg", "shp", "kml"]), default="json",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="file (default: standard output)")
@click.option("--as", "as_user", default="admin", show_default=True)
def export(entity, fmt, output, as_user):
    """Export registry records (as the given user may see them) to JSON, CSV or a geo layer file."""
    _django()
    from kuangzheng.registry import transfer

    if fmt in ("geojson", "gpkg", "shp", "kml"):
        if not output or entity == "enterprise":
            raise click.ClickException("geo formats need -o FILE and a spatial entity / 图层格式需要 -o 文件且为空间对象")
        click.echo(f"已写出 / written: {transfer.export_layer(_actor(as_user), entity, Path(output), fmt)}")
        return
    text = transfer.export_text(_actor(as_user), entity, fmt)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


def _actor(username):
    from django.contrib.auth import get_user_model

    from kuangzheng.access.actor import actor_for_user

    u = get_user_model().objects.filter(username=username).first()
    if u is None:
        raise click.ClickException(f"用户 {username} 不存在 / no user {username}")
    return actor_for_user(u)


def _progress(total):
    from tqdm import tqdm

    bar = tqdm(total=total, unit="row", file=sys.stderr, disable=total < 200)
    return lambda n=1: bar.update(n)


@main.group()
def audit():
    """The audit trail."""


@audit.command("verify")
def audit_verify():
    """Recompute the hash chain; exit 1 if any entry was altered or removed."""
    _django()
    from kuangzheng.audit import service

    r = service.verify()
    for p in r.problems:
        click.echo(p, err=True)
    click.echo(f"{'完整' if r.ok else '被篡改'} / {'intact' if r.ok else 'TAMPERED'}: {r.checked} entries checked")
    sys.exit(0 if r.ok else 1)


def _mount_optional_groups():
    for mod, attr in (("kuangzheng.policy.cli", "policy"), ("kuangzheng.geo.cli", "geo"), ("kuangzheng.monitoring.cli", "monitor")):
        try:
            module = __import__(mod, fromlist=[attr])
        except ImportError:
            continue
        group = getattr(module, attr, None)
        if group is not None:
            main.add_command(group)


_mount_optional_groups()
[main.add_command(_c) for _c in __import__("kuangzheng.compliance.cli", fromlist=["COMMANDS"]).COMMANDS]  # kz check / sweep …
