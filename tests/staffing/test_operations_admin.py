"""The staffing operations in the admin: clock import, monthly sheet, whereabouts board and away notice,
leave and overtime with their approval chains, A/B on the post list, duty roster, and 我的办件."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from staffing import roles, services
from staffing.admin import attendance as attendance_admin
from staffing.models import (
    ClockPunch,
    DutyShift,
    LeaveRequest,
    Post,
    PostSubstitute,
    RequestStatus,
    Whereabouts,
    WhereaboutsStatus,
    Window,
    WorkingHours,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow(client, response):
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"])


@pytest.fixture
def office(two_departments, make_staff):
    """The market department: leader in charge 钟晓明, main leader 刘建华, A holder 张三 at window 01 with
    B holders 李四 then 王五, and 赵六 at window 03; the police department has window 02 and its own leader."""
    market, police = two_departments
    window_01 = Window.objects.get(number="01")
    window_03 = Window.objects.create(number="03", name="食品经营许可", department=market)
    deputy = make_staff(market, role=roles.LEADER_IN_CHARGE, name="钟晓明", leader_role="in_charge")
    director = make_staff(market, role=roles.MAIN_LEADER, name="刘建华", leader_role="main")
    market.leader_in_charge = deputy
    market.save()
    police_deputy = make_staff(police, role=roles.LEADER_IN_CHARGE, name="周国平", leader_role="in_charge")
    police.leader_in_charge = police_deputy
    police.save()
    a = make_staff(market, role=roles.WINDOW_STAFF, name="张三", window=window_01)
    b1 = make_staff(market, role=roles.WINDOW_STAFF, name="李四")
    b2 = make_staff(market, role=roles.WINDOW_STAFF, name="王五")
    other = make_staff(market, role=roles.WINDOW_STAFF, name="赵六", window=window_03)
    officer = make_staff(police, role=roles.WINDOW_STAFF, name="刘建国", window=Window.objects.get(number="02"))
    clerk = make_staff(market, role=roles.OFFICE_STAFF, name="办公室小陈")
    post = Post.objects.create(name="企业登记岗", department=market, a_holder=a)
    PostSubstitute.objects.create(post=post, staff=b1, order=1)
    PostSubstitute.objects.create(post=post, staff=b2, order=2)
    return {
        "market": market, "police": police, "deputy": deputy, "director": director, "police_deputy": police_deputy,
        "a": a, "b1": b1, "b2": b2, "other": other, "officer": officer, "clerk": clerk, "post": post,
    }  # fmt: skip


@pytest.fixture
def whole_days():
    """Working hours from midnight to midnight, so that leave from today covers now whatever the hour."""
    hours = WorkingHours.load()
    hours.morning_start, hours.afternoon_end = datetime.time(0, 0), datetime.time(23, 59)
    hours.save()


def login(client, staff):
    client.force_login(staff.user)
    return client


# --- Clock import --------------------------------------------------------------------------------------


def xlsx_upload(rows, name="考勤机导出.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


IMPORT_URL = "/admin/staffing/clockpunch/import/"


def test_the_clock_import_reports_new_duplicate_and_unknown_punches(client, office):
    badge = office["a"].badge_no
    upload = xlsx_upload(
        [
            ["考勤记录导出", None],  # a title row above the header, as the clock software writes it
            ["工号", "打卡时间"],
            [badge, datetime.datetime(2026, 11, 26, 7, 58)],
            [badge, "2026-11-26 12:01"],
            [badge, "2026/11/26 12:01"],
            ["X999", "2026-11-26 08:00"],
        ]
    )
    response = login(client, office["clerk"]).post(IMPORT_URL, {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "新增 2 条" in html and "重复 1 条" in html and "未知工号 1 条" in html
    assert "第6行 工号「X999」" in html
    assert ClockPunch.objects.filter(staff=office["a"], source="clock").count() == 2

    again = client.post(IMPORT_URL, {"file": xlsx_upload([["工号", "打卡时间"], [badge, "2026-11-26 07:58"]])})
    assert "新增 0 条" in again.content.decode() and "重复 1 条" in again.content.decode()


def test_an_unreadable_time_is_named_by_row_column_and_value_and_nothing_is_imported(client, office):
    badge = office["a"].badge_no
    csv_text = f"工号,日期,时间\n{badge},2026-11-26,07:58 12:01\n{badge},2026-11-26,25:61\n"
    upload = SimpleUploadedFile("clock.csv", csv_text.encode("gb18030"))
    response = login(client, office["clerk"]).post(IMPORT_URL, {"file": upload})
    html = response.content.decode()
    assert "第3行「时间」列的值「25:61」无法识别为时间" in html
    assert "未导入任何记录" in html
    assert not ClockPunch.objects.exists()


def test_window_staff_cannot_import_punches(client, office):
    assert login(client, office["a"]).get(IMPORT_URL).status_code == 403


# --- Monthly sheet -------------------------------------------------------------------------------------


@pytest.fixture
def end_of_november(monkeypatch):
    monkeypatch.setattr(attendance_admin.timezone, "localdate", lambda: D(2026, 11, 30))


def test_the_monthly_sheet_shows_each_half_day_and_the_export_has_the_same_grid(
    client, office, official_calendar, end_of_november
):
    a, day = office["a"], D(2026, 11, 26)
    for moment in (at(day, 7, 58), at(day, 12, 1), at(day, 14, 20), at(day, 18, 3)):
        ClockPunch.objects.create(staff=a, punched_at=moment)
    query = {"department": office["market"].pk, "year": 2026, "month": 11}
    response = login(client, office["deputy"]).get("/admin/staffing/clockpunch/sheet/", query)
    assert response.status_code == 200
    grid = response.context["grid"]
    row = next(r for r in grid["rows"] if r["staff"] == a)
    index = [d["date"] for d in grid["days"]].index(day)
    assert [half["cells"][index]["label"] for half in row["halves"]] == ["正常", "迟到"]
    html = response.content.decode()
    assert 'title="迟到" data-status="late">迟</td>' in html
    assert response.context["export_url"]

    export = client.get(response.context["export_url"])
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet["A1"].value == "县市场监督管理局 2026年11月考勤表"
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    morning = next(r for r in rows if r[1] == a.badge_no)
    afternoon = rows[rows.index(morning) + 1]
    assert (morning[3 + index], afternoon[3 + index]) == ("√", "迟")
    assert morning[3 + 27] == "休"  # 28 November 2026 is a Saturday


def test_the_sheet_offers_only_the_departments_the_user_sees(client, office, end_of_november):
    response = login(client, office["police_deputy"]).get(
        "/admin/staffing/clockpunch/sheet/", {"department": office["market"].pk, "year": 2026, "month": 11}
    )
    assert list(response.context["form"].fields["department"].queryset) == [office["police"]]
    assert response.context["grid"]["department"] == office["police"]


# --- Whereabouts board and the away notice -------------------------------------------------------------


def ask_leave(staff, start, end, **extra):
    values = {"leave_type": "personal", "reason": "家中有事", "handover_note": "在办件3件,已交代李四"}
    values.update(extra)
    return services.leave_submit(user=staff.user, start_date=start, end_date=end, **values)


def approve_all(leave):
    for step in services.chain_of(leave):
        services.approval_decide(approval=step, user=step.approver.user, approve=True)
    leave.refresh_from_db()
    return leave


def two_working_days_from_today():
    from staffing.working_days import add_working_days

    today = timezone.localdate()
    return today, add_working_days(today, 1)


def test_the_board_shows_a_leave_as_leave_and_the_notice_sends_people_to_the_next_window(client, office, whole_days):
    start, end = two_working_days_from_today()
    leave = approve_all(ask_leave(office["a"], start, end, destination="赣州市", contact="13907970001"))
    assert leave.status == RequestStatus.APPROVED

    response = login(client, office["other"]).get(reverse("admin:staffing_whereabouts_board"))
    assert response.status_code == 200
    html = response.content.decode()
    row = html.split(f'data-badge="{office["a"].badge_no}"')[1].split("</tr>")[0]
    assert "请假" in row and "事假:家中有事" in row and "赣州市" in row
    present = html.split(f'data-badge="{office["other"].badge_no}"')[1].split("</tr>")[0]
    assert "在岗" in present

    notice_url = reverse("admin:staffing_whereabouts_notice", args=[office["a"].window_id])
    assert notice_url in html  # window 01's only member of staff is away
    notice = client.get(notice_url).content.decode()
    assert "去向告知牌" in notice and "张三" in notice and "13907970001" in notice
    assert "请到 03号窗口" in notice  # the next window of the same department, before 02 of the police


def test_the_notice_of_a_window_with_someone_present_goes_back_to_the_board(client, office):
    response = login(client, office["other"]).get(
        reverse("admin:staffing_whereabouts_notice", args=[office["a"].window_id])
    )
    assert response.status_code == 302
    assert "有工作人员在岗,无需张贴去向告知牌" in messages_of(follow(client, response))[0]


def test_the_board_costs_the_same_queries_for_more_staff(client, office, make_staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("admin:staffing_whereabouts_board")).status_code == 200
        return len(captured)

    login(client, office["other"])
    queries()  # warm the caches (theme, content types) that the first request fills
    small = queries()
    for number in range(10):
        person = make_staff(office["market"], name=f"新人{number}", window=office["other"].window)
        Whereabouts.objects.create(
            staff=person, status=WhereaboutsStatus.OUT, reason="外出办事",
            starts_at=timezone.now() - datetime.timedelta(hours=1), returns_at=timezone.now() + datetime.timedelta(hours=1),
        )  # fmt: skip
    assert queries() == small


def whereabouts_form(**values):
    now = timezone.localtime()
    later = now + datetime.timedelta(hours=3)
    data = {
        "status": "meeting", "reason": "参加县政务服务工作会议", "destination": "县政府三楼会议室", "contact": "",
        "starts_at_0": now.strftime("%Y-%m-%d"), "starts_at_1": now.strftime("%H:%M:%S"),
        "returns_at_0": later.strftime("%Y-%m-%d"), "returns_at_1": later.strftime("%H:%M:%S"),
    }  # fmt: skip
    data.update(values)
    return data


def test_staff_record_their_own_meeting_and_mark_their_return(client, office):
    response = login(client, office["b1"]).post(reverse("admin:staffing_whereabouts_add"), whereabouts_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = Whereabouts.objects.get()
    assert (entry.staff, entry.status) == (office["b1"], WhereaboutsStatus.MEETING)
    assert services.away_staff_ids() == {office["b1"].pk}

    page = client.get(reverse("admin:staffing_whereabouts_change", args=[entry.pk]))
    assert page.context["return_url"]
    back = follow(client, client.post(page.context["return_url"]))
    assert "已登记李四返回" in messages_of(back)[0]
    assert services.away_staff_ids() == set()


def test_only_the_office_records_whereabouts_for_someone_else(client, office):
    for someone in (office["b1"], office["director"]):
        form = login(client, someone).get(reverse("admin:staffing_whereabouts_add")).context["adminform"].form
        assert "staff" not in form.fields, someone.name
    response = login(client, office["clerk"]).post(
        reverse("admin:staffing_whereabouts_add"), whereabouts_form(staff=office["a"].pk, status="trip")
    )
    assert response.status_code == 302
    assert Whereabouts.objects.get().staff == office["a"]


def test_leave_cannot_be_entered_as_whereabouts(client, office):
    response = login(client, office["b1"]).post(reverse("admin:staffing_whereabouts_add"), whereabouts_form(status="leave"))
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Whereabouts.objects.exists()


# --- Leave and overtime --------------------------------------------------------------------------------


def leave_form(**values):
    data = {
        "leave_type": "personal", "start_date": "2026-12-03", "start_half": "am", "end_date": "2026-12-04",
        "end_half": "pm", "reason": "家中有事", "destination": "赣州市", "contact": "13907970001",
        "handover_to": "", "handover_note": "在办件3件,已交代",
    }  # fmt: skip
    data.update(values)
    return data


LEAVE_ADD = "/admin/staffing/leaverequest/add/"


def test_the_leave_form_offers_the_first_b_holder_to_take_over(client, office):
    form = login(client, office["a"]).get(LEAVE_ADD).context["adminform"].form
    assert form.initial["handover_to"] == office["b1"].pk
    assert office["b2"] in form.fields["handover_to"].queryset
    assert office["officer"] not in form.fields["handover_to"].queryset


def test_the_leave_form_refuses_a_request_without_a_handover_note(client, office, official_calendar):
    response = login(client, office["a"]).post(LEAVE_ADD, leave_form(handover_to=office["b1"].pk, handover_note="  "))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["handover_note"] == ["请写明交接事项(AB岗制度:离岗前必须做好工作移交)。"]
    assert not LeaveRequest.objects.exists()


def test_a_period_without_working_days_is_refused_on_the_start_date(client, office, official_calendar):
    response = login(client, office["a"]).post(
        LEAVE_ADD, leave_form(start_date="2026-10-03", end_date="2026-10-05", handover_to=office["b1"].pk)
    )
    assert response.context["adminform"].form.errors["start_date"] == ["所选时间内没有工作日,无需请假。"]


def change_url(leave):
    return reverse("admin:staffing_leaverequest_change", args=[leave.pk])


def test_the_leader_in_charge_then_the_main_leader_approve_on_the_page_and_the_requester_sees_it(
    client, office, official_calendar
):
    response = login(client, office["a"]).post(LEAVE_ADD, leave_form(handover_to=office["b1"].pk))
    assert response.status_code == 302
    leave = LeaveRequest.objects.get()
    assert "请假申请(共2个工作日)已提交,待钟晓明(分管领导)审批" in messages_of(follow(client, response))[0]
    assert "decision_url" not in client.get(change_url(leave)).context  # the requester has no buttons

    page = login(client, office["director"]).get(change_url(leave))
    assert "decision_url" not in page.context  # not the main leader's turn yet

    page = login(client, office["deputy"]).get(change_url(leave))
    assert [step.approver for step in page.context["approval_chain"]] == [office["deputy"], office["director"]]
    done = follow(client, client.post(page.context["decision_url"], {"approve": "1", "comment": "同意,注意交接"}))
    assert "已同意张三的请假申请。下一步待刘建华(中心主任)审批。" in messages_of(done)

    page = login(client, office["director"]).get(change_url(leave))
    done = follow(client, client.post(page.context["decision_url"], {"approve": "1", "comment": ""}))
    assert "申请现为「已批准」" in messages_of(done)[0]

    page = login(client, office["a"]).get(change_url(leave))
    html = page.content.decode()
    assert "已批准" in html and "同意,注意交接" in html
    assert Whereabouts.objects.get(leave=leave).status == WhereaboutsStatus.LEAVE


def test_a_rejection_needs_a_comment_and_shows_on_the_request(client, office, official_calendar):
    leave = ask_leave(office["a"], D(2026, 12, 3), D(2026, 12, 3))
    page = login(client, office["deputy"]).get(change_url(leave))
    refused = follow(client, client.post(page.context["decision_url"], {"reject": "1", "comment": ""}))
    assert "未能提交审批:不同意时须写明理由。" in messages_of(refused)
    follow(client, client.post(page.context["decision_url"], {"reject": "1", "comment": "年底窗口繁忙"}))
    leave.refresh_from_db()
    assert leave.status == RequestStatus.REJECTED


def test_someone_else_posting_a_decision_changes_nothing(client, office, official_calendar):
    leave = ask_leave(office["a"], D(2026, 12, 3), D(2026, 12, 3))
    url = reverse("admin:staffing_leaverequest_decide", args=[leave.pk])
    response = login(client, office["director"]).post(url, {"approve": "1"})
    assert "该申请当前没有待您审批的步骤。" in messages_of(follow(client, response))
    leave.refresh_from_db()
    assert leave.status == RequestStatus.PENDING


def test_awaiting_me_lists_only_the_approvers_pending_requests(client, office, official_calendar):
    mine = ask_leave(office["a"], D(2026, 12, 3), D(2026, 12, 3))
    decided = approve_all(ask_leave(office["b1"], D(2026, 12, 7), D(2026, 12, 7), handover_to=office["b2"]))
    police = ask_leave(office["officer"], D(2026, 12, 3), D(2026, 12, 3), handover_to=office["police_deputy"])
    assert decided.status == RequestStatus.APPROVED

    response = login(client, office["deputy"]).get("/admin/staffing/leaverequest/", {"awaiting": "me"})
    assert list(response.context["cl"].result_list) == [mine]
    assert response.context["awaiting_count"] == 1
    everything = client.get("/admin/staffing/leaverequest/").context["cl"].result_list
    assert police not in everything  # the market's leader in charge does not see the police department

    response = login(client, office["police_deputy"]).get("/admin/staffing/leaverequest/", {"awaiting": "me"})
    assert list(response.context["cl"].result_list) == [police]
    assert list(login(client, office["director"]).get("/admin/staffing/leaverequest/", {"awaiting": "me"}).context["cl"].result_list) == []


def test_plain_staff_see_their_own_requests_and_those_handed_over_to_them(client, office, official_calendar):
    own = ask_leave(office["a"], D(2026, 12, 3), D(2026, 12, 3))
    ask_leave(office["other"], D(2026, 12, 3), D(2026, 12, 3), handover_to=office["a"])
    ask_leave(office["b2"], D(2026, 12, 7), D(2026, 12, 7), handover_to=office["other"])
    listed = set(login(client, office["a"]).get("/admin/staffing/leaverequest/").context["cl"].result_list)
    assert listed == {own, LeaveRequest.objects.get(staff=office["other"])}


def test_overtime_goes_to_the_department_head_through_the_form(client, office, make_staff):
    head = make_staff(office["market"], role=roles.WINDOW_HEAD, name="陈志强")
    response = login(client, office["a"]).post(
        "/admin/staffing/overtimerequest/add/",
        {"date": "2026-10-03", "starts_at": "09:00", "ends_at": "12:30", "reason": "国庆期间集中办理企业开办"},
    )
    assert response.status_code == 302
    assert "加班申请(3.5小时)已提交,待陈志强(部门/股室负责人)审批" in messages_of(follow(client, response))[0]
    response = login(client, head).get("/admin/staffing/overtimerequest/", {"awaiting": "me"})
    assert len(response.context["cl"].result_list) == 1


def test_the_approval_rules_list_shows_each_chain(client, make_staff, two_departments):
    login(client, make_staff(two_departments[0], role=roles.CENTER_ADMIN))
    html = client.get("/admin/staffing/approvalrule/").content.decode()
    assert "分管领导 → 中心主任" in html and "部门/股室负责人 → 中心主任" in html


# --- A/B on the post list ------------------------------------------------------------------------------


def test_the_post_list_shows_the_acting_b_and_why(client, office):
    now = timezone.now()
    Whereabouts.objects.create(
        staff=office["a"], status=WhereaboutsStatus.TRIP, reason="赴市局培训",
        starts_at=now - datetime.timedelta(hours=1), returns_at=now + datetime.timedelta(days=1),
    )  # fmt: skip
    html = login(client, office["deputy"]).get(reverse("admin:staffing_post_changelist")).content.decode()
    assert "李四(B岗顶岗):张三出差至" in html
    page = client.get(reverse("admin:staffing_post_change", args=[office["post"].pk])).content.decode()
    assert "李四(B岗顶岗)" in page


def test_the_post_list_shows_the_a_holder_at_the_post(client, office):
    html = login(client, office["deputy"]).get(reverse("admin:staffing_post_changelist")).content.decode()
    assert "张三(A岗)在岗" in html


# --- Duty ----------------------------------------------------------------------------------------------


def test_the_office_generates_the_2026_national_day_roster(client, office, official_calendar):
    people = [office["b1"], office["b2"], office["other"]]
    response = login(client, office["clerk"]).post(
        reverse("admin:staffing_dutyshift_generate"),
        {"start": "2026-09-26", "end": "2026-10-11", "staff": [p.pk for p in people]},
    )
    listed = follow(client, response)
    assert "新增 10 个值班日" in messages_of(listed)[0]
    assert DutyShift.objects.count() == 10
    assert not DutyShift.objects.filter(date=D(2026, 10, 10)).exists()  # make-up workday
    assert len(listed.context["cl"].result_list) == 10


def test_the_roster_page_refuses_an_empty_selection_in_chinese(client, office):
    response = login(client, office["clerk"]).post(
        reverse("admin:staffing_dutyshift_generate"), {"start": "2026-10-07", "end": "2026-10-01", "staff": []}
    )
    assert response.status_code == 200
    assert "staff" in response.context["form"].errors


def test_window_staff_may_not_generate_a_roster(client, office):
    assert login(client, office["a"]).get(reverse("admin:staffing_dutyshift_generate")).status_code == 403


# --- 我的办件 ------------------------------------------------------------------------------------------


def test_my_work_on_the_case_list_shows_the_absent_a_holders_case_to_the_acting_b(client, office):
    from casework import services as casework_services
    from tests.casework.conftest import PERSON, publish
    from registry.models import HandlingMode, ItemType, Material, ServiceItem

    item = ServiceItem.objects.create(
        code="000001", name="食品经营许可", item_type=ItemType.LICENSING, department=office["market"],
        window=office["a"].window, handling_mode=HandlingMode.COMMITTED, statutory_limit_days=20,
        committed_limit_days=10, legal_basis="《中华人民共和国食品安全法》第三十五条", procedure="受理→审查→决定",
        contact="张三", phone="0797-8721111",
    )  # fmt: skip
    Material.objects.create(item=item, order=1, name="食品经营许可申请书")
    publish(item)
    case = casework_services.case_receive(item=item, window=office["a"].window, user=office["a"].user, **PERSON)

    def my_work(staff):
        response = login(client, staff).get("/admin/casework/case/", {"mine": "1"})
        assert response.status_code == 200
        return list(response.context["cl"].result_list)

    assert my_work(office["b1"]) == []
    now = timezone.now()
    Whereabouts.objects.create(
        staff=office["a"], status=WhereaboutsStatus.OUT, reason="外出核查",
        starts_at=now - datetime.timedelta(hours=1), returns_at=now + datetime.timedelta(hours=3),
    )  # fmt: skip
    assert my_work(office["b1"]) == [case]
    assert my_work(office["b2"]) == []
    assert my_work(office["a"]) == [case]
    assert "?mine=1" in client.get("/admin/casework/case/").context["my_work_url"]


def test_the_person_on_duty_writes_the_log_of_their_own_shift_only(client, office, official_calendar):
    shift, other_shift = services.duty_roster_generate(start=D(2026, 10, 1), end=D(2026, 10, 2), staff=[office["b1"], office["b2"]])
    url = reverse("admin:staffing_dutyshift_change", args=[shift.pk])
    data = {
        "log_entries-TOTAL_FORMS": "1", "log_entries-INITIAL_FORMS": "0",
        "log_entries-MIN_NUM_FORMS": "0", "log_entries-MAX_NUM_FORMS": "1000",
        "log_entries-0-at_0": "2026-10-01", "log_entries-0-at_1": "10:30:00",
        "log_entries-0-event": "群众来电咨询不动产登记节后办理时间", "log_entries-0-action": "已告知10月9日起正常办理",
    }  # fmt: skip
    response = login(client, office["b1"]).post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert shift.log_entries.get().event.startswith("群众来电")
    shift.refresh_from_db()
    assert shift.staff == office["b1"]  # the shift itself stays as the office arranged it

    other = reverse("admin:staffing_dutyshift_change", args=[other_shift.pk])
    assert login(client, office["b1"]).post(other, data).status_code == 403


def test_the_office_enters_a_forgotten_punch_by_hand(client, office):
    response = login(client, office["clerk"]).post(
        reverse("admin:staffing_clockpunch_add"),
        {"staff": office["a"].pk, "punched_at_0": "2026-11-26", "punched_at_1": "07:55:00", "note": "指纹机故障,本人补签"},
    )
    assert response.status_code == 302
    assert ClockPunch.objects.get().source == "office"


def test_the_monthly_sheet_export_writes_a_formula_like_name_as_text(client, office, official_calendar, end_of_november):
    a = office["a"]
    a.name = "=1+2"
    a.save()
    query = {"department": office["market"].pk, "year": 2026, "month": 11}
    response = login(client, office["deputy"]).get("/admin/staffing/clockpunch/sheet/", query)
    sheet = load_workbook(io.BytesIO(client.get(response.context["export_url"]).content)).active
    name = next(row[0] for row in sheet.iter_rows(min_row=4) if row[1].value == a.badge_no)
    assert (name.value, name.data_type) == ("'=1+2", "s")
