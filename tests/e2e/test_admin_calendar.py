"""The work calendar, seen by a center administrator in a real browser."""

import pytest

from staffing import services
from staffing.roles import CENTER_ADMIN
from staffing.models import Department, DepartmentKind

from .conftest import admin_login

PASSWORD = "测试密码-2026"  # what tests/conftest.py's make_staff gives every account


@pytest.mark.django_db(transaction=True)
def test_a_center_admin_logs_in_and_sees_national_day_2026_in_the_work_calendar(
    live_server, page, make_staff, screenshot
):
    services.calendar_seed_from_package(years=[2026])
    office = Department.objects.create(name="县行政服务中心办公室", kind=DepartmentKind.STATIONED)
    admin_staff = make_staff(office, role=CENTER_ADMIN, name="王主任")

    admin_login(page, live_server, admin_staff.user.username, PASSWORD)

    page.goto(f"{live_server.url}/admin/staffing/calendarday/?year=2026&q=国庆")
    assert "工作日历" in page.title()
    assert "工作日历" in page.locator("#content h1").inner_text()

    results = page.locator("#result_list")
    results.wait_for()
    # 10/1–10/7 are the National Day holiday (国务院办公厅, 2025-11-04); 10/1 is a Thursday.
    national_day = results.locator("tbody tr", has_text="2026年10月1日")
    assert national_day.count() == 1, results.inner_text()
    row = national_day.inner_text()
    assert "国庆节" in row and "星期四" in row, row

    screenshot("admin-calendar-2026-national-day")
