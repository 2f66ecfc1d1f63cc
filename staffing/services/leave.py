"""Leave (S1.10-d, S1.9-c) and overtime (S3.8): submission with handover, chains, outcomes."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import (
    ApprovalKind,
    HalfDay,
    LeaveRequest,
    OvertimeRequest,
    RequestStatus,
    Staff,
    Whereabouts,
    WhereaboutsStatus,
    WorkingHours,
)
from ..working_days import WorkCalendar
from . import approvals, presence

HALF = Decimal("0.5")


def leave_working_days(start_date, start_half, end_date, end_half, calendar: WorkCalendar | None = None) -> Decimal:
    """Working days covered, in half days, on the official calendar."""
    calendar = calendar or WorkCalendar()
    total, day = Decimal(0), start_date
    while day <= end_date:
        if calendar.is_working_day(day):
            halves = [HalfDay.MORNING, HalfDay.AFTERNOON]
            if day == start_date and start_half == HalfDay.AFTERNOON:
                halves.remove(HalfDay.MORNING)
            if day == end_date and end_half == HalfDay.MORNING and HalfDay.AFTERNOON in halves:
                halves.remove(HalfDay.AFTERNOON)
            total += HALF * len(halves)
        day += datetime.timedelta(days=1)
    return total


def leave_period(leave: LeaveRequest) -> tuple[datetime.datetime, datetime.datetime]:
    """The leave as a period of time, by the working hours: from the start half day to the end half day."""
    hours = WorkingHours.load()
    start_time = hours.morning_start if leave.start_half == HalfDay.MORNING else hours.afternoon_start
    end_time = hours.morning_end if leave.end_half == HalfDay.MORNING else hours.afternoon_end
    start = timezone.make_aware(datetime.datetime.combine(leave.start_date, start_time))
    end = timezone.make_aware(datetime.datetime.combine(leave.end_date, end_time))
    return start, end


def default_handover(staff: Staff) -> Staff | None:
    """The first B holder, in order, of the requester's posts who is not away now."""
    away = presence.away_staff_ids()
    for post in staff.a_posts.prefetch_related("substitutes__staff"):
        for substitute in post.substitutes.order_by("order"):
            if substitute.staff_id not in away and substitute.staff_id != staff.pk:
                return substitute.staff
    return None


@transaction.atomic
def leave_submit(
    *, user, leave_type: str, start_date, end_date, reason: str, handover_note: str,
    start_half: str = HalfDay.MORNING, end_half: str = HalfDay.AFTERNOON, handover_to: Staff | None = None,
    destination: str = "", contact: str = "",
) -> LeaveRequest:
    staff = getattr(user, "staff", None)
    if staff is None:
        raise ValidationError("当前账号未关联工作人员,不能请假。")
    if (end_date, end_half) < (start_date, start_half):
        raise ValidationError({"end_date": "结束时间不能早于开始时间。"})
    days = leave_working_days(start_date, start_half, end_date, end_half)
    if days == 0:
        raise ValidationError({"start_date": "所选时间内没有工作日,无需请假。"})
    Staff.objects.select_for_update().get(pk=staff.pk)  # two submissions at once queue here
    other = _overlapping_leave(staff, (start_date, start_half), (end_date, end_half))
    if other is not None:
        raise ValidationError(
            {"start_date": f"与已提交的请假({_half_text(other.start_date, other.start_half)}至"
             f"{_half_text(other.end_date, other.end_half)},{other.get_status_display()})时间重叠,不能重复请假。"}
        )  # fmt: skip
    handover_to = handover_to or default_handover(staff)
    # S1.9-c: A hands over before leaving.
    if handover_to is None:
        raise ValidationError({"handover_to": "请选择工作交接人(AB岗制度:离岗前必须做好工作移交)。"})
    if handover_to.pk == staff.pk:
        raise ValidationError({"handover_to": "工作交接人不能是本人。"})
    if not handover_note.strip():
        raise ValidationError({"handover_note": "请写明交接事项(AB岗制度:离岗前必须做好工作移交)。"})
    if not reason.strip():
        raise ValidationError({"reason": "请写明请假事由。"})
    leave = LeaveRequest(
        staff=staff, leave_type=leave_type, start_date=start_date, start_half=start_half, end_date=end_date,
        end_half=end_half, working_days=days, reason=reason, destination=destination, contact=contact or staff.phone,
        handover_to=handover_to, handover_note=handover_note,
    )
    leave._history_user = user
    leave.full_clean()
    leave.save()
    approvals.approval_chain_start(subject=leave, kind=ApprovalKind.LEAVE, quantity=days, requester=staff)
    if approvals.chain_is_complete(leave):
        _leave_approved(leave, user)
    return leave


def _overlapping_leave(staff: Staff, start: tuple, end: tuple) -> LeaveRequest | None:
    """A pending or approved leave of the same person sharing a half day with (start, end), each (date, half)."""
    candidates = LeaveRequest.objects.filter(
        staff=staff, status__in=[RequestStatus.PENDING, RequestStatus.APPROVED], start_date__lte=end[0], end_date__gte=start[0]
    ).order_by("start_date")
    for other in candidates:  # "am" < "pm": the tuples compare in time order
        if (other.start_date, other.start_half) <= end and start <= (other.end_date, other.end_half):
            return other
    return None


def _half_text(day, half) -> str:
    return f"{day:%Y年%m月%d日}{HalfDay(half).label}"


def _leave_approved(leave: LeaveRequest, user) -> None:
    leave.status = RequestStatus.APPROVED
    leave._history_user = user
    leave.save()
    start, end = leave_period(leave)
    # Approved leave sets the whereabouts board for its period by itself.
    Whereabouts.objects.update_or_create(
        leave=leave,
        defaults={
            "staff": leave.staff,
            "status": WhereaboutsStatus.LEAVE,
            "reason": f"{leave.get_leave_type_display()}:{leave.reason}",
            "destination": leave.destination,
            "contact": leave.contact,
            "starts_at": start,
            "returns_at": end,
        },
    )


def _leave_rejected(leave: LeaveRequest, user) -> None:
    leave.status = RequestStatus.REJECTED
    leave._history_user = user
    leave.save()


@transaction.atomic
def overtime_submit(*, user, date, starts_at, ends_at, reason: str) -> OvertimeRequest:
    staff = getattr(user, "staff", None)
    if staff is None:
        raise ValidationError("当前账号未关联工作人员,不能申请加班。")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "结束时间须晚于开始时间。"})
    if not reason.strip():
        raise ValidationError({"reason": "请写明加班事由。"})
    minutes = (ends_at.hour * 60 + ends_at.minute) - (starts_at.hour * 60 + starts_at.minute)
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.1"))
    overtime = OvertimeRequest(staff=staff, date=date, starts_at=starts_at, ends_at=ends_at, hours=hours, reason=reason)
    overtime._history_user = user
    overtime.save()
    approvals.approval_chain_start(subject=overtime, kind=ApprovalKind.OVERTIME, quantity=hours, requester=staff)
    if approvals.chain_is_complete(overtime):
        _status(overtime, RequestStatus.APPROVED, user)
    return overtime


def _status(request, status, user) -> None:
    request.status = status
    request._history_user = user
    request.save()


approvals.register_outcome(LeaveRequest, _leave_approved, _leave_rejected)
approvals.register_outcome(
    OvertimeRequest,
    lambda overtime, user: _status(overtime, RequestStatus.APPROVED, user),
    lambda overtime, user: _status(overtime, RequestStatus.REJECTED, user),
)
