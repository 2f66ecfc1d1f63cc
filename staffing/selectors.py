"""Reads of the staffing app: who may see what, posts without a B holder."""

import calendar as pycalendar
import datetime

from django.db.models import Count, QuerySet

from . import roles
from .models import CalendarDay, DayKind, Post
from .working_days import (  # noqa: F401  (read through selectors too)
    WorkCalendar,
    calendar_missing_holidays,
    calendar_years_missing,
    statutory_holidays,
)


def user_role_names(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def user_sees_all_departments(user) -> bool:
    """Center-wide roles (and superusers) see every department; the rest see only their own."""
    return user.is_superuser or bool(user_role_names(user) & set(roles.CENTER_WIDE_ROLES))


def user_department_id(user) -> int | None:
    staff = getattr(user, "staff", None) if user.is_authenticated else None
    return staff.department_id if staff else None


def user_department_ids(user) -> set[int]:
    """The departments a scoped user acts for: their own, and for a leader in charge those in their charge."""
    staff = getattr(user, "staff", None) if user.is_authenticated else None
    if staff is None:
        return set()
    cached = getattr(user, "_department_ids", None)
    if cached is None:
        cached = {staff.department_id}
        if roles.LEADER_IN_CHARGE in user_role_names(user):
            cached |= set(staff.departments_in_charge.values_list("pk", flat=True))
        user._department_ids = cached
    return cached


def scope_to_department(queryset: QuerySet, user, department_path: str = "department") -> QuerySet:
    """Row-level scoping used by every app: staff see their own department's records only."""
    if user_sees_all_departments(user):
        return queryset
    return queryset.filter(**{f"{department_path}__in": user_department_ids(user)})


def user_acts_for_department(user, department_id: int) -> bool:
    return user_sees_all_departments(user) or department_id in user_department_ids(user)


def posts_with_substitute_count(queryset: QuerySet | None = None) -> QuerySet:
    queryset = Post.objects.all() if queryset is None else queryset
    return queryset.annotate(substitute_count=Count("substitutes"))


def posts_without_substitute(queryset: QuerySet | None = None) -> QuerySet:
    """S1.9-a: posts that no B holder can take over."""
    return posts_with_substitute_count(queryset).filter(substitute_count=0)


def calendar_warning(year: int, missing_holidays: list[str]) -> str:
    """What the index and the year view say about a year whose statutory holidays are not all entered."""
    if len(missing_holidays) == len(statutory_holidays(year)):
        return (
            f"{year}年工作日历尚未录入法定节假日和调休上班日:该年的期限暂按周一至周五计算,可能有误。"
            "请在「工作日历」中录入或导入国务院办公厅公布的安排。"
        )
    return (
        f"{year}年工作日历尚缺以下法定节假日:{'、'.join(missing_holidays)}。这些节日前后的期限暂按周一至周五计算,"
        "可能有误。请补录国务院办公厅公布的放假和调休安排。"
    )


def year_grid(year: int) -> list[dict]:
    """Twelve months as week rows of (date, is_working, entry) for the year view; None pads the weeks."""
    calendar = WorkCalendar()
    entries = {day.date: day for day in CalendarDay.objects.filter(date__year=year)}
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append(
                [
                    {"date": day, "working": calendar.is_working_day(day), "entry": entries.get(day)}
                    if day.month == month
                    else None
                    for day in week
                ]
            )
        months.append({"month": month, "weeks": weeks})
    return months


def year_summary(year: int) -> dict:
    calendar = WorkCalendar()
    start = datetime.date(year, 1, 1)
    end = datetime.date(year, 12, 31)
    return {
        "working_days": calendar.working_days_between(start - datetime.timedelta(days=1), end),
        "holidays": CalendarDay.objects.filter(date__year=year, kind=DayKind.HOLIDAY).count(),
        "make_up_workdays": CalendarDay.objects.filter(date__year=year, kind=DayKind.WORKDAY).count(),
    }


# --- Attendance (S1.10-a) -------------------------------------------------------------------------

ATTENDANCE_LABELS = {
    "normal": "正常",
    "late": "迟到",
    "early": "早退",
    "late_early": "迟到、早退",
    "missing": "缺卡",
    "leave": "请假",
    "official": "公出",
    "rest": "休息",
}


def half_day_status(*, day, half, punches, away_periods, is_working_day, hours) -> str:
    """What one half day was: rest, leave, official absence, missing punch, late, early or normal.

    `punches`: aware datetimes of that staff member on `day`; `away_periods`: (status, start, end) of
    their whereabouts entries. Punches before the midpoint of the lunch break belong to the morning.
    """
    from django.utils import timezone

    from .models import HalfDay, WhereaboutsStatus

    if not is_working_day:
        return "rest"
    start_time, end_time = (
        (hours.morning_start, hours.morning_end) if half == HalfDay.MORNING else (hours.afternoon_start, hours.afternoon_end)
    )
    start = timezone.make_aware(datetime.datetime.combine(day, start_time))
    end = timezone.make_aware(datetime.datetime.combine(day, end_time))
    for status, away_start, away_end in away_periods:
        if away_start < end and away_end > start:
            return "leave" if status == WhereaboutsStatus.LEAVE else "official"
    lunch_mid = datetime.datetime.combine(day, hours.morning_end) + (
        datetime.datetime.combine(day, hours.afternoon_start) - datetime.datetime.combine(day, hours.morning_end)
    ) / 2
    boundary = timezone.make_aware(lunch_mid)
    mine = sorted(p for p in punches if (p < boundary) == (half == HalfDay.MORNING))
    if len(mine) < 2:
        return "missing"
    late, early = mine[0] > start, mine[-1] < end
    if late and early:
        return "late_early"
    return "late" if late else "early" if early else "normal"


def attendance_sheet(department, year: int, month: int) -> dict:
    """A month of half-day statuses for every active staff member of `department`, in a few queries."""
    from django.utils import timezone

    from .models import ClockPunch, HalfDay, Staff, Whereabouts, WorkingHours

    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, pycalendar.monthrange(year, month)[1])
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    staff = list(Staff.objects.filter(department=department, is_active=True).order_by("badge_no"))
    window_start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    window_end = timezone.make_aware(datetime.datetime.combine(last, datetime.time.max))
    punches: dict[tuple[int, datetime.date], list] = {}
    for staff_id, at in ClockPunch.objects.filter(
        staff__in=staff, punched_at__range=(window_start, window_end)
    ).values_list("staff_id", "punched_at"):
        punches.setdefault((staff_id, timezone.localtime(at).date()), []).append(at)
    away: dict[int, list] = {}
    for entry in Whereabouts.objects.filter(staff__in=staff, starts_at__lte=window_end, returns_at__gte=window_start):
        end = min(entry.returns_at, entry.ended_at) if entry.ended_at else entry.returns_at
        away.setdefault(entry.staff_id, []).append((entry.status, entry.starts_at, end))
    calendar, hours = WorkCalendar(), WorkingHours.load()
    working = {day: calendar.is_working_day(day) for day in days}
    rows = []
    for person in staff:
        cells, totals = [], {key: 0 for key in ATTENDANCE_LABELS}
        for day in days:
            pair = []
            for half in (HalfDay.MORNING, HalfDay.AFTERNOON):
                status = half_day_status(
                    day=day, half=half, punches=punches.get((person.pk, day), []),
                    away_periods=away.get(person.pk, []), is_working_day=working[day], hours=hours,
                )
                totals[status] += 1
                pair.append(status)
            cells.append(pair)
        rows.append({"staff": person, "cells": cells, "totals": totals})
    return {"days": days, "rows": rows, "labels": ATTENDANCE_LABELS, "working": working}


