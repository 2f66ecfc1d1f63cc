"""The organisation lists cost the same number of queries for 20 rows as for 60: no per-row queries."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staffing import roles
from staffing.models import CenterSettings, Department, Post, PostSubstitute, Window

pytestmark = pytest.mark.django_db

LISTS = ["staff", "window", "post", "department", "calendarday"]


def add_rows(make_staff, count, start):
    for index in range(start, start + count):
        department = Department.objects.create(name=f"部门{index}")
        window = Window.objects.create(number=f"W{index}", name=f"窗口{index}", department=department)
        a_holder = make_staff(department, window=window)
        b_holder = make_staff(department)
        post = Post.objects.create(name=f"岗位{index}", department=department, a_holder=a_holder)
        PostSubstitute.objects.create(post=post, staff=b_holder, order=1)
        department.leader_in_charge = make_staff(department, leader_role="in_charge")
        department.save()


def queries_for(client, model_name):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(f"admin:staffing_{model_name}_changelist"))
    assert response.status_code == 200
    return len(captured)


def test_main_lists_make_no_per_row_queries(client, two_departments, make_staff, official_calendar, monkeypatch):
    # One page holds both sizes, so the only difference left would be queries made per row.
    for model_admin in admin.site._registry.values():
        monkeypatch.setattr(model_admin, "list_per_page", 1000)
    client.force_login(make_staff(two_departments[0], role=roles.CENTER_ADMIN).user)
    CenterSettings.load()  # created on first use; not a per-row cost
    add_rows(make_staff, 10, 0)
    for name in LISTS:  # warm the caches (theme, content types) that the first request fills
        queries_for(client, name)
    small = {name: queries_for(client, name) for name in LISTS}
    add_rows(make_staff, 30, 10)
    large = {name: queries_for(client, name) for name in LISTS}

    assert large == small
    assert max(small.values()) <= 16, small
