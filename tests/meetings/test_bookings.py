"""S3.4: book at least a working day ahead, ad hoc only same day into a free slot, no overlaps, approval."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from meetings import services
from meetings.models import BookingStatus, MeetingsSettings, Room, RoomBooking
from staffing import roles
from staffing.models import Department
from tests.meetings.conftest import moment

D = datetime.date
NOW = moment(D(2026, 9, 29), 10)  # a Tuesday before the National Day week

pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def booker(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.WINDOW_STAFF, name="李春梅")


def book(room, booker, day, start, end, now=NOW):
    return services.booking_request(
        room=room, starts_at=moment(day, start), ends_at=moment(day, end), purpose="企业开办联审会", user=booker.user, now=now
    )


@pytest.mark.django_db
def test_booking_one_working_day_ahead_is_accepted_and_waits_for_approval(official_calendar, room, booker):
    booking = book(room, booker, D(2026, 9, 30), 9, 11)
    assert (booking.status, booking.ad_hoc) == (BookingStatus.PENDING, False)


@pytest.mark.django_db
def test_the_lead_time_counts_working_days_across_the_holiday(official_calendar, room, booker):
    settings = MeetingsSettings.load()
    settings.booking_lead_working_days = 2
    settings.save()
    with pytest.raises(ValidationError, match="须至少提前2个工作日预约\\(最早可约2026年10月08日\\)"):
        book(room, booker, D(2026, 9, 30), 9, 11)
    assert book(room, booker, D(2026, 10, 8), 9, 11)


@pytest.mark.django_db
def test_a_same_day_booking_into_a_free_slot_is_marked_ad_hoc(official_calendar, room, booker):
    booking = book(room, booker, D(2026, 9, 29), 14, 15)
    assert booking.ad_hoc


@pytest.mark.django_db
def test_an_ad_hoc_use_cannot_run_into_the_next_booking(official_calendar, room, booker):
    book(room, booker, D(2026, 9, 29), 15, 17)
    with pytest.raises(ValidationError, match="该时段已被预约"):
        book(room, booker, D(2026, 9, 29), 14, 16)


@pytest.mark.django_db
def test_overlapping_bookings_are_refused_and_touching_ones_are_fine(official_calendar, room, booker):
    book(room, booker, D(2026, 9, 30), 9, 11)
    with pytest.raises(ValidationError, match="该时段已被预约:一楼会议室 2026-09-30 09:00–11:00"):
        book(room, booker, D(2026, 9, 30), 10, 12)
    assert book(room, booker, D(2026, 9, 30), 11, 12)


@pytest.mark.django_db
def test_a_rejected_booking_frees_its_slot(official_calendar, room, booker, two_departments, make_staff):
    director = make_staff(two_departments[0], role=roles.MAIN_LEADER)
    first = book(room, booker, D(2026, 9, 30), 9, 11)
    services.booking_decide(booking=first, user=director.user, approve=False, note="当天有上级检查")
    assert book(room, booker, D(2026, 9, 30), 9, 11)


@pytest.mark.django_db
def test_approval_belongs_to_the_configured_role(official_calendar, room, booker, two_departments, make_staff):
    booking = book(room, booker, D(2026, 9, 30), 9, 11)
    with pytest.raises(PermissionDenied, match="会议室预约须由主要领导审批"):
        services.booking_decide(booking=booking, user=booker.user, approve=True)
    director = make_staff(two_departments[0], role=roles.MAIN_LEADER)
    services.booking_decide(booking=booking, user=director.user, approve=True)
    booking.refresh_from_db()
    assert (booking.status, booking.decided_by) == (BookingStatus.APPROVED, director.user)

    settings = MeetingsSettings.load()
    settings.booking_approver_role = roles.OFFICE_STAFF
    settings.save()
    second = book(room, booker, D(2026, 9, 30), 14, 15)
    office = make_staff(two_departments[0], role=roles.OFFICE_STAFF)
    services.booking_decide(booking=second, user=office.user, approve=True)


@pytest.mark.django_db
def test_a_booking_in_the_past_or_over_capacity_is_refused(official_calendar, room, booker):
    with pytest.raises(ValidationError, match="不能预约已经过去的时间"):
        book(room, booker, D(2026, 9, 29), 8, 9)
    with pytest.raises(ValidationError, match="最多容纳20人"):
        services.booking_request(
            room=room, starts_at=moment(D(2026, 9, 30), 9), ends_at=moment(D(2026, 9, 30), 10), purpose="大会",
            attendees=50, user=booker.user, now=NOW,
        )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_for_one_slot_cannot_both_win():
    from staffing import services as staffing_services

    staffing_services.calendar_seed_from_package(years=[2026])
    department = Department.objects.create(name="县市场监督管理局")
    people = [
        staffing_services.staff_create(name=f"预约人{n}", badge_no=f"B{n}", department=department) for n in range(6)
    ]
    room = Room.objects.create(name="二楼会议室", capacity=20)
    outcomes, barrier = [], threading.Barrier(len(people))

    def attempt(person):
        try:
            barrier.wait()
            book(room, person, D(2026, 9, 30), 9, 11)
            outcomes.append("won")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 5 + ["won"]
    assert RoomBooking.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_the_database_itself_refuses_an_overlap_that_skips_the_service(official_calendar, room, booker):
    from django.db import IntegrityError, transaction

    book(room, booker, D(2026, 9, 30), 9, 11)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomBooking.objects.create(
            room=room, starts_at=moment(D(2026, 9, 30), 10), ends_at=moment(D(2026, 9, 30), 12), purpose="绕过服务",
            booked_by=booker,
        )
