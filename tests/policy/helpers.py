"""Small builders shared by the policy tests: constructed entries and planted catalogue copies."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

from kuangzheng.policy.catalogue import CATALOGUE_DIR, SEEDS_DIR, Catalogue, DocInfo, Entry, Growth, build

DOC = "000_af69fe513fa759e2.txt"


def entry(
    id: str,
    value,
    *,
    jurisdiction="national",
    param="p.test",
    kind="access_threshold",
    comparison=">=",
    unit="kA",
    effective=dt.date(2013, 1, 1),
    **kw,
) -> Entry:
    return Entry(
        id=id,
        doc=DOC,
        file="test.yaml",
        description_zh="测试",
        description_en="test",
        jurisdiction=jurisdiction,
        applies_to="test",
        kind=kind,
        comparison=comparison,
        value=value,
        quote="测试",
        effective=effective,
        unit=unit,
        param=param,
        **kw,
    )


def catalogue(*entries: Entry) -> Catalogue:
    info = DocInfo("test.yaml", DOC, "测试", "test", "national", None, "test", dt.date(2013, 1, 1))
    return Catalogue((info,), tuple(entries))


def growth(id: str, rate: float, to: str, frm: str | None = None, base_year=None) -> Entry:
    return entry(
        id,
        rate,
        kind="ratio_target",
        comparison="=",
        unit="%/a",
        param=None,
        growth=Growth(frm, to),
        base_year=base_year,
    )


def planted(tmp_path: Path, mutate, file: str = "000.yaml") -> Catalogue:
    """A copy of one shipped catalogue file, changed by `mutate(data)`, built against the real seeds."""
    data = yaml.load((CATALOGUE_DIR / file).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    mutate(data)
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    (tmp_path / file).write_text(text, encoding="utf-8")
    return build(tmp_path, SEEDS_DIR)


def copy_file(tmp_path: Path, file: str) -> None:
    shutil.copy(CATALOGUE_DIR / file, tmp_path / file)


def find(data: dict, entry_id: str) -> dict:
    return next(e for e in data["entries"] if e["id"] == entry_id)
