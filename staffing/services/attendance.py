"""Clock punches in, and what each half day of each working day was (S1.10-a, S3.8)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ..models import ClockPunch, PunchSource, Staff


@dataclass
class PunchImportReport:
    created: int = 0
    duplicates: int = 0
    unknown: list = None  # [(row number, badge number)]

    def __post_init__(self):
        self.unknown = self.unknown or []


@transaction.atomic
def punches_import(rows, *, user=None, source: str = PunchSource.CLOCK) -> PunchImportReport:
    """Rows of (row number, badge number, aware datetime). Unknown badges are reported; repeats are harmless."""
    report = PunchImportReport()
    staff_by_badge = {badge.upper(): pk for badge, pk in Staff.objects.values_list("badge_no", "pk")}
    seen, wanted = set(), []
    for row_number, badge, punched_at in rows:
        staff_id = staff_by_badge.get(str(badge).strip().upper())
        if staff_id is None:
            report.unknown.append((row_number, badge))
            continue
        key = (staff_id, punched_at.replace(microsecond=0))
        if key in seen:
            report.duplicates += 1
            continue
        seen.add(key)
        wanted.append(key)
    existing = set(
        ClockPunch.objects.filter(
            staff_id__in={staff_id for staff_id, _ in wanted}, punched_at__in={at for _, at in wanted}
        ).values_list("staff_id", "punched_at")
    )
    for staff_id, punched_at in wanted:
        if (staff_id, punched_at) in existing:
            report.duplicates += 1
            continue
        punch = ClockPunch(staff_id=staff_id, punched_at=punched_at, source=source)
        punch._history_user = user
        punch.save()
        report.created += 1
    return report


def local_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))
