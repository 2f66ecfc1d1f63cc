"""The case list at size: a fixed number of queries, every filter, and the deadline queries themselves."""

import datetime
import os
import time

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import selectors
from casework.models import Case, CaseStatus, CaseworkSettings
from staffing import roles
from staffing.models import CenterSettings

pytestmark = pytest.mark.django_db
D = datetime.date
LIST_URL = "admin:casework_case_changelist"


def make_cases(count, *, item, window, staff, start=0, **fields):
    """Cases straight into the table (bulk_create): the list is measured, not the services."""
    received_at = timezone.now()
    values = {
        "item": item,
        "department": item.department,
        "window": window,
        "hall_id": window.hall_id,
        "applicant_name": "张三",
        "first_inquiry_staff": staff,
        "handler": staff,
        "handling_mode": item.handling_mode,
        "received_at": received_at,
        "received_on": timezone.localdate(received_at),
        **fields,
    }
    cases = [Case(number=f"B-{start + index:07d}", **values) for index in range(count)]
    Case.objects.bulk_create(cases, batch_size=2000)
    return cases


def mixed_cases(count, *, start, item, window, staff):
    """A third each: open and overdue, due soon, closed; every column and marker is exercised."""
    today = timezone.localdate()
    third = count // 3
    make_cases(third, start=start, item=item, window=window, staff=staff, status=CaseStatus.IN_PROGRESS,
               accepted_on=today - datetime.timedelta(days=30), committed_due_date=today - datetime.timedelta(days=1), priority=True)
    make_cases(third, start=start + third, item=item, window=window, staff=staff, status=CaseStatus.ACCEPTED,
               accepted_on=today, committed_due_date=today)
    make_cases(count - 2 * third, start=start + 2 * third, item=item, window=window, staff=staff,
               status=CaseStatus.APPROVED, completed_on=today, overdue=True)


def list_queries(client, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(LIST_URL), params or {})
    assert response.status_code == 200
    return len(captured), response


@pytest.fixture
def center_admin(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.CENTER_ADMIN)


def test_the_case_list_makes_the_same_number_of_queries_for_30_and_90_cases(
    client, clerk, committed_item, market_window, monkeypatch
):
    monkeypatch.setattr(admin.site.get_model_admin(Case), "list_per_page", 200)  # both sizes on one page
    client.force_login(clerk.user)
    CenterSettings.load(), CaseworkSettings.load()  # created on first use: not a per-row cost
    mixed_cases(30, start=0, item=committed_item, window=market_window, staff=clerk)
    list_queries(client)  # warm the per-process caches (theme, content types)
    small, response = list_queries(client)
    assert len(response.context["cl"].result_list) == 30
    mixed_cases(60, start=30, item=committed_item, window=market_window, staff=clerk)
    large, response = list_queries(client)
    assert len(response.context["cl"].result_list) == 90
    assert large == small
    assert small <= 16, small


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"deadline": "overdue"},
        {"deadline": "due_soon"},
        {"deadline": "deemed"},
        {"deadline": "same_day"},
        {"status__exact": "in_progress"},
        {"handling_mode__exact": "immediate"},
        {"priority__exact": "1"},
        {"department": "1"},
        {"q": "B-0000001"},
        {"q": "张三"},
        {"o": "8"},
    ],
    ids=lambda params: "&".join(f"{k}={v}" for k, v in params.items()) or "all",
)
def test_the_list_renders_with_each_filter(client, center_admin, committed_item, market_window, params):
    client.force_login(center_admin.user)
    mixed_cases(9, start=0, item=committed_item, window=market_window, staff=center_admin)
    _, response = list_queries(client, params)
    titles = [spec.title for spec in response.context["cl"].filter_specs]
    assert titles == ["我的办件", "时限预警", "状态", "办件类型", "特事特办", "实施部门"]


