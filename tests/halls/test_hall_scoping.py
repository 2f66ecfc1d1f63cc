"""Hall scoping (S1.1-f): staff of a hall see their hall's cases, deadlines and ratings, inside their
department; center roles see every hall."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework import services
from halls import selectors
from ratings.services.ratings import rating_record
from staffing import roles
from tests.casework.conftest import PERSON, at
from tests.halls.conftest import offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_hall_cases(travel, official_calendar, committed_item, market_window, branch_window, clerk, branch_clerk, center_hall, branch_hall):
    import datetime

    travel(datetime.date(2026, 11, 27))
    offer(committed_item, center_hall, branch_hall)
    day = at(datetime.date(2026, 11, 26))
    center = services.case_receive(item=committed_item, window=market_window, user=clerk.user, received_at=day, **PERSON)
    branch = services.case_receive(item=committed_item, window=branch_window, user=branch_clerk.user, received_at=day, **PERSON)
    return center, branch


def listed(client, url_name="admin:casework_case_changelist", params=None):
    response = client.get(reverse(url_name), params or {})
    assert response.status_code == 200
    return sorted(str(obj) for obj in response.context["cl"].result_list)


def test_a_case_records_the_hall_of_the_window_it_was_received_at(two_hall_cases, center_hall, branch_hall):
    center, branch = two_hall_cases
    assert (center.hall, branch.hall) == (center_hall, branch_hall)


def test_a_branch_clerk_sees_only_the_branch_cases_of_the_same_department(client, two_hall_cases, branch_clerk):
    center, branch = two_hall_cases
    client.force_login(branch_clerk.user)
    assert listed(client) == [str(branch)]
    assert client.get(reverse("admin:casework_case_change", args=[center.pk])).status_code in (302, 403, 404)
    assert client.get(reverse("admin:casework_case_history", args=[center.pk])).status_code == 404
    assert client.get(reverse("admin:casework_case_change", args=[branch.pk])).status_code == 200


def test_a_center_hall_clerk_does_not_see_the_branch_cases_of_the_same_department(client, two_hall_cases, clerk):
    center, branch = two_hall_cases
    client.force_login(clerk.user)
    assert listed(client) == [str(center)]
    assert client.get(reverse("admin:casework_case_change", args=[branch.pk])).status_code in (302, 403, 404)


def test_the_center_admin_and_an_inspector_see_both_halls_and_may_filter_by_hall(
    client, two_hall_cases, two_departments, make_staff, branch_hall
):
    center, branch = two_hall_cases
    for role in (roles.CENTER_ADMIN, roles.INSPECTOR):
        person = make_staff(two_departments[1], role=role)
        client.force_login(person.user)
        assert listed(client) == sorted([str(center), str(branch)])
        assert listed(client, params={"hall": branch_hall.pk}) == [str(branch)]
        response = client.get(reverse("admin:casework_case_changelist"))
        titles = [spec.title for spec in response.context["cl"].filter_specs if spec.has_output()]
        assert "服务场所" in titles


def test_the_head_of_a_hall_sees_the_hall_they_head(client, two_hall_cases, two_departments, make_staff, branch_hall):
    center, branch = two_hall_cases
    head = make_staff(two_departments[0], role=roles.WINDOW_HEAD, name="刘建华")
    branch_hall.head = head
    branch_hall.save()
    client.force_login(head.user)
    assert selectors.halls_of(head.user) == {branch_hall.pk}
    assert listed(client) == [str(branch)]


def test_staff_of_another_department_see_neither_hall(client, two_hall_cases, two_departments, make_staff):
    police = make_staff(two_departments[1], role=roles.WINDOW_STAFF)
    client.force_login(police.user)
    assert listed(client) == []


def test_ratings_follow_the_hall_where_the_case_was_received(client, two_hall_cases, clerk, branch_clerk):
    center, branch = two_hall_cases
    for case in (center, branch):
        rating_record(case=case, channel="online", level=5)
    client.force_login(branch_clerk.user)
    assert [r.case_id for r in client.get(reverse("admin:ratings_rating_changelist")).context["cl"].result_list] == [branch.pk]
    client.force_login(clerk.user)
    assert [r.case_id for r in client.get(reverse("admin:ratings_rating_changelist")).context["cl"].result_list] == [center.pk]


def test_an_item_is_received_only_at_a_hall_that_offers_it(
    travel, official_calendar, committed_item, branch_window, branch_clerk, branch_hall
):
    with pytest.raises(ValidationError) as error:
        services.case_receive(item=committed_item, window=branch_window, user=branch_clerk.user, **PERSON)
    assert f"事项「食品经营许可」不在「{branch_hall.name}」办理" in str(error.value)
    offer(committed_item, branch_hall)
    case = services.case_receive(item=committed_item, window=branch_window, user=branch_clerk.user, **PERSON)
    assert case.hall == branch_hall


def test_an_item_without_halls_is_offered_at_the_center_hall(committed_item, center_hall, branch_hall):
    from registry import selectors as registry_selectors

    assert registry_selectors.item_hall_ids(committed_item) == {center_hall.pk}
    offer(committed_item, branch_hall)
    assert registry_selectors.item_hall_ids(committed_item) == {branch_hall.pk}


def test_rating_figures_split_by_hall_equal_a_recount(two_hall_cases, center_hall, branch_hall):
    import datetime

    from ratings.selectors import rating_figures

    center, branch = two_hall_cases
    rating_record(case=center, channel="online", level=5)
    rating_record(case=branch, channel="online", level=1)
    day = datetime.date(2026, 11, 27)
    rows = {row["key"]: row for row in rating_figures(day, day, by="hall")}
    assert (rows[center_hall.name]["good"], rows[center_hall.name]["bad"]) == (1, 0)
    assert (rows[branch_hall.name]["good"], rows[branch_hall.name]["bad"]) == (0, 1)
    only = rating_figures(day, day, by="department", hall_ids={branch_hall.pk})
    assert [(row["ratings"], row["bad"]) for row in only] == [(1, 1)]
