"""The admin index as a dashboard: today's intake, the deadlines and the pending work of the user, the
twelve-month chart as inline SVG, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import rollup
from casework.models import Case, CaseExtension, CaseStatus, CaseworkSettings, JointOpinion, Refusal, RefusalStatus
from registry.models import HandlingMode, ItemStatus, ItemType, ServiceItem
from staffing import roles
from staffing import services as staffing_services
from staffing.models import CenterSettings, Window

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


@pytest.fixture
def market(two_departments):
    return two_departments[0]


@pytest.fixture
def police(two_departments):
    return two_departments[1]


def item_of(department, code="000001"):
    return ServiceItem.objects.create(
        code=code, name="食品经营许可", item_type=ItemType.LICENSING, department=department,
        window=Window.objects.filter(department=department).first(), handling_mode=HandlingMode.COMMITTED,
        statutory_limit_days=20, committed_limit_days=10, legal_basis="《食品安全法》", procedure="受理→决定",
        contact="李春梅", phone="0797-8721111", status=ItemStatus.ACTIVE, disclosure_complete=True,
    )  # fmt: skip


def make_cases(count, *, item, staff, prefix, received_on, **fields):
    window = Window.objects.filter(department=item.department).first()
    Case.objects.bulk_create(
        [
            Case(
                number=f"{prefix}-{n:05d}", item=item, department=item.department, window=window, hall_id=window.hall_id, applicant_name="张三",
                first_inquiry_staff=staff, handler=staff, handling_mode=item.handling_mode, received_on=received_on,
                received_at=timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(9))), **fields,
            )  # fmt: skip
            for n in range(count)
        ]
    )
    rollup.rebuild()  # bulk_create skips Case.save, which keeps the daily statistics
    return list(Case.objects.filter(number__startswith=f"{prefix}-"))


@pytest.fixture
def clerk(market, make_staff):
    return make_staff(market, role=roles.WINDOW_STAFF, name="李春梅")


@pytest.fixture
def officer(police, make_staff):
    return make_staff(police, role=roles.WINDOW_STAFF, name="刘建国")


@pytest.fixture
def deputy(market, make_staff):
    leader = make_staff(market, role=roles.LEADER_IN_CHARGE, name="钟晓明", leader_role="in_charge")
    market.leader_in_charge = leader
    market.save()
    return leader


@pytest.fixture
def desk(market, police, clerk, officer):
    """Market: 2 received today, 1 overdue, 1 due today; police: 1 received today."""
    today = timezone.localdate()
    earlier = today - datetime.timedelta(days=20)
    market_item, police_item = item_of(market), item_of(police, "000002")
    make_cases(2, item=market_item, staff=clerk, prefix="T", received_on=today)
    make_cases(1, item=market_item, staff=clerk, prefix="O", received_on=earlier, status=CaseStatus.IN_PROGRESS,
               accepted_on=earlier, committed_due_date=today - datetime.timedelta(days=1))  # fmt: skip
    make_cases(1, item=market_item, staff=clerk, prefix="S", received_on=earlier, status=CaseStatus.ACCEPTED,
               accepted_on=earlier, committed_due_date=today)  # fmt: skip
    make_cases(1, item=police_item, staff=officer, prefix="P", received_on=today)
    return {"market_item": market_item, "police_item": police_item}


def index(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response


def test_the_dashboard_shows_todays_intake_and_the_deadlines_of_the_users_departments(client, desk, clerk, officer):
    response = index(client, clerk.user)
    intake = response.context["dashboard"]["intake"]
    assert (intake["received_today"], intake["overdue"], intake["due_soon"]) == (2, 1, 1)
    html = response.content.decode()
    assert "今日收件" in html and "已逾期" in html and "2个工作日内到期" in html
    assert 'href="/admin/casework/case/?deadline=overdue"' in html
    assert 'href="/admin/casework/case/?deadline=due_soon"' in html
    assert response.context["app_list"][0]["name"] == "办件与首问"  # the app list is still below, the clerk's work first

    listed = client.get(intake["received_today_url"])
    assert sorted(c.number for c in listed.context["cl"].result_list) == ["T-00000", "T-00001"]

    intake = index(client, officer.user).context["dashboard"]["intake"]
    assert (intake["received_today"], intake["overdue"], intake["due_soon"]) == (1, 0, 0)


def test_a_leader_finds_the_refusal_extension_and_leave_awaiting_their_approval(
    client, official_calendar, desk, clerk, deputy, make_staff, market
):
    case = Case.objects.get(number="O-00000")
    Refusal.objects.create(
        case=case, stage="disapproved", category="other", reason="不符合条件", department=market, window=case.window,
        refused_by=clerk, status=RefusalStatus.PENDING_APPROVAL,
    )
    CaseExtension.objects.create(case=case, days=3, reason="现场核查", requested_by=clerk)
    colleague = make_staff(market, role=roles.WINDOW_STAFF, name="王五")
    staffing_services.leave_submit(
        user=clerk.user, leave_type="personal", start_date=datetime.date(2026, 11, 27), end_date=datetime.date(2026, 11, 27),
        end_half="am", reason="家中有事", handover_to=colleague, handover_note="在办件已交代",
    )  # fmt: skip

    response = index(client, deputy.user)
    pending = {item["label"]: (item["count"], item["url"]) for item in response.context["dashboard"]["pending"]}
    assert pending == {
        "重大事项否定报备待审批": (1, "/admin/casework/refusal/?awaiting=me"),
        "办件延期待审批": (1, "/admin/casework/caseextension/?awaiting=me"),
        "请假申请待审批": (1, "/admin/staffing/leaverequest/?awaiting=me"),
    }
    assert "重大事项否定报备待审批" in response.content.decode()
    assert index(client, clerk.user).context["dashboard"]["pending"] == []
    assert "暂无待您审批或办理的事项。" in index(client, clerk.user).content.decode()


def test_the_co_departments_staff_find_the_opinions_waiting_for_them(client, desk, officer, police):
    JointOpinion.objects.create(
        case=Case.objects.get(number="O-00000"), department=police, requested_on=timezone.localdate(),
        due_date=timezone.localdate(),
    )
    pending = index(client, officer.user).context["dashboard"]["pending"]
    assert pending == [
        {"key": "casework.joint_opinion", "label": "联办件待本部门提出意见", "count": 1, "url": "/admin/casework/jointopinion/?todo=mine"}
    ]


@pytest.fixture
def late_in_the_month(travel):
    """A day late enough in its month that the desk's case received 20 days earlier is of the same month."""
    travel(datetime.date(2026, 11, 25))


