"""People show as names, not logins (issue 17): the history's 修改人, the 分发人 of a circulation, …"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from staffing import roles
from staffing.models import Window

pytestmark = pytest.mark.django_db


def test_an_account_prints_as_its_staff_members_name_and_otherwise_as_its_login(two_departments, make_staff):
    staff = make_staff(two_departments[0], role=roles.CENTER_ADMIN, name="王秀英")
    assert str(staff.user) == "王秀英"
    assert str(get_user_model().objects.create_user("robot", password="x")) == "robot"


def test_the_history_page_names_who_changed_the_record(client, two_departments, make_staff):
    admin = make_staff(two_departments[0], role=roles.CENTER_ADMIN, name="王秀英")
    window = Window.objects.get(number="01")
    window.name = "市场主体登记(一)"
    window._history_user = admin.user
    window.save()
    client.force_login(admin.user)
    page = client.get(reverse("admin:staffing_window_history", args=[window.pk])).content.decode()
    table = page[page.index('<table id="change-history"'):]
    table = table[:table.index("</table>")]
    assert "王秀英" in table and admin.user.username not in table
