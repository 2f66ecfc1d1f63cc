"""待我办理 of the office desk (issue 18): each kind appears for the person it waits for — not for a
colleague of another department — and its link opens the list filtered to exactly those records."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from documents import services
from documents.models import DocumentCategory, Supply
from documents.services import incoming as incoming_services
from meetings import services as meeting_services
from meetings.models import Room
from project import inbox
from staffing import roles
from tests.documents.conftest import with_body

pytestmark = pytest.mark.django_db


def waiting(staff) -> dict:
    return {line.key: line.count for line in inbox.waiting_counts(staff.user)}


def listed(client, staff, key) -> int:
    """How many rows the kind's link shows to `staff`."""
    kind = next(kind for kind in inbox.kinds() if kind.key == key)
    client.force_login(staff.user)
    response = client.get(kind.url())
    assert response.status_code == 200, key
    return response.context["cl"].result_count


def incoming(people, **kwargs):
    return incoming_services.incoming_register(
        user=people["office"].user, sender="县政府办", title="关于做好值班工作的通知",
        scans=[ContentFile(b"scan", name="s.pdf")], **kwargs,
    )


def test_incoming_documents_wait_for_the_office_then_for_the_leader_it_names(client, people):
    document = incoming(people)
    assert waiting(people["office"])["documents.incoming_propose"] == 1
    assert "documents.incoming_propose" not in waiting(people["police_clerk"])
    assert listed(client, people["office"], "documents.incoming_propose") == 1
    incoming_services.incoming_propose(incoming=document, user=people["office"].user, proposal="拟请阅办", leader=people["director"])
    assert "documents.incoming_propose" not in waiting(people["office"])
    assert waiting(people["director"])["documents.incoming_decide"] == 1
    assert "documents.incoming_decide" not in waiting(people["deputy"])
    assert listed(client, people["director"], "documents.incoming_decide") == 1


def test_reading_and_handling_wait_in_the_recipient_departments_only(client, people, two_departments):
    market, police = two_departments
    document = incoming(people)
    incoming_services.incoming_propose(incoming=document, user=people["office"].user, proposal="拟请阅办", leader=people["director"])
    incoming_services.incoming_decide(
        incoming=document, user=people["director"].user, decision="同意", handle_departments=[market], read_departments=[police]
    )
    assert waiting(people["police_clerk"]).get("documents.circulation_read") == 1
    assert "documents.circulation_handle" not in waiting(people["police_clerk"])
    assert waiting(people["drafter"]).get("documents.circulation_handle") == 1
    assert "documents.circulation_read" not in waiting(people["drafter"])
    assert listed(client, people["police_clerk"], "documents.circulation_read") == 1
    assert listed(client, people["drafter"], "documents.circulation_handle") == 1


def test_an_outgoing_document_waits_for_its_reviewer_and_then_its_signer(client, people):
    category = DocumentCategory.objects.get(name="中心文件")
    document = services.document_draft(user=people["drafter"].user, category=category, title="通知")
    services.document_submit_for_review(document=with_body(document), user=people["drafter"].user)
    assert waiting(people["office"])["documents.document_review"] == 1
    assert "documents.document_review" not in waiting(people["police_clerk"])
    assert listed(client, people["office"], "documents.document_review") == 1
    services.document_review(document=document, user=people["office"].user, approve=True)
    assert waiting(people["director"])["documents.document_sign"] == 1
    assert "documents.document_sign" not in waiting(people["deputy"])
    assert listed(client, people["director"], "documents.document_sign") == 1


def test_a_category_reviewed_by_the_drafting_departments_head_waits_for_that_head_only(people, two_departments, make_staff):
    market, police = two_departments
    head = make_staff(market, role=roles.SECTION_HEAD, name="市场股长")
    other_head = make_staff(police, role=roles.SECTION_HEAD, name="公安股长")
    DocumentCategory.objects.filter(name="业务文件").update(reviewer_role="department_head")
    document = services.document_draft(user=people["drafter"].user, category=DocumentCategory.objects.get(name="业务文件"), title="请示")
    services.document_submit_for_review(document=with_body(document), user=people["drafter"].user)
    assert waiting(head)["documents.document_review"] == 1
    assert "documents.document_review" not in waiting(other_head)
    assert "documents.document_review" not in waiting(people["office"])
    services.document_review(document=document, user=head.user, approve=True)


def test_supervision_items_and_reports_wait_for_their_section(client, people, two_departments):
    market, police = two_departments
    item = services.supervision_register(
        user=people["office"].user, title="优化取号分流", source="key_task", content="督促优化取号分流。", department=market,
        deadline=timezone.localdate() + datetime.timedelta(days=30), responsible=people["drafter"],
    )
    services.supervision_assign(item=item, user=people["office"].user)
    services.supervision_start(item=item, user=people["office"].user)
    services.report_obligation_open(department=market, title="11月工作总结", due_date=timezone.localdate() + datetime.timedelta(days=5))
    mine = waiting(people["drafter"])
    assert (mine["documents.supervision_feedback"], mine["documents.report_submit"]) == (1, 1)
    other = waiting(people["police_clerk"])
    assert "documents.supervision_feedback" not in other and "documents.report_submit" not in other
    assert listed(client, people["drafter"], "documents.supervision_feedback") == 1
    assert listed(client, people["drafter"], "documents.report_submit") == 1


def test_a_requisition_waits_for_the_office_to_issue_it(client, people):
    supply = Supply.objects.create(name="A4复印纸", unit="包")
    services.supply_opening_stock(supply=supply, quantity=Decimal(10), amount=Decimal(225), user=people["office"].user)
    services.requisition_submit(user=people["drafter"].user, lines=[{"supply": supply, "quantity": Decimal(2)}])
    assert waiting(people["office"])["documents.requisition_issue"] == 1
    assert "documents.requisition_issue" not in waiting(people["drafter"])
    assert listed(client, people["office"], "documents.requisition_issue") == 1


def test_a_room_booking_waits_for_the_approving_role(client, people, official_calendar, travel):
    travel(datetime.date(2026, 11, 16))
    room = Room.objects.create(name="一楼会议室", capacity=20)
    start = timezone.make_aware(datetime.datetime(2026, 11, 18, 9))
    meeting_services.booking_request(
        room=room, starts_at=start, ends_at=start + datetime.timedelta(hours=2), purpose="窗口业务培训", user=people["drafter"].user
    )
    assert waiting(people["director"])["meetings.booking_approval"] == 1
    assert "meetings.booking_approval" not in waiting(people["deputy"])
    assert listed(client, people["director"], "meetings.booking_approval") == 1
