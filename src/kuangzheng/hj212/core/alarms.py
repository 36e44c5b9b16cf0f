"""The receiver's alarm rules. HJ 212-2017 has no alarm command (2005's CN 2072 is gone), so the
platform computes them: exceedance of a limit on hourly averages, device states from the data flags,
silence, and the daily data capture rate. Pure functions over plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from . import codes
from .cp import DATA_FLAGS

EXCEEDANCE, DEVICE, SILENCE, CAPTURE = "exceedance", "device", "silence", "capture"
# flags that mean the analyser is not measuring normally (S, manual input, is data, not a state)
DEVICE_FLAGS = ("D", "M", "C", "T", "F", "B")
VALID_FOR_COMPLIANCE = ("N",)  # an hour flagged otherwise is not a valid measurement of discharge


@dataclass(frozen=True)
class Limit:
    code: str
    value: float
    basis: str  # "measured" or "converted" (to the reference O₂)
    source: str
    is_example: bool = False


@dataclass(frozen=True)
class HourValue:
    code: str
    hour: datetime
    avg: float | None
    zs_avg: float | None
    flag: str
    derived: bool = False  # computed by the platform from real-time or minute values


@dataclass(frozen=True)
class Alarm:
    kind: str
    code: str
    at: datetime  # the hour, the flag's time, the last contact, or the day
    value: float | None
    threshold: float | None
    unit: str
    severity: str
    message_zh: str
    message_en: str
    source: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.code)


def _name(code: str) -> tuple[str, str, str]:
    p = codes.get(code)
    return (p.name_zh, p.name_en or code, p.unit) if p else (code, code, "")


def exceedances(latest_hours: list[HourValue], limits: dict[str, Limit]) -> list[Alarm]:
    """One alarm per pollutant whose latest valid hourly average is above its limit; the converted
    average is compared where the limit says so (no converted value: no verdict)."""
    out = []
    for h in latest_hours:
        limit = limits.get(h.code)
        if limit is None or h.flag not in VALID_FOR_COMPLIANCE:
            continue
        value = h.zs_avg if limit.basis == "converted" else h.avg
        if value is None or value <= limit.value:
            continue
        zh, en, unit = _name(h.code)
        basis_zh, basis_en = ("折算", "converted ") if limit.basis == "converted" else ("", "")
        example = ("（示例限值）", " (example limit)") if limit.is_example else ("", "")
        made = ("（由实时或分钟数据计算）", " (computed from real-time or minute data)") if h.derived else ("", "")
        out.append(
            Alarm(
                EXCEEDANCE,
                h.code,
                h.hour,
                round(value, 4),
                limit.value,
                unit,
                "alarm",
                f"{zh}{basis_zh}小时均值{made[0]} {value:.4g} {unit} 超过限值 {limit.value:g}{example[0]}"
                f"（{h.hour:%Y-%m-%d %H时}）",
                f"{en} {basis_en}hourly average{made[1]} {value:.4g} {unit} above the limit {limit.value:g}{example[1]} "
                f"({h.hour:%Y-%m-%d %H:00})",
                limit.source,
            )
        )
    return out


def device_states(latest_flags: dict[str, tuple[str, datetime]]) -> list[Alarm]:
    """One alarm per pollutant whose latest value carries a device-state flag."""
    out = []
    for code, (flag, at) in latest_flags.items():
        if flag not in DEVICE_FLAGS:
            continue
        zh, en, _ = _name(code)
        fzh, fen = DATA_FLAGS[flag]
        out.append(
            Alarm(
                DEVICE,
                code,
                at,
                None,
                None,
                flag,
                "warning",
                f"{zh}监测仪器状态：{fzh}（{flag}）",
                f"{en} analyser state: {fen} ({flag})",
            )
        )
    return out


def silence(last_contact: datetime | None, since: datetime, now: datetime, allowed_s: int) -> Alarm | None:
    """A point is silent when nothing came for longer than it is allowed (counted from its
    registration when it never sent anything)."""
    start = last_contact or since
    gap = (now - start).total_seconds()
    if gap <= allowed_s:
        return None
    zh, en = (f"{gap / 60:.0f} 分钟", f"{gap / 60:.0f} min") if gap >= 120 else (f"{gap:.0f} 秒", f"{gap:.0f} s")
    return Alarm(
        SILENCE,
        "",
        start,
        round(gap),
        allowed_s,
        "s",
        "alarm",
        f"监测点已 {zh}未上传数据（允许 {allowed_s} 秒）",
        f"no data from the point for {en} (allowed {allowed_s} s)",
    )


def capture(rate: float, threshold: float | None, day: datetime, source: str = "") -> Alarm | None:
    """The day's capture rate below the threshold the regulator set (none set: no alarm)."""
    if threshold is None or rate >= threshold:
        return None
    return Alarm(
        CAPTURE,
        "",
        day,
        round(rate, 4),
        threshold,
        "",
        "warning",
        f"{day:%Y-%m-%d} 数据捕获率 {rate:.1%} 低于 {threshold:.0%}",
        f"data capture rate on {day:%Y-%m-%d} {rate:.1%}, below {threshold:.0%}",
        source,
    )
