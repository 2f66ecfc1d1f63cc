"""Circulation and the three-day rule (S3.6-d): each recipient handles within the limit, or says why."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from staffing import selectors as staffing_selectors
from staffing.services import presence
from staffing.working_days import add_working_days

from ..models import Circulation, CirculationState, Document, DocumentsSettings, DocumentStatus

CIRCULABLE = (DocumentStatus.REGISTERED, DocumentStatus.PROOFREAD, DocumentStatus.ISSUED)


def circulation_due(received_on: datetime.date) -> datetime.date:
    settings = DocumentsSettings.load()
    if settings.circulation_working_days:
        return add_working_days(received_on, settings.circulation_days)
    return received_on + datetime.timedelta(days=settings.circulation_days)


@transaction.atomic
def document_circulate(*, document: Document, user, departments=(), staff=(), received_on=None) -> list[Circulation]:
    if document.status not in CIRCULABLE:
        raise ValidationError("文件登记编号后才能分发办理。")
    if not (departments or staff):
        raise ValidationError({"departments": "请至少选择一个承办部门或承办人。"})
    received_on = received_on or timezone.localdate()
    due = circulation_due(received_on)
    recipients = [(department, None) for department in departments] + [(person.department, person) for person in staff]
    created = []
    for department, person in recipients:
        circulation, was_created = Circulation.objects.get_or_create(
            document=document, department=department, staff=person,
            defaults={"received_on": received_on, "due_date": due, "sent_by": user},
        )
        if was_created:
            created.append(circulation)
    return created


def _check_recipient(circulation: Circulation, user):
    staff = getattr(user, "staff", None)
    if staff is None or not staffing_selectors.user_acts_for_department(user, circulation.department_id):
        raise PermissionDenied("只有承办部门的人员可以办理该文件。")
    if circulation.staff_id and circulation.staff_id != staff.pk:
        absent = presence.acting_for(staff)
        if circulation.staff not in absent:
            raise PermissionDenied(f"该文件由{circulation.staff.name}办理。")
        return staff, circulation.staff
    return staff, None


@transaction.atomic
def circulation_feedback(*, circulation: Circulation, user, feedback: str) -> Circulation:
    staff, acting_for = _check_recipient(circulation, user)
    if circulation.state == CirculationState.DONE:
        raise ValidationError("该文件已反馈办理结果。")
    if not feedback.strip():
        raise ValidationError({"feedback": "请填写办理结果。"})
    circulation.state, circulation.feedback = CirculationState.DONE, feedback
    circulation.feedback_on, circulation.handled_by, circulation.acting_for = timezone.localdate(), staff, acting_for
    circulation._history_user = user
    circulation.save()
    if circulation.incoming_id:
        from .incoming import close_if_answered

        close_if_answered(circulation.incoming, user)
    return circulation


@transaction.atomic
def circulation_delay(*, circulation: Circulation, user, reason: str, expected_on: datetime.date) -> Circulation:
    """When it cannot be finished in three days: the reason and an expected date, before or after the due date."""
    staff, acting_for = _check_recipient(circulation, user)
    if circulation.state == CirculationState.DONE:
        raise ValidationError("该文件已反馈办理结果。")
    if not reason.strip():
        raise ValidationError({"delay_reason": "请写明未能按期办结的原因。"})
    if expected_on < timezone.localdate():
        raise ValidationError({"expected_on": "预计办结日期不能早于今天。"})
    circulation.state, circulation.delay_reason, circulation.expected_on = CirculationState.DELAYED, reason, expected_on
    circulation.handled_by, circulation.acting_for = staff, acting_for
    circulation._history_user = user
    circulation.save()
    return circulation


@transaction.atomic
def sweep_circulation(today: datetime.date | None = None) -> int:
    """Open an accountability record for every overdue recipient (S3.6-d); idempotent."""
    from staffing.models import Violation
    from staffing.services import accountability_open

    from ..selectors import overdue_circulations, title_for

    opened = 0
    for circulation in overdue_circulations(today):
        _, created = accountability_open(
            violation=Violation.OVERDUE_DOCUMENT, source=circulation, department=circulation.department,
            responsible=circulation.staff,
            # The record is read outside the document's scope: a secret title is not copied (S3.6-b).
            description=f"文件「{title_for(None, circulation.subject)}」{circulation.due_date}到期,逾期未反馈办理结果。",
        )
        opened += created
    return opened
