"""`kz check FILE.json`, `kz sweep`, `kz sweep-diff`, `kz sweep-export`: the compliance engine from the shell."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from kuangzheng.access.cli import actor_named
from kuangzheng.runtime import setup_django


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"日期应为 YYYY-MM-DD / a date must be YYYY-MM-DD: {value}") from None


def _out(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=1, default=str))


def _service_errors(fn):
    import functools

    @functools.wraps(fn)
    def wrapped(*a, **kw):
        from kuangzheng.errors import ServiceError

        try:
            return fn(*a, **kw)
        except ServiceError as exc:
            if hasattr(exc, "problems"):
                for p in exc.problems:
                    click.echo(p.text("zh") + " / " + p.text("en"), err=True)
            raise click.ClickException(f"{exc.zh} / {exc.en}") from None

    return wrapped


@click.command("check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--as-of", "as_of", help="evaluate as of this date (YYYY-MM-DD; default: the file's as_of, else today)")
@click.option("--as", "as_user", default="admin", show_default=True, help="user the check runs as")
@_service_errors
def check(path, as_of, as_user):
    """Check a what-if subject described in a JSON file (docs/check-input.md); print the verdicts as JSON."""

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path} 不是有效的 UTF-8 JSON / is not valid UTF-8 JSON: {exc}") from None
    setup_django()
    from . import services

    _out(services.check_whatif(actor_named(as_user), data, _date(as_of)))


@click.command("sweep")
@click.option("--as-of", "as_of", help="evaluate as of this date (YYYY-MM-DD; default today)")
@click.option("--as", "as_user", default="admin", show_default=True, help="user the sweep is recorded as")
@_service_errors
def sweep(as_of, as_user):
    """Check the whole registry against every rule and store the results under a new run id."""
    from tqdm import tqdm

    from kuangzheng.compliance.core import engine
    from kuangzheng.compliance.core import rules as _rules  # noqa: F401  (registers the rule functions)

    day = _date(as_of) or dt.date.today()  # bad input is reported before any work (and any progress bar)
    setup_django()
    from . import services

    actor = actor_named(as_user)
    actor.require_staff()
    bar = tqdm(total=len(engine.RULES) + 5, desc="sweep", unit="step")

    def progress(stage, detail=None):
        bar.set_postfix_str(f"{stage} {detail if detail is not None else ''}"[:40])
        bar.update(1)

    try:
        run = services.run_sweep(actor, day, progress)
    finally:
        bar.close()
    rate = run.evaluations / run.seconds if run.seconds else float("nan")
    click.echo(
        f"扫描 {run.pk} 完成 / sweep {run.pk} done: {run.subjects} subjects, {run.evaluations} rule evaluations "
        f"in {run.seconds:.3f} s ({rate:,.0f}/s)"
    )
    _out({"run": run.pk, "as_of": run.as_of.isoformat(), "counts": run.counts})


@click.command("sweep-diff")
@click.argument("old", type=int)
@click.argument("new", type=int)
@click.option("--as", "as_user", default="admin", show_default=True)
@_service_errors
def sweep_diff(old, new, as_user):
    """What changed between two sweep runs, by (rule, subject), as JSON."""

    setup_django()
    from . import services

    actor = actor_named(as_user)
    _out(services.diff(actor, services.get_run(actor, old), services.get_run(actor, new)))


@click.command("sweep-export")
@click.argument("run_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True)
@click.option("--as", "as_user", default="admin", show_default=True)
@_service_errors
def sweep_export(run_id, fmt, output, as_user):
    """Export a sweep run's results (as the given user may see them) to CSV or Excel."""

    setup_django()
    from . import services

    actor = actor_named(as_user)
    run = services.get_run(actor, run_id)
    data = services.export_csv(actor, run) if fmt == "csv" else services.export_xlsx(actor, run)
    Path(output).write_bytes(data)
    click.echo(f"已写出 / written: {output}")


COMMANDS = (check, sweep, sweep_diff, sweep_export)
