"""Two days' leave in a real browser (S1.10-d, S1.10-b, S1.9-b): the A holder asks, the leader in charge
and then the main leader approve on the request's page, the board shows 请假, and the B holder finds
A's open case in 我的办件."""

import datetime
import re

import pytest
from django.utils import timezone

from casework import services as casework_services
from registry.models import HandlingMode, ItemStatus, ItemType, Material, ServiceItem
from staffing import roles
from staffing.models import Department, DepartmentKind, Post, PostSubstitute, Window, WorkingHours
from staffing.working_days import WorkCalendar

from .conftest import admin_login

PASSWORD = "测试密码-2026"  # what tests/conftest.py's make_staff gives every account
APPLICANT = {"applicant_name": "王小明", "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13907970001"}


def two_working_days_from_today() -> tuple[datetime.date, datetime.date]:
    """From today up to the second working day counted from today (today included when it is one)."""
    calendar, today = WorkCalendar(), timezone.localdate()
    end = calendar.add_working_days(today, 1 if calendar.is_working_day(today) else 2)
    return today, end


@pytest.fixture
def office(make_staff):
    # Leave covers whole days here, so that leave from today is in force whatever the hour of the run.
    hours = WorkingHours.load()
    hours.morning_start, hours.afternoon_end = datetime.time(0, 0), datetime.time(23, 59)
    hours.save()

    market = Department.objects.create(name="县市场监督管理局", kind=DepartmentKind.STATIONED)
    window_a = Window.objects.create(number="01", name="企业登记", department=market)
    window_b = Window.objects.create(number="02", name="食品经营许可", department=market)
    deputy = make_staff(market, role=roles.LEADER_IN_CHARGE, name="钟晓明", leader_role="in_charge")
    director = make_staff(market, role=roles.MAIN_LEADER, name="刘建华", leader_role="main")
    market.leader_in_charge = deputy
    market.save()
    a = make_staff(market, role=roles.WINDOW_STAFF, name="张三", window=window_a)
    b = make_staff(market, role=roles.WINDOW_STAFF, name="李四", window=window_b)
    post = Post.objects.create(name="企业登记岗", department=market, a_holder=a)
    PostSubstitute.objects.create(post=post, staff=b, order=1)

    item = ServiceItem.objects.create(
        code="000001", name="食品经营许可", item_type=ItemType.LICENSING, department=market, window=window_a,
        handling_mode=HandlingMode.COMMITTED, statutory_limit_days=20, committed_limit_days=10,
        legal_basis="《中华人民共和国食品安全法》第三十五条", procedure="受理→审查→决定", contact="张三",
        phone="0797-8721111", status=ItemStatus.ACTIVE, disclosure_complete=True,
    )  # fmt: skip
    Material.objects.create(item=item, order=1, name="食品经营许可申请书")
    case = casework_services.case_receive(item=item, window=window_a, user=a.user, **APPLICANT)
    return {"deputy": deputy, "director": director, "a": a, "b": b, "case": case}


def log_in_as(page, live_server, staff):
    page.context.clear_cookies()
    admin_login(page, live_server, staff.user.username, PASSWORD)


def success_message(page) -> str:
    return page.locator("ul.messagelist li.success").first.inner_text()


def approve_waiting_request(page, live_server, approver, comment):
    page.goto(f"{live_server.url}/admin/staffing/leaverequest/?awaiting=me")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1, page.locator("#result_list").inner_text()
    with page.expect_navigation():
        rows.first.locator("th a, td a").first.click()
    assert "张三" in page.locator("#content").inner_text()
    page.fill("#decision-form textarea[name=comment]", comment)
    with page.expect_navigation():
        page.click("#decision-form button[name=approve]")
    return success_message(page)


@pytest.mark.django_db(transaction=True)
def test_two_days_leave_is_approved_twice_shown_on_the_board_and_the_b_holder_takes_over_the_case(
    live_server, page, office, screenshot
):
    start, end = two_working_days_from_today()

    # The A holder asks for leave; the form offers the B holder to take over.
    log_in_as(page, live_server, office["a"])
    page.goto(f"{live_server.url}/admin/staffing/leaverequest/add/")
    page.select_option("#id_leave_type", "personal")
    page.fill("#id_start_date", start.isoformat())
    page.fill("#id_end_date", end.isoformat())
    page.check("#id_start_half_0")
    page.check("#id_end_half_1")
    page.fill("#id_reason", "家中老人住院")
    page.fill("#id_destination", "赣州市人民医院")
    page.fill("#id_contact", "13907970001")
    assert page.locator("#id_handover_to option:checked").inner_text().startswith("李四")
    page.fill("#id_handover_note", "在办件1件(食品经营许可),材料已核验,请按期受理。")
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert "请假申请(共2个工作日)已提交,待钟晓明(分管领导)审批" in success_message(page)

    # The leader in charge approves, then the main leader.
    log_in_as(page, live_server, office["deputy"])
    assert "下一步待刘建华(中心主任)审批" in approve_waiting_request(page, live_server, office["deputy"], "同意,做好交接")
    log_in_as(page, live_server, office["director"])
    assert "申请现为「已批准」" in approve_waiting_request(page, live_server, office["director"], "同意")
    chain = page.locator("table.approval-chain").inner_text()
    assert chain.count("同意") >= 2 and "同意,做好交接" in chain
    screenshot("leave-approved")

    # The board shows 请假 for A, and A's window sends applicants to window 02.
    page.goto(f"{live_server.url}/admin/staffing/whereabouts/board/")
    row = page.locator(f"tr[data-badge='{office['a'].badge_no}']")
    assert "请假" in row.inner_text() and "家中老人住院" in row.inner_text()
    assert "在岗" in page.locator(f"tr[data-badge='{office['b'].badge_no}']").inner_text()
    screenshot("whereabouts-board-leave")
    notice_href = page.locator("a.away-notice-link").get_attribute("href")
    page.goto(f"{live_server.url}{notice_href}")
    assert "请到 02号窗口" in page.locator(".notice").inner_text()

    # The B holder finds A's open case in 我的办件.
    log_in_as(page, live_server, office["b"])
    page.goto(f"{live_server.url}/admin/casework/case/")
    with page.expect_navigation():
        page.click("a.my-work-link")
    assert re.search(r"[?&]mine=1", page.url)
    results = page.locator("#result_list")
    results.wait_for()
    assert office["case"].number in results.inner_text()
    screenshot("my-work-acting-b")
