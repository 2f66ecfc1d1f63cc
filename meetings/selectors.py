"""Reads of meetings: the cadence compliance report (S4) and attendance statistics (S3.9)."""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone

from documents.models import ReportObligation
from staffing import selectors as staffing_selectors
from staffing.models import WorkingHours
from staffing.working_days import WorkCalendar

from .models import (
    Attendance,
    AttendanceStatus,
    BookingStatus,
    CadencePeriod,
    Meeting,
    MeetingsSettings,
    MeetingStatus,
    MeetingType,
    Room,
    RoomBooking,
)
from .models.bookings import HOLDING_STATUSES


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


def attendance_statistics(start: datetime.date, end: datetime.date, by: str | tuple = "staff__department__name"):
    """S3.9: attendance of held meetings by department (or by person with by='staff__name').

    `by` may be a tuple of fields, e.g. ("staff__department__name", "staff__name", "staff__badge_no") so
    that two people of the same name stay apart."""
    fields = (by,) if isinstance(by, str) else tuple(by)
    tz = timezone.get_current_timezone()
    return (
        Attendance.objects.filter(
            meeting__status=MeetingStatus.HELD,
            meeting__starts_at__gte=datetime.datetime.combine(start, datetime.time.min, tz),
            meeting__starts_at__lt=datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tz),
        )
        .values(*fields)
        .annotate(
            total=Count("pk"),
            present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
            on_leave=Count("pk", filter=Q(status=AttendanceStatus.ON_LEAVE)),
            absent=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
        )
        .order_by(*fields)
    )


# --- Helpers of the admin pages (read-only) -----------------------------------------------------


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, timezone.get_current_timezone())


COMPLIANCE_STATES = {"met": "已召开", "missed": "未按期召开", "open": "本期进行中", "future": "未到期"}


@dataclass
class ComplianceRow:
    period: PeriodCompliance
    state: str  # met | missed | open (the period is still running) | future

    @property
    def state_label(self) -> str:
        return COMPLIANCE_STATES[self.state]

    @property
    def missed(self) -> int:
        return self.period.missed if self.state == "missed" else 0


def compliance_overview(start: datetime.date, end: datetime.date, today: datetime.date | None = None) -> list[dict]:
    """compliance_report for every active type; a period counts as missed only once it is over."""
    today = today or timezone.localdate()
    overview = []
    for meeting_type in MeetingType.objects.filter(is_active=True).select_related("body").order_by("pk"):
        rows = []
        for period in compliance_report(meeting_type, start, end):
            following = next_period(period.start, meeting_type.cadence_period)
            if period.held >= period.due:
                state = "met"
            elif period.start > today:
                state = "future"
            elif following > today:
                state = "open"
            else:
                state = "missed"
            rows.append(ComplianceRow(period=period, state=state))
        overview.append(
            {
                "type": meeting_type,
                "rows": rows,
                "held": sum(row.period.held for row in rows),
                "missed_periods": sum(1 for row in rows if row.state == "missed"),
                "without_quorum": [m for row in rows for m in row.period.without_quorum],
            }
        )
    return overview


@dataclass
class QuorumLine:
    scope: str
    basis: str
    ratio: str
    needed: int
    met: bool
    shortfall: str | None


def quorum_state(meeting: Meeting) -> dict:
    """The meeting's quorum now: members, present, and for each rule of its type the number needed."""
    from .services import quorum_shortfall

    members = meeting.attendance.count()
    present = meeting.attendance.filter(status=AttendanceStatus.PRESENT).count()
    lines = []
    for rule in meeting.meeting_type.quorum_rules.order_by("decision_kind", "pk"):
        ratio = {(1, 2): "半数", (2, 3): "三分之二"}.get((rule.numerator, rule.denominator), f"{rule.numerator}/{rule.denominator}")
        lines.append(
            QuorumLine(
                scope=f"「{rule.decision_kind}」" if rule.decision_kind else "会议召开",
                basis="参加表决" if rule.counts_voters else "到会",
                ratio=ratio + ("以上" if rule.inclusive else "以上(不含本数)"),
                needed=rule.needed(members),
                met=rule.is_met(present, members),
                # A voting rule is judged on the votes of each decision; here: whether those present could meet it.
                shortfall=None if rule.counts_voters else quorum_shortfall(meeting, rule.decision_kind),
            )
        )
    return {"members": members, "present": present, "lines": lines}