def test_the_department_filter_lists_only_what_the_user_sees(client, clerk, center_admin, two_departments):
    client.force_login(clerk.user)
    _, response = list_queries(client)
    assert "实施部门" not in [spec.title for spec in response.context["cl"].filter_specs if spec.has_output()]
    client.force_login(center_admin.user)
    _, response = list_queries(client)
    department = [spec for spec in response.context["cl"].filter_specs if spec.title == "实施部门"][0]
    assert sorted(name for _, name in department.lookup_choices) == sorted(["县市场监督管理局", "县公安局"])


def test_the_deadline_queries_pick_the_right_cases(official_calendar, clerk, committed_item, immediate_item, market_window):
    today = D(2026, 9, 29)
    window = selectors.DueWindow(today=today, soon_until=D(2026, 10, 8))
    common = {"window": market_window, "staff": clerk}
    make_cases(1, start=1, item=committed_item, status=CaseStatus.IN_PROGRESS, committed_due_date=D(2026, 9, 28), **common)
    make_cases(1, start=2, item=committed_item, status=CaseStatus.CORRECTION, committed_due_date=D(2026, 9, 28), **common)
    make_cases(1, start=3, item=committed_item, status=CaseStatus.APPROVED, committed_due_date=D(2026, 9, 28), **common)
    make_cases(1, start=4, item=committed_item, status=CaseStatus.ACCEPTED, committed_due_date=D(2026, 10, 8), **common)
    make_cases(1, start=5, item=committed_item, status=CaseStatus.ACCEPTED, committed_due_date=D(2026, 10, 9), **common)
    make_cases(1, start=6, item=committed_item, status=CaseStatus.RECEIVED, acceptance_deadline=D(2026, 9, 28), **common)
    make_cases(1, start=7, item=committed_item, status=CaseStatus.RECEIVED, acceptance_deadline=D(2026, 9, 29), **common)
    make_cases(1, start=8, item=immediate_item, status=CaseStatus.RECEIVED, received_on=D(2026, 9, 28), **common)
    make_cases(1, start=9, item=immediate_item, status=CaseStatus.RECEIVED, received_on=today, **common)
    make_cases(1, start=10, item=immediate_item, status=CaseStatus.APPROVED, received_on=D(2026, 9, 1), same_day_missed=True, **common)

    def numbers(queryset):
        return sorted(int(n[2:]) for n in queryset.values_list("number", flat=True))

    cases = Case.objects.all()
    assert numbers(selectors.cases_overdue(cases, today)) == [1]  # not the one in 补正, not the closed one
    assert numbers(selectors.cases_due_soon(cases, window)) == [4]
    assert numbers(selectors.cases_deemed_acceptance_pending(cases, today)) == [6]
    assert numbers(selectors.cases_same_day_missed(cases, today)) == [8, 10]
    states = dict(selectors.with_due_state(cases, window).values_list("number", "due_state"))
    assert (states["B-0000001"], states["B-0000004"], states["B-0000006"], states["B-0000002"]) == (
        "overdue", "due_soon", "deemed", "",
    )


def test_due_soon_counts_working_days_on_the_official_calendar(official_calendar):
    settings = CaseworkSettings.load()
    settings.due_soon_days = 2
    settings.save()
    # 9/30 is the last working day before National Day; the next ones are 10/8 and 10/9.
    assert selectors.due_window(D(2026, 9, 29)).soon_until == D(2026, 10, 8)
    assert selectors.due_window(D(2026, 9, 30)).soon_until == D(2026, 10, 9)


def test_the_same_day_filter_finds_an_immediate_case_left_open_overnight(client, clerk, immediate_item, market_window):
    client.force_login(clerk.user)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    make_cases(1, start=1, item=immediate_item, window=market_window, staff=clerk, received_on=yesterday)
    make_cases(1, start=2, item=immediate_item, window=market_window, staff=clerk)
    _, response = list_queries(client, {"deadline": "same_day"})
    assert [c.number for c in response.context["cl"].result_list] == ["B-0000001"]


