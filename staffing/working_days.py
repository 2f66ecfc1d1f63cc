"""Working-day arithmetic on the official calendar (S1.4 and every deadline in the system).

A day is a working day when the calendar marks it a make-up workday (调休上班日), or when it is a
Monday to Friday that the calendar does not mark a holiday. Years without any calendar entry fall
back to plain Monday–Friday; `calendar_missing_holidays` tells which years lack which statutory
holidays, so the admin can warn.

Counting follows the legal convention for periods (期间开始之日不计算在内): the day a period starts
from is day 0, and `add_working_days(d, 1)` is the first working day after `d`.
"""

import datetime
from bisect import bisect_left, bisect_right

from .models import CalendarDay, DayKind

ONE_DAY = datetime.timedelta(days=1)
# The first load reaches this far on both sides of the day asked about: long enough for a 9-day
# Spring Festival plus weekends and for the usual limits (20–60 working days).
BLOCK_DAYS = 120
# Further loads, when a count runs past what is loaded, take this many more days at a time.
EXTEND_DAYS = 366
MIN_ORDINAL, MAX_ORDINAL = datetime.date.min.toordinal(), datetime.date.max.toordinal()


def _weekday_rule(day: datetime.date) -> bool:
    return day.weekday() < 5


class WorkCalendar:
    """Answers working-day questions from the calendar table.

    The table is read for 120 days on both sides of the first day asked about (one query), then
    further as questions or counts go past the loaded span (one query for each extension). Inside
    the span the working days are kept as a sorted list of day numbers, built on the first count, so
    adding n working days is a binary search plus an index: under a microsecond a call on a kept
    calendar (docs/performance.md). An instance keeps what it has read: make a new one when the
    calendar may have changed (the module functions below do, on every call).
    """

    def __init__(self):
        self._overrides: dict[datetime.date, str] = {}
        self._low = self._high = None  # the loaded span, as day ordinals (inclusive)
        self._working: list[int] | None = None  # ordinals of the working days inside the span, ascending

    # Loading

    def _load(self, low: int, high: int) -> None:
        """Make the loaded span cover [low, high] (ordinals), reading only the days not yet read."""
        low, high = max(low, MIN_ORDINAL), min(high, MAX_ORDINAL)
        if self._low is not None:
            if low >= self._low and high <= self._high:
                return
            low, high = min(low, self._low), max(high, self._high)
        fromordinal = datetime.date.fromordinal
        rows = CalendarDay.objects.filter(date__range=(fromordinal(low), fromordinal(high)))
        if self._low is not None:  # keep what is loaded (and the reads already answered) as it is
            rows = rows.exclude(date__range=(fromordinal(self._low), fromordinal(self._high)))
        self._overrides.update(rows.values_list("date", "kind"))
        self._low, self._high = low, high
        self._working = None  # rebuilt when a count needs it

    def _working_days(self) -> list[int]:
        if self._working is None:
            workdays = {day.toordinal() for day, kind in self._overrides.items() if kind == DayKind.WORKDAY}
            holidays = {day.toordinal() for day, kind in self._overrides.items() if kind == DayKind.HOLIDAY}
            # date.fromordinal(1) is a Monday: (n - 1) % 7 is the weekday of day number n.
            self._working = [
                n for n in range(self._low, self._high + 1) if n in workdays or ((n - 1) % 7 < 5 and n not in holidays)
            ]
        return self._working

    def _rule(self, day: datetime.date) -> bool:
        kind = self._overrides.get(day)
        if kind == DayKind.WORKDAY:
            return True
        if kind == DayKind.HOLIDAY:
            return False
        return _weekday_rule(day)

    def _ensure_loaded(self, day: datetime.date) -> None:
        ordinal = day.toordinal()
        if self._low is not None and self._low <= ordinal <= self._high:
            return
        self._load(ordinal - BLOCK_DAYS, ordinal + BLOCK_DAYS)

    # Questions

    def is_working_day(self, day: datetime.date) -> bool:
        self._ensure_loaded(day)
        return self._rule(day)

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        if not n:
            return start
        ordinal = start.toordinal()
        if self._low is None or not self._low <= ordinal <= self._high:
            self._ensure_loaded(start)
        while True:
            working = self._working if self._working is not None else self._working_days()
            if n > 0:
                index = bisect_right(working, ordinal) + n - 1
                if index < len(working):
                    return datetime.date.fromordinal(working[index])
                if self._high >= MAX_ORDINAL:
                    raise OverflowError("date value out of range")
                self._load(self._low, self._high + max(EXTEND_DAYS, 2 * n))
            else:
                index = bisect_left(working, ordinal) + n
                if index >= 0:
                    return datetime.date.fromordinal(working[index])
                if self._low <= MIN_ORDINAL:
                    raise OverflowError("date value out of range")
                self._load(self._low - max(EXTEND_DAYS, -2 * n), self._high)

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days d with start < d <= end (negative when end is before start)."""
        if end < start:
            return -self.working_days_between(end, start)
        self._ensure_loaded(start)
        self._load(self._low, max(self._high, end.toordinal()))
        working = self._working_days()
        return bisect_right(working, end.toordinal()) - bisect_right(working, start.toordinal())


def is_working_day(day: datetime.date) -> bool:
    return WorkCalendar().is_working_day(day)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `start` (before it when n is negative); n=0 gives `start`."""
    return WorkCalendar().add_working_days(start, n)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    return WorkCalendar().working_days_between(start, end)


# The statutory holidays (全国年节及纪念日放假办法): the name shown, and the part of an entry's name that
# marks it (the package names them 清明, 端午, 中秋; an administrator may write 国庆节、中秋节 for a
# holiday that covers both). Until 2008 only four of them were holidays.
STATUTORY_HOLIDAYS = [
    ("元旦", "元旦"), ("春节", "春节"), ("清明节", "清明"), ("劳动节", "劳动"),
    ("端午节", "端午"), ("中秋节", "中秋"), ("国庆节", "国庆"),
]  # fmt: skip
HOLIDAYS_BEFORE_2008 = {"元旦", "春节", "劳动节", "国庆节"}


def statutory_holidays(year: int) -> list[tuple[str, str]]:
    if year < 2008:
        return [(name, mark) for name, mark in STATUTORY_HOLIDAYS if name in HOLIDAYS_BEFORE_2008]
    return STATUTORY_HOLIDAYS


def calendar_missing_holidays(years) -> dict[int, list[str]]:
    """The statutory holidays that have no holiday entry yet, for each of `years` that lacks any.

    A year counts as entered only when every statutory holiday has an entry: one entered 元旦 does
    not make the rest of the year right. One query.
    """
    years = sorted(set(years))
    if not years:
        return {}
    names: dict[int, list[str]] = {year: [] for year in years}
    entries = CalendarDay.objects.filter(date__year__in=years, kind=DayKind.HOLIDAY).values_list("date", "name")
    for day, name in entries:
        names[day.year].append(name)
    missing = {}
    for year in years:
        absent = [name for name, mark in statutory_holidays(year) if not any(mark in entry for entry in names[year])]
        if absent:
            missing[year] = absent
    return missing


def calendar_years_missing(years) -> list[int]:
    """Those of `years` whose statutory holidays are not all entered: for them deadlines are a guess."""
    return list(calendar_missing_holidays(years))
