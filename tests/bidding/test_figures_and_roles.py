"""招投标监督统计 (figures by month and type, on screen and in Excel) and who may do what (S1.1-g)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bidding import selectors, services
from bidding.models import BiddingEvent, EventStatus, Irregularity, ProjectType
from casework.models import Complaint, ComplaintKind
from casework.services.oversight import complaint_register, complaint_resolve

pytestmark = pytest.mark.django_db
D = datetime.date
START, END = D(2026, 10, 1), D(2026, 11, 30)


@pytest.fixture
def season(official_calendar, make_event, supervisor, office):
    """Events, irregularities and bidding complaints over October and November 2026 (and one outside)."""
    user = office.user

    def held(opening_on, project_type, budget, *, award=False):
        event = make_event(opening_on=opening_on, supervisor=supervisor, project_type=project_type, budget=Decimal(budget))
        services.event_set_status(event=event, user=user, to=EventStatus.OPENED)
        if award:
            services.event_set_status(event=event, user=user, to=EventStatus.EVALUATED)
            services.event_set_status(event=event, user=user, to=EventStatus.AWARDED, winner="江西某建设有限公司")
        return event

    works = held(D(2026, 10, 9), ProjectType.WORKS, "1860.00", award=True)
    goods = held(D(2026, 11, 3), ProjectType.GOODS, "426.50")
    held(D(2026, 11, 20), ProjectType.SERVICES, "88.00", award=True)
    suspended = make_event(opening_on=D(2026, 11, 5), project_type=ProjectType.GOODS, budget=Decimal("300"))
    services.event_set_status(event=suspended, user=user, to=EventStatus.SUSPENDED, note="投标人不足三家")
    make_event(opening_on=D(2026, 11, 25), project_type=ProjectType.WORKS)  # registered, not yet held
    held(D(2026, 12, 2), ProjectType.WORKS, "999")  # outside the period
    first = services.irregularity_record(event=works, user=user, found_on=D(2026, 10, 9), description="开标时间推迟未公告")
    services.irregularity_close(irregularity=first, user=user, follow_up="已责令代理机构书面说明", closed_on=D(2026, 10, 12))
    services.irregularity_record(event=goods, user=user, found_on=D(2026, 11, 3), description="评标专家抽取记录不全")
    on_time = complaint_register(user=user, kind=ComplaintKind.BIDDING, bidding_event=works, channel="in_person", content="评标不公", received_on=D(2026, 10, 12))
    complaint_resolve(complaint=on_time, user=user, findings="属实", upheld=True, reply="已责令重新评标", replied_on=D(2026, 10, 30))
    late = complaint_register(user=user, kind=ComplaintKind.BIDDING, bidding_event=goods, channel="online", content="资格审查有误", received_on=D(2026, 11, 4))
    complaint_resolve(complaint=late, user=user, findings="不属实", upheld=False, reply="已答复", replied_on=late.due_date + datetime.timedelta(days=3))
    complaint_register(user=user, kind=ComplaintKind.BIDDING, channel="phone", content="开标现场秩序混乱", received_on=D(2026, 11, 10))
    complaint_register(user=user, channel="phone", content="窗口人员态度生硬", received_on=D(2026, 11, 10))  # not a bidding complaint


def recount(by: str) -> dict:
    """The figures counted record by record, in Python."""
    def key(day, project_type):
        return day.replace(day=1) if by == "month" else project_type

    rows: dict = {}

    def row(k):
        return rows.setdefault(k, dict.fromkeys(selectors.FIGURES, 0))

    for event in BiddingEvent.objects.filter(opening_on__range=(START, END)):
        figures = row(key(event.opening_on, event.project_type))
        figures["events"] += 1
        if event.status in selectors.HELD_STATUSES:
            figures["held"] += 1
            figures["budget"] += event.budget or 0
        figures["suspended"] += event.status == EventStatus.SUSPENDED
        figures["awarded"] += event.status == EventStatus.AWARDED
    for found in Irregularity.objects.filter(found_on__range=(START, END)).select_related("event"):
        figures = row(key(found.found_on, found.event.project_type))
        figures["irregularities"] += 1
        figures["irregularities_closed"] += found.closed_on is not None
    for complaint in Complaint.objects.filter(kind=ComplaintKind.BIDDING, received_on__range=(START, END)).select_related("bidding_event"):
        figures = row(key(complaint.received_on, complaint.bidding_event.project_type if complaint.bidding_event else None))
        figures["complaints"] += 1
        figures["complaints_upheld"] += complaint.upheld is True
        figures["complaints_closed"] += complaint.replied_on is not None
        figures["complaints_on_time"] += complaint.replied_on is not None and complaint.replied_on <= complaint.due_date
    return rows


@pytest.mark.parametrize("by", ["month", "type"])
def test_the_figures_equal_a_recount_of_the_records(season, by):
    rows = selectors.bidding_figures(START, END, by)
    assert {row["key"]: {name: row[name] for name in selectors.FIGURES} for row in rows} == recount(by)


def test_the_figures_by_month_read_as_the_office_expects(season):
    october, november = selectors.bidding_figures(START, END, "month")
    assert (october["label"], october["events"], october["held"], october["awarded"], october["budget"]) == ("2026年10月", 1, 1, 1, Decimal("1860.00"))
    assert (october["irregularities"], october["irregularities_closed"], october["complaints"], october["complaints_upheld"], october["complaints_on_time"]) == (1, 1, 1, 1, 1)
    assert (november["events"], november["held"], november["suspended"], november["complaints"], november["complaints_closed"], november["complaints_on_time"]) == (4, 2, 1, 2, 1, 0)
    by_type = {row["label"]: row for row in selectors.bidding_figures(START, END, "type")}
    assert list(by_type) == ["工程", "货物", "服务", "(未关联项目)"]
    assert by_type["(未关联项目)"]["complaints"] == 1


def test_the_figures_cost_the_same_queries_whatever_the_number_of_records(season, make_event, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        selectors.bidding_figures(START, END, "type")
    for day in range(1, 20):
        make_event(opening_on=D(2026, 10, day), project_type=ProjectType.SERVICES)
    with django_assert_max_num_queries(3):
        selectors.bidding_figures(START, END, "month")


def test_the_statistics_page_and_its_excel_workbook_show_the_figures(season, office, client, django_assert_max_num_queries):
    client.force_login(office.user)
    url = reverse("admin:bidding_biddingevent_statistics")
    query = {"start": START.isoformat(), "end": END.isoformat(), "by": "month"}
    client.get(url, query)  # warm the session and settings caches
    with django_assert_max_num_queries(12):
        page = client.get(url, query)
    text = page.content.decode()
    assert "2026年10月" in text and "2026年11月" in text and "合计" in text

    workbook = client.get(url, {**query, "format": "xlsx"})
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "招投标监督统计 2026-10-01至2026-11-30(按月份)"
    assert rows[1][:3] == ("月份", "开标项目", "已监督开标")
    totals = selectors.figure_totals(selectors.bidding_figures(START, END, "month"))
    assert rows[-1][0] == "合计"
    assert rows[-1][1:] == tuple(totals[key] for key in ("events", "held", "suspended", "awarded", "budget", "irregularities", "irregularities_closed", "complaints", "complaints_upheld", "complaints_closed", "complaints_on_time"))


def test_the_case_statistics_page_links_to_the_bidding_figures(office, client):
    client.force_login(office.user)
    page = client.get(reverse("admin:casework_case_statistics")).content.decode()
    assert reverse("admin:bidding_biddingevent_statistics") in page


def test_the_event_list_costs_the_same_queries_for_more_events(office, make_event, supervisor, client, django_assert_max_num_queries):
    client.force_login(office.user)
    url = reverse("admin:bidding_biddingevent_changelist")
    make_event(opening_on=D(2026, 11, 10), supervisor=supervisor)
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for day in range(1, 25):
        event = make_event(opening_on=D(2026, 11, day), supervisor=supervisor if day % 2 else None)
        services.irregularity_record(event=event, user=office.user, found_on=D(2026, 11, day), description="记录不全")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_an_inspector_reads_events_and_figures_but_changes_nothing(make_event, supervisor, inspector, client):
    event = make_event(opening_on=D(2026, 11, 10), supervisor=supervisor, name="县人民医院医疗设备采购项目")
    client.force_login(inspector.user)
    assert client.get(reverse("admin:bidding_biddingevent_changelist")).status_code == 200
    assert client.get(reverse("admin:bidding_biddingevent_openings")).status_code == 200
    assert client.get(reverse("admin:bidding_biddingevent_statistics")).status_code == 200
    page = client.get(reverse("admin:bidding_biddingevent_change", args=[event.pk]))
    assert page.status_code == 200 and "登记进展" not in page.content.decode()
    assert client.get(reverse("admin:bidding_biddingevent_add")).status_code == 403
    assert client.post(reverse("admin:bidding_biddingevent_change", args=[event.pk]), {"name": "改名"}).status_code == 403
    assert client.post(reverse("admin:bidding_biddingevent_status", args=[event.pk]), {"to": "opened"}).status_code == 403
    event.refresh_from_db()
    assert (event.name, event.status) == ("县人民医院医疗设备采购项目", EventStatus.REGISTERED)


def test_a_window_clerk_cannot_open_the_bidding_pages(make_event, window_clerk, client):
    event = make_event(opening_on=D(2026, 11, 10))
    client.force_login(window_clerk.user)
    for name, args in [("changelist", []), ("openings", []), ("statistics", []), ("change", [event.pk]), ("status", [event.pk])]:
        assert client.get(reverse(f"admin:bidding_biddingevent_{name}", args=args)).status_code == 403, name


def test_the_office_registers_the_opening_through_the_status_page(make_event, supervisor, office, client):
    event = make_event(opening_on=D(2026, 11, 10), supervisor=supervisor)
    client.force_login(office.user)
    response = client.post(reverse("admin:bidding_biddingevent_status", args=[event.pk]), {"to": "opened", "on": "2026-11-10"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.history.first().history_user) == (EventStatus.OPENED, office.user)
