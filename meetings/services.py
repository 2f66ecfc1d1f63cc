"""Meetings (S4, S3.5, S3.9) and room bookings (S3.4): one function per action, atomic."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from documents.services import report_obligation_open
from staffing import selectors as staffing_selectors
from staffing.models import LeaveRequest, RequestStatus, Staff
from staffing.working_days import add_working_days

from .models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    BodyMembership,
    BookingStatus,
    Decision,
    Meeting,
    MeetingsSettings,
    MeetingStatus,
    MeetingType,
    MemberBody,
    QuorumRule,
    Room,
    RoomBooking,
)
from .models.bookings import HOLDING_STATUSES


def _staff(user) -> Staff:
    staff = getattr(user, "staff", None)
    if staff is None:
        raise PermissionDenied("当前账号未关联工作人员。")
    return staff


# --- Rooms (S3.4) ------------------------------------------------------------------------------


def overlapping(room: Room, starts_at, ends_at, exclude_pk=None):
    qs = RoomBooking.objects.filter(room=room, status__in=HOLDING_STATUSES, starts_at__lt=ends_at, ends_at__gt=starts_at)
    return qs.exclude(pk=exclude_pk) if exclude_pk else qs


@transaction.atomic
def booking_request(*, room: Room, starts_at, ends_at, purpose: str, user, attendees: int = 1, now=None) -> RoomBooking:
    """Book ahead by the configured working days, or same day into a free slot (marked ad hoc)."""
    staff = _staff(user)
    now = now or timezone.now()
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "结束时间须晚于开始时间。"})
    if starts_at < now:
        raise ValidationError({"starts_at": "不能预约已经过去的时间。"})
    if not purpose.strip():
        raise ValidationError({"purpose": "请填写会议室用途。"})
    if attendees > room.capacity:
        raise ValidationError({"attendees": f"「{room}」最多容纳{room.capacity}人。"})
    settings = MeetingsSettings.load()
    if ends_at - starts_at > datetime.timedelta(days=settings.booking_max_days):
        span = RoomBooking(starts_at=starts_at, ends_at=ends_at).span
        raise ValidationError(
            {"ends_at": f"单次预约最长{settings.booking_max_days}天,本次预约为 {span}:请缩短时段或分次预约。"}
        )
    today, day = timezone.localtime(now).date(), timezone.localtime(starts_at).date()
    lead = settings.booking_lead_working_days
    earliest = add_working_days(today, lead)
    ad_hoc = day == today
    if not ad_hoc and day < earliest:
        raise ValidationError(
            {"starts_at": f"会议室须至少提前{lead}个工作日预约(最早可约{earliest:%Y年%m月%d日});当天临时使用可预约空闲时段。"}
        )
    # Lock the room: concurrent requests for it queue here (and PostgreSQL's exclusion constraint backs this up).
    Room.objects.select_for_update().get(pk=room.pk)
    clash = overlapping(room, starts_at, ends_at).first()
    if clash:
        raise ValidationError(f"该时段已被预约:{clash}({clash.purpose},{clash.get_status_display()})。")
    booking = RoomBooking(
        room=room, starts_at=starts_at, ends_at=ends_at, purpose=purpose, attendees=attendees, booked_by=staff, ad_hoc=ad_hoc
    )
    booking._history_user = user
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        raise ValidationError("该时段刚刚被他人预约,请选择其他时段。") from error
    return booking


def _check_booking_approver(user):
    role = MeetingsSettings.load().booking_approver_role
    if not (user.is_superuser or role in staffing_selectors.user_role_names(user)):
        raise PermissionDenied(f"会议室预约须由{role}审批。")


@transaction.atomic
def booking_decide(*, booking: RoomBooking, user, approve: bool, note: str = "") -> RoomBooking:
    _check_booking_approver(user)
    booking = RoomBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != BookingStatus.PENDING:
        raise ValidationError(f"该预约当前为「{booking.get_status_display()}」,不能审批。")
    if not approve and not note.strip():
        raise ValidationError({"decision_note": "不批准时须写明理由。"})
    booking.status = BookingStatus.APPROVED if approve else BookingStatus.REJECTED
    booking.decided_by, booking.decided_at, booking.decision_note = user, timezone.now(), note
    booking._history_user = user
    booking.save()
    return booking


@transaction.atomic
def booking_cancel(*, booking: RoomBooking, user) -> RoomBooking:
    staff = _staff(user)
    if booking.booked_by_id != staff.pk and not user.is_superuser:
        raise PermissionDenied("只能取消本人的预约。")
    if booking.status not in HOLDING_STATUSES:
        raise ValidationError("该预约已不在有效状态。")
    booking.status = BookingStatus.CANCELLED
    booking._history_user = user
    booking.save()
    return booking


# --- Meetings (S4) -----------------------------------------------------------------------------


def members_on(body: MemberBody, day: datetime.date):
    """The body's memberships on `day`: the member list as it was then."""
    return (
        BodyMembership.objects.filter(body=body, joined_on__lte=day)
        .exclude(left_on__lt=day)
        .select_related("staff")
        .order_by("pk")
    )


