"""A 党委会 from the room booking to a cadre decision, driven by the office and the director in a browser.

预约会议室 (next working day) → 主要领导 批准 → 安排党委会 on that booking → 5 of 9 members present →
「干部任免」 with 5 votes is refused for lack of quorum → a 6th member is marked present → adopted with 6.
"""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from meetings.models import BodyMembership, BookingStatus, Decision, Meeting, MeetingType, MemberBody, Room, RoomBooking
from staffing import services as staffing_services
from staffing.models import Department, DepartmentKind
from staffing.roles import MAIN_LEADER, OFFICE_STAFF
from staffing.working_days import add_working_days

from .conftest import admin_login

PASSWORD = "测试密码-2026"  # what tests/conftest.py's make_staff gives every account
REFUSAL = "不能记为通过:「干部任免」须有三分之二以上成员参加表决:应到9人,至少需要6人,实际参加表决5人。"


@pytest.fixture
def default_meeting_types(transactional_db):
    """The eight meeting types that `migrate` installs (meetings data migration 0003).

    A transactional test ends with a flush that empties every table, so the next one starts without
    the migration's rows (see tests/e2e/test_case_flow.py); the function is idempotent: run it again.
    """
    importlib.import_module("meetings.migrations.0003_default_meeting_types").load_types(django_apps, None)
    assert MeetingType.objects.filter(name="党委会", quorum_rules__decision_kind="干部任免").exists()


def field_label(text):
    return re.compile(rf"^\s*{re.escape(text)}\s*[:：]?\s*$")


def submit(page, button):
    """Press a button that posts the page and wait for the answer (it often comes back to the same URL)."""
    with page.expect_navigation():
        button.click()


def messages(page) -> str:
    return page.locator(".messagelist").inner_text() if page.locator(".messagelist").count() else ""


def mark_present(page, name):
    page.locator("#attendance-group tr.form-row", has_text=name).get_by_label("出席", exact=True).check()


