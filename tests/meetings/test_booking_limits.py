"""Room bookings have a maximum length (a setting), and a clash states the other booking's real span (issue 21, point 12)."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.models import BookingStatus, MeetingsSettings, RoomBooking
from staffing import roles
from tests.meetings.conftest import moment

D = datetime.date
NOW = moment(D(2026, 9, 29), 10)

pytestmark = pytest.mark.django_db


@pytest.fixture
def booker(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.WINDOW_STAFF, name="李春梅")


def book(room, booker, starts_at, ends_at):
    return services.booking_request(room=room, starts_at=starts_at, ends_at=ends_at, purpose="业务培训", user=booker.user, now=NOW)


def test_a_booking_longer_than_the_maximum_is_refused_naming_its_span(official_calendar, room, booker):
    with pytest.raises(ValidationError) as raised:
        book(room, booker, moment(D(2027, 1, 1), 10), moment(D(2099, 1, 1), 11))

    assert raised.value.message_dict == {
        "ends_at": ["单次预约最长3天,本次预约为 2027-01-01 10:00–2099-01-01 11:00:请缩短时段或分次预约。"]
    }
    assert not RoomBooking.objects.exists()


def test_the_maximum_length_is_a_setting(official_calendar, room, booker):
    assert book(room, booker, moment(D(2026, 10, 9), 9), moment(D(2026, 10, 12), 9))  # exactly three days

    settings = MeetingsSettings.load()
    settings.booking_max_days = 5
    settings.save()
    assert book(room, booker, moment(D(2026, 10, 13), 9), moment(D(2026, 10, 17), 17))
    with pytest.raises(ValidationError, match="单次预约最长5天,本次预约为 2026-10-19 09:00–2026-10-24 10:00"):
        book(room, booker, moment(D(2026, 10, 19), 9), moment(D(2026, 10, 24), 10))


def test_a_clash_with_a_booking_of_several_days_states_its_dates_and_times(official_calendar, room, booker):
    RoomBooking.objects.create(
        room=room, starts_at=moment(D(2026, 10, 9), 10), ends_at=moment(D(2026, 10, 11), 11), purpose="业务培训",
        booked_by=booker, status=BookingStatus.PENDING,
    )

    with pytest.raises(ValidationError) as raised:
        book(room, booker, moment(D(2026, 10, 10), 14), moment(D(2026, 10, 10), 15))

    assert raised.value.messages == ["该时段已被预约:一楼会议室 2026-10-09 10:00–2026-10-11 11:00(业务培训,待审批)。"]


def test_the_booking_form_shows_the_maximum_length_error_on_the_end(client, booker, room, official_calendar):
    client.force_login(booker.user)
    data = {
        "room": room.pk, "starts_at_0": "2027-01-01", "starts_at_1": "10:00", "ends_at_0": "2099-01-01",
        "ends_at_1": "11:00", "purpose": "业务培训", "attendees": "8",
    }
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        response = client.post(reverse("admin:meetings_roombooking_add"), data)

    assert response.context["adminform"].form.errors["ends_at"] == [
        "单次预约最长3天,本次预约为 2027-01-01 10:00–2099-01-01 11:00:请缩短时段或分次预约。"
    ]
    assert not RoomBooking.objects.exists()