# --- Whereabouts board (工作人员管理一览表, S1.10-b, S1.9-c, S5.4) -----------------------------------


def window_sort_key(window) -> tuple:
    """Window numbers in counting order: "2" before "10"; numbers that are not digits after them."""
    number = window.number.strip()
    return (0, int(number), "") if number.isdigit() else (1, 0, number)


def neighbouring_window(window, windows: list, staffed_ids: set[int]):
    """The window to send applicants to while `window` is unattended (去向告知牌).

    The next window of the same department, else the next window overall, wrapping round; among
    those, the first that has someone at their post, else simply the first.
    """
    ordered = sorted((w for w in windows if w.pk != window.pk), key=window_sort_key)
    key = window_sort_key(window)
    after = [w for w in ordered if window_sort_key(w) > key]
    before = [w for w in ordered if window_sort_key(w) <= key]
    same = [w for w in after + before if w.department_id == window.department_id]
    other = [w for w in after + before if w.department_id != window.department_id]
    candidates = same + other
    staffed = [w for w in candidates if w.pk in staffed_ids]
    return (staffed or candidates or [None])[0]


def whereabouts_board(at: datetime.datetime | None = None) -> list[dict]:
    """Every active staff member by department and window, with the whereabouts entry in force (None: 在岗).

    Three queries whatever the size of the center: the staff, their entries in force, the windows.
    Each window group says whether everyone there is away and, if so, which window to send people to.
    """
    from .models import Staff, Window
    from .services import presence

    staff = list(
        Staff.objects.filter(is_active=True)
        .select_related("department", "window")
        .order_by("department__kind", "department__sort_order", "department__name", "badge_no")
    )
    entries = presence.current_whereabouts([person.pk for person in staff], at)
    windows = list(Window.objects.filter(is_active=True).select_related("department"))
    staffed_ids = {person.window_id for person in staff if person.window_id and person.pk not in entries}

    departments: dict[int, dict] = {}
    for person in staff:
        department = departments.setdefault(
            person.department_id, {"department": person.department, "groups": {}}
        )
        group = department["groups"].setdefault(person.window_id, {"window": person.window, "rows": []})
        group["rows"].append({"staff": person, "entry": entries.get(person.pk)})
    board = []
    for department in departments.values():
        groups = sorted(
            department["groups"].values(),
            key=lambda g: (g["window"] is None, window_sort_key(g["window"]) if g["window"] else ()),
        )
        for group in groups:
            window = group["window"]
            group["all_away"] = window is not None and all(row["entry"] for row in group["rows"])
            group["neighbour"] = neighbouring_window(window, windows, staffed_ids) if group["all_away"] else None
        away = sum(1 for group in groups for row in group["rows"] if row["entry"])
        total = sum(len(group["rows"]) for group in groups)
        board.append({"department": department["department"], "groups": groups, "total": total, "away": away})
    return board


