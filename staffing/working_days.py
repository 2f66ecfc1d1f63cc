"""Working-day arithmetic on the official calendar (S1.4 and every deadline in the system).

A day is a working day when the calendar marks it a make-up workday (调休上班日), or when it is a
Monday to Friday that the calendar does not mark a holiday. Years without any calendar entry fall
back to plain Monday–Friday; `calendar_years_missing` tells which, so the admin can warn.

Counting follows the legal convention for periods (期间开始之日不计算在内): the day a period starts
from is day 0, and `add_working_days(d, 1)` is the first working day after `d`.
"""

import datetime

from .models import CalendarDay, DayKind

ONE_DAY = datetime.timedelta(days=1)
# Loaded in blocks: long enough for a 9-day Spring Festival plus weekends, short enough to stay cheap.
BLOCK_DAYS = 120


def _weekday_rule(day: datetime.date) -> bool:
    return day.weekday() < 5


class WorkCalendar:
    """Answers working-day questions from the calendar table, loading it in blocks of days."""

    def __init__(self):
        self._overrides: dict[datetime.date, str] = {}
        self._loaded: list[tuple[datetime.date, datetime.date]] = []

    def _ensure_loaded(self, day: datetime.date) -> None:
        if any(start <= day <= end for start, end in self._loaded):
            return
        start, end = day - datetime.timedelta(days=BLOCK_DAYS), day + datetime.timedelta(days=BLOCK_DAYS)
        rows = CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind")
        self._overrides.update(rows)
        self._loaded.append((start, end))

    def is_working_day(self, day: datetime.date) -> bool:
        self._ensure_loaded(day)
        kind = self._overrides.get(day)
        if kind == DayKind.WORKDAY:
            return True
        if kind == DayKind.HOLIDAY:
            return False
        return _weekday_rule(day)

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        step = ONE_DAY if n >= 0 else -ONE_DAY
        day, remaining = start, abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days d with start < d <= end (negative when end is before start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def is_working_day(day: datetime.date) -> bool:
    return WorkCalendar().is_working_day(day)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `start` (before it when n is negative); n=0 gives `start`."""
    return WorkCalendar().add_working_days(start, n)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    return WorkCalendar().working_days_between(start, end)


def calendar_years_missing(years) -> list[int]:
    """Those of `years` that have no calendar entry: for them the weekday rule is only a guess."""
    years = sorted(set(years))
    if not years:
        return []
    present = {d.year for d in CalendarDay.objects.filter(date__year__in=years).dates("date", "year")}
    return [year for year in years if year not in present]
