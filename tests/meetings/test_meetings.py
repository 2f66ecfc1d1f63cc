"""S4: chairs, attendance with approved leave, quorum at its boundaries, post-meeting reports."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from documents.models import ReportObligation
from meetings import services
from meetings.models import AgendaItem, AttendanceStatus, BodyMembership, MeetingType, MemberBody, QuorumRule
from staffing import roles, services as staffing_services
from staffing.models import RequestStatus
from tests.meetings.conftest import moment

pytestmark = pytest.mark.django_db


def mark_present(meeting, count):
    for attendance in meeting.attendance.order_by("pk")[:count]:
        services.attendance_mark(attendance=attendance, status=AttendanceStatus.PRESENT, user=None)


def agenda(meeting):
    return AgendaItem.objects.create(meeting=meeting, order=1, title="干部任免事项")


def test_the_member_list_is_the_body_as_it_was_on_the_meeting_day(party_committee_meeting, committee):
    assert party_committee_meeting.attendance.count() == 9
    assert [a.role for a in party_committee_meeting.attendance.all()[:2]] == ["书记", "副书记"]


def test_a_member_who_left_before_the_meeting_is_not_on_its_list(committee):
    membership = BodyMembership.objects.get(staff=committee[8])
    membership.left_on = datetime.date(2026, 11, 1)
    membership.save()
    meeting_type = MeetingType.objects.get(name="党委会")
    day = datetime.date(2026, 11, 20)
    meeting = services.meeting_schedule(
        meeting_type=meeting_type, title="党委会", starts_at=moment(day, 9), ends_at=moment(day, 10),
        chair=committee[1], user=None,
    )
    assert meeting.attendance.count() == 8


def test_only_a_role_the_type_allows_may_chair(committee):
    meeting_type = MeetingType.objects.get(name="党委会")
    day = datetime.date(2026, 11, 20)
    with pytest.raises(ValidationError, match="党委会须由书记或副书记主持;委员3在「党委委员」中的职务是委员"):
        services.meeting_schedule(
            meeting_type=meeting_type, title="党委会", starts_at=moment(day, 9), ends_at=moment(day, 10),
            chair=committee[2], user=None,
        )


def test_a_cadre_decision_with_five_of_nine_voting_is_refused(party_committee_meeting):
    mark_present(party_committee_meeting, 5)
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            agenda_item=agenda(party_committee_meeting), kind="干部任免", text="任命张三为审批协调股股长",
            votes_for=5, user=None,
        )
    assert error.value.messages == [
        "不能记为通过:「干部任免」须有三分之二以上成员参加表决:应到9人,至少需要6人,实际参加表决5人。"
    ]


def test_a_cadre_decision_with_six_of_nine_voting_passes(party_committee_meeting):
    mark_present(party_committee_meeting, 6)
    decision = services.decision_record(
        agenda_item=agenda(party_committee_meeting), kind="干部任免", text="任命张三为审批协调股股长",
        votes_for=5, votes_against=1, user=None,
    )
    assert decision.adopted


def test_the_meeting_quorum_is_half_the_members_inclusive(party_committee_meeting):
    # Quorum alone: a type whose decisions are not counted by votes (S4.9 is tested in test_votes_and_holding).
    MeetingType.objects.filter(pk=party_committee_meeting.meeting_type_id).update(decides_by_vote=False)
    party_committee_meeting.meeting_type.refresh_from_db()
    mark_present(party_committee_meeting, 4)
    with pytest.raises(ValidationError, match="会议须有半数以上成员到会:应到9人,至少需要5人,实际到会4人"):
        services.decision_record(agenda_item=agenda(party_committee_meeting), text="研究年度工作", votes_for=4, user=None)
    mark_present(party_committee_meeting, 5)
    assert services.decision_record(agenda_item=agenda(party_committee_meeting), text="研究年度工作", votes_for=5, user=None).adopted


def test_inclusiveness_is_a_setting(party_committee_meeting):
    rule = QuorumRule.objects.get(meeting_type__name="党委会", decision_kind="干部任免")
    assert rule.is_met(6, 9)
    rule.inclusive = False
    assert not rule.is_met(6, 9)
    assert rule.needed(9) == 7


def test_more_voters_than_members_present_is_refused(party_committee_meeting):
    mark_present(party_committee_meeting, 5)
    with pytest.raises(ValidationError, match="表决人数\\(6\\)不能超过到会人数\\(5\\)"):
        services.decision_record(agenda_item=agenda(party_committee_meeting), text="x", votes_for=6, user=None)


def test_an_excused_absence_needs_approved_leave(party_committee_meeting, committee, official_calendar):
    member = committee[3]
    attendance = party_committee_meeting.attendance.get(staff=member)
    with pytest.raises(ValidationError, match="委员4没有覆盖会议时间的已批准请假,只能记为缺席"):
        services.attendance_mark(attendance=attendance, status=AttendanceStatus.ON_LEAVE, user=None)

    deputy = committee[1]
    member.department.leader_in_charge = deputy
    member.department.save()
    deputy.leader_role = "in_charge"
    deputy.save()
    leave = staffing_services.leave_submit(
        user=member.user, leave_type="sick", start_date=datetime.date(2026, 11, 20), end_date=datetime.date(2026, 11, 20),
        reason="就医", handover_note="无在办事项", handover_to=committee[4],
    )
    for step in staffing_services.chain_of(leave):
        staffing_services.approval_decide(approval=step, user=step.approver.user, approve=True)
    leave.refresh_from_db()
    assert leave.status == RequestStatus.APPROVED
    services.attendance_mark(attendance=attendance, status=AttendanceStatus.ON_LEAVE, user=None)
    assert attendance.leave == leave


def test_after_a_regular_meeting_the_departments_present_owe_a_report(two_departments, make_staff, official_calendar):
    market, police = two_departments
    body = MemberBody.objects.get(name="办公会成员")
    director = make_staff(market, role=roles.MAIN_LEADER, name="刘建华")
    BodyMembership.objects.create(body=body, staff=director, role="主任", joined_on=datetime.date(2020, 1, 1))
    for department in (market, police):
        BodyMembership.objects.create(body=body, staff=make_staff(department), role="成员", joined_on=datetime.date(2020, 1, 1))
    day = datetime.date(2026, 9, 29)
    meeting = services.meeting_schedule(
        meeting_type=MeetingType.objects.get(name="办公会"), title="9月办公会", starts_at=moment(day, 9),
        ends_at=moment(day, 11), chair=director, user=None,
    )
    for attendance in meeting.attendance.all():
        services.attendance_mark(attendance=attendance, status=AttendanceStatus.PRESENT, user=None)
    services.meeting_hold(meeting=meeting, user=None, minutes="传达上级指示,安排当月工作")
    obligations = ReportObligation.objects.order_by("department__pk")
    assert [(o.department, o.due_date) for o in obligations] == [
        (market, datetime.date(2026, 10, 9)), (police, datetime.date(2026, 10, 9)),
    ]
    assert obligations[0].title == "9月办公会 书面报告及工作打算"
    assert obligations[0].source == meeting
