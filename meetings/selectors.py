"""Reads of meetings: the cadence compliance report (S4) and attendance statistics (S3.9)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from .models import Attendance, AttendanceStatus, CadencePeriod, Meeting, MeetingStatus, MeetingType


def period_start(day: datetime.date, period: str) -> datetime.date:
    if period == CadencePeriod.WEEK:
        return day - datetime.timedelta(days=day.weekday())
    if period == CadencePeriod.MONTH:
        return day.replace(day=1)
    if period == CadencePeriod.QUARTER:
        return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return datetime.date(day.year, 1 if day.month <= 6 else 7, 1)


def next_period(start: datetime.date, period: str) -> datetime.date:
    if period == CadencePeriod.WEEK:
        return start + datetime.timedelta(days=7)
    months = {CadencePeriod.MONTH: 1, CadencePeriod.QUARTER: 3, CadencePeriod.HALF_YEAR: 6}[period]
    month = start.month - 1 + months
    return datetime.date(start.year + month // 12, month % 12 + 1, 1)


def period_label(start: datetime.date, period: str) -> str:
    if period == CadencePeriod.WEEK:
        end = start + datetime.timedelta(days=6)
        return f"{start:%Y-%m-%d}至{end:%m-%d}当周"
    if period == CadencePeriod.MONTH:
        return f"{start.year}年{start.month}月"
    if period == CadencePeriod.QUARTER:
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    return f"{start.year}年{'上' if start.month == 1 else '下'}半年"


@dataclass
class PeriodCompliance:
    label: str
    start: datetime.date
    due: int
    held: int
    without_quorum: list = field(default_factory=list)

    @property
    def missed(self) -> int:
        return max(self.due - self.held, 0)


def compliance_report(meeting_type: MeetingType, start: datetime.date, end: datetime.date) -> list[PeriodCompliance]:
    """Per cadence period overlapping [start, end]: meetings due, held, and held without quorum."""
    from .services import quorum_shortfall

    period = meeting_type.cadence_period
    first = period_start(start, period)
    tz = timezone.get_current_timezone()
    meetings = list(
        Meeting.objects.filter(
            meeting_type=meeting_type, status=MeetingStatus.HELD,
            starts_at__gte=datetime.datetime.combine(first, datetime.time.min, tz),
            starts_at__lt=datetime.datetime.combine(next_period(period_start(end, period), period), datetime.time.min, tz),
        ).order_by("starts_at")
    )
    rows, cursor = [], first
    while cursor <= end:
        following = next_period(cursor, period)
        held = [m for m in meetings if cursor <= timezone.localtime(m.starts_at).date() < following]
        rows.append(
            PeriodCompliance(
                label=period_label(cursor, period), start=cursor, due=meeting_type.cadence_min_count, held=len(held),
                without_quorum=[m for m in held if quorum_shortfall(m)],
            )
        )
        cursor = following
    return rows


def attendance_statistics(start: datetime.date, end: datetime.date, by: str = "staff__department__name"):
    """S3.9: attendance of held meetings by department (or by person with by='staff__name')."""
    tz = timezone.get_current_timezone()
    return (
        Attendance.objects.filter(
            meeting__status=MeetingStatus.HELD,
            meeting__starts_at__gte=datetime.datetime.combine(start, datetime.time.min, tz),
            meeting__starts_at__lt=datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tz),
        )
        .values(by)
        .annotate(
            total=Count("pk"),
            present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
            on_leave=Count("pk", filter=Q(status=AttendanceStatus.ON_LEAVE)),
            absent=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
        )
        .order_by(by)
    )
