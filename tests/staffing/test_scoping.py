"""Row-level scoping: staff see their own department's rows; center-wide roles see all."""

import pytest
from django.urls import reverse

from staffing import roles
from staffing.models import Window

pytestmark = pytest.mark.django_db


def window_numbers(client):
    response = client.get(reverse("admin:staffing_window_changelist"))
    assert response.status_code == 200
    return sorted(w.number for w in response.context["cl"].result_list)


def test_window_staff_see_only_their_own_departments_windows(client, two_departments, make_staff):
    market, police = two_departments
    client.force_login(make_staff(market, role=roles.WINDOW_STAFF).user)
    assert window_numbers(client) == ["01"]

    police_window = Window.objects.get(department=police)
    response = client.get(reverse("admin:staffing_window_change", args=[police_window.pk]))
    assert response.status_code == 302  # "does not exist" redirect: out of scope rows are invisible


def test_the_other_department_sees_only_its_own(client, two_departments, make_staff):
    _, police = two_departments
    client.force_login(make_staff(police, role=roles.WINDOW_HEAD).user)
    assert window_numbers(client) == ["02"]


def test_inspectors_and_leaders_see_every_department(client, two_departments, make_staff):
    market, _ = two_departments
    for role in (roles.INSPECTOR, roles.MAIN_LEADER, roles.CENTER_ADMIN):
        client.force_login(make_staff(market, role=role).user)
        assert window_numbers(client) == ["01", "02"], role


def test_a_user_without_a_staff_record_sees_nothing(client, two_departments, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("nobody", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.WINDOW_STAFF))
    client.force_login(user)
    assert window_numbers(client) == []


def test_history_pages_of_another_departments_rows_are_not_found(client, two_departments, make_staff):
    market, police = two_departments
    client.force_login(make_staff(market, role=roles.WINDOW_STAFF).user)
    police_window = Window.objects.get(department=police)
    version = police_window.history.latest().history_id
    assert client.get(reverse("admin:staffing_window_history", args=[police_window.pk])).status_code == 404
    assert (
        client.get(reverse("admin:staffing_window_simple_history", args=[police_window.pk, version])).status_code
        == 404
    )
    own_window = Window.objects.get(department=market)
    assert client.get(reverse("admin:staffing_window_history", args=[own_window.pk])).status_code == 200
