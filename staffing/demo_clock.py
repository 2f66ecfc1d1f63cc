"""The demo's clock: the working day the demo stories are told from, shared by every app's demo."""

import datetime

from django.utils import timezone

from .working_days import WorkCalendar


class DemoClock:
    """The demo's working day and the working days around it.

    The working day is today when today is a working day; on a weekend or holiday it is the last working
    day before today (the center does nothing while it is closed), so that every list shows the same
    stories on any day of the year.
    """

    def __init__(self):
        self.calendar = WorkCalendar()
        self.now = timezone.localtime()
        self.today = self.now.date()
        self.open_today = self.calendar.is_working_day(self.today)
        self.workday = self.today if self.open_today else self.calendar.add_working_days(self.today, -1)

    def day(self, days_ago: int) -> datetime.date:
        """The working day `days_ago` working days before the working day (after it when negative)."""
        return self.calendar.add_working_days(self.workday, -days_ago) if days_ago else self.workday

    def at(self, day: int | datetime.date, time: str) -> datetime.datetime:
        """`day` (a date, or working days before the working day) at "HH:MM", in the center's time zone."""
        hour, minute = map(int, time.split(":"))
        day = self.day(day) if isinstance(day, int) else day
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
