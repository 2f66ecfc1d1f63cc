"""S4 cadence compliance: for each default type, one period held and the next one missed."""

import datetime

import pytest

from meetings import selectors, services
from meetings.models import AttendanceStatus, BodyMembership, MeetingType, MemberBody
from tests.meetings.conftest import moment

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def after_the_meetings(travel):
    """A meeting is recorded as held only on or after its day (S3.5): these are all in the past."""
    travel(D(2026, 12, 1))

# type → (a day in the first period, a day in the next period, the two period labels)
CASES = {
    "党委会": (D(2026, 9, 10), D(2026, 10, 10), "2026年9月", "2026年10月"),
    "党委民主生活会": (D(2026, 3, 10), D(2026, 9, 10), "2026年上半年", "2026年下半年"),
    "办公会": (D(2026, 9, 10), D(2026, 10, 10), "2026年9月", "2026年10月"),
    "科务会": (D(2026, 9, 7), D(2026, 9, 14), "2026-09-07至09-13当周", "2026-09-14至09-20当周"),
    "支部大会": (D(2026, 9, 10), D(2026, 10, 10), "2026年9月", "2026年10月"),
    "支部委员会": (D(2026, 9, 10), D(2026, 10, 10), "2026年9月", "2026年10月"),
    "党小组会": (D(2026, 9, 4), D(2026, 10, 2), "2026年9月", "2026年10月"),
    "安全形势分析会": (D(2026, 9, 7), D(2026, 9, 14), "2026-09-07至09-13当周", "2026-09-14至09-20当周"),
}


def hold(meeting_type, body, chair, day, hour=9):
    meeting = services.meeting_schedule(
        meeting_type=meeting_type, body=body, title=f"{meeting_type}", starts_at=moment(day, hour),
        ends_at=moment(day, hour + 1), chair=chair, user=None,
    )
    for attendance in meeting.attendance.all():
        services.attendance_mark(attendance=attendance, status=AttendanceStatus.PRESENT, user=None)
    return services.meeting_hold(meeting=meeting, user=None)


@pytest.mark.parametrize("type_name", list(CASES))
def test_each_default_type_reports_a_held_and_a_missed_period(type_name, two_departments, make_staff):
    meeting_type = MeetingType.objects.get(name=type_name)
    body = meeting_type.body or MemberBody.objects.create(name="审批协调股科务会", department=two_departments[0])
    chair = make_staff(two_departments[0], name="主持人")
    BodyMembership.objects.create(body=body, staff=chair, role=meeting_type.chair_role_list()[0], joined_on=D(2020, 1, 1))
    first_day, second_day, first_label, second_label = CASES[type_name]
    for n in range(meeting_type.cadence_min_count):
        hold(meeting_type, body, chair, first_day + datetime.timedelta(days=7 * n if meeting_type.cadence_min_count > 1 else 0))
    if meeting_type.cadence_min_count > 1:  # at least twice a month: one held is not enough
        hold(meeting_type, body, chair, second_day)

    report = selectors.compliance_report(meeting_type, first_day, second_day)
    assert [(row.label, row.held, row.missed) for row in report][:1] == [(first_label, meeting_type.cadence_min_count, 0)]
    second = report[-1]
    assert second.label == second_label
    assert second.missed >= 1


def test_a_month_with_only_one_party_group_meeting_is_listed(two_departments, make_staff):
    meeting_type = MeetingType.objects.get(name="党小组会")
    chair = make_staff(two_departments[0])
    BodyMembership.objects.create(body=meeting_type.body, staff=chair, role="组长", joined_on=D(2020, 1, 1))
    hold(meeting_type, meeting_type.body, chair, D(2026, 10, 9), hour=14)
    (october,) = selectors.compliance_report(meeting_type, D(2026, 10, 1), D(2026, 10, 31))
    assert (october.due, october.held, october.missed) == (2, 1, 1)


def test_a_meeting_held_without_quorum_is_listed(party_committee_meeting):
    for attendance in party_committee_meeting.attendance.order_by("pk")[:3]:
        services.attendance_mark(attendance=attendance, status=AttendanceStatus.PRESENT, user=None)
    services.meeting_hold(meeting=party_committee_meeting, user=None)
    (november,) = selectors.compliance_report(party_committee_meeting.meeting_type, D(2026, 11, 1), D(2026, 11, 30))
    assert november.held == 1 and november.without_quorum == [party_committee_meeting]


def test_attendance_statistics_count_by_department(party_committee_meeting, two_departments):
    attendances = list(party_committee_meeting.attendance.order_by("pk"))
    for attendance in attendances[:5]:
        services.attendance_mark(attendance=attendance, status=AttendanceStatus.PRESENT, user=None)
    services.meeting_hold(meeting=party_committee_meeting, user=None)
    rows = {row["staff__department__name"]: row for row in selectors.attendance_statistics(D(2026, 11, 1), D(2026, 11, 30))}
    market, police = (d.name for d in two_departments)
    assert (rows[market]["total"], rows[market]["present"], rows[market]["absent"]) == (5, 3, 2)
    assert (rows[police]["total"], rows[police]["present"], rows[police]["absent"]) == (4, 2, 2)
