"""`kz monitor …`: evaluate warnings, write a report template, the plan-evaluation report, the
ledger check and the forecast backtest."""

from __future__ import annotations

import json

import click

from kuangzheng.runtime import setup_django


def _setup():
    setup_django()


@click.group("monitor")
def monitor():
    """监测预警 Monitoring and early warning."""


@monitor.command("evaluate")
def evaluate():
    """Evaluate the warning rules over the accepted reports and store the warnings."""
    _setup()
    from kuangzheng.access.actor import SYSTEM_ACTOR

    from . import warnings

    click.echo(json.dumps(warnings.evaluate(SYSTEM_ACTOR), ensure_ascii=False))


@monitor.command("template")
@click.argument("report_type")
@click.argument("path", type=click.Path(dir_okay=False))
def template(report_type, path):
    """Write the blank Excel template of REPORT_TYPE to PATH."""
    from kuangzheng.monitoring.core.reports import build_template

    build_template(report_type).save(path)
    click.echo(f"已写出 / written {path}")


@monitor.command("plan-report")
@click.option("--year", type=int, default=None, help="evaluation year (default: the latest year reported)")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False), help="write the printable PDF here")
def plan_report(year, pdf_path):
    """规划实施年度评估: print the target statuses; with --pdf write the report."""
    _setup()
    from . import plan

    ctx = plan.context(year)
    for r in ctx["tracked"]:
        click.echo(f"{r['id']:<40} {r['status']:<18} {r['description_zh']}")
    click.echo(f"{len(ctx['targets'])} targets, {len(ctx['tracked'])} with actuals; year {ctx['year']}")
    if pdf_path:
        with open(pdf_path, "wb") as fh:
            fh.write(plan.pdf(ctx))
        click.echo(f"已写出 / written {pdf_path}")


@monitor.command("ledger-check")
def ledger_check():
    """Check that the capacity-replacement ledger balances."""
    _setup()
    from . import ledger

    s = ledger.state()
    click.echo(
        json.dumps(
            {"balanced": s["balanced"], "problems": s["problems"], "quotas": s["quotas"]}, ensure_ascii=False, indent=1
        )
    )
    if not s["balanced"]:
        raise SystemExit(1)


@monitor.command("backtest")
def backtest():
    """Forecast backtests (prints MAPE and RMSE per metal, origin and method)."""
    from kuangzheng.monitoring.core.backtest import main as run

    run([])