def test_the_overdue_and_due_soon_lists_put_the_earliest_due_date_first(client, center_admin, committed_item, market_window):
    client.force_login(center_admin.user)
    today = timezone.localdate()
    common = {"item": committed_item, "window": market_window, "staff": center_admin, "status": CaseStatus.IN_PROGRESS}
    for start, days in ((1, -3), (2, -9), (3, -1), (4, 0), (5, 1)):
        make_cases(1, start=start, committed_due_date=today + datetime.timedelta(days=days), priority=start == 3, **common)
    _, response = list_queries(client, {"deadline": "overdue"})
    assert [case.number for case in response.context["cl"].result_list] == ["B-0000002", "B-0000001", "B-0000003"]
    _, response = list_queries(client, {"deadline": "due_soon"})
    assert [case.number for case in response.context["cl"].result_list] == ["B-0000004", "B-0000005"]
    _, response = list_queries(client)  # the whole list keeps its order: 特事特办 first, newest first
    assert [case.number for case in response.context["cl"].result_list][0] == "B-0000003"


def test_a_number_is_searched_exactly_in_case_numbers_id_numbers_and_phones_and_a_name_by_its_start(
    client, center_admin, committed_item, market_window
):
    client.force_login(center_admin.user)
    common = {"item": committed_item, "window": market_window, "staff": center_admin}
    make_cases(1, start=1, id_number="36072219900307123X", **common)
    make_cases(1, start=2, applicant_name="大余县B-0000001商行", **common)
    make_cases(1, start=3, applicant_name="王五", **common)
    make_cases(1, start=4, applicant_name="赵六", phone="13907970009", **common)

    def found(term):
        _, response = list_queries(client, {"q": term})
        return sorted(case.number for case in response.context["cl"].result_list)

    assert found("B-0000001") == ["B-0000001"]  # a number: not the name that contains it
    assert found("b-0000001") == ["B-0000001"]
    assert found("36072219900307123x") == ["B-0000001"]
    assert found("B-000000") == []  # numbers are typed in full
    assert found("大余县") == ["B-0000002"]
    assert found("王") == ["B-0000003"]
    assert found("大余县B-0000001商行") == ["B-0000002"]  # a term with Chinese is a name
    # A part inside a name: PostgreSQL finds it through its trigram index; SQLite searches from the start.
    assert found("商行") == (["B-0000002"] if connection.vendor == "postgresql" else [])
    assert found("13907970009") == ["B-0000004"]  # a phone, exactly
    assert found("1390797000") == []
    assert found("王") == ["B-0000003"]


def test_a_center_administrator_opens_the_case_list_with_at_most_12_queries(client, center_admin, committed_item, market_window):
    client.force_login(center_admin.user)
    mixed_cases(9, start=0, item=committed_item, window=market_window, staff=center_admin)
    list_queries(client)  # the first request fills the per-process caches
    count, _ = list_queries(client)
    assert count <= 12, count


def test_the_notice_template_list_offers_to_add_only_a_missing_kind(client, center_admin):
    from casework.models import NoticeTemplate

    client.force_login(center_admin.user)
    url = reverse("admin:casework_noticetemplate_changelist")
    assert client.get(url).context["has_add_permission"] is False  # the four come with the installation
    NoticeTemplate.objects.order_by("pk").first().delete()
    assert client.get(url).context["has_add_permission"] is True
    assert client.get(reverse("admin:casework_noticetemplate_add")).status_code == 200


@pytest.mark.postgres_only
def test_on_postgresql_an_unfiltered_list_of_a_large_table_shows_the_estimated_count(
    client, center_admin, committed_item, market_window, monkeypatch
):
    from staffing.admin import paginator

    client.force_login(center_admin.user)
    mixed_cases(9, start=0, item=committed_item, window=market_window, staff=center_admin)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Case._meta.db_table}")
    monkeypatch.setattr(paginator, "ESTIMATE_FROM", 1)  # "large" from one row on
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(LIST_URL))
    assert not any('SELECT COUNT(*) AS "__count" FROM "casework_case"' in q["sql"] for q in captured)
    assert response.context["cl"].paginator.estimated and "约 9 办件" in response.content.decode()
    filtered = client.get(reverse(LIST_URL), {"status__exact": "approved"})  # filtered: counted exactly
    assert not filtered.context["cl"].paginator.estimated and "约" not in filtered.content.decode().split('class="paginator"')[1]


