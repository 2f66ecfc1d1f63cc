"""Reads of the staffing app: who may see what, posts without a B holder."""

import calendar as pycalendar
import datetime

from django.db.models import Count, QuerySet

from . import roles
from .models import CalendarDay, DayKind, Post
from .working_days import WorkCalendar, calendar_years_missing  # noqa: F401  (read through selectors too)


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
