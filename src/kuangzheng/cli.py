"""The `kz` command: set up, serve and load the demo here; every domain's commands are mounted from
that domain's `cli` module."""

from __future__ import annotations

import functools
import json

import click

from kuangzheng.access import cli as access_cli
from kuangzheng.applications import cli as applications_cli
from kuangzheng.audit import cli as audit_cli
from kuangzheng.backup import backup_command, restore_command
from kuangzheng.compliance import cli as compliance_cli
from kuangzheng.credit import cli as credit_cli
from kuangzheng.geo import cli as geo_cli
from kuangzheng.hj212 import cli as hj212_cli
from kuangzheng.monitoring import cli as monitoring_cli
from kuangzheng.policy import cli as policy_cli
from kuangzheng.registry import cli as registry_cli
from kuangzheng.restoration import cli as restoration_cli
from kuangzheng.runtime import fork_workers, load_env_file, production_env, security_warnings, setup_django
from kuangzheng.supervision import cli as supervision_cli


@click.group()
@click.option(
    "--env-file",
    envvar="KZ_ENV_FILE",
    type=click.Path(dir_okay=False),
    help="Read settings (KZ_*, DATABASE_URL) from this file first, e.g. one `kz deploy-config` wrote.",
)
def main(env_file):
    """矿政 Kuangzheng: mining-rights administration and non-ferrous industry governance."""
    load_env_file(env_file)


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
    from kuangzheng.registry import services

    if services.divisions().exists():
        click.echo("演示数据已存在，跳过 / demo data already loaded, skipped")
        return
    from kuangzheng.hj212 import demo as hj212_demo
    from kuangzheng.monitoring import demo as monitoring_demo
    from kuangzheng.registry import demo

    click.echo("正在载入演示数据… / loading the demo registry…")
    stats = demo.load()
    click.echo(
        json.dumps({k: (v if not isinstance(v, list) else len(v)) for k, v in stats.items()}, ensure_ascii=False)
    )
    for key, title in DEMO_REPORTS:
        if stats.get(key):
            click.echo(f"{title} ({len(stats[key])}):")
            for line in stats[key]:
                click.echo(f"  {line}")
    _demo_users()
    click.echo(json.dumps(monitoring_demo.load_demo(), ensure_ascii=False))
    click.echo(json.dumps(hj212_demo.load(), ensure_ascii=False))
    from kuangzheng.restoration import demo as restoration_demo

    click.echo(json.dumps(restoration_demo.load(), ensure_ascii=False))


DEMO_PASSWORD = "kz-demo-2026"
# what the demo loader reports line by line: (stats key, heading)
DEMO_REPORTS = [
    ("names_not_recovered", "中文名无法从 GEM 恢复（保留英文名） / GEM mines whose Chinese name cannot be recovered"),
    ("cross_source_matches", "ICMM 与 GEM 为同一煤矿（已合并） / ICMM coal mines matched to a GEM mine (merged)"),
    ("cross_source_doubtful", "疑似同一矿山（未合并，请核对） / doubtful pairs (not merged; check)"),
    ("gem_expansion_phases", "GEM 扩建期次（单独登记为扩建项目） / GEM expansion phases (facilities of their own)"),
    ("minerals_not_in_vocabulary", "矿种词表未收录 / minerals not in the vocabulary"),
    ("deliberate_conflicts", "有意设置的重叠 / overlaps the demo makes on purpose"),
    ("overlaps", "演示数据中的全部重叠 / every overlap in the demo registry"),
    (
        "no_room_for_a_right",
        "与其他矿山同址或过近、未生成矿业权 / mines without a generated right (same site as, or too close to, another)",
    ),
]


