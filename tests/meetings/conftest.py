import datetime

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import BodyMembership, MeetingType, MemberBody, Room
from staffing import roles


def moment(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def committee(two_departments, make_staff):
    """The 9-member party committee: a secretary, a deputy secretary and seven members."""
    body = MemberBody.objects.get(name="党委委员")
    people = []
    for index, role in enumerate(["书记", "副书记"] + ["委员"] * 7):
        person = make_staff(two_departments[index % 2], role=roles.OFFICE_STAFF, name=f"委员{index + 1}")
        BodyMembership.objects.create(body=body, staff=person, role=role, joined_on=datetime.date(2020, 1, 1))
        people.append(person)
    return people


@pytest.fixture
def party_committee_meeting(committee):
    meeting_type = MeetingType.objects.get(name="党委会")
    secretary = committee[0]
    day = datetime.date(2026, 11, 20)
    return services.meeting_schedule(
        meeting_type=meeting_type, title="2026年11月党委会", starts_at=moment(day, 9), ends_at=moment(day, 11),
        chair=secretary, user=secretary.user,
    )


@pytest.fixture
def room(db):
    return Room.objects.create(name="一楼会议室", capacity=20)