@pytest.mark.django_db(transaction=True)
def test_the_office_books_a_room_holds_a_party_committee_and_records_a_cadre_decision_once_six_are_present(
    live_server, browser, page, make_staff, screenshot, default_meeting_types
):
    staffing_services.calendar_seed_from_package(years=[2025, 2026])
    office_department = Department.objects.create(name="中心办公室", kind=DepartmentKind.SECTION)
    market = Department.objects.create(name="县市场监督管理局", kind=DepartmentKind.STATIONED)
    clerk = make_staff(office_department, role=OFFICE_STAFF, name="赵文书")
    director = make_staff(office_department, role=MAIN_LEADER, name="刘建华")
    room = Room.objects.create(name="三楼会议室", capacity=20, equipment="投影仪")
    body = MemberBody.objects.get(name="党委委员")
    members = []
    for n, role in enumerate(["书记", "副书记"] + ["委员"] * 7, start=1):
        person = make_staff(office_department if n % 2 else market, name=f"{role}{n}" if role != "书记" else "王书记")
        BodyMembership.objects.create(body=body, staff=person, role=role)
        members.append(person)
    secretary = members[0]
    day = add_working_days(timezone.localdate(), 1)

    # 预约会议室 for the next working day, as the office clerk.
    admin_login(page, live_server, clerk.user.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/meetings/roombooking/add/")
    page.select_option("#id_room", value=str(room.pk))
    page.fill("#id_starts_at_0", day.isoformat())
    page.fill("#id_starts_at_1", "09:00")
    page.fill("#id_ends_at_0", day.isoformat())
    page.fill("#id_ends_at_1", "11:00")
    page.get_by_label(field_label("用途")).fill("党委会")
    page.get_by_label(field_label("参加人数")).fill("9")
    submit(page, page.get_by_role("button", name="保存", exact=True))
    assert "待主要领导审批" in messages(page), page.locator("#content").inner_text()
    booking = RoomBooking.objects.get()
    assert (booking.status, booking.ad_hoc) == (BookingStatus.PENDING, False)

    # 主要领导 批准 it, in a browser of his own.
    leader_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1366, "height": 900})
    try:
        leader = leader_context.new_page()
        admin_login(leader, live_server, director.user.username, PASSWORD)
        leader.goto(f"{live_server.url}/admin/meetings/roombooking/?status__exact=pending")
        leader.locator("#result_list tbody tr", has_text="党委会").get_by_role("link", name="三楼会议室").click()
        leader.wait_for_url(re.compile(r"/roombooking/\d+/change/"))
        submit(leader, leader.get_by_role("button", name="批准", exact=True))
        assert "已批准预约" in messages(leader), leader.locator("#content").inner_text()
    finally:
        leader_context.close()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED

    # 安排党委会 on that booking: the times and the room come from it.
    page.goto(f"{live_server.url}/admin/meetings/meeting/add/")
    page.select_option("#id_meeting_type", label="党委会")
    assert page.locator("#id_body").input_value() == str(body.pk)  # the type's body, filled in on the page
    page.get_by_label(field_label("会议名称")).fill(f"{day:%Y年%m月}党委会")
    page.locator(".field-chair .select2-selection").click()
    page.keyboard.type("王书记")
    page.get_by_role("option", name=str(secretary)).click()
    page.select_option("#id_booking", value=str(booking.pk))
    submit(page, page.get_by_role("button", name="保存", exact=True))
    assert re.search(r"/admin/meetings/meeting/\d+/change/$", page.url), page.locator("#content").inner_text()
    assert "共9人" in messages(page)
    meeting = Meeting.objects.get()
    assert (meeting.booking, meeting.location) == (booking, "三楼会议室")
    meeting_url = page.url

    # Five members present, and the agenda item.
    for person in members[:5]:
        mark_present(page, person.name)
    assert "本页已勾选出席 5 人" in page.locator(".mt-quorum").inner_text()
    page.locator("#agenda_items-group input[name='agenda_items-0-title']").fill("干部任免事项")
    submit(page, page.get_by_role("button", name="保存并继续编辑"))
    assert page.url == meeting_url, page.url
    assert re.search(r"应到\s*9\s*人,到会\s*5\s*人", page.locator(".mt-quorum").inner_text())

    # 干部任免 with 5 votes: refused with the quorum rule's message.
    page.get_by_role("link", name="记录决议…").click()
    page.wait_for_url(re.compile(r"/agenda/\d+/decision/$"))
    page.get_by_label(field_label("决定事项类别")).fill("干部任免")
    page.get_by_label(field_label("决定内容")).fill("任命张三为审批协调股股长")
    page.get_by_label(field_label("赞成")).fill("5")
    submit(page, page.get_by_role("button", name="记录决议", exact=True))
    assert REFUSAL in page.locator(".errorlist").inner_text(), page.locator("#content").inner_text()
    assert not Decision.objects.exists()
    screenshot("meeting-flow-decision-refused")

    # A sixth member is marked present; with 6 votes the decision is adopted.
    page.get_by_role("link", name="返回").click()
    page.wait_for_url(meeting_url)
    mark_present(page, members[5].name)
    submit(page, page.get_by_role("button", name="保存并继续编辑"))
    assert re.search(r"到会\s*6\s*人", page.locator(".mt-quorum").inner_text())
    page.get_by_role("link", name="记录决议…").click()
    page.wait_for_url(re.compile(r"/agenda/\d+/decision/$"))
    page.get_by_label(field_label("决定事项类别")).fill("干部任免")
    page.get_by_label(field_label("决定内容")).fill("任命张三为审批协调股股长")
    page.get_by_label(field_label("赞成")).fill("6")
    submit(page, page.get_by_role("button", name="记录决议", exact=True))
    assert page.url == meeting_url, page.locator("#content").inner_text()
    assert "决议(通过)" in messages(page)
    assert "通过「干部任免」任命张三为审批协调股股长(赞成6,反对0,弃权0)" in page.locator("#agenda_items-group").inner_text()
    decision = Decision.objects.get()
    assert (decision.votes_for, decision.adopted) == (6, True)

    # The week of rooms shows the approved booking; the other half days are free.
    page.goto(f"{live_server.url}/admin/meetings/roombooking/week/?start={day.isoformat()}")
    cell = page.locator(f"tr[data-room='三楼会议室'] td[data-date='{day.isoformat()}'][data-half='am']")
    assert "09:00–11:00" in cell.inner_text() and "已批准" in cell.inner_text(), cell.inner_text()
    assert page.locator("tr[data-room='三楼会议室'] td.free").count() == 13
    screenshot("meeting-flow-room-week")
