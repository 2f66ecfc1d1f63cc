"""S1.10-a: each half day of each working day against the working hours and the calendar; clock import."""

import datetime

import pytest
from django.utils import timezone

from staffing import selectors, services
from staffing.models import ClockPunch, HalfDay, WhereaboutsStatus, WorkingHours

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
DAY = datetime.date(2026, 11, 26)  # a Thursday


def at(hour, minute=0, day=DAY):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


def status(punches, half=HalfDay.MORNING, away=(), working=True, day=DAY):
    return selectors.half_day_status(
        day=day, half=half, punches=punches, away_periods=list(away), is_working_day=working, hours=WorkingHours.load()
    )


def test_signing_in_before_eight_and_out_after_twelve_is_normal():
    assert status([at(7, 55), at(12, 2)]) == "normal"


def test_signing_in_after_eight_is_late():
    assert status([at(8, 5), at(12, 0)]) == "late"


def test_signing_out_before_six_in_the_afternoon_is_early():
    assert status([at(13, 58), at(17, 40)], half=HalfDay.AFTERNOON) == "early"


def test_late_and_early_together_are_both_named():
    assert status([at(8, 30), at(11, 30)]) == "late_early"


def test_a_single_punch_is_a_missing_punch():
    assert status([at(7, 50)]) == "missing"
    assert status([]) == "missing"


def test_afternoon_punches_do_not_count_for_the_morning():
    assert status([at(14, 0), at(18, 0)]) == "missing"
    assert status([at(14, 0), at(18, 0)], half=HalfDay.AFTERNOON) == "normal"


def test_approved_leave_covers_the_half_day():
    assert status([], away=[(WhereaboutsStatus.LEAVE, at(8), at(18))]) == "leave"


def test_a_meeting_outside_counts_as_official_business():
    assert status([], half=HalfDay.AFTERNOON, away=[(WhereaboutsStatus.MEETING, at(14, 30), at(16))]) == "official"


def test_a_day_that_is_not_a_working_day_is_rest():
    assert status([], working=False) == "rest"


def test_changed_working_hours_change_the_verdict():
    hours = WorkingHours.load()
    hours.morning_start = datetime.time(8, 30)
    hours.save()
    assert status([at(8, 20), at(12, 0)]) == "normal"


def test_the_monthly_sheet_combines_punches_leave_and_the_calendar(official_calendar, two_departments, make_staff):
    person = make_staff(two_departments[0], name="张三")
    for moment in (at(7, 58), at(12, 1), at(14, 5), at(18, 3)):
        ClockPunch.objects.create(staff=person, punched_at=moment)
    sheet = selectors.attendance_sheet(two_departments[0], 2026, 11)
    row = next(r for r in sheet["rows"] if r["staff"] == person)
    index = sheet["days"].index(DAY)
    assert row["cells"][index] == ["normal", "late"]
    assert row["cells"][sheet["days"].index(datetime.date(2026, 11, 28))] == ["rest", "rest"]
    assert row["totals"]["rest"] == 2 * 9  # November 2026 has nine weekend days and no holiday


def test_the_clock_import_reports_unknown_badges_and_ignores_repeats(two_departments, make_staff):
    person = make_staff(two_departments[0])
    rows = [(2, person.badge_no, at(7, 58)), (3, person.badge_no, at(7, 58)), (4, "X999", at(8)), (5, person.badge_no.lower(), at(12, 1))]
    report = services.punches_import(rows)
    assert (report.created, report.duplicates, report.unknown) == (2, 1, [(4, "X999")])
    again = services.punches_import(rows)
    assert (again.created, again.duplicates) == (0, 3)
    assert ClockPunch.objects.count() == 2
