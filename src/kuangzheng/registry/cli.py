"""`kz import` / `kz export`: registry records in and out (JSON, CSV, layer files), all rows or none."""

from __future__ import annotations

from pathlib import Path

import click

from kuangzheng.access.cli import actor_named
from kuangzheng.runtime import progress, setup_django

ENTITY_CHOICE = click.Choice(["enterprise", "facility", "right", "zone"])


@click.command("import")
@click.argument("entity", type=ENTITY_CHOICE)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "as_user", default="admin", show_default=True, help="user the import is recorded as")
def import_(entity, path, as_user):
    """Import registry records from JSON (a list of objects) or CSV: all rows or none."""
    setup_django()
    from kuangzheng.registry import transfer

    actor = actor_named(as_user)
    try:
        rows = transfer.read_rows(Path(path))
        result = transfer.import_rows(actor, entity, rows, progress=progress(len(rows)), source=Path(path).name)
    except transfer.ImportRejected as exc:
        for p in exc.problems:
            click.echo(p.text("zh") + " / " + p.text("en"), err=True)
        raise click.ClickException(
            f"导入失败，未写入任何记录（{len(exc.problems)} 个问题）/ import refused, nothing written "
            f"({len(exc.problems)} problems)"
        ) from None
    click.echo(
        f"新增 {result['created']}，已存在跳过 {result['unchanged']} / created {result['created']}, "
        f"unchanged {result['unchanged']}"
    )


@click.command("export")
@click.argument("entity", type=ENTITY_CHOICE)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "geojson", "gpkg", "shp", "kml"]),
    default="json",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="file (default: standard output)")
@click.option("--as", "as_user", default="admin", show_default=True)
def export(entity, fmt, output, as_user):
    """Export registry records (as the given user may see them) to JSON, CSV or a geo layer file."""
    setup_django()
    from kuangzheng.registry import transfer

    if fmt in ("geojson", "gpkg", "shp", "kml"):
        if not output or entity == "enterprise":
            raise click.ClickException(
                "geo formats need -o FILE and a spatial entity / 图层格式需要 -o 文件且为空间对象"
            )
        click.echo(f"已写出 / written: {transfer.export_layer(actor_named(as_user), entity, Path(output), fmt)}")
        return
    text = transfer.export_text(actor_named(as_user), entity, fmt)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


COMMANDS = (import_, export)