@pytest.mark.skipif(os.environ.get("BENCH") != "1", reason="100,000 cases: set BENCH=1 to run")
def test_the_case_list_with_100000_cases(client, clerk, center_admin, committed_item, market_window):
    today = timezone.localdate()
    for block in range(10):
        make_cases(10_000, start=block * 10_000, item=committed_item, window=market_window, staff=clerk,
                   status=CaseStatus.IN_PROGRESS if block % 2 else CaseStatus.APPROVED,
                   accepted_on=today, committed_due_date=today + datetime.timedelta(days=block - 5),
                   priority=block == 3)
    timings = {}
    for who, user in (("staff", clerk.user), ("center", center_admin.user)):
        client.force_login(user)
        list_queries(client)
        for params in ({}, {"deadline": "overdue"}, {"deadline": "due_soon"}, {"status__exact": "approved"},
                       {"q": "B-0050000"}, {"q": "张三"}):
            started = time.perf_counter()
            queries, _ = list_queries(client, params)
            timings[(who, tuple(params.items()))] = (queries, round((time.perf_counter() - started) * 1000))
    for key, (queries, ms) in timings.items():
        print(f"{key}: {queries} queries, {ms} ms")
    assert max(queries for queries, _ in timings.values()) <= 16


def test_each_page_of_a_name_search_lists_its_cases_in_the_list_order_with_none_lost_or_repeated(
    client, center_admin, committed_item, market_window, monkeypatch
):
    """The paginator reads a page's ids, then their rows: the pages together are the whole ordered list."""
    monkeypatch.setattr(admin.site.get_model_admin(Case), "list_per_page", 7)
    client.force_login(center_admin.user)
    start = timezone.now() - datetime.timedelta(days=3)
    for index in range(17):
        make_cases(1, start=index, item=committed_item, window=market_window, staff=center_admin,
                   applicant_name=f"王{index:02d}", priority=index % 5 == 0,
                   received_at=start + datetime.timedelta(minutes=(index * 37) % 17))
    make_cases(3, start=100, item=committed_item, window=market_window, staff=center_admin, applicant_name="李四")
    expected = list(Case.objects.filter(applicant_name__startswith="王").order_by("-priority", "-received_at", "-pk")
                    .values_list("number", flat=True))
    shown = []
    for page in (1, 2, 3):
        response = client.get(reverse(LIST_URL), {"q": "王", "p": page})
        shown += [case.number for case in response.context["cl"].result_list]
    assert shown == expected and len(shown) == 17


def test_a_page_of_a_long_list_is_read_as_its_ids_then_only_those_rows(
    client, center_admin, committed_item, market_window, monkeypatch
):
    """The ids come sorted from an index without joining a case to its item, window and handler; the
    joins are made for the page's rows only (staffing.admin.paginator)."""
    monkeypatch.setattr(admin.site.get_model_admin(Case), "list_per_page", 5)
    client.force_login(center_admin.user)
    make_cases(12, item=committed_item, window=market_window, staff=center_admin, applicant_name="王五")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(LIST_URL), {"q": "王", "p": 2})
    assert len(response.context["cl"].result_list) == 5
    case_reads = [query["sql"] for query in captured if query["sql"].startswith('SELECT') and 'FROM "casework_case"' in query["sql"]
                  and "COUNT(" not in query["sql"]]
    ids, rows = case_reads[-2:]
    assert ids.split(" FROM ")[0] in ('SELECT "casework_case"."id"', 'SELECT "casework_case"."id" AS "pk"'), ids
    assert "JOIN" not in ids and "LIMIT 5" in ids, ids
    assert "JOIN" in rows and '"casework_case"."id" IN (' in rows, rows