def test_the_chart_is_an_inline_svg_of_the_last_twelve_months(late_in_the_month, client, desk, clerk):
    today = timezone.localdate()
    item = desk["market_item"]
    make_cases(3, item=item, staff=clerk, prefix="L", received_on=today.replace(day=1) - datetime.timedelta(days=1),
               status=CaseStatus.APPROVED, completed_on=today, overdue=False)  # fmt: skip
    make_cases(1, item=item, staff=clerk, prefix="M", received_on=today.replace(day=1) - datetime.timedelta(days=1),
               status=CaseStatus.APPROVED, completed_on=today, overdue=True)  # fmt: skip
    response = index(client, clerk.user)
    chart = response.context["dashboard"]["chart"]
    assert len(chart["bars"]) == 12
    assert chart["bars"][-1]["month"] == f"{today.month}月"
    assert chart["bars"][-1]["received"] == 4  # this month: 2 today, the overdue one and the one due today
    last_month = chart["rows"][-2]
    assert (last_month["received"], last_month["on_time_rate"]) == (4, 75.0)
    html = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'id="trend-chart"' in html
    assert "按时办结率75.0%" in html and "<polyline" in html
    assert "cdn" not in html.lower()


def test_the_dashboard_costs_the_same_queries_for_few_and_many_cases(client, official_calendar, desk, clerk, deputy):
    CenterSettings.load(), CaseworkSettings.load()
    index(client, deputy.user)  # warm the per-process caches (theme, content types)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get("/admin/")
        return len(captured)

    small = queries()
    today = timezone.localdate()
    for months_back in range(12):
        day = (today.replace(day=1) - datetime.timedelta(days=28 * months_back)).replace(day=1)
        make_cases(5, item=desk["market_item"], staff=clerk, prefix=f"B{months_back}", received_on=day,
                   status=CaseStatus.APPROVED, completed_on=day, overdue=months_back % 2 == 0)  # fmt: skip
    assert queries() == small
    assert small <= 20, small
