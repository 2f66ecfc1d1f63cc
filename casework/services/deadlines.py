"""Due dates of cases, counted in working days on the official calendar (S1.4, S5.2, S5.6-b).

Counting starts on the first working day after acceptance (the day of acceptance is day 0).
Working days spent in 补正 after acceptance, and in steps that do not count, stop the clock;
approved extensions add to the committed limit but never carry it past the statutory one.
Everything is derived from stored facts, so recomputing is always safe and repeatable.
"""

from django.db.models import Q

from staffing.working_days import WorkCalendar

from ..models import OPEN_STATUSES, Case, CaseClockPause, ExtensionStatus


def paused_working_days(case: Case, calendar: WorkCalendar) -> int:
    total = 0
    for pause in case.pauses.filter(ended_on__isnull=False):
        total += calendar.working_days_between(pause.started_on, pause.ended_on)
    return total


def approved_extension_days(case: Case) -> int:
    return sum(case.extensions.filter(status=ExtensionStatus.APPROVED).values_list("days", flat=True))


def compute_due_dates(case: Case, calendar: WorkCalendar | None = None) -> dict:
    """The due dates the stored facts of `case` give; nothing is saved."""
    calendar = calendar or WorkCalendar()
    start = case.accepted_on
    if start is None:
        return {"committed_due_date": None, "statutory_due_date": None, "paused_working_days": 0, "extended_working_days": 0}
    paused = paused_working_days(case, calendar)
    extended = approved_extension_days(case)
    committed = statutory = None
    if case.committed_limit_days is not None:
        committed = calendar.add_working_days(start, case.committed_limit_days + extended + paused)
    if case.statutory_limit_days is not None:
        statutory = calendar.add_working_days(start, case.statutory_limit_days + paused)
    return {
        "committed_due_date": committed,
        "statutory_due_date": statutory,
        "paused_working_days": paused,
        "extended_working_days": extended,
    }


def apply_due_dates(case: Case, calendar: WorkCalendar | None = None) -> bool:
    """Set the computed due dates on `case` (unsaved); True when anything changed."""
    values = compute_due_dates(case, calendar)
    changed = any(getattr(case, field) != value for field, value in values.items())
    for field, value in values.items():
        setattr(case, field, value)
    return changed


def open_pause(case: Case, *, reason: str, day) -> CaseClockPause:
    return CaseClockPause.objects.create(case=case, reason=reason, started_on=day)


def close_open_pauses(case: Case, *, day) -> None:
    for pause in case.pauses.filter(ended_on__isnull=True):
        pause.ended_on = day
        pause.save()


def recompute_open_cases_for_calendar(dates: set) -> int:
    """Calendar listener: recompute the open cases whose counting window touches a changed day."""
    earliest = min(dates)
    cases = (
        Case.objects.filter(status__in=OPEN_STATUSES, accepted_on__isnull=False)
        .filter(Q(statutory_due_date__gte=earliest) | Q(committed_due_date__gte=earliest) | Q(statutory_due_date__isnull=True))
        .select_related("department")
    )
    calendar, changed = WorkCalendar(), 0
    for case in cases:
        if apply_due_dates(case, calendar):
            case._change_reason = "工作日历调整,期限重新计算"
            case.save()
            changed += 1
    return changed
