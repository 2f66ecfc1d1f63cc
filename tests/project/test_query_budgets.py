"""Query budgets (issue 11): the main admin lists and the printable pages cost a fixed number of queries.

Each page is requested with a few rows and again with more; the number of queries must not change
(no query per row) and must stay within a small budget. Lists already covered elsewhere are not
repeated here: the case list (tests/casework/test_case_list_queries.py), staff, windows, posts,
departments and the calendar (tests/staffing/test_list_queries.py), documents
(tests/documents/test_documents_admin.py), supplies, the whereabouts board, the statistics page, the
dashboard, the history timeline and the window guides (each in its app's tests).
"""

import datetime
import itertools

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import services as casework_services
from casework.models import Case, Consultation, Refusal
from documents import services as documents_services
from documents.models import DocumentAttachment, Reminder, SupervisionItem
from meetings.models import Meeting, MeetingType, MemberBody, Room, RoomBooking
from registry.models import HandlingMode, ItemStatus, ItemType, Material, ProcedureStep, ServiceItem
from staffing import roles
from staffing.models import CenterSettings, Department, LeaveRequest, Whereabouts, Window
from tests.casework.conftest import clerk, committed_item, market_window  # noqa: F401  (fixtures)
from tests.documents.conftest import people, registered  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

BUDGET = 20  # no list or printable page needs more; what matters is that the count does not grow
PERSON = {"applicant_name": "张三", "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13800000000"}
numbers = itertools.count(1)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def assert_fixed(client, url, add, few=2, more=6):
    """The page costs the same queries after `more` rows are added to the `few` it had."""
    add(few)
    queries(client, url)  # the first request fills per-process caches (theme, content types)
    small = queries(client, url)
    add(more)
    large = queries(client, url)
    assert large == small, f"{url}: {small} queries with {few} rows, {large} with {few + more}"
    assert small <= BUDGET, f"{url}: {small} queries"
    return small


@pytest.fixture
def center_admin(two_departments, make_staff, market_window):
    CenterSettings.load()
    return make_staff(two_departments[0], role=roles.CENTER_ADMIN, name="管理员")


@pytest.fixture(autouse=True)
def one_page(monkeypatch):
    """Every row on one page: only queries made per row could differ between the two sizes."""
    for model_admin in admin.site._registry.values():
        monkeypatch.setattr(model_admin, "list_per_page", 1000)


def new_item(department, window, *, materials=2, mode=HandlingMode.COMMITTED):
    number = next(numbers)
    immediate = mode == HandlingMode.IMMEDIATE
    item = ServiceItem.objects.create(
        code=f"Q{number:05d}", name=f"事项{number}", item_type=ItemType.LICENSING, department=department, window=window,
        handling_mode=mode, statutory_limit_days=20, committed_limit_days=0 if immediate else 10,
        legal_basis="《条例》", procedure="受理→决定", contact="李春梅", phone="0797-8721111", complaint_phone="0797-8722345",
        status=ItemStatus.ACTIVE, disclosure_complete=True,
    )
    Material.objects.bulk_create(Material(item=item, order=n, name=f"材料{n}") for n in range(1, materials + 1))
    ProcedureStep.objects.bulk_create(
        ProcedureStep(item=item, order=n, name=f"环节{n}", limit_days=0 if immediate else 1) for n in (1, 2)
    )
    return item


def new_case(item, window, staff):
    number = next(numbers)
    now = timezone.now()
    return Case.objects.create(
        number=f"Q-{number:06d}", item=item, department=item.department, window=window, applicant_name=f"申请人{number}",
        first_inquiry_staff=staff, handler=staff, handling_mode=item.handling_mode, received_at=now,
        received_on=timezone.localdate(now),
    )


# ---------------------------------------------------------------- the main lists


def test_the_item_list(client, center_admin, two_departments, market_window):
    client.force_login(center_admin.user)
    police_window = Window.objects.get(number="02")

    def add(count):
        for n in range(count):
            new_item(two_departments[n % 2], market_window if n % 2 == 0 else police_window)

    assert_fixed(client, reverse("admin:registry_serviceitem_changelist"), add)


def test_the_refusal_register(client, center_admin, committed_item, market_window, clerk):
    client.force_login(center_admin.user)

    def add(count):
        for _ in range(count):
            case = new_case(committed_item, market_window, clerk)
            Refusal.objects.create(
                case=case, stage="not_accepted", category="not_allowed", reason="依法不予办理", department=case.department,
                window=market_window, refused_by=clerk, status="effective",
            )

    assert_fixed(client, reverse("admin:casework_refusal_changelist"), add)


def test_the_consultation_register(client, center_admin, committed_item, market_window, clerk):
    client.force_login(center_admin.user)

    def add(count):
        for n in range(count):
            Consultation.objects.create(
                asker_name=f"咨询人{n}", item=committed_item, question="需要带什么材料", first_inquiry_staff=clerk,
                department=clerk.department, window=market_window, outcome="answered",
            )

    assert_fixed(client, reverse("admin:casework_consultation_changelist"), add)


def test_the_meeting_list(client, center_admin):
    client.force_login(center_admin.user)
    meeting_type = MeetingType.objects.filter(body__isnull=False).select_related("body").first()
    body = meeting_type.body if meeting_type else MemberBody.objects.first()

    def add(count):
        for n in range(count):
            start = timezone.now() + datetime.timedelta(days=next(numbers))
            Meeting.objects.create(
                meeting_type=meeting_type, body=body, title=f"会议{n}", starts_at=start,
                ends_at=start + datetime.timedelta(hours=2), chair=center_admin,
            )

    assert_fixed(client, reverse("admin:meetings_meeting_changelist"), add)


