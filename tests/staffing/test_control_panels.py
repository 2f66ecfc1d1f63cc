"""S3.8: working hours are settings an administrator edits, with history; the panel is a singleton."""

import datetime

import pytest
from django.urls import reverse

from staffing import roles
from staffing.models import CenterSettings, WorkingHours

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, two_departments, make_staff):
    staff = make_staff(two_departments[0], role=roles.CENTER_ADMIN)
    client.force_login(staff.user)
    client.staff = staff
    return client


def test_working_hours_default_to_the_regulation():
    hours = WorkingHours.load()
    assert (hours.morning_start, hours.morning_end) == (datetime.time(8), datetime.time(12))
    assert (hours.afternoon_start, hours.afternoon_end) == (datetime.time(14), datetime.time(18))
    assert hours.daily_minutes() == 8 * 60


def test_the_panel_list_opens_the_single_row(admin_client_):
    response = admin_client_.get(reverse("admin:staffing_workinghours_changelist"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:staffing_workinghours_change", args=[1])
    assert WorkingHours.objects.count() == 1
    assert admin_client_.get(reverse("admin:staffing_workinghours_add")).status_code == 403


def test_an_administrator_changes_the_afternoon_hours_and_history_keeps_who(admin_client_):
    WorkingHours.load()
    response = admin_client_.post(
        reverse("admin:staffing_workinghours_change", args=[1]),
        {"morning_start": "08:00", "morning_end": "12:00", "afternoon_start": "14:30", "afternoon_end": "17:30"},
    )
    assert response.status_code == 302
    hours = WorkingHours.load()
    assert hours.afternoon_start == datetime.time(14, 30)
    assert hours.history.latest().history_user == admin_client_.staff.user


def test_hours_out_of_order_are_refused_in_chinese(admin_client_):
    WorkingHours.load()
    response = admin_client_.post(
        reverse("admin:staffing_workinghours_change", args=[1]),
        {"morning_start": "12:00", "morning_end": "08:00", "afternoon_start": "14:00", "afternoon_end": "18:00"},
    )
    assert response.status_code == 200
    assert "作息时间须按 上午上班 &lt; 上午下班" in response.content.decode()
    assert WorkingHours.load().morning_start == datetime.time(8)


def test_saving_a_panel_never_makes_a_second_row():
    CenterSettings(name="另一个中心").save()
    assert CenterSettings.objects.count() == 1
    assert CenterSettings.load().name == "另一个中心"
