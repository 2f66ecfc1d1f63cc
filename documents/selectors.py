"""Reads of documents: secrecy scope (S3.6-b), overdue circulation (S3.6-d), late reports, supervision."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Circulation, CirculationState, Document, ReportObligation, Secrecy, SupervisionItem, SupervisionStatus


def documents_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Normal documents for every reader; a secret one only inside its distribution scope.

    Nobody outside the scope — inspectors and administrators included — lists, opens, exports or
    prints it. The drafter and the signer are inside by their work.
    """
    queryset = Document.objects.all() if queryset is None else queryset
    staff = getattr(user, "staff", None) if user.is_authenticated else None
    if staff is None:
        return queryset.filter(secrecy=Secrecy.NORMAL)
    return queryset.filter(
        Q(secrecy=Secrecy.NORMAL)
        | Q(scope_staff_links__staff=staff)
        | Q(scope_department_links__department_id=staff.department_id)
        | Q(drafter=staff)
        | Q(signed_by=staff)
    ).distinct()


def document_visible_to(user, document_id) -> bool:
    return documents_visible_to(user, Document.objects.filter(pk=document_id)).exists()


def overdue_circulations(today: datetime.date | None = None) -> QuerySet:
    """Recipients past the due date with no feedback, and no delay reason still within its expected date."""
    today = today or timezone.localdate()
    return (
        Circulation.objects.exclude(state=CirculationState.DONE)
        .filter(due_date__lt=today)
        .exclude(state=CirculationState.DELAYED, expected_on__gte=today)
        .select_related("document", "department", "staff")
    )


def late_reports(today: datetime.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return ReportObligation.objects.filter(submitted_on__isnull=True, due_date__lt=today).select_related("department")


def supervision_overdue(today: datetime.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return SupervisionItem.objects.filter(deadline__lt=today).exclude(
        status__in=[SupervisionStatus.FEEDBACK, SupervisionStatus.LEADER_REVIEW, SupervisionStatus.ARCHIVED]
    )
