"""The office demo (meetings.demo, documents.demo): something to open in every office module, on any day.

The organisation and the catalog are loaded once for the module; the office demo is loaded again on
each of fifteen days (working days, weekends, the National Day and Spring Festival holidays, make-up
Saturdays, a year without a calendar, a leap day), and rolled back after each.
"""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from documents import selectors as documents_selectors
from documents.demo import load_demo_office
from documents.models import (
    Circulation,
    CirculationState,
    Document,
    DocumentStatus,
    FundRequest,
    Requisition,
    Secrecy,
    SupervisionItem,
    Supply,
)
from documents.services import stock_on_hand
from meetings.demo import load_demo_meetings
from meetings.models import AttendanceStatus, BookingStatus, Meeting, MeetingStatus, RoomBooking
from registry.demo import load_demo_catalog
from staffing import demo as staffing_demo
from staffing.demo_clock import DemoClock
from staffing.models import Approval, ApprovalDecision, RequestStatus
from staffing.services import calendar_seed_from_package
from staffing.working_days import add_working_days

# Not date_sensitive: it travels to each of its days itself, so the sweep would only repeat it.
pytestmark = pytest.mark.django_db

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]

DAYS = [
    "2026-09-30", "2026-10-03", "2026-10-10", "2026-12-31", "2027-01-02", "2028-02-29", "2026-12-05", "2026-10-01",
    "2026-10-08", "2026-02-14", "2026-02-17", "2026-05-05", "2026-06-01", "2027-06-14", "2026-01-01",
]  # fmt: skip


@pytest.fixture(scope="module")
def organisation(django_db_setup, django_db_blocker):
    """The 2025–2026 calendar, the demo organisation and catalog, once for the module (rolled back after it)."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic():
        calendar_seed_from_package(years=[2025, 2026])
        staffing_demo.load_demo()
        load_demo_catalog()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def office_demo(organisation, travel, settings, tmp_path):
    """`office_demo(day)`: travel to that day and load the office demo; its output. The test's transaction
    rolls it back afterwards."""
    settings.MEDIA_ROOT = tmp_path  # the signed original of the archived document

    def load(day: str) -> str:
        travel(datetime.date.fromisoformat(day))
        out = StringIO()
        load_demo_meetings(stdout=out)
        load_demo_office(stdout=out)
        return out.getvalue()

    return load


@pytest.mark.parametrize("day", DAYS)
def test_the_office_demo_has_something_to_open_in_every_module_on(day, office_demo):
    output = office_demo(day)
    now, today, clock = timezone.now(), timezone.localdate(), DemoClock()
    assert "演示会议:新增会议室 3 间" in output and "演示公文与办公用品:新增文件" in output

    # Documents at every step of their lifecycle, one of them secret with a scope of departments.
    assert set(Document.objects.values_list("status", flat=True)) == set(DocumentStatus.values)
    secret = Document.objects.get(secrecy=Secrecy.SECRET)
    assert set(secret.scope_department_links.values_list("department__name", flat=True)) == {"督查股", "办公室"}

    # Circulations: overdue (received more than three working days before the working day, not done),
    # one for a person to read (not overdue), one done with feedback.
    overdue = documents_selectors.overdue_circulations(today=today)
    assert overdue.exists()
    for circulation in overdue:
        assert circulation.received_on < add_working_days(clock.workday, -3), circulation
        assert circulation.state != CirculationState.DONE, circulation
    reading = Circulation.objects.get(staff__badge_no="DY001")
    assert reading.state == CirculationState.PENDING and reading not in overdue and reading.received_on <= today
    assert Circulation.objects.filter(state=CirculationState.DONE).exclude(feedback="").exists()
    assert not Circulation.objects.filter(received_on__gt=today).exists()

    # Meetings of several types, whose bodies have members; held ones with attendance and decisions; one to come.
    meetings = Meeting.objects.select_related("meeting_type", "body")
    assert meetings.values("meeting_type").distinct().count() >= 3
    assert all(meeting.body.memberships.exists() for meeting in meetings)
    held = meetings.filter(status=MeetingStatus.HELD)
    assert held.count() >= 3 and not held.filter(starts_at__gt=now).exists()
    for meeting in held:
        assert meeting.attendance.filter(status=AttendanceStatus.PRESENT).exists(), meeting
        assert meeting.agenda_items.filter(decisions__adopted=True).exists(), meeting
    coming = meetings.get(status=MeetingStatus.PLANNED)
    assert coming.starts_at > now and coming.booking.status == BookingStatus.APPROVED

    # Bookings: one waiting for approval in the future, one approved.
    assert RoomBooking.objects.filter(status=BookingStatus.PENDING, starts_at__gt=now).exists()
    assert RoomBooking.objects.filter(status=BookingStatus.APPROVED).exists()

    # Supplies in stock, a requisition issued, a fund request waiting for the main leader.
    assert sum(1 for supply in Supply.objects.all() if stock_on_hand(supply)[0] > 0) >= 5
    assert Requisition.objects.filter(issued_at__isnull=False).exists()
    pending = FundRequest.objects.get(status=RequestStatus.PENDING)
    waiting = Approval.objects.get(
        object_id=pending.pk, content_type__model="fundrequest", decision=ApprovalDecision.PENDING
    )
    assert waiting.approver.badge_no == "DY001"
    assert FundRequest.objects.filter(status=RequestStatus.APPROVED, purchases__stocked_in_at__isnull=False).exists()

    # Supervision: one past its deadline, one archived, one from the 办公会 decision.
    assert documents_selectors.supervision_overdue(today=today).exists()
    assert SupervisionItem.objects.filter(status="archived").exists()
    assert SupervisionItem.objects.filter(source="meeting", origin_id__isnull=False).exists()


def test_loading_again_adds_nothing_and_says_so(office_demo):
    office_demo("2026-10-03")
    counted = (Document, Circulation, Supply, FundRequest, SupervisionItem, Meeting, RoomBooking)
    counts = [model.objects.count() for model in counted]
    out = StringIO()
    assert load_demo_meetings(stdout=out)["skipped"] and load_demo_office(stdout=out)["skipped"]
    assert "演示会议:系统中已有会议室、预约、会议或成员组成员,未加载演示会议。" in out.getvalue()
    assert "演示公文与办公用品:系统中已有文件、传阅、办公用品、资金使用审批表或督办事项,未加载演示数据。" in out.getvalue()
    assert [model.objects.count() for model in counted] == counts


@pytest.mark.parametrize(
    ("page", "shows"),
    [
        ("admin:documents_document_changelist", "关于开展窗口服务作风明察暗访的工作方案"),
        ("admin:documents_circulation_changelist", "关于进一步落实一次性告知制度的通知"),
        ("admin:meetings_meeting_changelist", "中心主任办公会(窗口考核专题)"),
        ("admin:meetings_roombooking_changelist", "市场监管窗口业务培训"),
        ("admin:documents_supply_changelist", "A4复印纸"),
        ("admin:documents_fundrequest_changelist", "采购窗口排队叫号机热敏打印纸"),
    ],
)
def test_the_office_login_opens_the_office_lists_with_the_demo_records(office_demo, client, page, shows):
    office_demo("2026-10-03")
    client.force_login(get_user_model().objects.get(username="office"))
    response = client.get(reverse(page))
    assert response.status_code == 200
    assert shows in response.content.decode()