def test_the_room_booking_list(client, center_admin):
    client.force_login(center_admin.user)
    room = Room.objects.create(name="一楼会议室", capacity=20)

    def add(count):
        for n in range(count):
            start = timezone.now() + datetime.timedelta(days=next(numbers))
            RoomBooking.objects.create(
                room=room, starts_at=start, ends_at=start + datetime.timedelta(hours=1), purpose=f"业务培训{n}",
                booked_by=center_admin,
            )

    assert_fixed(client, reverse("admin:meetings_roombooking_changelist"), add)


def test_the_leave_list(client, center_admin, two_departments, make_staff):
    client.force_login(center_admin.user)
    colleague = make_staff(two_departments[0], name="同事")

    def add(count):
        for n in range(count):
            person = make_staff(two_departments[n % 2])
            start = timezone.localdate() + datetime.timedelta(days=next(numbers))
            LeaveRequest.objects.create(
                staff=person, leave_type="personal", start_date=start, end_date=start, reason="家中有事",
                handover_to=colleague, handover_note="窗口业务交同事办理",
            )

    assert_fixed(client, reverse("admin:staffing_leaverequest_changelist"), add)


# ---------------------------------------------------------------- the printable pages


def test_the_item_guide_and_the_checklist_do_not_grow_with_the_materials(client, clerk, two_departments, market_window):
    client.force_login(clerk.user)
    few = new_item(two_departments[0], market_window, materials=2)
    many = new_item(two_departments[0], market_window, materials=12)
    for name in ("guide", "notice"):
        url_name = f"admin:registry_serviceitem_print_{name}"
        queries(client, reverse(url_name, args=[few.pk]))
        assert queries(client, reverse(url_name, args=[few.pk])) == queries(client, reverse(url_name, args=[many.pk])) <= BUDGET


def test_the_windows_page_does_not_grow_with_the_windows(client, clerk, two_departments, market_window):
    client.force_login(clerk.user)

    def add(count):
        for _ in range(count):
            number = next(numbers)
            window = Window.objects.create(number=f"Q{number}", name=f"窗口{number}", department=two_departments[number % 2])
            new_item(window.department, window)

    assert_fixed(client, reverse("admin:registry_serviceitem_print_windows"), add)


def test_the_notice_print_does_not_grow_with_the_case(client, clerk, two_departments, market_window):
    client.force_login(clerk.user)
    counts = []
    for materials in (2, 12):
        item = new_item(two_departments[0], market_window, materials=materials)
        case = casework_services.case_receive(item=item, window=market_window, user=clerk.user, **PERSON)
        for material in case.materials.all():
            casework_services.case_check_material(material=material, user=clerk.user, state="received")
        casework_services.case_accept(case=case, user=clerk.user)
        notice = case.notices.get()
        url = reverse("admin:casework_case_notice_print", args=[case.pk, notice.pk])
        queries(client, url)
        counts.append(queries(client, url))
    assert counts[0] == counts[1] <= BUDGET


def test_the_document_sheet_does_not_grow_with_the_recipients_and_attachments(client, people):
    client.force_login(people["office"].user)
    counts = []
    for recipients in (1, 5):
        document = registered(people)
        departments = [Department.objects.create(name=f"承办部门{next(numbers)}") for _ in range(recipients)]
        documents_services.document_circulate(document=document, user=people["office"].user, departments=departments)
        DocumentAttachment.objects.bulk_create(
            DocumentAttachment(document=document, title=f"附件{n}", file=f"documents/2026/附件{n}.pdf") for n in range(recipients)
        )
        url = reverse("admin:documents_document_print", args=[document.pk])
        queries(client, url)
        counts.append(queries(client, url))
    assert counts[0] == counts[1] <= BUDGET


def test_the_supervision_letter_and_notice_do_not_grow_with_the_reminders(client, people, two_departments):
    client.force_login(people["office"].user)
    for name in ("letter", "notice"):
        counts = []
        for reminders in (1, 5):
            item = SupervisionItem.objects.create(
                title=f"督办事项{next(numbers)}", source="key_task", content="做好年底窗口服务工作", department=two_departments[0],
                responsible=people["drafter"], deadline=timezone.localdate() + datetime.timedelta(days=10),
            )
            Reminder.objects.bulk_create(
                Reminder(item=item, method="phone", by=people["office"], answer="正在办理") for _ in range(reminders)
            )
            url = reverse(f"admin:documents_supervisionitem_{name}", args=[item.pk])
            queries(client, url)
            counts.append(queries(client, url))
        assert counts[0] == counts[1] <= BUDGET, (name, counts)


def test_the_away_notice_does_not_grow_with_the_window_staff(client, center_admin, two_departments, make_staff):
    client.force_login(center_admin.user)
    counts = []
    for people in (1, 4):
        number = next(numbers)
        window = Window.objects.create(number=f"Q{number}", name=f"窗口{number}", department=two_departments[0])
        for _ in range(people):
            person = make_staff(two_departments[0], window=window)
            Whereabouts.objects.create(
                staff=person, status="out", reason="外出办事", starts_at=timezone.now() - datetime.timedelta(hours=1),
                returns_at=timezone.now() + datetime.timedelta(hours=1),
            )
        url = reverse("admin:staffing_whereabouts_notice", args=[window.pk])
        queries(client, url)
        counts.append(queries(client, url))
    assert counts[0] == counts[1] <= BUDGET
