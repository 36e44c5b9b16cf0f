"""The pollutant code table of HJ 212-2017 Appendix B, read from data/pollutant_codes.csv (its
source is in data/SOURCE.md). Units are the standard's; `symbol` only writes them the short way."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

SYMBOLS = {
    "毫克/立方米": "mg/m³",
    "微克/立方米": "µg/m³",
    "纳克/立方米": "ng/m³",
    "毫克/升": "mg/L",
    "微克/升": "µg/L",
    "纳克/升": "ng/L",
    "升/秒": "L/s",
    "立方米/秒": "m³/s",
    "立方米": "m³",
    "千克": "kg",
    "克": "g",
    "毫克": "mg",
    "%": "%",
    "摄氏度": "°C",
    "千帕": "kPa",
    "米/秒": "m/s",
    "无量纲": "",
    "个/升": "/L",
}
ENGLISH = {
    "a21026": "SO₂",
    "a21002": "NOx",
    "a34013": "particulate matter",
    "a19001": "O₂",
    "a00000": "flue-gas flow",
    "a20025": "Cd and compounds",
    "a20043": "Pb and compounds",
    "a20057": "Hg and compounds",
    "a20063": "Ni and compounds",
    "a20007": "As",
    "a01012": "flue-gas temperature",
    "a01011": "flue-gas velocity",
    "a01014": "flue-gas humidity",
    "w00000": "effluent flow",
    "w01001": "pH",
    "w01018": "COD",
    "w21003": "NH₃-N",
    "w21001": "total N",
    "w21011": "total P",
    "w20111": "total Hg",
    "w20115": "total Cd",
    "w20116": "total Cr",
    "w20117": "Cr(VI)",
    "w20119": "total As",
    "w20120": "total Pb",
    "w20122": "total Cu",
    "w20123": "total Zn",
}


@dataclass(frozen=True)
class Pollutant:
    code: str
    name_zh: str
    name_en: str
    unit_zh: str
    unit: str  # symbol
    amount_unit: str  # unit of -Cou
    former_code: str
    medium: str  # air | water

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "unit": self.unit,
            "unit_zh": self.unit_zh,
            "amount_unit": self.amount_unit,
            "medium": self.medium,
        }


@lru_cache(maxsize=1)
def table() -> dict[str, Pollutant]:
    text = resources.files(__package__).joinpath("data", "pollutant_codes.csv").read_text("utf-8")
    out = {}
    for row in csv.DictReader(text.splitlines()):
        code = row["code"]
        out[code] = Pollutant(
            code=code,
            name_zh=row["name_zh"],
            name_en=ENGLISH.get(code, ""),
            unit_zh=row["unit_zh"],
            unit=SYMBOLS.get(row["unit_zh"], row["unit_zh"]),
            amount_unit=SYMBOLS.get(row["emission_unit_zh"], row["emission_unit_zh"]),
            former_code=row["former_code_2005"],
            medium="air" if code.startswith("a") else "water",
        )
    return out


def get(code: str) -> Pollutant | None:
    return table().get(code)


@lru_cache(maxsize=1)
def by_former_code() -> dict[str, str]:
    """HJ/T 212-2005 code -> 2017 code (water codes have 3 characters, air codes 2 or S01…)."""
    return {p.former_code: p.code for p in table().values() if p.former_code}


def current_code(code: str) -> str | None:
    """The 2017 code for a 2017 or a 2005 code; None when neither table knows it."""
    if code in table():
        return code
    return by_former_code().get(code)


OXYGEN = "a19001"
