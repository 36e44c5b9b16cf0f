"""Working-day clocks on the Chinese calendar. Public holidays and their make-up working days
come from the maintained `chinesecalendar` package (the State Council's yearly notice), not from a
hand-written list. A clock runs while an application is in one of its states and stops elsewhere
(补正 included); workflow.yaml says which actions restart it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar

from .machine import workflow


class CalendarUnknown(ValueError):
    """The year is outside the calendar the installed package knows (its notice is not out yet)."""


def is_working_day(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise CalendarUnknown(f"chinesecalendar has no holiday data for {day.year}; update the package") from None


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: a period starts the day after the event that opens it."""
    n, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        n += is_working_day(day)
    return n


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date on which `days` working days after `start` have passed (the deadline)."""
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        left -= is_working_day(day)
    return day


@dataclass(frozen=True)
class ClockState:
    clock: str
    limit: int
    used: int
    running: bool

    @property
    def left(self) -> int:
        return self.limit - self.used

    @property
    def overdue(self) -> bool:
        return self.used > self.limit

    def as_dict(self) -> dict:
        return {
            "clock": self.clock,
            "limit_days": self.limit,
            "used_days": self.used,
            "days_left": self.left,
            "running": self.running,
            "overdue": self.overdue,
        }


def clocks(history: list[tuple[str, str, dt.date]], today: dt.date) -> list[ClockState]:
    """Every clock's state from the history [(action, state entered, date), …] in order."""
    out = []
    for name, c in workflow()["clocks"].items():
        used, ran = 0, False
        for i, (action, state, when) in enumerate(history):
            if action in c["restart"]:
                used = 0
            if state in c["states"]:
                ran = True
                until = history[i + 1][2] if i + 1 < len(history) else today
                used += working_days_between(when, until)
        if ran:
            running = bool(history) and history[-1][1] in c["states"]
            out.append(ClockState(name, c["days"], used, running))
    return out
