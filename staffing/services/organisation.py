"""Writes of the staffing app: calendar, organisation set-up, posts."""

import datetime

import chinese_calendar
from chinese_calendar.constants import Holiday
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from .. import calendar_hooks
from ..models import CalendarDay, DayKind, Department, Post, Staff, Window

HOLIDAY_NAMES = {holiday.value: holiday.chinese for holiday in Holiday}


def package_calendar_years() -> range:
    """The years that chinese-calendar knows the official holidays of."""
    years = sorted({day.year for day in chinese_calendar.holidays})
    return range(years[0], years[-1] + 1)


def _name_shared_national_day(days: list[CalendarDay]) -> None:
    """The package names a holiday once: when 中秋 falls inside the National Day week (2020), the whole
    week is 国庆节 and the year would seem to lack 中秋节. The official notice says 国庆节、中秋节."""
    by_year: dict[int, list[CalendarDay]] = {}
    for day in days:
        by_year.setdefault(day.date.year, []).append(day)
    for year, entries in by_year.items():
        holidays = [day for day in entries if day.kind == DayKind.HOLIDAY]
        if year >= 2008 and not any("中秋" in day.name for day in holidays):
            for day in holidays:
                if day.name == "国庆节":
                    day.name = "国庆节、中秋节"


@transaction.atomic
def calendar_seed_from_package(*, years=None, user=None) -> int:
    """Add the official holidays and make-up workdays that chinese-calendar knows.

    Days already in the table are left alone: an administrator's correction wins over the package.
    Returns how many days were added.
    """
    wanted_years = set(years or package_calendar_years())
    entries = [(day, DayKind.HOLIDAY, name) for day, name in chinese_calendar.holidays.items()]
    entries += [(day, DayKind.WORKDAY, name) for day, name in chinese_calendar.workdays.items()]
    existing = set(CalendarDay.objects.filter(date__year__in=wanted_years).values_list("date", flat=True))
    new_days = [
        CalendarDay(date=day, kind=kind, name=HOLIDAY_NAMES.get(name, name))
        for day, kind, name in sorted(entries)
        if day.year in wanted_years and day not in existing
    ]
    _name_shared_national_day(new_days)
    bulk_create_with_history(
        new_days, CalendarDay, default_user=user, default_change_reason="由官方节假日数据包导入"
    )
    calendar_hooks.calendar_changed([day.date for day in new_days])
    return len(new_days)


@transaction.atomic
def calendar_day_save(*, day: CalendarDay, user=None) -> CalendarDay:
    """Save one calendar day entered or corrected by an administrator."""
    previous_date = None
    if day.pk:
        previous_date = CalendarDay.objects.filter(pk=day.pk).values_list("date", flat=True).first()
    day.full_clean()
    day.save()
    calendar_hooks.calendar_changed({day.date, previous_date} - {None})
    return day


@transaction.atomic
def calendar_day_delete(*, day: CalendarDay, user=None) -> None:
    changed = day.date
    day.delete()
    calendar_hooks.calendar_changed([changed])


def post_check_substitutes(*, post: Post, substitutes: list) -> None:
    """S1.9-a: a post needs at least one B holder, and the A holder cannot also stand in for himself."""
    if not substitutes:
        raise ValidationError(
            f"岗位「{post.name}」没有B岗责任人:AB岗制度要求每个岗位至少确定一名B岗责任人,并排定顶岗顺序。",
            code="post_without_substitute",
        )
    if post.a_holder_id and any(staff.pk == post.a_holder_id for staff in substitutes):
        raise ValidationError(
            f"「{post.a_holder}」已是该岗位的A岗责任人,不能同时担任B岗。", code="a_holder_as_substitute"
        )


def staff_username(badge_no: str) -> str:
    return badge_no.strip().lower()


def staff_login_check_available(badge_no: str) -> None:
    if get_user_model().objects.filter(username=staff_username(badge_no)).exists():
        raise ValidationError({"badge_no": f"工号「{badge_no}」已有登录账号,不能重复创建。"})


def staff_login_create(*, badge_no: str, name: str, password: str | None = None):
    """The admin login of a staff member: username is the badge number. Without a password given, the
    login has none usable until an administrator sets one (no random secret to hash or hand out)."""
    staff_login_check_available(badge_no)
    User = get_user_model()
    user = User(username=staff_username(badge_no), first_name=name, is_staff=True)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def staff_create(
    *,
    name: str,
    badge_no: str,
    department: Department,
    window: Window | None = None,
    position: str = "",
    phone: str = "",
    leader_role: str = "",
    password: str | None = None,
) -> Staff:
    """Create a staff member with the login account (username = badge number) that the admin needs."""
    user = staff_login_create(badge_no=badge_no, name=name, password=password)
    staff = Staff(
        user=user,
        name=name,
        badge_no=badge_no,
        department=department,
        window=window,
        position=position,
        phone=phone,
        leader_role=leader_role,
    )
    staff.full_clean()
    staff.save()
    return staff



@transaction.atomic
def staff_save_new(*, staff: Staff) -> Staff:
    """Save a staff member entered in the admin, creating the login that every staff member has."""
    staff.user = staff_login_create(badge_no=staff.badge_no, name=staff.name)
    staff.full_clean()
    staff.save()
    return staff
