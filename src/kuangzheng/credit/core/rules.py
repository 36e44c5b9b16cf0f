"""The lists' rules as data (lists.yaml) and the date arithmetic of their terms.

Periods are counted as the Civil Code counts them (民法典 第二百零一条、第二百零三条): the day of
entry does not count; a term of years or months ends on the corresponding day of the last month, or
on that month's last day where it has none (29 February + 1 year → 28 February; 31 August + 6 months
→ 28 or 29 February). An entry leaves the list on the day after its last day. A due date for an act
(the annual filing) that falls on a public holiday or rest day moves to the next working day."""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cache
from pathlib import Path

import chinese_calendar
import yaml

HERE = Path(__file__).parent


@cache
def data() -> dict:
    with open(HERE / "lists.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def lists() -> dict[str, dict]:
    return data()["lists"]


def list_def(key: str) -> dict | None:
    return lists().get(key)


def reason_def(list_key: str, reason_key: str) -> dict | None:
    d = list_def(list_key)
    return next((r for r in d["reasons"] if r["key"] == reason_key), None) if d else None


def removal_kinds() -> dict[str, dict]:
    return data()["removal_kinds"]


def filing() -> dict:
    return data()["annual_filing"]


def add_months(start: dt.date, months: int) -> dt.date:
    """The corresponding day `months` later, or the month's last day where it has none."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def term_last_day(list_key: str, entered_on: dt.date) -> dt.date | None:
    """The last day an entry made on `entered_on` stays on the list, or None for a list without a term."""
    years = list_def(list_key)["term"]["years"]
    return None if years is None else add_months(entered_on, 12 * int(years))


def leaves_on(last_day: dt.date | None) -> dt.date | None:
    """The day the entry is off the list: the day after its term's last day."""
    return None if last_day is None else last_day + dt.timedelta(days=1)


def term_over(last_day: dt.date | None, today: dt.date) -> bool:
    return last_day is not None and today > last_day


def warn_from(list_key: str, last_day: dt.date | None) -> dt.date | None:
    """From which day the holder is warned that the term is ending (the abnormal list: 60 days before)."""
    warn = list_def(list_key).get("warn_days_before_term_end")
    if warn is None or last_day is None:
        return None
    return last_day - dt.timedelta(days=int(warn["days"]) - 1)


def is_working_day(day: dt.date) -> bool:
    """On the Chinese calendar (chinesecalendar: holidays and make-up working days). For a year whose
    holiday notice the installed package does not know yet, Saturdays and Sundays are the rest days
    until the package is updated: a due date must always be computable, and the check reruns daily."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself if it is a working day (make-up Saturdays count), else the next one."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def filing_due(info_year: int) -> dt.date:
    """The last day to file the information of `info_year`: the configured day of the next year,
    moved to the next working day when it is a holiday or rest day."""
    due = filing()["due"]
    return next_working_day(dt.date(info_year + 1, int(due["month"]), int(due["day"])))


def remind_from(info_year: int) -> dt.date:
    days = int(filing()["remind_days_before"]["days"])
    return filing_due(info_year) - dt.timedelta(days=days - 1)


def effect(list_key: str, application_kind: str) -> str | None:
    """'block', 'flag' or None: what an entry on the list does to an application of that kind."""
    bars = list_def(list_key)["bars"]
    if application_kind in bars.get("block", []):
        return "block"
    if application_kind in bars.get("flag", []):
        return "flag"
    return None


def problems_in_data() -> list[str]:
    """Consistency of lists.yaml: every list has its sources, every reason a source, escalation targets exist."""
    out = []
    for key, d in lists().items():
        for part in ("basis", "reasons", "decided_by", "term", "removal_on_repair", "bars"):
            if not d.get(part):
                out.append(f"{key}: {part} missing")
        for part in ("term", "decided_by", "removal_on_repair", "bars"):
            if isinstance(d.get(part), dict) and not d[part].get("source"):
                out.append(f"{key}: {part} has no source")
        for r in d.get("reasons", []):
            if not r.get("source"):
                out.append(f"{key}.{r.get('key')}: reason has no source")
        if d.get("at_term_end") == "escalate" and d.get("escalate_to") not in lists():
            out.append(f"{key}: escalates to an unknown list")
        if d.get("at_term_end") in ("remove", "escalate") and d["term"].get("years") is None:
            out.append(f"{key}: ends at its term but has none")
    return out
