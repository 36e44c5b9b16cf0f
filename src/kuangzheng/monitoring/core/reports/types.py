"""Report types as data (report_types.yaml beside this file), loaded into dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from ..errors import MonitorInputError

FIELD_TYPES = ("code", "month", "year", "choice", "number")


@dataclass(frozen=True)
class Field:
    key: str
    zh: str
    en: str
    type: str
    required: bool = False
    unit: str = ""
    unit_zh: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (code, zh label)
    history: bool = False
    total: bool = False


@dataclass(frozen=True)
class Rule:
    kind: str  # le | sum | balance
    params: dict


@dataclass(frozen=True)
class ReportType:
    id: str
    zh: str
    en: str
    version: int
    key: tuple[str, ...]
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...]

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


def _field(d: dict) -> Field:
    if d["type"] not in FIELD_TYPES:
        raise ValueError(f"field {d['key']}: unknown type {d['type']}")
    choices = tuple((str(c["code"]), str(c["zh"])) for c in d.get("choices", ()))
    # PyYAML reads 5.0e6 (no exponent sign) as a string, so bounds are converted here
    bounds = {k: float(d[k]) for k in ("min", "max") if d.get(k) is not None}
    return Field(**{**d, "choices": choices, **bounds})


@lru_cache(maxsize=1)
def report_types() -> dict[str, ReportType]:
    text = resources.files(__package__).joinpath("report_types.yaml").read_text("utf-8")
    out = {}
    for t in yaml.safe_load(text)["types"]:
        rules = tuple(Rule(r["kind"], {k: v for k, v in r.items() if k != "kind"}) for r in t.get("rules", ()))
        out[t["id"]] = ReportType(
            t["id"], t["zh"], t["en"], int(t["version"]), tuple(t["key"]), tuple(_field(f) for f in t["fields"]), rules
        )
    return out


def get_report_type(report_type: str | ReportType) -> ReportType:
    if isinstance(report_type, ReportType):
        return report_type
    types = report_types()
    if report_type not in types:
        raise MonitorInputError(
            "report_type",
            f"未知报表类型 {report_type!r}，可选 {sorted(types)}",
            f"unknown report type {report_type!r}; choose from {sorted(types)}",
        )
    return types[report_type]
