"""`kz policy …`: list, show, export, check and consistency of the policy catalogue.

The lead mounts `policy` in the `kz` command; it also runs on its own as
`python -m kuangzheng.policy.cli`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import click

from . import consistency as consistency_mod
from . import export as export_mod
from .catalogue import JURISDICTIONS, KINDS, Entry, PolicyError, build, load_catalogue, locate
from .validate import check as check_catalogue


def _fmt_value(e) -> str:
    if e.comparison == "in":
        return "、".join(e.value)
    if e.comparison == "range":
        return f"{e.value[0]}–{e.value[1]} {e.unit}"
    return f"{e.comparison} {e.value} {e.unit}"


# What other packages add to `kz policy show ID` (the policy package is pure and imports none of them):
# each takes the entry and returns extra keys. The compliance engine adds the rules that read the entry.
SHOW_EXTRAS: list[Callable[[Entry], dict]] = []


@click.group("policy", help="政策参数目录 / the policy catalogue")
def policy() -> None:
    pass


@policy.command("list", help="列出条目 / list entries")
@click.option("--doc", help="原文编号或文件名，如 000 / seed code or file name")
@click.option("--jurisdiction", type=click.Choice(JURISDICTIONS))
@click.option("--kind", type=click.Choice(KINDS))
def list_cmd(doc, jurisdiction, kind) -> None:
    entries = load_catalogue().filter(doc=doc, jurisdiction=jurisdiction, kind=kind)
    for e in entries:
        click.echo(f"{e.id}\t{e.kind}\t{_fmt_value(e)}\t{e.description_zh}")
    click.echo(f"共 {len(entries)} 条 / {len(entries)} entries", err=True)


@policy.command("show", help="显示一个条目及其出处 / show one entry with its citation")
@click.argument("entry_id")
def show(entry_id: str) -> None:
    cat = load_catalogue()
    try:
        e = cat.get(entry_id)
    except PolicyError as exc:
        raise click.ClickException(f"{exc.zh} / {exc.en}") from None
    d = e.as_dict()
    span = locate(e, cat.seeds_dir)
    d["quote_offsets"] = list(span) if span else None
    for extra in SHOW_EXTRAS:
        d.update(extra(e))
    click.echo(json.dumps(d, ensure_ascii=False, indent=1))


@policy.command("export", help="导出目录 / export the catalogue")
@click.option("--format", "fmt", type=click.Choice(export_mod.FORMATS), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="输出文件 / output file")
def export(fmt: str, output: str | None) -> None:
    text = export_mod.dumps(fmt)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        click.echo(f"已写入 {output} / written {output}", err=True)
    else:
        click.echo(text, nl=False)


@policy.command("check", help="校验目录，有问题时退出码为 1 / validate; exit 1 on problems")
@click.option(
    "--dir",
    "directory",
    type=click.Path(exists=True, file_okay=False),
    help="另一个目录文件夹（默认为随包目录） / another catalogue folder (default: the shipped one)",
)
def check(directory: str | None) -> None:
    cat = build(Path(directory)) if directory else load_catalogue()
    problems = check_catalogue(cat)
    for p in problems:
        click.echo(p.text())
    n = len(cat.entries)
    if problems:
        click.echo(f"发现 {len(problems)} 个问题 / {len(problems)} problems in {n} entries", err=True)
        sys.exit(1)
    click.echo(f"目录无误：{n} 条 / catalogue OK: {n} entries")


@policy.command("consistency", help="增长率复核与含糊之处 / growth rates recomputed, ambiguities")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
def consistency(as_json: bool) -> None:
    rep = consistency_mod.report()
    if as_json:
        click.echo(json.dumps(rep.as_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(rep.text())


if __name__ == "__main__":  # pragma: no cover
    policy()
