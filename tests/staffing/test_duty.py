"""S1.10-c: a duty roster generated for a holiday period from the work calendar."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from staffing import services
from staffing.models import DutyShift

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
D = datetime.date


def test_the_national_day_roster_covers_every_day_off_and_skips_the_make_up_saturday(
    official_calendar, two_departments, make_staff
):
    people = [make_staff(two_departments[0], name=n) for n in ("甲", "乙", "丙")]
    shifts = services.duty_roster_generate(start=D(2026, 9, 26), end=D(2026, 10, 11), staff=people)
    days = [shift.date for shift in shifts]
    assert days == [D(2026, 9, 26), D(2026, 9, 27)] + [D(2026, 10, d) for d in range(1, 8)] + [D(2026, 10, 11)]
    assert D(2026, 10, 10) not in days  # make-up workday
    assert [shift.staff.name for shift in shifts[:4]] == ["甲", "乙", "丙", "甲"]


def test_regenerating_keeps_existing_shifts(official_calendar, two_departments, make_staff):
    person = make_staff(two_departments[0])
    services.duty_roster_generate(start=D(2026, 10, 1), end=D(2026, 10, 7), staff=[person])
    assert services.duty_roster_generate(start=D(2026, 10, 1), end=D(2026, 10, 7), staff=[person]) == []
    assert DutyShift.objects.count() == 7


def test_a_roster_needs_people_and_a_forward_period(two_departments, make_staff):
    with pytest.raises(ValidationError, match="请至少选择一名值班人员"):
        services.duty_roster_generate(start=D(2026, 10, 1), end=D(2026, 10, 7), staff=[])
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        services.duty_roster_generate(start=D(2026, 10, 7), end=D(2026, 10, 1), staff=[make_staff(two_departments[0])])
