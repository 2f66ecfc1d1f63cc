"""Statistics (S1.1-d) and assessment facts (S1.1-c): aggregate queries whose count does not grow
with the number of cases."""

import datetime

from django.db.models import Count, Q, Sum

from .models import Case, CaseDayItemStatistics, CaseDayStatistics, CaseMonthStatistics, CaseStatus, Complaint, ComplaintKind, Refusal, RefusalStatus

CASE_FIGURES = ("received", "accepted", "completed", "on_time", "overdue", "refused")

GROUPINGS = {
    "department": ("department__name", "部门"),
    "window": ("window__number", "窗口"),
    "hall": ("hall__name", "服务场所"),
    "item": ("item__name", "事项"),
    "month": ("month", "月份"),
}
COMPLETED = [CaseStatus.APPROVED, CaseStatus.DISAPPROVED, CaseStatus.DELIVERED]


def case_statistics(
    start: datetime.date, end: datetime.date, by: str = "department", department_ids=None, hall_ids=None
) -> list[dict]:
    """Received, accepted, completed, on time, overdue, refused per group, for cases received in [start, end].

    The case figures come from the rollups (casework.rollup), never from the cases: by department, window
    or month the period's whole months from the month rollup and its partial months from the day
    rollup, so the rows read are bounded by windows × days of a month, however many cases there are;
    by item the day-and-item rollup. `department_ids`, `hall_ids`: None for all, else the ones counted
    (a complaint counts for the hall of its window)."""
    # Bidding complaints (S1.1-g) are about bidding events, not cases: they count in 招投标监督统计.
    complaints = Complaint.objects.filter(received_on__range=(start, end), kind=ComplaintKind.GENERAL)
    refusals = Refusal.objects.filter(case__received_on__range=(start, end), status=RefusalStatus.OVERTURNED)
    if department_ids is not None:
        complaints = complaints.filter(department_id__in=department_ids)
        refusals = refusals.filter(case__department_id__in=department_ids)
    if hall_ids is not None:
        complaints = complaints.filter(window__hall_id__in=hall_ids)
        refusals = refusals.filter(case__hall_id__in=hall_ids)
    rollup_field, complaint_field, refusal_field = {
        "department": ("department__name", "department__name", "case__department__name"),
        "window": ("window__number", "window__number", "case__window__number"),
        "hall": ("hall__name", "window__hall__name", "case__hall__name"),
        "item": ("item__name", "case__item__name", "case__item__name"),
        "month": ("day", "received_on", "case__received_on"),  # per day, folded into months below
    }[by]
    group = fold_months if by == "month" else keyed
    rows = {}
    for rollup, first, last in rollup_periods(start, end, by):
        days = rollup.objects.filter(day__range=(first, last), received__gt=0)
        if department_ids is not None:
            days = days.filter(department_id__in=department_ids)
        if hall_ids is not None:
            days = days.filter(hall_id__in=hall_ids)
        add_rows(rows, group(days.values(rollup_field).order_by().annotate(**{name: Sum(name) for name in CASE_FIGURES}), rollup_field))
    complaint_rows = complaints.values(complaint_field).annotate(complaints=Count("pk"), upheld=Count("pk", filter=Q(upheld=True)))
    refusal_rows = refusals.values(refusal_field).annotate(n=Count("pk"))
    complaint_rows = group(complaint_rows, complaint_field)
    overturned = {key: row["n"] for key, row in group(refusal_rows, refusal_field).items()}
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


def rollup_periods(start: datetime.date, end: datetime.date, by: str) -> list[tuple]:
    """(rollup, first day, last day) covering [start, end]: whole months from the month rollup, the
    rest from the day rollup."""
    if by == "item":
        return [(CaseDayItemStatistics, start, end)]
    whole_from = start if start.day == 1 else add_months(start, 1)
    whole_until = add_months(end, 1) if end == add_months(end, 1) - datetime.timedelta(days=1) else end.replace(day=1)
    if whole_from >= whole_until:
        return [(CaseDayStatistics, start, end)]
    periods = [(CaseMonthStatistics, whole_from, whole_until - datetime.timedelta(days=1))]
    if start < whole_from:
        periods.append((CaseDayStatistics, start, whole_from - datetime.timedelta(days=1)))
    if whole_until <= end:
        periods.append((CaseDayStatistics, whole_until, end))
    return periods


def add_rows(total: dict, rows: dict) -> None:
    for key, row in rows.items():
        into = total.setdefault(key, dict.fromkeys(CASE_FIGURES, 0))
        for name in CASE_FIGURES:
            into[name] += row[name] or 0


def keyed(rows, field: str) -> dict:
    return {row[field]: row for row in rows}


def fold_months(rows, day_field: str) -> dict:
    """Rows counted per day, added up per month (keyed by the month's first day).

    The database groups by the day: SQLite has no month function, and Django's TruncMonth there is a
    Python function called for every row (1.6 s for a year of 400,000 cases; 0.15 s this way).
    """
    months = {}
    for row in rows:
        day = row[day_field]
        counts = {name: value for name, value in row.items() if name != day_field}
        total = months.setdefault(datetime.date(day.year, day.month, 1), dict.fromkeys(counts, 0))
        for name, value in counts.items():
            total[name] += value
    return months


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


def monthly_trend(last_month: datetime.date, months: int = 12, department_ids=None, hall_scope=None) -> list[dict]:
    """Intake and on-time rate of the `months` months up to `last_month`'s, in one aggregate query of the month rollup.

    The rate is that of case_statistics: among the cases received in the month and completed, those
    completed on time. Months without cases are listed with zeros.
    """
    first = add_months(last_month, -(months - 1))
    following = add_months(last_month, 1)
    month_rows = CaseMonthStatistics.objects.filter(day__gte=first, day__lt=following, received__gt=0)
    if department_ids is not None:
        month_rows = month_rows.filter(department_id__in=department_ids)
    if hall_scope is not None:  # a condition on the rollup's `hall` (halls.selectors.hall_scope)
        month_rows = month_rows.filter(hall_scope)
    rows = {
        row["day"]: row
        for row in month_rows.values("day").order_by().annotate(received=Sum("received"), completed=Sum("completed"), on_time=Sum("on_time"))
    }
    trend = []
    for n in range(months):
        month = add_months(first, n)
        row = rows.get(month, {"received": 0, "completed": 0, "on_time": 0})
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


def bidding_complaint_figures(start: datetime.date, end: datetime.date, by: str) -> dict:
    """招投标投诉 received in [start, end] per day received or per project type of their event:
    received, upheld, answered, answered by the due date. One aggregate query; registered with
    bidding.selectors.register_complaint_figures (bidding sits below casework and never imports it)."""
    from django.db.models import F

    key = F("received_on") if by == "month" else F("bidding_event__project_type")
    rows = (
        Complaint.objects.filter(kind=ComplaintKind.BIDDING, received_on__range=(start, end))
        .annotate(key=key)
        .values("key")
        .order_by()
        .annotate(
            complaints=Count("pk"),
            complaints_upheld=Count("pk", filter=Q(upheld=True)),
            complaints_closed=Count("pk", filter=Q(replied_on__isnull=False)),
            complaints_on_time=Count("pk", filter=Q(replied_on__isnull=False, replied_on__lte=F("due_date"))),
        )
    )
    return list(rows)
