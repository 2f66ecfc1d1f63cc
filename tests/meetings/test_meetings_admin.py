"""The meetings admin as the office, the approver and any staff member use it: types, scheduling,
attendance, decisions, holding, bookings, the week of rooms, compliance, report obligations."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from documents.models import ReportObligation
from documents.services import report_obligation_open
from meetings import services
from meetings.models import (
    AgendaItem,
    AttendanceStatus,
    BodyMembership,
    BookingStatus,
    Decision,
    Meeting,
    MeetingsSettings,
    MeetingStatus,
    MeetingType,
    MemberBody,
    QuorumRule,
    RoomBooking,
)
from staffing import roles
from tests.meetings.conftest import moment

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = moment(D(2026, 11, 25), 10)  # a Wednesday, after the committee's meeting of 11-20


@pytest.fixture
def clock():
    """The admin passes no `now` to the services: hold the clock still for them."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def office(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.OFFICE_STAFF, name="赵文书")


@pytest.fixture
def as_office(client, office):
    client.force_login(office.user)
    return client


def text_of(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def change_url(meeting):
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


def form_data(form) -> dict:
    """A bound-looking copy of what the browser would post for `form` as rendered."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[form.add_prefix(name)] = "on" if value is True else value
    return data


def meeting_post(client, meeting, statuses=None, **fields):
    """The meeting page posted back, with some members' attendance (by name) and fields changed."""
    page = client.get(change_url(meeting))
    assert page.status_code == 200
    data = form_data(page.context["adminform"].form)
    data.update(fields)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()})
        for form in formset.forms:
            data.update(form_data(form))
            if formset.model.__name__ == "Attendance" and form.instance.staff.name in (statuses or {}):
                data[form.add_prefix("status")] = statuses[form.instance.staff.name]
    return client.post(change_url(meeting), data)


def statuses(meeting) -> dict[str, str]:
    return dict(meeting.attendance.values_list("staff__name", "status"))


# --- Meeting types ------------------------------------------------------------------------------


def test_the_meeting_type_admin_creates_a_new_type_with_a_quorum_rule_without_code(as_office, committee):
    body = MemberBody.objects.get(name="党委委员")
    response = as_office.post(
        reverse("admin:meetings_meetingtype_add"),
        {
            "name": "党委理论学习中心组学习会",
            "body": body.pk,
            "chair_roles": "书记,副书记",
            "is_active": "on",
            "cadence_period": "quarter",
            "cadence_min_count": "1",
            "usual_weekday": "",
            "usual_half_day": "",
            "note": "每季度不少于一次",
            "vote_numerator": "1", "vote_denominator": "2", "vote_base": "due",
            "quorum_rules-TOTAL_FORMS": "1",
            "quorum_rules-INITIAL_FORMS": "0",
            "quorum_rules-MIN_NUM_FORMS": "0",
            "quorum_rules-MAX_NUM_FORMS": "1000",
            "quorum_rules-0-decision_kind": "",
            "quorum_rules-0-numerator": "2",
            "quorum_rules-0-denominator": "3",
            "quorum_rules-0-inclusive": "on",
        },
    )
    assert response.status_code == 302, response.context["errors"] if response.context else response
    new_type = MeetingType.objects.get(name="党委理论学习中心组学习会")
    assert QuorumRule.objects.get(meeting_type=new_type).needed(9) == 6

    listing = text_of(as_office.get(reverse("admin:meetings_meetingtype_changelist")))
    assert "每季度至少1次" in listing and "书记,副书记" in listing

    # The services read it at once: a chair it allows, and its two-thirds quorum.
    day = D(2026, 12, 10)
    meeting = services.meeting_schedule(
        meeting_type=new_type, title="第四季度学习会", starts_at=moment(day, 9), ends_at=moment(day, 11),
        chair=committee[0], user=None,
    )
    for attendance in meeting.attendance.order_by("pk")[:5]:
        services.attendance_mark(attendance=attendance, status=AttendanceStatus.PRESENT, user=None)
    assert services.quorum_shortfall(meeting) == "会议须有三分之二以上成员到会:应到9人,至少需要6人,实际到会5人。"


