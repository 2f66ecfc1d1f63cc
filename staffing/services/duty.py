"""Duty rosters for holidays and rest days (S1.10-c)."""

import datetime
from itertools import cycle

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import DutyShift, Staff
from ..working_days import WorkCalendar


@transaction.atomic
def duty_roster_generate(*, start: datetime.date, end: datetime.date, staff: list[Staff], user=None) -> list[DutyShift]:
    """One duty shift for each non-working day from start to end, the staff taking turns; existing days are kept."""
    if end < start:
        raise ValidationError({"end": "结束日期不能早于开始日期。"})
    if not staff:
        raise ValidationError({"staff": "请至少选择一名值班人员。"})
    calendar, turns, created = WorkCalendar(), cycle(staff), []
    day = start
    while day <= end:
        if not calendar.is_working_day(day) and not DutyShift.objects.filter(date=day).exists():
            person = next(turns)
            shift = DutyShift(date=day, staff=person, phone=person.phone)
            shift._history_user = user
            shift.save()
            created.append(shift)
        day += datetime.timedelta(days=1)
    return created
