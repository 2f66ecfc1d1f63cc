"""Report obligations (S2.4-b, S3.3, S3.5): opened, generated on the work calendar, submitted."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from staffing.models import Department, DepartmentKind
from staffing.working_days import add_working_days

from ..models import DocumentsSettings, ReportObligation


@transaction.atomic
def report_obligation_open(*, department, title: str, due_date, source=None, user=None) -> ReportObligation:
    """Open (once) the obligation of `department` to hand in `title` by `due_date` for `source`."""
    source_type = ContentType.objects.get_for_model(source) if source is not None else None
    obligation, _ = ReportObligation.objects.get_or_create(
        department=department,
        title=title,
        source_type=source_type,
        source_id=source.pk if source is not None else None,
        defaults={"due_date": due_date},
    )
    return obligation


@transaction.atomic
def report_obligation_submit(
    *, obligation: ReportObligation, submitted_on, user=None, note: str = "", file=None
) -> ReportObligation:
    if obligation.submitted_on:
        raise ValidationError(f"「{obligation.title}」已于{obligation.submitted_on}报送。")
    obligation.submitted_on, obligation.note = submitted_on, note
    if file is not None:
        obligation.file = file
    obligation._history_user = user
    obligation.save()
    return obligation


def _last_working_day_of_month(year: int, month: int):
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return add_working_days(first_of_next, -1)


@transaction.atomic
def report_obligations_generate(*, year: int, user=None) -> int:
    """S2.4-b, S3.3: the year's report obligations on the work calendar; running it again adds nothing.

    Sections: a quarterly self-check on the annual targets, due five working days (a setting) before
    quarter end, and a monthly report on key work, due by the last working day of the month. Every
    department: next month's plan and this month's summary, due by the last working day of the month.
    """
    before_end = DocumentsSettings.load().quarterly_report_working_days_before_end
    created = 0
    departments = list(Department.objects.filter(is_active=True))
    for department in departments:
        wanted = []
        if department.kind == DepartmentKind.SECTION:
            for quarter in range(1, 5):
                quarter_end = datetime.date(year, 3 * quarter, 1)
                quarter_end = _last_day(quarter_end)
                wanted.append(("季度自查", f"{year}年第{quarter}季度年度目标自查报告", add_working_days(quarter_end, -before_end)))
            for month in range(1, 13):
                wanted.append(("月度重点工作", f"{year}年{month}月重点工作情况报告", _last_working_day_of_month(year, month)))
        for month in range(1, 13):
            wanted.append(("月度计划总结", f"{year}年{month}月工作总结及下月计划", _last_working_day_of_month(year, month)))
        for kind, title, due in wanted:
            _, was_created = ReportObligation.objects.get_or_create(
                department=department, title=title, source_type=None, source_id=None, defaults={"due_date": due, "kind": kind}
            )
            created += was_created
    return created


def _last_day(first_of_month: datetime.date) -> datetime.date:
    following = datetime.date(first_of_month.year + first_of_month.month // 12, first_of_month.month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)