def test_importing_a_department_adds_its_active_staff_as_members(as_office, two_departments, make_staff):
    market = two_departments[0]
    body = MemberBody.objects.create(name="审批协调股科务会", department=market)
    first, second = make_staff(market, name="钱一"), make_staff(market, name="孙二")
    make_staff(two_departments[1], name="外部门")
    BodyMembership.objects.create(body=body, staff=first, role="科长")
    response = as_office.post(
        reverse("admin:meetings_memberbody_changelist"),
        {"action": "import_department_staff", "_selected_action": [body.pk]},
        follow=True,
    )
    assert "「审批协调股科务会」已导入2名成员:赵文书、孙二。" in messages_of(response)  # in badge order
    assert set(body.memberships.values_list("staff__name", "role")) == {("孙二", "成员"), ("赵文书", "成员"), ("钱一", "科长")}
    assert second.memberships.get().joined_on == timezone.localdate()


# --- Scheduling and the meeting page -----------------------------------------------------------


def schedule_form(chair, **overrides):
    data = {
        "meeting_type": MeetingType.objects.get(name="党委会").pk,
        "title": "2026年12月党委会",
        "body": "",
        "chair": chair.pk,
        "booking": "",
        "starts_at_0": "2026-12-10",
        "starts_at_1": "09:00",
        "ends_at_0": "2026-12-10",
        "ends_at_1": "11:00",
        "location": "三楼会议室",
    }
    return {**data, **overrides}


def test_the_schedule_form_refuses_an_ineligible_chair_with_the_message(as_office, committee):
    response = as_office.post(reverse("admin:meetings_meeting_add"), schedule_form(committee[2]))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["chair"] == ["党委会须由书记或副书记主持;委员3在「党委委员」中的职务是委员。"]
    assert not Meeting.objects.exists()


def test_the_schedule_form_takes_the_types_body_and_lists_its_members(as_office, committee):
    response = as_office.post(reverse("admin:meetings_meeting_add"), schedule_form(committee[1]))
    meeting = Meeting.objects.get()
    assert response["Location"] == change_url(meeting)
    assert (meeting.body.name, meeting.chair, meeting.attendance.count()) == ("党委委员", committee[1], 9)
    page = as_office.get(response["Location"])
    assert "已安排「2026年12月党委会」。出席名单按「党委委员」2026年12月10日的成员生成,共9人。" in messages_of(page)


def test_the_schedule_form_offers_only_the_users_approved_free_bookings(
    as_office, office, committee, room, make_staff, two_departments
):
    other = make_staff(two_departments[0], name="别人")
    tz = timezone.get_current_timezone()

    def booking(by, status, hour):
        start = datetime.datetime(2026, 12, 10, hour, tzinfo=tz)
        return RoomBooking.objects.create(
            room=room, starts_at=start, ends_at=start + datetime.timedelta(hours=1), purpose="会议", booked_by=by, status=status
        )

    mine = booking(office, BookingStatus.APPROVED, 9)
    booking(office, BookingStatus.PENDING, 10)
    booking(other, BookingStatus.APPROVED, 11)
    with time_machine.travel(moment(D(2026, 12, 1), 9), tick=False):
        form = as_office.get(reverse("admin:meetings_meeting_add")).context["adminform"].form
        assert list(form.fields["booking"].queryset) == [mine]
        response = as_office.post(
            reverse("admin:meetings_meeting_add"),
            schedule_form(committee[0], booking=mine.pk, starts_at_0="", starts_at_1="", ends_at_0="", ends_at_1="", location=""),
        )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert (meeting.booking, meeting.starts_at, meeting.location) == (mine, mine.starts_at, "一楼会议室")


