"""The case list and the deadline lists read casework_case through an index, never by scanning it (issue 11).

The queries are the admin's own (its changelist queryset for the page, and its count), and the plans
are SQLite's (EXPLAIN QUERY PLAN) on a database without ANALYZE statistics, as a running deployment
has: Django never runs ANALYZE (see docs/performance.md for what statistics do to these plans).
On PostgreSQL the planner decides by the table's size, so a plan read on a few test rows proves
nothing there: these tests are skipped.
"""

import datetime
import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import Case, CaseStatus
from staffing import roles
from tests.casework.conftest import clerk, committed_item, market_window  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="查询计划只在 SQLite 上检查(PostgreSQL 按表的大小决定计划)"),
]
TABLE = Case._meta.db_table
FULL_SCAN = re.compile(rf"\bSCAN {TABLE}\b(?! USING (COVERING )?INDEX)")


@pytest.fixture
def cases(committed_item, market_window, clerk):
    today = timezone.localdate()
    rows = []
    for n, status in enumerate(CaseStatus.values * 5):
        received = timezone.now() - datetime.timedelta(days=n)
        rows.append(Case(
            number=f"P-{n:05d}", item=committed_item, department=committed_item.department, window=market_window, hall_id=market_window.hall_id,
            applicant_name="张三", first_inquiry_staff=clerk, handler=clerk, handling_mode=committed_item.handling_mode,
            status=status, received_at=received, received_on=timezone.localdate(received),
            acceptance_deadline=today + datetime.timedelta(days=n % 7 - 3),
            committed_due_date=today + datetime.timedelta(days=n % 9 - 4), priority=n % 11 == 0,
        ))  # fmt: skip
    return Case.objects.bulk_create(rows)


@pytest.fixture
def center_admin(two_departments, make_staff):
    return make_staff(two_departments[0], role=roles.CENTER_ADMIN)


def changelist(user, params):
    request = RequestFactory().get("/admin/casework/case/", params)
    request.user = user
    return admin.site.get_model_admin(Case).get_changelist_instance(request)


def plan(queryset) -> list[str]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]


def count_plan(queryset) -> list[str]:
    """The plan of the COUNT the changelist's paginator runs, taken as Django runs it."""
    with CaptureQueriesContext(connection) as captured:
        queryset.count()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {captured[-1]['sql']}")
        return [row[-1] for row in cursor.fetchall()]


def case_steps(lines) -> list[str]:
    return [line for line in lines if re.search(rf"\b{TABLE}\b(?!_)", line)]


def test_the_default_case_list_walks_its_order_index_and_stops_after_a_page(cases, center_admin):
    lines = plan(changelist(center_admin.user, {}).queryset[:50])
    steps = case_steps(lines)
    assert steps == [f"SCAN {TABLE} USING INDEX case_list_order"], lines
    assert not any("TEMP B-TREE FOR ORDER BY" in line for line in lines), lines  # only the tie on id is sorted


def test_a_department_sees_its_cases_through_the_department_order_index(cases, clerk):
    lines = plan(changelist(clerk.user, {}).queryset[:50])
    steps = case_steps(lines)
    assert len(steps) == 1 and steps[0].startswith(f"SEARCH {TABLE} USING INDEX case_department_"), lines


@pytest.mark.parametrize("deadline", ["overdue", "due_soon", "deemed"])
def test_the_deadline_lists_search_an_index(cases, center_admin, deadline):
    queryset = changelist(center_admin.user, {"deadline": deadline}).queryset
    for lines in (plan(queryset[:50]), count_plan(queryset)):
        steps = case_steps(lines)
        assert steps and all(step.startswith(f"SEARCH {TABLE} USING ") for step in steps), lines
        assert not any(FULL_SCAN.search(line) for line in lines), lines


