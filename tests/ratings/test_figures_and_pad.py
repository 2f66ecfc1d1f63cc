"""R1.5 (figures, ranking, assessment, index), R1.1 (the pad and its device account), the inbox and
department scoping of the 差评工单."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import services as casework_services
from project import inbox
from ratings import selectors
from ratings.models import Rating, RatingChannel, RatingLevel, RatingSettings
from ratings.services import tickets
from ratings.services.ratings import pad_case, pad_create, pad_rate, rating_record
from staffing import roles

from .conftest import PERSON, day

pytestmark = pytest.mark.django_db

D = datetime.date
ALL_TIME = (D(2000, 1, 1), D(2100, 1, 1))


def at(text):
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


def test_the_figures_cost_the_same_queries_for_more_ratings(completed_case, django_assert_max_num_queries):
    rating_record(case=completed_case(), channel=RatingChannel.ONLINE, level=RatingLevel.SATISFIED)
    RatingSettings.load()  # created on first use
    with CaptureQueriesContext(connection) as small:
        for by in selectors.GROUPINGS:
            selectors.rating_figures(*ALL_TIME, by=by)
        selectors.window_ranking(timezone.localdate())
    for n in range(6):
        rating_record(case=completed_case(f"申请人{n}"), channel=RatingChannel.SMS, level=RatingLevel(n % 5 + 1))
    with CaptureQueriesContext(connection) as large:
        for by in selectors.GROUPINGS:
            selectors.rating_figures(*ALL_TIME, by=by)
        selectors.window_ranking(timezone.localdate())
    assert len(small) == len(large) <= 2 * len(selectors.GROUPINGS) + 2


def test_the_rates_by_window_department_staff_and_month(completed_case, clerk):
    first, second = completed_case(), completed_case("李四")
    completed_case("王五")  # completed, not rated
    rating_record(case=first, channel=RatingChannel.PAD, level=RatingLevel.VERY_SATISFIED, real_name=True)
    rating_record(case=first, channel=RatingChannel.ONLINE, level=RatingLevel.SATISFIED)
    rating_record(case=second, channel=RatingChannel.SMS, level=RatingLevel.DISSATISFIED, real_name=True)
    for by, key in [("window", "01"), ("department", "县市场监督管理局"), ("staff", clerk.name)]:
        [row] = selectors.rating_figures(*ALL_TIME, by=by)
        assert row["key"] == key
        assert (row["completed"], row["ratings"], row["rated_cases"]) == (3, 3, 2)
        assert (row["rating_rate"], row["good_rate"], row["bad_rate"]) == (66.7, 66.7, 33.3)
        assert (row["visit_rate"], row["rectify_rate"]) == (0.0, 0.0)
    [month] = selectors.rating_figures(*ALL_TIME, by="month")
    assert month["key"] == timezone.localdate().replace(day=1) and month["ratings"] == 3


@pytest.mark.date_sensitive
def test_a_window_last_two_months_in_a_row_is_listed_for_a_talk(completed_case, two_departments, make_staff, immediate_item, travel):
    travel(day("2026-11-20"))
    from registry.models import ServiceItem
    from staffing.models import Window

    police = two_departments[1]
    police_window = Window.objects.get(number="02")
    police_clerk = make_staff(police, role=roles.WINDOW_STAFF, window=police_window)
    police_item = ServiceItem.objects.create(
        code="000009", name="户口迁移", item_type=immediate_item.item_type, department=police, window=police_window,
        handling_mode=immediate_item.handling_mode, committed_limit_days=0, legal_basis="《户口登记条例》", procedure="当场办结",
        contact="赵", phone="0797-1", status="active", disclosure_complete=True,
    )

    def police_case(name):
        case = casework_services.case_receive(
            item=police_item, window=police_window, user=police_clerk.user, **{**PERSON, "applicant_name": name}
        )
        casework_services.case_accept(case=case, user=police_clerk.user)
        casework_services.case_approve(case=case, user=police_clerk.user)
        return case

    for month in ("2026-10-15 10:00", "2026-11-16 10:00"):
        rating_record(case=completed_case(f"市{month}"), channel=RatingChannel.ONLINE, level=RatingLevel.VERY_SATISFIED, rated_at=at(month))
        rating_record(case=police_case(f"警{month}"), channel=RatingChannel.ONLINE, level=RatingLevel.DISSATISFIED, rated_at=at(month))
    ranking = selectors.window_ranking(D(2026, 11, 1))
    assert [row["key"] for row in ranking["ranking"]] == ["01", "02"]
    assert ranking["talk"] == [{"key": "02", "name": "户籍办理", "months": 2}]
    settings = RatingSettings.load()
    settings.talk_months = 3
    settings.save()
    assert selectors.window_ranking(D(2026, 11, 1))["talk"] == []


def test_the_assessment_sheet_takes_the_rating_figures(completed_case, clerk):
    rating_record(case=completed_case(), channel=RatingChannel.ONLINE, level=RatingLevel.SATISFIED)
    rating_record(case=completed_case("李四"), channel=RatingChannel.ONLINE, level=RatingLevel.VERY_DISSATISFIED)
    today = timezone.localdate()
    assessment = casework_services.assessment_prepare(staff=clerk, year=today.year, month=today.month)
    assert (assessment.ratings_count, assessment.ratings_good, assessment.ratings_bad) == (2, 1, 1)


def test_the_pad_offers_the_case_just_completed_at_its_window_once(completed_case, market_window):
    pad = pad_create(window=market_window, username="pad01", password="评价器密码-2026")
    assert pad_case(pad) is None
    case = completed_case()
    assert pad_case(pad) == case
    assert pad_case(pad, now=timezone.now() + datetime.timedelta(minutes=31)) is None
    pad_rate(pad=pad, case=case, level=RatingLevel.SATISFIED, user=pad.user)
    assert pad_case(pad) is None
    rating = Rating.objects.get()
    assert rating.real_name and rating.channel == RatingChannel.PAD


def test_the_device_account_opens_only_the_pad(client, completed_case, market_window, clerk):
    pad = pad_create(window=market_window, username="pad01", password="评价器密码-2026")
    assert list(pad.user.groups.values_list("name", flat=True)) == [roles.RATING_PAD]
    client.force_login(pad.user)
    assert client.get("/admin/").url == reverse("admin:ratings_pad")
    for name in ("admin:casework_case_changelist", "admin:ratings_rating_changelist", "admin:ratings_badratingticket_changelist"):
        assert client.get(reverse(name)).status_code == 403
    case = completed_case()
    page = client.get(reverse("admin:ratings_pad")).content.decode()
    assert case.number in page and case.item.name in page and case.applicant_name not in page
    response = client.post(reverse("admin:ratings_pad"), {"action": "rate", "case": case.pk, "level": "2"})
    rating = Rating.objects.get()
    assert response.url.endswith(f"?rated={rating.pk}") and rating.ticket
    client.force_login(clerk.user)
    assert client.get(reverse("admin:ratings_pad")).status_code == 403


def test_the_ticket_waits_in_the_departments_heads_inbox_then_the_centers(completed_case, window_head, police_head, office):
    ticket = rating_record(case=completed_case(), channel=RatingChannel.PAD, level=RatingLevel.DISSATISFIED).ticket

    def lines(staff):
        return {line.key: line.count for line in inbox.waiting_counts(staff.user)}

    assert lines(window_head).get("ratings.ticket_unit") == 1
    assert "ratings.ticket_unit" not in lines(police_head)
    assert "ratings.ticket_center" not in lines(office)
    tickets.ticket_visit(ticket=ticket, user=window_head.user, method="phone", findings="属实", outcome="fix_now", measures="当场致歉")
    assert lines(window_head).get("ratings.ticket_unit") == 1  # the reply is still the unit's
    tickets.ticket_reply(ticket=ticket, user=window_head.user, method="phone", reply="已整改")
    assert "ratings.ticket_unit" not in lines(window_head)
    assert lines(office).get("ratings.ticket_center") == 1


def test_the_ticket_list_is_scoped_to_the_department(client, completed_case, window_head, police_head):
    rating_record(case=completed_case(), channel=RatingChannel.PAD, level=RatingLevel.DISSATISFIED)
    url = reverse("admin:ratings_badratingticket_changelist") + "?todo=unit"
    client.force_login(window_head.user)
    assert client.get(url).context["cl"].result_count == 1
    client.force_login(police_head.user)
    assert client.get(url).context["cl"].result_count == 0
    assert client.get(reverse("admin:ratings_rating_changelist")).context["cl"].result_count == 0


def test_the_index_shows_this_months_rates_to_leaders_and_inspectors_only(client, completed_case, make_staff, two_departments, clerk):
    rating_record(case=completed_case(), channel=RatingChannel.ONLINE, level=RatingLevel.VERY_SATISFIED)
    inspector = make_staff(two_departments[1], role=roles.INSPECTOR)
    client.force_login(inspector.user)
    page = client.get("/admin/").content.decode()
    assert 'id="rating-rates"' in page and "好评率" in page and "100.0%" in page
    client.force_login(clerk.user)
    assert 'id="rating-rates"' not in client.get("/admin/").content.decode()