def check_chair(meeting_type: MeetingType, body: MemberBody, chair: Staff, day: datetime.date) -> None:
    allowed = meeting_type.chair_role_list()
    roles = set(members_on(body, day).filter(staff=chair).values_list("role", flat=True))
    if not roles & set(allowed):
        raise ValidationError(
            {"chair": f"{meeting_type}须由{'或'.join(allowed)}主持;{chair.name}在「{body}」中的职务是{'、'.join(roles) or '(非成员)'}。"}
        )


@transaction.atomic
def meeting_schedule(
    *, meeting_type: MeetingType, title: str, starts_at, ends_at, chair: Staff, user,
    body: MemberBody | None = None, booking: RoomBooking | None = None, location: str = "",
) -> Meeting:
    body = body or meeting_type.body
    if body is None:
        raise ValidationError({"body": f"「{meeting_type}」没有默认成员组,请选择参会成员组。"})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "结束时间须晚于开始时间。"})
    day = timezone.localtime(starts_at).date()
    check_chair(meeting_type, body, chair, day)
    meeting = Meeting(
        meeting_type=meeting_type, body=body, title=title, starts_at=starts_at, ends_at=ends_at, chair=chair,
        booking=booking, location=location or (str(booking.room) if booking else ""),
    )
    meeting._history_user = user
    meeting.save()
    for membership in members_on(body, day):
        Attendance.objects.create(meeting=meeting, staff=membership.staff, role=membership.role)
    return meeting


