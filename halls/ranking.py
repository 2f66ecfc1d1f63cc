"""The unified monthly assessment of halls (统一考核, S1.1-f): measured figures per hall and month, a
weighted score (weights: HallSettings) and the ranking. A fixed number of grouped queries, whatever the
number of halls.

Halls sit below casework and ratings (a case records its hall), so the figures of cases, complaints and
ratings are read through the app registry, as a report over the apps above, never imported at load time.
"""

import calendar
import dataclasses
import datetime
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from .models import Hall, HallMonthFigures, HallSettings, InspectionFinding

HUNDRED = Decimal(100)


def month_span(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def hall_case_figures(month: datetime.date) -> dict[int, dict]:
    """Cases per hall in the month, in one grouped query: completed, completed on time, overdue (completed
    late in the month, or still running past a committed due date that fell in the month).

    Reads Case directly (index case_completed_hall); it can switch to the casework rollups once they carry
    the hall dimension."""
    from casework.models.case import RUNNING

    Case = apps.get_model("casework", "Case")
    first, last = month_span(month)
    completed = Q(completed_on__range=(first, last))
    late_running = RUNNING & Q(committed_due_date__range=(first, last))
    rows = (
        Case.objects.filter(completed | late_running)
        .values("hall_id")
        .annotate(
            completed=Count("pk", filter=completed),
            on_time=Count("pk", filter=completed & Q(overdue=False)),
            overdue=Count("pk", filter=(completed & Q(overdue=True)) | late_running),
        )
        .order_by()
    )
    return {row.pop("hall_id"): row for row in rows}


def hall_complaints_upheld(month: datetime.date) -> dict[int, int]:
    Complaint = apps.get_model("casework", "Complaint")
    rows = (
        Complaint.objects.filter(received_on__range=month_span(month), upheld=True)
        .annotate(hall_id=Coalesce("case__hall_id", "window__hall_id"))
        .exclude(hall_id=None)
        .values("hall_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["hall_id"]: row["n"] for row in rows}


def hall_bad_ratings(month: datetime.date) -> dict[int, int]:
    from ratings.models import BAD_LEVELS

    Rating = apps.get_model("ratings", "Rating")
    rows = (
        Rating.objects.filter(rated_on__range=month_span(month), level__in=BAD_LEVELS, excluded=False)
        .values(hall_id=F("case__hall_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["hall_id"]: row["n"] for row in rows}


def hall_findings(month: datetime.date) -> dict[int, dict]:
    """Findings of the inspections made in the month, and how many were rectified by their due date."""
    rows = (
        InspectionFinding.objects.filter(inspection__date__range=month_span(month), inspection__status__in=["issued", "done"])
        .values(hall_id=F("inspection__hall_id"))
        .annotate(
            findings=Count("pk"),
            rectified_in_time=Count("pk", filter=Q(rectified_on__lte=F("due_date"))),
        )
        .order_by()
    )
    return {row.pop("hall_id"): row for row in rows}


@dataclasses.dataclass
class HallScore:
    hall: Hall
    completed: int = 0
    on_time: int = 0
    overdue: int = 0
    complaints: int = 0
    bad_ratings: int = 0
    findings: int = 0
    rectified_in_time: int = 0
    imported: bool = False  # figures from the township import, not from the system
    score: Decimal = Decimal(0)
    rank: int = 0

    @property
    def measured(self) -> bool:
        """Something of the hall was measured this month. A hall with nothing measured (a township center
        whose figures are not imported yet, a hall that completed nothing) is not ranked: it would score 100."""
        return bool(self.imported or self.completed or self.overdue or self.complaints or self.bad_ratings or self.findings)

    @property
    def on_time_rate(self) -> Decimal | None:
        return (HUNDRED * self.on_time / self.completed).quantize(Decimal("0.1")) if self.completed else None

    @property
    def rectified_rate(self) -> Decimal | None:
        return (HUNDRED * self.rectified_in_time / self.findings).quantize(Decimal("0.1")) if self.findings else None


def score(row: HallScore, weights: HallSettings) -> Decimal:
    """A month without completed cases (or without findings) counts as 100% on that figure."""
    on_time = row.on_time_rate if row.on_time_rate is not None else HUNDRED
    rectified = row.rectified_rate if row.rectified_rate is not None else HUNDRED
    total = (
        weights.on_time_weight * on_time / HUNDRED
        + weights.rectify_weight * rectified / HUNDRED
        - weights.overdue_penalty * row.overdue
        - weights.complaint_penalty * row.complaints
        - weights.bad_rating_penalty * row.bad_ratings
        - weights.finding_penalty * row.findings
    )
    return total.quantize(Decimal("0.01"))


def hall_ranking(month: datetime.date) -> list[HallScore]:
    """Every active hall's figures and score for the month, best first (ties share a rank); halls with
    nothing measured come last, unranked (rank 0, shown as 无数据)."""
    weights = HallSettings.load()
    cases, complaints, bad = hall_case_figures(month), hall_complaints_upheld(month), hall_bad_ratings(month)
    findings = hall_findings(month)
    imported = {f.hall_id: f for f in HallMonthFigures.objects.filter(month=month.replace(day=1))}
    rows = []
    for hall in Hall.objects.filter(is_active=True):
        row = HallScore(hall=hall, complaints=complaints.get(hall.pk, 0), bad_ratings=bad.get(hall.pk, 0))
        if not hall.uses_system and hall.pk in imported:
            figures = imported[hall.pk]
            row.completed, row.on_time, row.overdue, row.imported = (
                figures.completed, figures.completed_on_time, figures.overdue, True
            )
        else:
            case_row = cases.get(hall.pk, {})
            row.completed, row.on_time, row.overdue = (case_row.get(k, 0) for k in ("completed", "on_time", "overdue"))
        finding_row = findings.get(hall.pk, {})
        row.findings, row.rectified_in_time = finding_row.get("findings", 0), finding_row.get("rectified_in_time", 0)
        row.score = score(row, weights)
        rows.append(row)
    ranked = sorted((r for r in rows if r.measured), key=lambda r: (-r.score, r.hall.sort_order, r.hall.name))
    for index, row in enumerate(ranked):
        row.rank = ranked[index - 1].rank if index and ranked[index - 1].score == row.score else index + 1
    return ranked + sorted((r for r in rows if not r.measured), key=lambda r: (r.hall.sort_order, r.hall.name))
