"""The data area (CP) of a frame: `;` separates items, `,` the values of one item, keys are
case-sensitive. Pollutant values are keyed `<code>-<field>` (`a21026-Rtd=12.3,a21026-Flag=N`)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime

# numeric fields of a pollutant or a piece of equipment (RS: running state, RT: running hours)
NUMERIC = {"Rtd", "Min", "Avg", "Max", "Cou", "ZsRtd", "ZsMin", "ZsAvg", "ZsMax", "RS", "RT"}
TEXT = {"Flag", "EFlag", "SampleTime", "Info"}
DATA_FLAGS = {
    "N": ("正常", "normal"),
    "F": ("停运", "stopped"),
    "M": ("维护", "maintenance"),
    "S": ("手工输入", "manual input"),
    "D": ("故障", "fault"),
    "C": ("校准", "calibrating"),
    "T": ("超测定上限", "over range"),
    "B": ("通讯异常", "communication fault"),
}
_CODE = re.compile(r"[0-9a-zA-Z]{2,10}")  # 2017 codes (a21026) and 2005 ones (011, B01)
_TIME = re.compile(r"\d{14}")
_SEEN_CODES: set[str] = set()  # codes that passed _CODE: a handful repeat in every frame


class CPError(ValueError):
    pass


@dataclass
class DataArea:
    data_time: datetime | None = None
    items: dict[str, str] = field(default_factory=dict)  # plain items: RtdInterval, QnRtn, RestartTime…
    values: dict[str, dict[str, float | str]] = field(default_factory=dict)  # code -> field -> value
    problems: list[str] = field(default_factory=list)


def parse_time(text: str) -> datetime:
    if not _TIME.fullmatch(text):
        raise CPError(f"time {text[:20]!r} is not YYYYMMDDhhmmss")
    try:
        return datetime(
            int(text[:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]), int(text[10:12]), int(text[12:])
        )
    except ValueError:
        raise CPError(f"time {text!r} does not exist") from None


def _number(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise CPError(f"{text[:20]!r} is not a number") from None
    if not math.isfinite(v) or "_" in text:
        raise CPError(f"{text[:20]!r} is not a finite number")
    return v


def _put(area: DataArea, key: str, value: str) -> None:
    code, dash, name = key.partition("-")
    if not dash:
        if key == "DataTime":
            t = parse_time(value)
            if area.data_time not in (None, t):
                raise CPError("DataTime given twice with different values")
            area.data_time = t
        elif key in area.items and area.items[key] != value:
            raise CPError(f"{key} given twice")
        else:
            area.items[key] = value
        return
    if code not in _SEEN_CODES:
        if not _CODE.fullmatch(code):
            raise CPError(f"{code[:20]!r} is not a code")
        if len(_SEEN_CODES) < 10_000:  # bounded: garbage cannot grow it without end
            _SEEN_CODES.add(code)
    if name in NUMERIC:
        parsed: float | str = _number(value)
    elif name in TEXT:
        if name == "Flag" and value not in DATA_FLAGS:
            raise CPError(f"{code}-Flag={value[:5]!r} is not a data flag")
        parsed = value
    else:
        raise CPError(f"{key[:30]!r}: unknown field")
    slot = area.values.setdefault(code, {})
    if name in slot and slot[name] != parsed:
        raise CPError(f"{key} given twice")
    slot[name] = parsed


def parse_cp(text: str, *, strict: bool = True) -> DataArea:
    """Parse the CP text. Strict raises CPError on the first bad item; lenient drops bad items (and
    a pollutant whose value is unreadable drops all of that pollutant's fields) and lists them."""
    area = DataArea()
    bad_codes: set[str] = set()
    for group in text.split(";"):
        for item in group.split(","):
            if not item:
                continue
            key, eq, value = item.partition("=")
            try:
                if not eq:
                    raise CPError(f"item {item[:30]!r} has no '='")
                _put(area, key, value)
            except CPError as exc:
                if strict:
                    raise
                area.problems.append(str(exc))
                code = key.partition("-")[0]
                if "-" in key:
                    bad_codes.add(code)
    for code in bad_codes:
        area.values.pop(code, None)
    return area