def approved_leave_covering(staff: Staff, meeting: Meeting) -> LeaveRequest | None:
    return (
        LeaveRequest.objects.filter(
            staff=staff, status=RequestStatus.APPROVED,
            whereabouts__starts_at__lt=meeting.ends_at, whereabouts__returns_at__gt=meeting.starts_at,
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def attendance_mark(*, attendance: Attendance, status: str, user) -> Attendance:
    """S3.5: an absence counts as excused only with approved leave covering the meeting."""
    leave = None
    if status == AttendanceStatus.ON_LEAVE:
        leave = approved_leave_covering(attendance.staff, attendance.meeting)
        if leave is None:
            raise ValidationError(f"{attendance.staff.name}没有覆盖会议时间的已批准请假,只能记为缺席。")
    attendance.status, attendance.leave = status, leave
    attendance._history_user = user
    attendance.save()
    return attendance


def quorum_rule(meeting_type: MeetingType, kind: str = "") -> QuorumRule | None:
    return QuorumRule.objects.filter(meeting_type=meeting_type, decision_kind=kind).first()


def quorum_shortfall(meeting: Meeting, kind: str = "", voters: int | None = None) -> str | None:
    """Why `meeting` cannot decide (`kind`, with `voters`), or None when the rule is met."""
    rule = quorum_rule(meeting.meeting_type, kind)
    if rule is None:
        return None
    members = meeting.attendance.count()
    present = meeting.attendance.filter(status=AttendanceStatus.PRESENT).count()
    count = voters if rule.counts_voters and voters is not None else present
    if rule.is_met(count, members):
        return None
    what = f"「{kind}」须有" if kind else "会议须有"
    basis = "参加表决" if rule.counts_voters else "到会"
    ratio = {(1, 2): "半数", (2, 3): "三分之二"}.get((rule.numerator, rule.denominator), f"{rule.numerator}/{rule.denominator}")
    return (
        f"{what}{ratio}以上成员{basis}:应到{members}人,至少需要{rule.needed(members)}人,实际{basis}{count}人。"
    )


@transaction.atomic
def meeting_hold(*, meeting: Meeting, user, minutes: str = "") -> Meeting:
    """Record the meeting as held; after a regular meeting the departments present owe a report (S3.5)."""
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(f"该会议当前为「{meeting.get_status_display()}」。")
    day = timezone.localtime(meeting.starts_at).date()
    if day > timezone.localdate():
        raise ValidationError(f"会议定于{day:%Y年%m月%d日}召开,召开当天或之后才能记录为已召开。")
    meeting.status, meeting.minutes = MeetingStatus.HELD, minutes or meeting.minutes
    meeting._history_user = user
    meeting.save()
    if meeting.meeting_type.needs_report:
        due = add_working_days(timezone.localtime(meeting.starts_at).date(), MeetingsSettings.load().report_due_working_days)
        departments = {a.staff.department for a in meeting.attendance.filter(status=AttendanceStatus.PRESENT).select_related("staff__department")}
        for department in sorted(departments, key=lambda d: d.pk):
            report_obligation_open(
                department=department, title=f"{meeting.title} 书面报告及工作打算", due_date=due, source=meeting, user=user
            )
    return meeting


def vote_shortfall(meeting: Meeting, votes_for: int) -> str | None:
    """S4.9: why `votes_for` do not adopt a decision of `meeting` (None when they do, or the type does not vote)."""
    meeting_type = meeting.meeting_type
    if not meeting_type.decides_by_vote:
        return None
    if meeting_type.vote_base == "present":
        base, basis = meeting.attendance.filter(status=AttendanceStatus.PRESENT).count(), "实到会"
    else:
        base, basis = meeting.attendance.count(), "应到会"
    needed = meeting_type.votes_needed(base)
    if votes_for >= needed:
        return None
    ratio = {(1, 2): "半数", (2, 3): "三分之二"}.get(
        (meeting_type.vote_numerator, meeting_type.vote_denominator),
        f"{meeting_type.vote_numerator}/{meeting_type.vote_denominator}",
    )
    words = f"{ratio}以上" if meeting_type.vote_inclusive else f"超过{ratio}"
    return f"赞成票须{words}{basis}成员:{basis}{base}人,至少需要{needed}票赞成,实际赞成{votes_for}票。"


@transaction.atomic
def decision_record(
    *, agenda_item: AgendaItem, text: str, user, kind: str = "", votes_for: int = 0, votes_against: int = 0,
    votes_abstain: int = 0, adopted: bool = True, responsible_department=None, deadline=None,
) -> Decision:
    """A decision is adopted only when the quorum rule of the meeting and of its kind are met; where the
    meeting type decides by vote (S4.9), the votes for decide 通过 or 未通过, whatever was ticked."""
    meeting = agenda_item.meeting
    for name, value in (("votes_for", votes_for), ("votes_against", votes_against), ("votes_abstain", votes_abstain)):
        if value is None or value < 0:
            raise ValidationError({name: "票数须为不小于0的整数。"})
    voters = votes_for + votes_against + votes_abstain
    present = meeting.attendance.filter(status=AttendanceStatus.PRESENT).count()
    if voters > present:
        raise ValidationError(f"表决人数({voters})不能超过到会人数({present})。")
    if not text.strip():
        raise ValidationError({"text": "请填写决定内容。"})
    if meeting.meeting_type.decides_by_vote:
        adopted = vote_shortfall(meeting, votes_for) is None
    if not adopted and responsible_department is not None:
        raise ValidationError({"responsible_department": "未通过的决议不能转为督办事项。"})
    if adopted:
        for rule_kind in ("", kind) if kind else ("",):
            shortfall = quorum_shortfall(meeting, rule_kind, voters)
            if shortfall:
                raise ValidationError(f"不能记为通过:{shortfall}")
    if (responsible_department is None) != (deadline is None):
        raise ValidationError("转督办须同时填写责任部门和办结期限。")
    decision = Decision(
        agenda_item=agenda_item, kind=kind, text=text, votes_for=votes_for, votes_against=votes_against,
        votes_abstain=votes_abstain, adopted=adopted, responsible_department=responsible_department, deadline=deadline,
    )
    decision._history_user = user
    decision.save()
    return decision


@transaction.atomic
def body_import_department(*, body: MemberBody, user, day: datetime.date | None = None) -> list[BodyMembership]:
    """Add the active staff of the body's department who are not (or no longer) members, as 成员."""
    if body.department_id is None:
        raise ValidationError(f"「{body}」没有设置对应部门,无法导入成员。")
    day = day or timezone.localdate()
    current = BodyMembership.objects.filter(body=body).exclude(left_on__lt=day).values_list("staff_id", flat=True)
    added = []
    for staff in Staff.objects.filter(department_id=body.department_id, is_active=True).exclude(pk__in=current):
        membership = BodyMembership(body=body, staff=staff, role="成员", joined_on=day)
        membership._history_user = user
        membership.save()
        added.append(membership)
    return added