def test_marking_on_leave_without_approved_leave_shows_the_error_and_changes_nothing(as_office, party_committee_meeting):
    before = statuses(party_committee_meeting)
    response = meeting_post(
        as_office, party_committee_meeting, {"委员1": AttendanceStatus.PRESENT, "委员4": AttendanceStatus.ON_LEAVE},
        minutes="纪要草稿",
    )
    assert response.status_code == 200
    assert "委员4没有覆盖会议时间的已批准请假,只能记为缺席。" in text_of(response)
    assert statuses(party_committee_meeting) == before
    party_committee_meeting.refresh_from_db()
    assert party_committee_meeting.minutes == ""


def test_saving_the_page_marks_attendance_and_shows_the_quorum(as_office, party_committee_meeting):
    response = meeting_post(as_office, party_committee_meeting, {f"委员{n}": AttendanceStatus.PRESENT for n in range(1, 5)})
    assert response.status_code == 302
    assert list(statuses(party_committee_meeting).values()).count(AttendanceStatus.PRESENT) == 4
    assert party_committee_meeting.attendance.get(staff__name="委员1").history.first().history_user is not None
    page = text_of(as_office.get(change_url(party_committee_meeting)))
    assert re.search(r"应到 <strong>9</strong> 人,到会 <strong class=\"mt-present\">4</strong> 人", page)
    assert "会议须有半数以上成员到会:应到9人,至少需要5人,实际到会4人。" in page
    assert "「干部任免」:须三分之二以上成员参加表决,至少 6 人" in page


def decision_form(votes_for, **overrides):
    return {"kind": "干部任免", "text": "任命张三为审批协调股股长", "votes_for": votes_for, "votes_against": 0, "votes_abstain": 0,
            "adopted": "on", "responsible_department": "", "deadline": "", **overrides}


def test_the_decision_form_refuses_five_of_nine_cadre_votes_then_accepts_after_a_sixth_member_is_present(
    as_office, party_committee_meeting
):
    for attendance in party_committee_meeting.attendance.order_by("pk")[:5]:
        services.attendance_mark(attendance=attendance, status=AttendanceStatus.PRESENT, user=None)
    item = AgendaItem.objects.create(meeting=party_committee_meeting, order=1, title="干部任免事项")
    url = reverse("admin:meetings_meeting_decision", args=[party_committee_meeting.pk, item.pk])

    page = as_office.get(url)
    assert '<option value="干部任免">' in text_of(page)  # the kinds the type's quorum rules name

    refused = as_office.post(url, decision_form(5))
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [
        "不能记为通过:「干部任免」须有三分之二以上成员参加表决:应到9人,至少需要6人,实际参加表决5人。"
    ]
    assert not Decision.objects.exists()

    assert meeting_post(as_office, party_committee_meeting, {"委员6": AttendanceStatus.PRESENT}).status_code == 302
    accepted = as_office.post(url, decision_form(6))
    assert accepted["Location"] == change_url(party_committee_meeting)
    decision = Decision.objects.get()
    assert (decision.kind, decision.votes_for, decision.adopted) == ("干部任免", 6, True)
    page = as_office.get(accepted["Location"])
    assert "已记录议题「干部任免事项」的决议(通过)。" in messages_of(page)
    assert "通过「干部任免」任命张三为审批协调股股长(赞成6,反对0,弃权0)" in text_of(page)


