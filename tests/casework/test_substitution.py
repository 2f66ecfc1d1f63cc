"""S1.9-b: while A is away, A's open cases are in the acting B's work and B's actions name A."""

import datetime

import pytest
from django.utils import timezone

from casework import selectors, services
from staffing import roles
from staffing.models import Post, PostSubstitute, Whereabouts, WhereaboutsStatus
from tests.casework.conftest import PERSON

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(two_departments, make_staff, market_window, clerk):
    b_holder = make_staff(two_departments[0], role=roles.WINDOW_STAFF, name="李四", window=market_window)
    post = Post.objects.create(name="食品许可岗", department=two_departments[0], a_holder=clerk)
    PostSubstitute.objects.create(post=post, staff=b_holder, order=1)
    return post


def send_away(staff):
    now = timezone.now()
    return Whereabouts.objects.create(
        staff=staff, status=WhereaboutsStatus.TRIP, reason="赴市局培训",
        starts_at=now - datetime.timedelta(hours=1), returns_at=now + datetime.timedelta(days=1),
    )


def test_a_b_holder_sees_the_absent_a_holders_open_cases_and_acts_for_them(committed_item, market_window, clerk, post):
    b_holder = post.substitutes.get().staff
    case = services.case_receive(item=committed_item, window=market_window, user=clerk.user, **PERSON)
    assert list(selectors.my_work(b_holder.user)) == []

    trip = send_away(clerk)
    assert list(selectors.my_work(b_holder.user)) == [case]

    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=b_holder.user, state="received")
    services.case_accept(case=case, user=b_holder.user)
    transition = case.transitions.get(to_status="accepted")
    assert (transition.by, transition.acting_for) == (b_holder.user, clerk)

    trip.ended_at = timezone.now()
    trip.save()
    assert list(selectors.my_work(b_holder.user)) == []
    assert list(selectors.my_work(clerk.user)) == [case]


def test_a_colleague_who_is_not_acting_is_not_recorded_as_acting(committed_item, market_window, clerk, post):
    b_holder = post.substitutes.get().staff
    case = services.case_receive(item=committed_item, window=market_window, user=clerk.user, **PERSON)
    for material in case.materials.filter(required=True):
        services.case_check_material(material=material, user=b_holder.user, state="received")
    services.case_accept(case=case, user=b_holder.user)
    assert case.transitions.get(to_status="accepted").acting_for is None
