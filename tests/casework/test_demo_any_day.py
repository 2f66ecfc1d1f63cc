"""The demo has something to show on any day of the year: loaded on a weekday, a weekend, a holiday,
a make-up workday, a month's and a year's end, a year without a calendar and a leap day, every
deadline list of the case list and the dashboard show at least one case."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from casework import demo as casework_demo
from casework.models import Case, Consultation
from registry.demo import load_demo_catalog
from staffing import services as staffing_services
from staffing.demo import load_demo
from staffing.working_days import is_working_day

# Not date_sensitive: it travels to each of its days itself, so the sweep would only repeat it.
pytestmark = pytest.mark.django_db

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
D = datetime.date

# The sweep's six days, and nine more: today's weekday kinds around the year.
DEMO_DAYS = [
    D(2026, 9, 30), D(2026, 10, 3), D(2026, 10, 10), D(2026, 12, 31), D(2027, 1, 2), D(2028, 2, 29),
    D(2026, 12, 5), D(2026, 10, 1), D(2026, 10, 8), D(2026, 2, 14), D(2026, 2, 17), D(2026, 5, 5),
    D(2026, 6, 1), D(2027, 6, 14), D(2026, 1, 1),
]  # fmt: skip
DEADLINE_LISTS = ["overdue", "due_soon", "deemed", "same_day", "stopped"]  # due soon: two, not one by luck


@pytest.fixture(scope="module")
def organisation_and_catalog(django_db_setup, django_db_blocker):
    """The calendar, the organisation and the published catalog, once for the module (rolled back after it)."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic():
        staffing_services.calendar_seed_from_package(years=[2025, 2026])
        load_demo(stdout=StringIO())
        load_demo_catalog(stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_the_days_cover_weekends_holidays_a_make_up_workday_and_a_year_without_a_calendar(organisation_and_catalog):
    assert len(set(DEMO_DAYS)) == 15
    assert not is_working_day(D(2026, 10, 3)) and not is_working_day(D(2026, 10, 1))  # National Day
    assert is_working_day(D(2026, 10, 10)) and D(2026, 10, 10).weekday() == 5  # make-up Saturday
    assert not is_working_day(D(2026, 2, 17))  # Spring Festival


@pytest.mark.parametrize("day", DEMO_DAYS, ids=str)
def test_every_deadline_list_and_the_dashboard_show_cases_on(day, organisation_and_catalog, travel, client):
    travel(day)
    counts = casework_demo.load_demo_cases()
    assert counts["cases"] == len(casework_demo.STORIES) + 1

    client.force_login(User.objects.get(username="admin"))
    for deadline in DEADLINE_LISTS:
        response = client.get(reverse("admin:casework_case_changelist"), {"deadline": deadline})
        assert response.status_code == 200
        assert response.context["cl"].result_count >= (2 if deadline == "due_soon" else 1), deadline
    intake = client.get(reverse("admin:index")).context["dashboard"]["intake"]
    assert intake["overdue"] >= 1 and intake["due_soon"] >= 1
    if not is_working_day(day):  # the center is closed today: nothing was received or asked
        assert not Case.objects.filter(received_on=day).exists()
        assert not Consultation.objects.filter(asked_at__date=day).exists()
