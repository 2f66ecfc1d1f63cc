"""Reads of documents: secrecy scope (S3.6-b), overdue circulation (S3.6-d), late reports, supervision."""

import datetime

from django.db.models import Q, QuerySet, Sum
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


# --- Supplies (S3.7) ----------------------------------------------------------------------------


def stock_valuation():
    """Every supply with its quantity and value on hand (sums of movements) and whether to reorder."""
    from django.db.models import DecimalField, Value
    from django.db.models.functions import Coalesce

    from .models import Supply

    zero = Value(0, output_field=DecimalField(max_digits=12, decimal_places=2))
    return Supply.objects.filter(is_active=True).annotate(
        on_hand=Coalesce(Sum("movements__quantity"), zero), value=Coalesce(Sum("movements__amount"), zero)
    ).order_by("name", "specification")


def supplies_to_reorder():
    from django.db.models import F

    return stock_valuation().filter(on_hand__lte=F("reorder_level"))


def consumption_by_department_and_month(year: int):
    """Stock-out quantities and amounts per department, supply and month of `year`."""
    from django.db.models.functions import ExtractMonth

    from .models import MovementKind, StockMovement

    return (
        StockMovement.objects.filter(kind=MovementKind.OUT, at__year=year)
        .annotate(month=ExtractMonth("at"))
        .values("department__name", "supply__name", "supply__unit", "month")
        .annotate(quantity=-Sum("quantity"), amount=-Sum("amount"))
        .order_by("department__name", "month", "supply__name")
    )


def reimbursement_report():
    """Purchases for finance: reimbursable (stocked in), or blocked with the reason."""
    from .models import Purchase

    rows = []
    for purchase in Purchase.objects.select_related("fund_request__department").order_by("purchased_on", "pk"):
        reasons = []
        if not purchase.stocked_in_at:
            reasons.append("未入库")
        if purchase.over_approved:
            reasons.append("超出审批金额")
        rows.append({"purchase": purchase, "reimbursable": not reasons, "reasons": "、".join(reasons)})
    return rows
