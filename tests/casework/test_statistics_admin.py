"""办件统计 in the admin (S1.1-d): the figures of a hand-counted fixture on the page and in the Excel
workbook, the departments a user may count, and a query count that does not grow with the cases."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casework.models import Case, CaseStatus, Complaint, Refusal, RefusalStatus
from staffing import roles
from staffing.models import Window

pytestmark = pytest.mark.django_db
D = datetime.date
URL = "admin:casework_case_statistics"
OCTOBER_NOVEMBER = {"start": "2026-10-01", "end": "2026-11-30", "by": "department"}


def make_case(item, window, clerk, number, received, status, accepted=None, completed=None, overdue=False):
    return Case.objects.create(
        number=number, item=item, department=window.department, window=window, applicant_name="甲", first_inquiry_staff=clerk,
        handler=clerk, handling_mode=item.handling_mode, received_on=received, status=status, accepted_on=accepted,
        completed_on=completed, overdue=overdue,
    )


@pytest.fixture
def fixture_cases(committed_item, market_window, clerk, two_departments):
    """The fixture of test_statistics.py: four market cases and one police case, one overturned refusal,
    two complaints against the market window (one upheld)."""
    police_window = Window.objects.get(number="02")
    cases = [
        make_case(committed_item, market_window, clerk, "A1", D(2026, 10, 5), CaseStatus.DELIVERED, D(2026, 10, 5), D(2026, 10, 9)),
        make_case(committed_item, market_window, clerk, "A2", D(2026, 10, 6), CaseStatus.APPROVED, D(2026, 10, 6), D(2026, 10, 30), overdue=True),
        make_case(committed_item, market_window, clerk, "A3", D(2026, 10, 7), CaseStatus.NOT_ACCEPTED),
        make_case(committed_item, market_window, clerk, "A4", D(2026, 11, 2), CaseStatus.IN_PROGRESS, D(2026, 11, 2)),
        make_case(committed_item, police_window, clerk, "B1", D(2026, 10, 8), CaseStatus.DISAPPROVED, D(2026, 10, 8), D(2026, 10, 12)),
    ]
    Refusal.objects.create(
        case=cases[2], stage="not_accepted", category="other", reason="x", department=cases[2].department,
        window=cases[2].window, refused_by=clerk, status=RefusalStatus.OVERTURNED,
    )
    for received, upheld in ((D(2026, 10, 9), True), (D(2026, 10, 20), False)):
        Complaint.objects.create(
            channel="phone", content="慢", department=market_window.department, window=market_window, received_on=received,
            due_date=received + datetime.timedelta(days=7), upheld=upheld,
        )
    return cases


@pytest.fixture
def inspector(two_departments, make_staff):
    return make_staff(two_departments[1], role=roles.INSPECTOR, name="督查员")


def rows_by_label(response):
    return {row["label"]: row for row in response.context["rows"]}


def test_the_page_shows_the_hand_counted_figures_per_department_with_totals(client, fixture_cases, inspector):
    client.force_login(inspector.user)
    response = client.get(reverse(URL), OCTOBER_NOVEMBER)
    assert response.status_code == 200
    rows = rows_by_label(response)
    assert {k: rows["县市场监督管理局"][k] for k in ("received", "accepted", "completed", "on_time", "overdue", "refused", "overturned", "complaints", "upheld", "on_time_rate")} == {
        "received": 4, "accepted": 3, "completed": 2, "on_time": 1, "overdue": 1, "refused": 1, "overturned": 1,
        "complaints": 2, "upheld": 1, "on_time_rate": 50.0,
    }  # fmt: skip
    assert (rows["县公安局"]["received"], rows["县公安局"]["refused"], rows["县公安局"]["on_time_rate"]) == (1, 1, 100.0)
    totals = response.context["totals"]
    assert (totals["received"], totals["completed"], totals["on_time"], totals["on_time_rate"]) == (5, 3, 2, 66.7)
    html = response.content.decode()
    assert "50.0%" in html and "66.7%" in html and "导出Excel" in html
    assert response.context["show_department"]


def test_grouping_by_month_window_and_item(client, fixture_cases, inspector):
    client.force_login(inspector.user)
    by_month = rows_by_label(client.get(reverse(URL), {**OCTOBER_NOVEMBER, "by": "month"}))
    assert (by_month["2026年10月"]["received"], by_month["2026年11月"]["received"]) == (4, 1)
    by_window = rows_by_label(client.get(reverse(URL), {**OCTOBER_NOVEMBER, "by": "window"}))
    assert (by_window["01号窗口"]["received"], by_window["02号窗口"]["received"]) == (4, 1)
    by_item = rows_by_label(client.get(reverse(URL), {**OCTOBER_NOVEMBER, "by": "item"}))
    assert by_item["食品经营许可"]["received"] == 5


def test_the_excel_export_has_the_same_figures(client, fixture_cases, inspector):
    client.force_login(inspector.user)
    response = client.get(reverse(URL), {**OCTOBER_NOVEMBER, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "办件统计 2026-10-01至2026-11-30(按部门)"
    assert values[1] == ("部门", "收件", "受理", "办结", "按时办结", "超期办结", "不予受理/不予批准", "否定被撤销", "投诉", "投诉属实", "按时办结率")
    rows = {row[0]: row[1:] for row in values[2:]}
    assert rows["县市场监督管理局"] == (4, 3, 2, 1, 1, 1, 1, 2, 1, 0.5)
    assert rows["县公安局"] == (1, 1, 1, 1, 0, 1, 0, 0, 0, 1.0)
    assert rows["合计"] == (5, 4, 3, 2, 1, 2, 1, 2, 1, pytest.approx(0.667))


def test_window_staff_count_only_their_own_department(client, fixture_cases, clerk, officer_of_police):
    client.force_login(clerk.user)
    response = client.get(reverse(URL), OCTOBER_NOVEMBER)
    assert list(rows_by_label(response)) == ["县市场监督管理局"]
    assert not response.context["show_department"]
    client.force_login(officer_of_police.user)
    # Asking for another department by URL counts nothing of it.
    response = client.get(reverse(URL), {**OCTOBER_NOVEMBER, "department": fixture_cases[0].department_id})
    assert response.context["form"].errors["department"]
    assert response.context["rows"] is None


@pytest.fixture
def officer_of_police(two_departments, make_staff):
    return make_staff(two_departments[1], role=roles.WINDOW_STAFF, name="刘建国")


def test_the_page_opens_on_this_month_and_refuses_a_reversed_period(client, inspector):
    client.force_login(inspector.user)
    response = client.get(reverse(URL))
    today = timezone.localdate()
    assert response.context["params"]["start"] == today.replace(day=1)
    assert response.context["params"]["end"].month == today.month
    reversed_period = client.get(reverse(URL), {"start": "2026-10-31", "end": "2026-10-01", "by": "department"})
    assert reversed_period.context["form"].errors["end"] == ["截止日期不能早于起始日期。"]


def test_the_page_and_the_export_cost_the_same_queries_for_10_and_60_cases(client, committed_item, market_window, clerk, inspector):
    client.force_login(inspector.user)

    def add_cases(start, count):
        for n in range(start, start + count):
            status = [CaseStatus.RECEIVED, CaseStatus.APPROVED, CaseStatus.NOT_ACCEPTED][n % 3]
            make_case(committed_item, market_window, clerk, f"Q{n}", D(2026, 10, 1 + n % 28), status,
                      accepted=D(2026, 10, 1), completed=D(2026, 10, 29) if status == CaseStatus.APPROVED else None,
                      overdue=n % 2 == 0)  # fmt: skip

    def queries(params):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(URL), params)
        assert response.status_code == 200
        return len(captured)

    add_cases(0, 10)
    queries(OCTOBER_NOVEMBER)  # warm the per-process caches
    small = [queries(OCTOBER_NOVEMBER), queries({**OCTOBER_NOVEMBER, "format": "xlsx"}), queries({**OCTOBER_NOVEMBER, "by": "month"})]
    add_cases(10, 50)
    large = [queries(OCTOBER_NOVEMBER), queries({**OCTOBER_NOVEMBER, "format": "xlsx"}), queries({**OCTOBER_NOVEMBER, "by": "month"})]
    assert small == large
    assert max(large) <= 12, large
