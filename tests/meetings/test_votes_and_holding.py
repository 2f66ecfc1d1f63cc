"""S4.9: a decision is adopted only with more than half of the members due voting for it; a meeting is
recorded as held only on or after its day."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from documents.services import supervision_from_decision
from meetings import services
from meetings.models import AgendaItem, AttendanceStatus, BodyMembership, MeetingType
from tests.meetings.conftest import moment

pytestmark = pytest.mark.django_db


def mark_present(meeting, count):
    for attendance in meeting.attendance.order_by("pk")[:count]:
        services.attendance_mark(attendance=attendance, status=AttendanceStatus.PRESENT, user=None)


def agenda(meeting):
    return AgendaItem.objects.create(meeting=meeting, order=1, title="研究事项")


def test_five_of_nine_members_for_adopts_the_decision(party_committee_meeting):
    mark_present(party_committee_meeting, 9)
    decision = services.decision_record(
        agenda_item=agenda(party_committee_meeting), text="通过年度工作计划", votes_for=5, votes_against=4, user=None
    )
    assert decision.adopted


def test_four_of_nine_for_with_eight_present_is_not_adopted(party_committee_meeting):
    mark_present(party_committee_meeting, 8)
    decision = services.decision_record(
        agenda_item=agenda(party_committee_meeting), text="通过年度工作计划", votes_for=4, votes_against=4, user=None
    )
    assert not decision.adopted
    assert services.vote_shortfall(party_committee_meeting, 4) == (
        "赞成票须超过半数应到会成员:应到会9人,至少需要5票赞成,实际赞成4票。"
    )


def test_four_of_eight_for_is_not_adopted_because_more_than_half_excludes_the_half(committee):
    BodyMembership.objects.filter(staff=committee[8]).update(left_on=datetime.date(2026, 11, 1))
    day = datetime.date(2026, 11, 20)
    meeting = services.meeting_schedule(
        meeting_type=MeetingType.objects.get(name="党委会"), title="党委会", starts_at=moment(day, 9),
        ends_at=moment(day, 10), chair=committee[0], user=None,
    )
    assert meeting.attendance.count() == 8
    mark_present(meeting, 8)
    decision = services.decision_record(agenda_item=agenda(meeting), text="x", votes_for=4, votes_against=4, user=None)
    assert not decision.adopted
    assert services.decision_record(agenda_item=agenda(meeting), text="y", votes_for=5, votes_against=3, user=None).adopted


def test_a_cadre_decision_with_two_for_and_four_against_is_recorded_as_not_adopted(party_committee_meeting):
    mark_present(party_committee_meeting, 6)
    decision = services.decision_record(
        agenda_item=agenda(party_committee_meeting), kind="干部任免", text="任命张三为股长",
        votes_for=2, votes_against=4, adopted=True, user=None,
    )
    assert (decision.adopted, decision.votes_for, decision.votes_against) == (False, 2, 4)


def test_the_threshold_base_can_be_the_members_present(party_committee_meeting):
    MeetingType.objects.filter(name="党委会").update(vote_base="present")
    party_committee_meeting.meeting_type.refresh_from_db()
    mark_present(party_committee_meeting, 6)
    decision = services.decision_record(
        agenda_item=agenda(party_committee_meeting), text="x", votes_for=4, votes_against=2, user=None
    )
    assert decision.adopted  # 4 of 6 present is more than half; of 9 due it would not be


def test_the_threshold_and_its_inclusiveness_are_settings_per_meeting_type():
    meeting_type = MeetingType(vote_numerator=1, vote_denominator=2, vote_inclusive=False)
    assert (meeting_type.votes_needed(9), meeting_type.votes_needed(8)) == (5, 5)
    meeting_type.vote_inclusive = True
    assert meeting_type.votes_needed(8) == 4
    meeting_type.vote_numerator, meeting_type.vote_denominator = 2, 3
    assert meeting_type.votes_needed(9) == 6


def test_a_meeting_type_that_does_not_vote_keeps_the_recorders_choice(party_committee_meeting):
    MeetingType.objects.filter(name="党委会").update(decides_by_vote=False)
    party_committee_meeting.meeting_type.refresh_from_db()
    mark_present(party_committee_meeting, 6)
    decision = services.decision_record(agenda_item=agenda(party_committee_meeting), text="x", votes_for=0, user=None)
    assert decision.adopted


def test_a_decision_below_the_threshold_cannot_become_a_supervision_item(party_committee_meeting, two_departments):
    mark_present(party_committee_meeting, 9)
    with pytest.raises(ValidationError, match="未通过的决议不能转为督办事项"):
        services.decision_record(
            agenda_item=agenda(party_committee_meeting), text="x", votes_for=3, votes_against=6, user=None,
            responsible_department=two_departments[0], deadline=datetime.date(2026, 12, 31),
        )
    decision = services.decision_record(
        agenda_item=agenda(party_committee_meeting), text="x", votes_for=3, votes_against=6, user=None
    )
    with pytest.raises(ValidationError, match="未通过的决定不能转为督办事项"):
        supervision_from_decision(decision=decision, user=None)


def test_a_meeting_cannot_be_recorded_as_held_before_its_day(party_committee_meeting, travel):
    travel(datetime.date(2026, 11, 19))
    with pytest.raises(ValidationError) as error:
        services.meeting_hold(meeting=party_committee_meeting, user=None)
    assert error.value.messages == ["会议定于2026年11月20日召开,召开当天或之后才能记录为已召开。"]
    party_committee_meeting.refresh_from_db()
    assert party_committee_meeting.status == "planned"
    travel(datetime.date(2026, 11, 20))
    assert services.meeting_hold(meeting=party_committee_meeting, user=None).status == "held"


def test_the_decision_page_records_a_vote_below_the_threshold_as_not_adopted_and_says_why(client, party_committee_meeting, committee):
    from django.contrib.messages import get_messages
    from django.urls import reverse

    mark_present(party_committee_meeting, 6)
    item = agenda(party_committee_meeting)
    office = committee[0]
    office.user.is_superuser = True
    office.user.save()
    client.force_login(office.user)
    url = reverse("admin:meetings_meeting_decision", args=[party_committee_meeting.pk, item.pk])
    response = client.post(url, {
        "kind": "干部任免", "text": "任命张三为股长", "votes_for": "2", "votes_against": "4", "votes_abstain": "0",
        "adopted": "on", "responsible_department": "", "deadline": "",
    })
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "已记录议题「研究事项」的决议(未通过)。赞成票须超过半数应到会成员:应到会9人,至少需要5票赞成,实际赞成2票。"
    ]
    assert not item.decisions.get().adopted