@pytest.mark.parametrize("deadline", ["overdue", "due_soon"])
def test_the_overdue_and_due_soon_pages_read_a_running_due_index_in_order(cases, center_admin, clerk, deadline):
    """Center-wide and for one department: a range of a small partial index, in list order, no sort."""
    for user, index in ((center_admin.user, "case_running_due"), (clerk.user, "case_department_running_due")):
        queryset = changelist(user, {"deadline": deadline}).queryset
        lines = plan(queryset[:50])
        steps = case_steps(lines)
        assert len(steps) == 1 and steps[0].startswith(f"SEARCH {TABLE} USING INDEX {index} ("), lines
        assert not any("TEMP B-TREE" in line for line in lines), lines  # the page stops after 50 rows
        count_steps = case_steps(count_plan(queryset))
        assert len(count_steps) == 1 and f"INDEX {index} (" in count_steps[0], count_steps


def test_a_status_filter_walks_the_status_order_index_without_sorting(cases, center_admin):
    lines = plan(changelist(center_admin.user, {"status__exact": "delivered"}).queryset[:50])
    assert case_steps(lines) == [f"SEARCH {TABLE} USING INDEX case_status_list_order (status=?)"], lines
    assert not any("TEMP B-TREE FOR ORDER BY" in line for line in lines), lines


@pytest.mark.parametrize("term", ["G001-20261126-0001", "110101199003071234", "E12345678", "13907970001"])
def test_a_number_search_is_an_index_lookup(cases, center_admin, term):
    queryset = changelist(center_admin.user, {"q": term}).queryset
    for lines in (plan(queryset[:50]), count_plan(queryset)):
        assert not any(FULL_SCAN.search(line) for line in lines), (term, lines)


@pytest.mark.parametrize(
    "params",
    [{"status__exact": "in_progress"}, {"department": "1"}, {"priority__exact": "1"}, {"handling_mode__exact": "immediate"}],
    ids=lambda params: "&".join(f"{k}={v}" for k, v in params.items()),
)
def test_every_list_filter_reads_through_an_index(cases, center_admin, params):
    lines = plan(changelist(center_admin.user, params).queryset[:50])
    assert case_steps(lines) and not any(FULL_SCAN.search(line) for line in lines), (params, lines)


@pytest.mark.parametrize("term", ["张", "张三", "张 三"])
def test_a_name_search_is_a_range_of_the_name_index(cases, center_admin, term):
    """On SQLite the name is searched from its start: a range of case_applicant_name_order, never a scan."""
    queryset = changelist(center_admin.user, {"q": term}).queryset
    for lines in (plan(queryset[:50]), count_plan(queryset)):
        assert not any(FULL_SCAN.search(line) for line in lines), (term, lines)
        assert any("INDEX case_applicant_name_order (applicant_name>? AND applicant_name<?)" in line for line in lines), (term, lines)


@pytest.mark.parametrize("term", ["张", "张三"])
def test_a_name_search_sorts_the_page_ids_within_the_index_without_reading_a_case(cases, center_admin, term):
    """The paginator's first query (the page's ids in the list's order) reads the index alone: its
    cost is the matches' index entries, not a row and its joins per match."""
    queryset = changelist(center_admin.user, {"q": term}).queryset
    lines = plan(queryset.values_list("pk", flat=True)[:50])
    assert any("COVERING INDEX case_applicant_name_order" in line for line in lines), (term, lines)
    assert not any("staffing_" in line or "registry_" in line for line in lines), (term, lines)


def test_a_staff_members_month_for_the_assessment_sheet_is_a_range_of_their_completions(cases, clerk):
    """statistics.staff_month_facts counts one person's month through case_handler_completed: its cost is
    that month's cases, not every case the person ever handled."""
    from casework.statistics import staff_month_facts

    today = timezone.localdate()
    with CaptureQueriesContext(connection) as captured:
        staff_month_facts(clerk, today.year, today.month)
    case_query = next(query["sql"] for query in captured if f'FROM "{TABLE}"' in query["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {case_query}")
        lines = [row[-1] for row in cursor.fetchall()]
    assert any("INDEX case_handler_completed (handler_id=? AND completed_on>? AND completed_on<?)" in line for line in lines), lines
