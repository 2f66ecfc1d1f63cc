"""Working-day arithmetic on the official calendar (S1.4): the 2026 National Day week and its make-up day."""

import datetime

import pytest

from staffing import calendar_hooks, services
from staffing.models import CalendarDay, DayKind
from staffing.working_days import (
    add_working_days,
    calendar_missing_holidays,
    calendar_years_missing,
    is_working_day,
    working_days_between,
)

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

D = datetime.date


def test_national_day_holiday_weekdays_are_not_working_days(official_calendar):
    assert not is_working_day(D(2026, 10, 1))  # Thursday, 国庆节
    assert not is_working_day(D(2026, 10, 5))  # Monday inside the holiday
    assert not is_working_day(D(2026, 10, 7))


def test_make_up_workday_counts_as_a_working_day(official_calendar):
    assert D(2026, 10, 10).weekday() == 5  # a Saturday
    assert is_working_day(D(2026, 10, 10))
    assert is_working_day(D(2026, 9, 20))  # Sunday make-up day before 中秋


def test_adding_working_days_jumps_over_the_national_day_week(official_calendar):
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 29), 3) == D(2026, 10, 9)


def test_adding_working_days_lands_on_the_saturday_make_up_day(official_calendar):
    assert add_working_days(D(2026, 10, 8), 2) == D(2026, 10, 10)


def test_the_start_day_is_day_zero_even_when_it_is_a_holiday(official_calendar):
    assert add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 3)
    assert add_working_days(D(2026, 10, 3), 1) == D(2026, 10, 8)


def test_negative_days_count_backwards_over_the_holiday(official_calendar):
    assert add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)


def test_working_days_between_counts_the_days_after_the_start_up_to_the_end(official_calendar):
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert working_days_between(D(2026, 10, 10), D(2026, 9, 30)) == -3
    assert working_days_between(D(2026, 9, 30), D(2026, 9, 30)) == 0


def test_working_days_between_agrees_with_adding_working_days(official_calendar):
    start = D(2026, 9, 15)
    for n in range(0, 30):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_a_year_without_entries_falls_back_to_monday_to_friday(official_calendar):
    assert calendar_years_missing([2026, 2027]) == [2027]
    assert is_working_day(D(2027, 10, 1))  # a Friday: no official 2027 calendar yet
    assert not is_working_day(D(2027, 10, 2))  # Saturday
    assert add_working_days(D(2027, 9, 30), 1) == D(2027, 10, 1)


def test_a_2027_holiday_entered_by_an_administrator_takes_effect(official_calendar):
    services.calendar_day_save(day=CalendarDay(date=D(2027, 10, 1), kind=DayKind.HOLIDAY, name="国庆节"))

    assert not is_working_day(D(2027, 10, 1))
    assert add_working_days(D(2027, 9, 30), 1) == D(2027, 10, 4)
    assert calendar_years_missing([2027]) == [2027]  # one holiday entered; six statutory holidays still missing
    assert calendar_missing_holidays([2026, 2027]) == {2027: ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节"]}


def test_seeding_from_the_package_keeps_an_administrators_correction(official_calendar):
    day = CalendarDay.objects.get(date=D(2026, 10, 10))
    day.kind, day.name = DayKind.HOLIDAY, "县里调整"
    services.calendar_day_save(day=day)

    assert services.calendar_seed_from_package(years=[2026]) == 0
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).kind == DayKind.HOLIDAY


def test_seeding_covers_every_year_the_package_knows(db):
    services.calendar_seed_from_package()
    years = services.package_calendar_years()
    assert calendar_years_missing(years) == []
    assert CalendarDay.objects.filter(date=D(2026, 10, 1), kind=DayKind.HOLIDAY, name="国庆节").exists()
    # 2020: 中秋 fell on 10-01, and the package names the whole week 国庆节 only
    assert CalendarDay.objects.filter(date=D(2020, 10, 1), name="国庆节、中秋节").exists()
    assert calendar_missing_holidays([2007]) == {}  # before 2008, four statutory holidays


def test_calendar_changes_reach_registered_listeners_with_the_changed_dates(official_calendar):
    heard = []
    calendar_hooks.register(heard.append)
    try:
        day = services.calendar_day_save(day=CalendarDay(date=D(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦"))
        day.date = D(2027, 1, 4)
        services.calendar_day_save(day=day)
        services.calendar_day_delete(day=day)
    finally:
        calendar_hooks.unregister(heard.append)

    assert heard == [{D(2027, 1, 1)}, {D(2027, 1, 1), D(2027, 1, 4)}, {D(2027, 1, 4)}]