def board_window(board: list[dict], window_id: int) -> dict | None:
    for department in board:
        for group in department["groups"]:
            if group["window"] is not None and group["window"].pk == window_id:
                return group
    return None


# --- 待我办理 (project.inbox) ----------------------------------------------------------------------


def approval_waiting_kind(model, label: str, key: str):
    """A request model decided by approval chains: the steps of its chains pending with the user."""
    from django.contrib.contenttypes.models import ContentType

    from project.inbox import WaitingKind

    from .services.approvals import approvals_waiting_for

    meta = model._meta
    return WaitingKind(
        key=key,
        label=label,
        permission="staffing.change_approval",
        records=lambda user, staff: approvals_waiting_for(staff).filter(content_type=ContentType.objects.get_for_model(model)),
        url_name=f"admin:{meta.app_label}_{meta.model_name}_changelist",
        query="awaiting=me",
    )


def _accountability_to_decide(user, staff):
    """Open accountability records, for whoever decides them (the office, center-wide; a scoped
    decider: their own departments')."""
    from .models import AccountabilityRecord, AccountabilityStatus

    return scope_to_department(AccountabilityRecord.objects.filter(status=AccountabilityStatus.OPEN), user)


def _waiting():
    from project.inbox import WaitingKind

    from .models import AccountabilityStatus, LeaveRequest, OvertimeRequest

    return [
        approval_waiting_kind(LeaveRequest, "请假申请待审批", "staffing.leave_approval"),
        approval_waiting_kind(OvertimeRequest, "加班申请待审批", "staffing.overtime_approval"),
        WaitingKind(
            key="staffing.accountability_decide",
            label="责任追究待处理",
            permission="staffing.change_accountabilityrecord",
            records=_accountability_to_decide,
            url_name="admin:staffing_accountabilityrecord_changelist",
            query=f"status__exact={AccountabilityStatus.OPEN}",
        ),
    ]


WAITING = _waiting()
