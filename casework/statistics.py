"""Statistics (S1.1-d) and assessment facts (S1.1-c): aggregate queries whose count does not grow
with the number of cases."""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from .models import Case, CaseStatus, Complaint, Refusal, RefusalStatus

GROUPINGS = {
    "department": ("department__name", "部门"),
    "window": ("window__number", "窗口"),
    "item": ("item__name", "事项"),
    "month": ("month", "月份"),
}
COMPLETED = [CaseStatus.APPROVED, CaseStatus.DISAPPROVED, CaseStatus.DELIVERED]


def case_statistics(start: datetime.date, end: datetime.date, by: str = "department", department_ids=None) -> list[dict]:
    """Received, accepted, completed, on time, overdue, refused per group, for cases received in [start, end]."""
    field, _ = GROUPINGS[by]
    cases = Case.objects.filter(received_on__range=(start, end))
    if department_ids is not None:
        cases = cases.filter(department_id__in=department_ids)
    if by == "month":
        cases = cases.annotate(month=TruncMonth("received_on"))
    rows = {
        row[field]: row
        for row in cases.values(field).annotate(
            received=Count("pk"),
            accepted=Count("pk", filter=Q(accepted_on__isnull=False)),
            completed=Count("pk", filter=Q(completed_on__isnull=False)),
            on_time=Count("pk", filter=Q(completed_on__isnull=False, overdue=False)),
            overdue=Count("pk", filter=Q(overdue=True)),
            refused=Count("pk", filter=Q(status=CaseStatus.NOT_ACCEPTED) | Q(status=CaseStatus.DISAPPROVED)),
        )
    }
    refusals = Refusal.objects.filter(case__in=cases.values("pk"), status=RefusalStatus.OVERTURNED)
    complaint_field = {"department": "department__name", "window": "window__number", "item": "case__item__name", "month": "month"}[by]
    complaints = Complaint.objects.filter(received_on__range=(start, end))
    if department_ids is not None:
        complaints = complaints.filter(department_id__in=department_ids)
    if by == "month":
        complaints = complaints.annotate(month=TruncMonth("received_on"))
        refusal_counts = refusals.annotate(month=TruncMonth("case__received_on")).values("month")
        refusal_key = "month"
    else:
        refusal_key = f"case__{field}"
        refusal_counts = refusals.values(refusal_key)
    overturned = {row[refusal_key]: row["n"] for row in refusal_counts.annotate(n=Count("pk"))}
    complaint_rows = {
        row[complaint_field]: row
        for row in complaints.values(complaint_field).annotate(
            complaints=Count("pk"), upheld=Count("pk", filter=Q(upheld=True))
        )
    }
    keys = sorted(set(rows) | set(complaint_rows), key=lambda k: (k is None, str(k)))
    result = []
    for key in keys:
        row = rows.get(key, {"received": 0, "accepted": 0, "completed": 0, "on_time": 0, "overdue": 0, "refused": 0})
        complaint = complaint_rows.get(key, {"complaints": 0, "upheld": 0})
        completed = row["completed"]
        result.append(
            {
                "key": key,
                "received": row["received"],
                "accepted": row["accepted"],
                "completed": completed,
                "on_time": row["on_time"],
                "overdue": row["overdue"],
                "refused": row["refused"],
                "overturned": overturned.get(key, 0),
                "complaints": complaint["complaints"],
                "upheld": complaint["upheld"],
                "on_time_rate": round(100 * row["on_time"] / completed, 1) if completed else None,
            }
        )
    return result


def staff_month_facts(staff, year: int, month: int) -> dict:
    """The measured facts of one staff member's month for the assessment sheet."""
    from staffing.models import AccountabilityRecord

    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    in_month = Q(completed_on__gte=first, completed_on__lt=following)
    cases = Case.objects.filter(in_month, handler=staff).aggregate(
        handled=Count("pk"), on_time=Count("pk", filter=Q(overdue=False))
    )
    return {
        "cases_handled": cases["handled"],
        "cases_on_time": cases["on_time"],
        "complaints_upheld": Complaint.objects.filter(staff=staff, upheld=True, received_on__gte=first, received_on__lt=following).count(),
        "refusals_overturned": Refusal.objects.filter(
            refused_by=staff, status=RefusalStatus.OVERTURNED, refused_at__date__gte=first, refused_at__date__lt=following
        ).count(),
        "accountability_records": AccountabilityRecord.objects.filter(
            responsible=staff, opened_on__gte=first, opened_on__lt=following
        ).count(),
    }


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def monthly_trend(last_month: datetime.date, months: int = 12, department_ids=None) -> list[dict]:
    """Intake and on-time rate of the `months` months up to `last_month`'s, in one aggregate query.

    The rate is that of case_statistics: among the cases received in the month and completed, those
    completed on time. Months without cases are listed with zeros.
    """
    first = add_months(last_month, -(months - 1))
    following = add_months(last_month, 1)
    cases = Case.objects.filter(received_on__gte=first, received_on__lt=following)
    if department_ids is not None:
        cases = cases.filter(department_id__in=department_ids)
    rows = {
        (row["month"].year, row["month"].month): row
        for row in cases.annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(
            received=Count("pk"),
            completed=Count("pk", filter=Q(completed_on__isnull=False)),
            on_time=Count("pk", filter=Q(completed_on__isnull=False, overdue=False)),
        )
    }
    trend = []
    for n in range(months):
        month = add_months(first, n)
        row = rows.get((month.year, month.month), {"received": 0, "completed": 0, "on_time": 0})
        completed = row["completed"]
        trend.append(
            {
                "month": month,
                "received": row["received"],
                "completed": completed,
                "on_time": row["on_time"],
                "on_time_rate": round(100 * row["on_time"] / completed, 1) if completed else None,
            }
        )
    return trend