def _demo_users():
    from kuangzheng.access import users
    from kuangzheng.registry import services

    holder = (
        services.records("right").filter(division__code__startswith="1502").order_by("pk").first()
        or services.records("right").order_by("pk").first()
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
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Threads per process: more wait their turn for the one Python lock (8 served the OGC API at 60% "
    "of 4's rate, bench/README.md); for more at once, add --workers.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes answering on the port, each with --threads threads (one Python process uses one core).",
)
def serve(host, port, threads, workers):
    """Serve the portal and API with waitress (a production WSGI server)."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from waitress import serve as waitress_serve

    for warning in security_warnings():
        click.secho("警告 / WARNING: " + warning, fg="red", bold=True, err=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.urls import get_resolver

    from kuangzheng.wsgi import application  # after collectstatic: WhiteNoise indexes files when it starts

    # every view module (and what they import: scipy, pyproj …) loaded now, before forking: otherwise the
    # first visitor paid for it, 1.9 s of the map's cold first render (bench/README.md)
    get_resolver().reverse_dict  # noqa: B018 (the resolver imports the URL modules on first use)

    click.echo(f"矿政门户 / Kuangzheng portal: http://{host}:{port}/  (static: {settings.STATIC_ROOT})")
    proxy = (
        {"trusted_proxy": settings.TRUSTED_PROXY, "trusted_proxy_headers": "x-forwarded-proto"}
        if settings.TRUSTED_PROXY
        else {}
    )
    from kuangzheng import limits

    # no request body larger than the largest upload or API body is read at all (docs/limits.md)
    most = max(limits.get("upload_bytes"), limits.get("request_bytes")) + 1024 * 1024
    from kuangzheng.supervision.tasks import start_daily_timer

    serve_on = functools.partial(waitress_serve, application, threads=threads, max_request_body_size=most, **proxy)
    if workers > 1:  # before any thread starts
        listener = fork_workers(host, port, workers, lambda sock: serve_on(sockets=[sock]))
        where = {"sockets": [listener]}
    else:
        where = {"host": host, "port": port}
    # the background jobs run in this (the first) process only
    start_daily_timer()  # the daily supervision job: run here (KZ_TASKS=immediate) or queued for `kz worker`
    if settings.MAP_WARM:
        from kuangzheng.registry.tilewarm import start_watcher

        start_watcher()  # the map's opening tiles, built ahead for each new data version
    serve_on(**where)


@main.command("deploy-config")
@click.option("--host", "hosts", multiple=True, required=True, help="A host name the site is reached at (repeatable).")
@click.option("--session-age", default=8 * 3600, show_default=True, type=click.IntRange(min=60), help="Seconds.")
@click.option("--behind-proxy/--no-proxy", default=True, show_default=True, help="TLS ends at a reverse proxy.")
@click.option("--database-url", default="", help="DATABASE_URL to write into the file.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (owner-only) instead of printing.")
def deploy_config(hosts, session_age, behind_proxy, database_url, output):
    """Write a production env file: a fresh secret key, HTTPS-only cookies, HSTS, a short session."""
    text = production_env(list(hosts), session_age=session_age, behind_proxy=behind_proxy, database_url=database_url)
    if not output:
        click.echo(text, nl=False)
        return
    import os

    try:
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise click.ClickException(f"{output} 已存在，不会覆盖 / {output} exists; not overwritten") from None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    click.echo(f"已写入 / written: {output}  (kz --env-file {output} serve)")


@main.command("deploy-check")
def deploy_check():
    """Django's deployment check (`manage.py check --deploy`) on the current settings; any warning fails."""
    import os

    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuangzheng.settings")
    try:
        django.setup()
        call_command("check", deploy=True, fail_level="WARNING")
    except (SystemCheckError, ImproperlyConfigured, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from None


main.add_command(access_cli.user)
main.add_command(access_cli.token)
main.add_command(backup_command)
main.add_command(restore_command)
main.add_command(audit_cli.audit)
main.add_command(policy_cli.policy)
main.add_command(geo_cli.geo)
main.add_command(restoration_cli.restoration)
main.add_command(monitoring_cli.monitor)
main.add_command(credit_cli.credit)
main.add_command(hj212_cli.hj212)
main.add_command(applications_cli.application)
main.add_command(supervision_cli.supervise)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def worker(args):
    """Run queued background jobs (KZ_TASKS=db): django-tasks-db's db_worker; options are passed on."""
    setup_django()
    from django.core.management import call_command

    call_command("db_worker", *args)


for _command in registry_cli.COMMANDS + compliance_cli.COMMANDS:  # kz import / export; kz check / sweep …
    main.add_command(_command)
