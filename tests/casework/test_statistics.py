"""S1.1-d statistics against a hand-computed fixture, from aggregate queries only; S1.1-c facts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import services, statistics
from casework.models import Case, CaseStatus, Complaint, Refusal, RefusalStatus
from staffing.models import Window

pytestmark = pytest.mark.django_db
D = datetime.date


def make_case(item, window, clerk, number, received, status, accepted=None, completed=None, overdue=False):
    return Case.objects.create(
        number=number, item=item, department=window.department, window=window, applicant_name="甲", first_inquiry_staff=clerk,
        handler=clerk, handling_mode=item.handling_mode, received_on=received, status=status, accepted_on=accepted,
        completed_on=completed, overdue=overdue,
    )


@pytest.fixture
def fixture_cases(committed_item, market_window, clerk, two_departments):
    police_window = Window.objects.get(number="02")
    c = [
        make_case(committed_item, market_window, clerk, "A1", D(2026, 10, 5), CaseStatus.DELIVERED, D(2026, 10, 5), D(2026, 10, 9)),
        make_case(committed_item, market_window, clerk, "A2", D(2026, 10, 6), CaseStatus.APPROVED, D(2026, 10, 6), D(2026, 10, 30), overdue=True),
        make_case(committed_item, market_window, clerk, "A3", D(2026, 10, 7), CaseStatus.NOT_ACCEPTED),
        make_case(committed_item, market_window, clerk, "A4", D(2026, 11, 2), CaseStatus.IN_PROGRESS, D(2026, 11, 2)),
        make_case(committed_item, police_window, clerk, "B1", D(2026, 10, 8), CaseStatus.DISAPPROVED, D(2026, 10, 8), D(2026, 10, 12)),
    ]
    Refusal.objects.create(
        case=c[2], stage="not_accepted", category="other", reason="x", department=c[2].department, window=c[2].window,
        refused_by=clerk, status=RefusalStatus.OVERTURNED,
    )
    Complaint.objects.create(channel="phone", content="慢", department=market_window.department, window=market_window, received_on=D(2026, 10, 9), due_date=D(2026, 10, 16), upheld=True)
    Complaint.objects.create(channel="box", content="乱", department=market_window.department, window=market_window, received_on=D(2026, 10, 20), due_date=D(2026, 10, 27), upheld=False)
    return c


def test_statistics_by_department_match_the_hand_count(fixture_cases, two_departments):
    market, police = (d.name for d in two_departments)
    rows = {row["key"]: row for row in statistics.case_statistics(D(2026, 10, 1), D(2026, 11, 30))}
    assert rows[market] == {
        "key": market, "received": 4, "accepted": 3, "completed": 2, "on_time": 1, "overdue": 1, "refused": 1,
        "overturned": 1, "complaints": 2, "upheld": 1, "on_time_rate": 50.0,
    }
    assert rows[police] == {
        "key": police, "received": 1, "accepted": 1, "completed": 1, "on_time": 1, "overdue": 0, "refused": 1,
        "overturned": 0, "complaints": 0, "upheld": 0, "on_time_rate": 100.0,
    }


def test_statistics_by_month_split_october_and_november(fixture_cases):
    rows = {row["key"].month: row for row in statistics.case_statistics(D(2026, 10, 1), D(2026, 11, 30), by="month")}
    assert (rows[10]["received"], rows[11]["received"]) == (4, 1)
    assert (rows[10]["complaints"], rows[10]["upheld"], rows[10]["overturned"]) == (2, 1, 1)


def test_statistics_cost_the_same_queries_for_more_cases(fixture_cases, committed_item, market_window, clerk):
    with CaptureQueriesContext(connection) as small:
        statistics.case_statistics(D(2026, 10, 1), D(2026, 11, 30))
    for n in range(40):
        make_case(committed_item, market_window, clerk, f"X{n}", D(2026, 10, 10), CaseStatus.RECEIVED)
    with CaptureQueriesContext(connection) as large:
        statistics.case_statistics(D(2026, 10, 1), D(2026, 11, 30))
    assert len(small) == len(large) <= 4


def test_the_assessment_sheet_is_filled_with_the_measured_facts(fixture_cases, clerk):
    assessment = services.assessment_prepare(staff=clerk, year=2026, month=10)
    assert (assessment.cases_handled, assessment.cases_on_time, assessment.complaints_upheld) == (3, 2, 0)
    assert assessment.on_time_rate == 66.7
    assert assessment.score is None