def test_the_hold_button_creates_report_obligations_shown_on_the_page(as_office, two_departments, make_staff, official_calendar):
    market, police = two_departments
    body = MemberBody.objects.get(name="办公会成员")
    director = make_staff(market, role=roles.MAIN_LEADER, name="刘建华")
    BodyMembership.objects.create(body=body, staff=director, role="主任", joined_on=D(2020, 1, 1))
    BodyMembership.objects.create(body=body, staff=make_staff(police, name="陈警官"), role="成员", joined_on=D(2020, 1, 1))
    day = D(2026, 9, 29)
    meeting = services.meeting_schedule(
        meeting_type=MeetingType.objects.get(name="办公会"), title="9月办公会", starts_at=moment(day, 9),
        ends_at=moment(day, 11), chair=director, user=None,
    )
    meeting_post(as_office, meeting, {"刘建华": AttendanceStatus.PRESENT, "陈警官": AttendanceStatus.PRESENT})

    page = text_of(as_office.get(change_url(meeting)))
    assert "记录为已召开" in page and "会后书面报告" not in page
    response = as_office.post(reverse("admin:meetings_meeting_hold", args=[meeting.pk]))
    assert response["Location"] == change_url(meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert ReportObligation.objects.count() == 2

    page = as_office.get(change_url(meeting))
    assert "会议已记录为已召开。到会的2个部门须于2026年10月9日前报送书面报告及工作打算。" in messages_of(page)
    panel = text_of(page).split('mt-obligations"')[1].split("</table>")[0]
    assert "县市场监督管理局" in panel and "县公安局" in panel and "2026年10月9日" in panel
    assert "9月办公会 书面报告及工作打算" in panel
    assert "记录为已召开</button>" not in text_of(page)


def test_only_the_office_changes_a_meeting_others_only_see_it(client, party_committee_meeting, two_departments, make_staff):
    clerk = make_staff(two_departments[0], role=roles.WINDOW_STAFF)
    client.force_login(clerk.user)
    page = client.get(change_url(party_committee_meeting))
    assert page.status_code == 200
    assert "记录为已召开" not in text_of(page)
    assert client.post(reverse("admin:meetings_meeting_hold", args=[party_committee_meeting.pk])).status_code == 403


# --- Bookings -----------------------------------------------------------------------------------


@pytest.fixture
def booker(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.WINDOW_STAFF, name="李春梅")


@pytest.fixture
def director(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.MAIN_LEADER, name="刘建华")


def booking_form(room, day, start, end, purpose="企业开办联审会"):
    return {
        "room": room.pk, "starts_at_0": day.isoformat(), "starts_at_1": start, "ends_at_0": day.isoformat(),
        "ends_at_1": end, "purpose": purpose, "attendees": "8",
    }


def test_the_booking_form_shows_the_lead_time_error_on_the_start(client, booker, room, official_calendar, clock):
    settings = MeetingsSettings.load()
    settings.booking_lead_working_days = 2
    settings.save()
    client.force_login(booker.user)
    response = client.post(reverse("admin:meetings_roombooking_add"), booking_form(room, D(2026, 11, 26), "09:00", "11:00"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["starts_at"] == [
        "会议室须至少提前2个工作日预约(最早可约2026年11月27日);当天临时使用可预约空闲时段。"
    ]
    assert not RoomBooking.objects.exists()


def test_a_same_day_booking_is_saved_as_ad_hoc_and_says_so(client, booker, room, official_calendar, clock):
    client.force_login(booker.user)
    response = client.post(reverse("admin:meetings_roombooking_add"), booking_form(room, D(2026, 11, 25), "14:00", "15:00"))
    booking = RoomBooking.objects.get()
    assert response["Location"] == reverse("admin:meetings_roombooking_change", args=[booking.pk])
    assert booking.ad_hoc and booking.status == BookingStatus.PENDING
    page = client.get(response["Location"])
    assert "已提交会议室预约「一楼会议室 2026-11-25 14:00–15:00」,待主要领导审批。本预约为当天临时使用(已标记为临时使用)。" in messages_of(page)
    assert '<span class="mt-status ad-hoc">临时使用</span>' in text_of(page)


def test_an_overlapping_booking_is_refused_on_the_form(client, booker, room, official_calendar, clock):
    client.force_login(booker.user)
    client.post(reverse("admin:meetings_roombooking_add"), booking_form(room, D(2026, 11, 27), "09:00", "11:00"))
    response = client.post(reverse("admin:meetings_roombooking_add"), booking_form(room, D(2026, 11, 27), "10:00", "12:00", "另一个会"))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "该时段已被预约:一楼会议室 2026-11-27 09:00–11:00(企业开办联审会,待审批)。"
    ]
    assert RoomBooking.objects.count() == 1


def test_the_approval_buttons_are_only_for_the_approver(client, booker, director, room, official_calendar, clock):
    booking = services.booking_request(
        room=room, starts_at=moment(D(2026, 11, 27), 9), ends_at=moment(D(2026, 11, 27), 11), purpose="联审会", user=booker.user
    )
    url = reverse("admin:meetings_roombooking_change", args=[booking.pk])
    client.force_login(booker.user)
    page = text_of(client.get(url))
    assert "批准</button>" not in page and "待主要领导审批。" in page and "取消预约</button>" in page
    refused = client.post(reverse("admin:meetings_roombooking_approve", args=[booking.pk]), follow=True)
    assert "未能批准:会议室预约须由主要领导审批。" in messages_of(refused)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING

    client.force_login(director.user)
    page = text_of(client.get(url))
    assert "批准</button>" in page and "不批准</button>" in page and "取消预约</button>" not in page
    no_note = client.post(reverse("admin:meetings_roombooking_reject", args=[booking.pk]), follow=True)
    assert "未能不批准:不批准时须写明理由。" in messages_of(no_note)
    client.post(reverse("admin:meetings_roombooking_approve", args=[booking.pk]), {"note": ""})
    booking.refresh_from_db()
    assert (booking.status, booking.decided_by) == (BookingStatus.APPROVED, director.user)


def test_the_booker_cancels_and_the_slot_is_free_again(client, booker, room, official_calendar, clock):
    booking = services.booking_request(
        room=room, starts_at=moment(D(2026, 11, 27), 9), ends_at=moment(D(2026, 11, 27), 11), purpose="联审会", user=booker.user
    )
    client.force_login(booker.user)
    response = client.post(reverse("admin:meetings_roombooking_cancel", args=[booking.pk]), follow=True)
    assert "已取消预约「一楼会议室 2026-11-27 09:00–11:00」,该时段已释放。" in messages_of(response)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_the_pending_list_shows_bookings_waiting_for_approval(client, booker, director, room, official_calendar, clock):
    services.booking_request(
        room=room, starts_at=moment(D(2026, 11, 27), 9), ends_at=moment(D(2026, 11, 27), 11), purpose="待批的会", user=booker.user
    )
    client.force_login(director.user)
    listing = client.get(reverse("admin:meetings_roombooking_changelist"))
    assert "待审批(1)" in text_of(listing)
    pending = client.get(reverse("admin:meetings_roombooking_changelist") + "?status__exact=pending")
    assert [b.purpose for b in pending.context["cl"].result_list] == ["待批的会"]


def test_the_week_view_shows_a_booking_and_free_slots(client, booker, room, official_calendar, clock):
    services.booking_request(
        room=room, starts_at=moment(D(2026, 11, 27), 9), ends_at=moment(D(2026, 11, 27), 11), purpose="联审会", user=booker.user
    )
    client.force_login(booker.user)
    response = client.get(reverse("admin:meetings_roombooking_week") + "?start=2026-11-25")
    assert response.status_code == 200
    page = text_of(response)
    assert "会议室使用情况:2026年11月23日至11月29日" in page  # the week of the date, from its Monday
    row = page.split('data-room="一楼会议室"')[1].split("</tr>")[0]
    booked = row.split('data-date="2026-11-27" data-half="am"')[1].split("</td>")[0]
    assert "09:00–11:00" in booked and "联审会" in booked and "mt-status pending" in booked
    assert row.count("空闲") == 13
    assert "?start=2026-11-16" in page and "?start=2026-11-30" in page


def test_a_free_slot_of_the_week_view_opens_the_form_for_that_half_day(client, booker, room, official_calendar, clock):
    client.force_login(booker.user)
    week = text_of(client.get(reverse("admin:meetings_roombooking_week") + "?start=2026-11-25"))
    link = f"?room={room.pk}&amp;date=2026-11-27&amp;half=pm"
    assert link in week
    form = client.get(reverse("admin:meetings_roombooking_add") + link.replace("&amp;", "&")).context["adminform"].form
    assert form.initial["room"] == room.pk
    assert (form.initial["starts_at"], form.initial["ends_at"]) == (moment(D(2026, 11, 27), 14), moment(D(2026, 11, 27), 18))
    assert f"?room={room.pk}&amp;date=2026-11-28" not in week  # a Saturday
    assert f"?room={room.pk}&amp;date=2026-11-24" not in week  # already past


# --- Compliance ---------------------------------------------------------------------------------


def test_the_compliance_page_lists_a_missed_period(as_office, party_committee_meeting, clock):
    for attendance in party_committee_meeting.attendance.order_by("pk")[:6]:
        services.attendance_mark(attendance=attendance, status=AttendanceStatus.PRESENT, user=None)
    services.meeting_hold(meeting=party_committee_meeting, user=None)

    response = as_office.get(reverse("admin:meetings_meeting_compliance") + "?start=2026-10-01&end=2026-11-30")
    assert response.status_code == 200
    page = text_of(response)
    committee = page.split(f'id="type-{party_committee_meeting.meeting_type.pk}"')[1].split("</section>")[0]
    assert re.search(r'<tr class="missed">\s*<td>2026年10月</td>', committee), committee
    assert re.search(r'<tr class="met">\s*<td>2026年11月</td>', committee), committee
    assert "未按期召开" in committee
    stats = page.split('class="mt-table mt-stats mt-by-department"')[1].split("</table>")[0]
    assert "县市场监督管理局" in stats and "60%" in stats  # 3 of its 5 members present

    export = as_office.get(reverse("admin:meetings_meeting_compliance") + "?start=2026-10-01&end=2026-11-30&format=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_compliance_page_defaults_to_this_year(as_office, clock):
    response = as_office.get(reverse("admin:meetings_meeting_compliance"))
    assert (response.context["start"], response.context["end"]) == (D(2026, 1, 1), D(2026, 12, 31))
    assert "2026年12月" in text_of(response)


# --- Report obligations -------------------------------------------------------------------------


def test_department_b_does_not_see_department_a_report_obligations(client, two_departments, make_staff):
    market, police = two_departments
    ours = report_obligation_open(department=police, title="户籍窗口季度报告", due_date=D(2026, 10, 9))
    theirs = report_obligation_open(department=market, title="市场窗口季度报告", due_date=D(2026, 10, 9))
    officer = make_staff(police, role=roles.WINDOW_STAFF)
    client.force_login(officer.user)
    listing = client.get(reverse("admin:documents_reportobligation_changelist"))
    assert list(listing.context["cl"].result_list) == [ours]
    assert client.get(reverse("admin:documents_reportobligation_change", args=[theirs.pk])).status_code == 302
    assert client.get(reverse("admin:documents_reportobligation_submit", args=[theirs.pk])).status_code == 404


def test_the_overdue_filter_and_the_submit_button(as_office, two_departments, clock):
    market, police = two_departments
    late = report_obligation_open(department=market, title="9月办公会 书面报告及工作打算", due_date=D(2026, 10, 9))
    report_obligation_open(department=police, title="12月报告", due_date=D(2026, 12, 9))
    overdue = as_office.get(reverse("admin:documents_reportobligation_changelist") + "?submission=overdue")
    assert list(overdue.context["cl"].result_list) == [late]

    page = text_of(as_office.get(reverse("admin:documents_reportobligation_change", args=[late.pk])))
    assert "报送…" in page
    url = reverse("admin:documents_reportobligation_submit", args=[late.pk])
    response = as_office.post(url, {"submitted_on": "2026-11-25", "note": "补报"}, follow=True)
    assert "已登记「9月办公会 书面报告及工作打算」于2026年11月25日报送。" in messages_of(response)
    late.refresh_from_db()
    assert late.submitted_on == D(2026, 11, 25)
    again = as_office.post(url, {"submitted_on": "2026-11-26"})
    assert "已于2026-11-25报送" in text_of(again)
    assert not as_office.get(reverse("admin:documents_reportobligation_changelist") + "?submission=overdue").context["cl"].result_list
