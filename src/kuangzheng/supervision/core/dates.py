"""Deadline arithmetic for alerts and orders. Calendar days for terms in months or years (a licence's
validity, a contract's five years), working days on the Chinese calendar for terms in working days
(holidays and make-up days from the maintained `chinesecalendar` package)."""

from __future__ import annotations

import calendar
import datetime as dt

import chinese_calendar


class CalendarUnknown(ValueError):
    """The year is outside the calendar the installed package knows (its notice is not out yet)."""


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; a day the target month lacks becomes its last day (31 Jan + 1 → 28/29 Feb)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    """The anniversary `years` later; 29 February falls on 28 February in a common year."""
    return add_months(day, 12 * years)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The day on which `days` working days after `start` have passed: the period starts the day after."""
    if days <= 0:
        return start
    try:
        return chinese_calendar.find_workday(days - 1, start + dt.timedelta(days=1))
    except NotImplementedError:
        raise CalendarUnknown(f"chinesecalendar has no holiday data around {start}; update the package") from None


def working_days_left(today: dt.date, due: dt.date) -> int:
    """Working days in (today, due]; negative calendar overrun counts as 0 working days left."""
    if due <= today:
        return 0
    try:
        return len(chinese_calendar.get_workdays(today + dt.timedelta(days=1), due))
    except NotImplementedError:
        raise CalendarUnknown(f"chinesecalendar has no holiday data for {due.year}; update the package") from None


def window(today: dt.date, due: dt.date, windows: tuple[int, ...]) -> int | None:
    """The smallest window (in calendar days) `due` lies within, or None if it is further off or past.
    `due - today` of exactly 90 is inside the 90-day window."""
    left = (due - today).days
    if left < 0:
        return None
    inside = [w for w in windows if left <= w]
    return min(inside) if inside else None