def meeting_obligations(meeting: Meeting):
    """The report obligations a held meeting opened (S3.5)."""
    return ReportObligation.objects.filter(
        source_type=ContentType.objects.get_for_model(Meeting), source_id=meeting.pk
    ).select_related("department")


def user_decides_bookings(user) -> bool:
    """Whether `user` holds the role that approves room bookings (services.booking_decide checks the same)."""
    role = MeetingsSettings.load().booking_approver_role
    return user.is_superuser or role in staffing_selectors.user_role_names(user)


def bookings_for_meeting(user):
    """The user's own approved bookings, not yet used by a meeting, from today on."""
    staff = getattr(user, "staff", None)
    if staff is None:
        return RoomBooking.objects.none()
    return (
        RoomBooking.objects.filter(
            booked_by=staff, status=BookingStatus.APPROVED, meeting__isnull=True,
            ends_at__gte=_aware(timezone.localdate(), datetime.time.min),
        )
        .select_related("room")
        .order_by("starts_at")
    )


HALF_DAYS = (("am", "上午"), ("pm", "下午"))


def room_week(first_day: datetime.date) -> dict:
    """The rooms' week from `first_day`: per room, day and half day (working hours) the holding bookings."""
    hours = WorkingHours.load()
    spans = {"am": (hours.morning_start, hours.morning_end), "pm": (hours.afternoon_start, hours.afternoon_end)}
    days = [first_day + datetime.timedelta(days=n) for n in range(7)]
    calendar = WorkCalendar()
    rooms = list(Room.objects.filter(is_active=True).order_by("name"))
    bookings = (
        RoomBooking.objects.filter(
            room__in=rooms, status__in=HOLDING_STATUSES,
            starts_at__lt=_aware(days[-1] + datetime.timedelta(days=1), datetime.time.min),
            ends_at__gt=_aware(days[0], datetime.time.min),
        )
        .select_related("booked_by")
        .order_by("starts_at")
    )
    cells = {(room.pk, day, half): [] for room in rooms for day in days for half, _ in HALF_DAYS}
    for booking in bookings:
        placed = False
        for day in days:
            for half, (begin, end) in spans.items():
                if booking.starts_at < _aware(day, end) and booking.ends_at > _aware(day, begin):
                    cells[(booking.room_id, day, half)].append(booking)
                    placed = True
        if not placed:  # wholly outside working hours (at noon, in the evening): the half day it starts in
            local = timezone.localtime(booking.starts_at)
            half = "am" if local.time() < hours.afternoon_start else "pm"
            if (booking.room_id, local.date(), half) in cells:
                cells[(booking.room_id, local.date(), half)].append(booking)
    working = {day: calendar.is_working_day(day) for day in days}
    return {
        "days": [{"date": day, "weekday": "星期" + "一二三四五六日"[day.weekday()], "working": working[day]} for day in days],
        "halves": [
            {"code": half, "label": label, "start": spans[half][0], "end": spans[half][1]} for half, label in HALF_DAYS
        ],
        "rows": [
            {
                "room": room,
                "cells": [
                    {"day": day, "half": half, "working": working[day], "bookings": cells[(room.pk, day, half)]}
                    for day in days
                    for half, _ in HALF_DAYS
                ],
            }
            for room in rooms
        ],
    }


# --- 待我办理 (project.inbox) ----------------------------------------------------------------------


def _bookings_to_approve(user, staff):
    """Room bookings waiting for a decision, for whoever holds the approving role (S3.4)."""
    from staffing.selectors import user_role_names

    from .models import BookingStatus, MeetingsSettings, RoomBooking

    if not (user.is_superuser or MeetingsSettings.load().booking_approver_role in user_role_names(user)):
        return None
    return RoomBooking.objects.filter(status=BookingStatus.PENDING)


def _waiting():
    from project.inbox import WaitingKind

    return [
        WaitingKind(
            key="meetings.booking_approval", label="会议室预约待审批", permission="meetings.change_roombooking",
            records=_bookings_to_approve, url_name="admin:meetings_roombooking_changelist", query="status__exact=pending",
        ),
    ]


WAITING = _waiting()
