"""S1.1-f unified monthly assessment: the ranking from known figures, weights as settings, a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from casework.models import Case, CaseStatus, Complaint
from halls import ranking
from halls.models import Hall, HallKind, HallMonthFigures, HallSettings, InspectionFinding, InspectionStatus
from ratings.models import Rating, RatingLevel
from staffing.models import Window

pytestmark = pytest.mark.django_db
D = datetime.date
NOVEMBER = D(2026, 11, 1)


def make_case(item, window, staff, number, *, completed=None, overdue=False, due=None, status=CaseStatus.DELIVERED):
    return Case.objects.create(
        number=number, item=item, department=window.department, window=window, applicant_name="甲", first_inquiry_staff=staff,
        handler=staff, handling_mode=item.handling_mode, received_on=D(2026, 10, 20), status=status,
        completed_on=completed, overdue=overdue, committed_due_date=due,
    )


@pytest.fixture
def known_figures(item, branch, branch_head, township, make_inspection, market_head):
    """Center hall: 4 completed (1 late), 1 upheld complaint, 0 bad ratings, 1 finding rectified in time.
    Branch: 2 completed on time, 1 still running past its November due date, 1 bad rating, 2 findings, 1 in time.
    Township: imported 10 completed, 9 on time, 1 overdue."""
    center_window, branch_window = Window.objects.get(number="01"), Window.objects.get(number="02")
    center_cases = [
        make_case(item, center_window, market_head, f"C{n}", completed=D(2026, 11, 10), overdue=(n == 0)) for n in range(4)
    ]
    make_case(item, center_window, market_head, "C-OCT", completed=D(2026, 10, 30), overdue=True)  # another month
    branch_cases = [make_case(item, branch_window, branch_head, f"B{n}", completed=D(2026, 11, 12)) for n in range(2)]
    make_case(item, branch_window, branch_head, "B-RUN", status=CaseStatus.IN_PROGRESS, due=D(2026, 11, 20))
    Complaint.objects.create(
        channel="phone", content="态度差", window=center_window, department=center_window.department,
        received_on=D(2026, 11, 3), due_date=D(2026, 11, 10), upheld=True,
    )
    Complaint.objects.create(  # not upheld: does not count
        channel="box", content="慢", case=branch_cases[0], department=branch_window.department,
        received_on=D(2026, 11, 3), due_date=D(2026, 11, 10), upheld=False,
    )
    Rating.objects.create(
        case=branch_cases[1], channel="pad", level=RatingLevel.DISSATISFIED, rated_on=D(2026, 11, 12),
        department=branch_window.department, window=branch_window,
    )
    Rating.objects.create(
        case=center_cases[1], channel="pad", level=RatingLevel.VERY_SATISFIED, rated_on=D(2026, 11, 12),
        department=center_window.department, window=center_window,
    )
    center_inspection = make_inspection(branch.__class__.objects.get(kind="center"), ["无办事指南"], date=D(2026, 11, 5))
    branch_inspection = make_inspection(branch, ["未挂牌上岗", "无投诉箱"], date=D(2026, 11, 6))
    for inspection in (center_inspection, branch_inspection):
        inspection.status, inspection.issued_on = InspectionStatus.ISSUED, inspection.date
        inspection.save()
    InspectionFinding.objects.filter(inspection__in=[center_inspection, branch_inspection]).update(due_date=D(2026, 11, 13))
    center_inspection.findings.update(rectified_on=D(2026, 11, 10), status="closed")
    first, second = branch_inspection.findings.order_by("pk")
    InspectionFinding.objects.filter(pk=first.pk).update(rectified_on=D(2026, 11, 12), status="closed")
    InspectionFinding.objects.filter(pk=second.pk).update(rectified_on=D(2026, 11, 20), status="rectified")
    HallMonthFigures.objects.create(hall=township, month=NOVEMBER, received=12, completed=10, completed_on_time=9, overdue=1)


def test_the_hall_case_figures_are_a_recount_of_the_months_cases(known_figures, branch, center_hall):
    figures = ranking.hall_case_figures(NOVEMBER)
    assert figures[center_hall.pk] == {"completed": 4, "on_time": 3, "overdue": 1}
    assert figures[branch.pk] == {"completed": 2, "on_time": 2, "overdue": 1}


def test_the_ranking_from_known_figures(known_figures, branch, center_hall, township):
    rows = {row.hall.pk: row for row in ranking.hall_ranking(NOVEMBER)}
    center, branch_row, town = rows[center_hall.pk], rows[branch.pk], rows[township.pk]

    assert (center.completed, center.on_time_rate, center.overdue, center.complaints, center.bad_ratings) == (4, Decimal("75.0"), 1, 1, 0)
    assert (center.findings, center.rectified_rate) == (1, Decimal("100.0"))
    # 60 × 75% + 40 × 100% − 2 × 1 overdue − 5 × 1 complaint − 1 × 1 finding
    assert center.score == Decimal("77.00")

    assert (branch_row.completed, branch_row.on_time_rate, branch_row.overdue, branch_row.complaints, branch_row.bad_ratings) == (
        2, Decimal("100.0"), 1, 0, 1
    )
    assert (branch_row.findings, branch_row.rectified_rate) == (2, Decimal("50.0"))
    # 60 × 100% + 40 × 50% − 2 × 1 overdue − 2 × 1 bad rating − 1 × 2 findings
    assert branch_row.score == Decimal("74.00")

    assert town.imported and (town.completed, town.on_time_rate, town.overdue) == (10, Decimal("90.0"), 1)
    # 60 × 90% + 40 × 100% (no findings) − 2 × 1 overdue
    assert town.score == Decimal("92.00")

    assert [row.hall.pk for row in ranking.hall_ranking(NOVEMBER)] == [township.pk, center_hall.pk, branch.pk]
    assert [town.rank, center.rank, branch_row.rank] == [1, 2, 3]


def test_a_hall_with_nothing_measured_in_the_month_is_listed_last_without_a_rank(known_figures, branch, center_hall, township):
    december = NOVEMBER.replace(month=12)
    rows = ranking.hall_ranking(december)
    idle = {row.hall.pk: row for row in rows}

    # Nothing of December is measured yet: no hall may rank first with the 100% a month without cases counts as.
    assert all(row.rank == 0 and not row.measured for row in rows)
    assert not idle[township.pk].imported

    november = {row.hall.pk: row for row in ranking.hall_ranking(NOVEMBER)}
    assert all(row.measured and row.rank for row in november.values() if row.hall.pk in (center_hall.pk, branch.pk, township.pk))


def test_the_weights_are_settings(known_figures, branch, center_hall):
    settings = HallSettings.load()
    settings.complaint_penalty = Decimal("0")
    settings.bad_rating_penalty = Decimal("10")
    settings.save()
    rows = {row.hall.pk: row for row in ranking.hall_ranking(NOVEMBER)}
    assert rows[center_hall.pk].score == Decimal("82.00")
    assert rows[branch.pk].score == Decimal("66.00")


def test_the_ranking_reads_its_figures_in_a_fixed_number_of_queries(known_figures, django_assert_num_queries, make_staff):
    HallSettings.load()
    # settings, cases, complaints, ratings, findings, imported figures, halls: seven, however many halls
    with django_assert_num_queries(7):
        ranking.hall_ranking(NOVEMBER)
    for number in range(5):
        Hall.objects.create(name=f"第{number}分中心", kind=HallKind.BRANCH)
    with django_assert_num_queries(7):
        assert len(ranking.hall_ranking(NOVEMBER)) == 8


def test_the_ranking_page_prints_and_exports_for_an_inspector(known_figures, client, inspector, travel):
    travel(D(2026, 12, 2))
    client.force_login(inspector.user)
    url = reverse("admin:halls_hallinspection_ranking")
    page = client.get(url, {"month": "2026-11"}).content.decode()
    assert "2026年11月服务场所统一考核排名" in page
    assert "国家税务总局大余县税务局办税服务分中心" in page and "74.00" in page
    printed = client.get(url, {"month": "2026-11", "print": "1"})
    assert printed.status_code == 200 and "打印" in printed.content.decode()
    export = client.get(url, {"month": "2026-11", "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = client.get(url, {"month": "十一月"}).content.decode()
    assert "月份「十一月」无效" in bad
