"""差评工单 (R1.3, R1.4): the state machine, one service per step, and the sweep that opens
accountability records (S1.8) for overdue steps.

待回访核实 → (立行立改 / 解释说明) 待答复评价人, or (限期整改) 限期整改中 → 待答复评价人 → 待中心审核 → 已办结.
The handling unit may appeal (申诉复核) before the reply is reviewed; the center decides: upheld, the
rating stays in history but leaves the figures; rejected, the ticket goes back to where it was.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from staffing import selectors as staffing_selectors
from staffing.models import Violation
from staffing.services import accountability_open
from staffing.working_days import add_working_days

from ..models import (
    UNIT_STATUSES,
    BadRatingTicket,
    Rating,
    RatingSettings,
    ReplyMethod,
    TicketOutcome,
    TicketStatus,
    TicketTransition,
)

T = TicketStatus

PIPELINE: dict[str, tuple[str, ...]] = {
    T.VISIT: (T.RECTIFYING, T.REPLY, T.APPEAL),
    T.RECTIFYING: (T.REPLY, T.APPEAL),
    T.REPLY: (T.REVIEW, T.APPEAL),
    T.REVIEW: (T.CLOSED, T.REPLY),
    T.APPEAL: (T.APPEAL_UPHELD, T.VISIT, T.RECTIFYING, T.REPLY),
    T.CLOSED: (),
    T.APPEAL_UPHELD: (),
}


def _today() -> datetime.date:
    return timezone.localdate()


def allowed_next(ticket: BadRatingTicket) -> tuple[str, ...]:
    return PIPELINE.get(ticket.status, ())


def set_status(ticket: BadRatingTicket, new_status: str, *, user=None, note: str = "", reason: str = "") -> TicketTransition:
    """Change the status (the only writer of BadRatingTicket.status) and record who, when and why."""
    if new_status not in allowed_next(ticket):
        raise ValidationError(
            f"差评工单{ticket.case.number}当前为「{ticket.get_status_display()}」,不能变更为「{TicketStatus(new_status).label}」。",
            code="forbidden_transition",
        )
    old_status = ticket.status
    ticket.status = new_status
    ticket._change_reason = reason or f"{TicketStatus(old_status).label} → {TicketStatus(new_status).label}"
    ticket._history_user = user
    ticket.full_clean()
    ticket.save()
    return TicketTransition.objects.create(
        ticket=ticket, from_status=old_status, to_status=new_status, at=timezone.now(), by=user, note=note[:500]
    )


def _lock(ticket: BadRatingTicket) -> None:
    list(BadRatingTicket.objects.select_for_update().filter(pk=ticket.pk).values_list("pk", flat=True))
    ticket.refresh_from_db()


def can_handle(user, ticket: BadRatingTicket) -> bool:
    """The handling unit: the department of the case, with the permission to handle tickets."""
    return (
        getattr(user, "staff", None) is not None
        and user.has_perm("ratings.handle_badratingticket")
        and staffing_selectors.user_acts_for_department(user, ticket.department_id)
    )


def can_review(user) -> bool:
    return getattr(user, "staff", None) is not None and user.has_perm("ratings.review_badratingticket")


def _check_unit(user, ticket: BadRatingTicket):
    if not can_handle(user, ticket):
        raise PermissionDenied(f"差评工单由承办部门「{ticket.department}」办理。")
    return user.staff


def _check_center(user):
    if not can_review(user):
        raise PermissionDenied("差评工单的审核和申诉复核由中心办理。")
    return user.staff


def _check_day(value: datetime.date, field: str, label: str, ticket: BadRatingTicket) -> datetime.date:
    if value > _today():
        raise ValidationError({field: f"{label} {value:%Y-%m-%d} 不能晚于今天。"})
    if value < ticket.opened_on:
        raise ValidationError({field: f"{label} {value:%Y-%m-%d} 不能早于立单日期 {ticket.opened_on:%Y-%m-%d}。"})
    return value


def _check_method(method: str, field: str) -> None:
    if method not in ReplyMethod.values:
        raise ValidationError({field: f"请选择方式:{'、'.join(ReplyMethod.labels)}。"})


@transaction.atomic
def ticket_open(*, rating: Rating, user=None, on: datetime.date | None = None) -> BadRatingTicket:
    """Every 不满意/非常不满意 opens a ticket for the case's department and window; the visit back is
    due within the set number of working days (R1.3)."""
    on = on or _today()
    ticket = BadRatingTicket(
        rating=rating,
        case=rating.case,
        department_id=rating.department_id,
        window_id=rating.window_id,
        opened_on=on,
        visit_due=add_working_days(on, RatingSettings.load().visit_days),
    )
    ticket.full_clean()
    ticket._history_user = user
    ticket._change_reason = f"{rating.get_level_display()}:开立差评工单"
    ticket.save()
    TicketTransition.objects.create(ticket=ticket, from_status="", to_status=T.VISIT, at=timezone.now(), by=user, note="开立")
    return ticket


@transaction.atomic
def ticket_visit(
    *, ticket: BadRatingTicket, user, method: str, findings: str, outcome: str, measures: str = "",
    visited_on: datetime.date | None = None,
) -> BadRatingTicket:
    """回访核实 and the outcome: 立行立改 (fixed now), 限期整改 (due in working days), 解释说明."""
    staff = _check_unit(user, ticket)
    _lock(ticket)
    if ticket.status != T.VISIT:
        raise ValidationError(f"该工单当前为「{ticket.get_status_display()}」,不在回访核实环节。")
    _check_method(method, "visit_method")
    visited_on = _check_day(visited_on or _today(), "visited_on", "回访日期", ticket)
    if not findings.strip():
        raise ValidationError({"findings": "请填写回访核实的情况。"})
    if outcome not in TicketOutcome.values:
        raise ValidationError({"outcome": "请选择处理方式:立行立改、限期整改或解释说明。"})
    if outcome in (TicketOutcome.FIX_NOW, TicketOutcome.EXPLAIN) and not measures.strip():
        label = "整改措施" if outcome == TicketOutcome.FIX_NOW else "解释说明(无法律依据的诉求)"
        raise ValidationError({"measures": f"{TicketOutcome(outcome).label}须写明{label}。"})
    ticket.visited_on, ticket.visited_by, ticket.visit_method = visited_on, staff, method
    ticket.findings, ticket.outcome, ticket.measures = findings.strip(), outcome, measures.strip()
    if outcome == TicketOutcome.FIX_BY_DEADLINE:
        ticket.rectify_due = add_working_days(visited_on, RatingSettings.load().rectify_days)
        set_status(ticket, T.RECTIFYING, user=user, note=findings, reason=f"回访核实:限期整改,{ticket.rectify_due:%Y-%m-%d}前完成")
    else:
        if outcome == TicketOutcome.FIX_NOW:
            ticket.rectified_on = visited_on
        set_status(ticket, T.REPLY, user=user, note=findings, reason=f"回访核实:{TicketOutcome(outcome).label}")
    return ticket


@transaction.atomic
def ticket_rectify(*, ticket: BadRatingTicket, user, measures: str, rectified_on: datetime.date | None = None) -> BadRatingTicket:
    """限期整改 done."""
    _check_unit(user, ticket)
    _lock(ticket)
    if ticket.status != T.RECTIFYING:
        raise ValidationError(f"该工单当前为「{ticket.get_status_display()}」,不在整改环节。")
    if not measures.strip():
        raise ValidationError({"measures": "请写明整改措施和结果。"})
    rectified_on = _check_day(rectified_on or _today(), "rectified_on", "整改完成日期", ticket)
    if ticket.visited_on and rectified_on < ticket.visited_on:
        raise ValidationError({"rectified_on": f"整改完成日期不能早于回访日期 {ticket.visited_on:%Y-%m-%d}。"})
    ticket.measures, ticket.rectified_on = measures.strip(), rectified_on
    late = f"(逾期,期限{ticket.rectify_due:%Y-%m-%d})" if ticket.rectify_due and rectified_on > ticket.rectify_due else ""
    set_status(ticket, T.REPLY, user=user, note=measures, reason=f"整改完成{late}")
    return ticket


@transaction.atomic
def ticket_reply(
    *, ticket: BadRatingTicket, user, method: str, reply: str, replied_on: datetime.date | None = None
) -> BadRatingTicket:
    """The result goes back to the rater, with its date and method (R1.3); then the center reviews."""
    _check_unit(user, ticket)
    _lock(ticket)
    if ticket.status != T.REPLY:
        raise ValidationError(f"该工单当前为「{ticket.get_status_display()}」,不在答复环节。")
    _check_method(method, "reply_method")
    if not reply.strip():
        raise ValidationError({"reply": "请填写答复评价人的内容。"})
    ticket.replied_on = _check_day(replied_on or _today(), "replied_on", "答复日期", ticket)
    ticket.reply_method, ticket.reply = method, reply.strip()
    set_status(ticket, T.REVIEW, user=user, note=reply, reason=f"已{ReplyMethod(method).label}答复评价人")
    return ticket


@transaction.atomic
def ticket_review(*, ticket: BadRatingTicket, user, approve: bool, note: str = "") -> BadRatingTicket:
    """The center's review: closes the ticket, or sends it back to the unit with the reason."""
    staff = _check_center(user)
    _lock(ticket)
    if ticket.status != T.REVIEW:
        raise ValidationError(f"该工单当前为「{ticket.get_status_display()}」,不在审核环节。")
    if not approve and not note.strip():
        raise ValidationError({"note": "退回须写明理由。"})
    ticket.reviewed_on, ticket.reviewed_by, ticket.review_note = _today(), staff, note.strip()
    if approve:
        set_status(ticket, T.CLOSED, user=user, note=note, reason="中心审核通过,工单办结")
    else:
        set_status(ticket, T.REPLY, user=user, note=note, reason="中心审核退回,重新答复")
    return ticket


@transaction.atomic
def ticket_appeal(*, ticket: BadRatingTicket, user, reason: str) -> BadRatingTicket:
    """申诉复核 (R1.4): the unit asks the center to review a mistaken or false rating, once."""
    _check_unit(user, ticket)
    _lock(ticket)
    if ticket.status not in UNIT_STATUSES:
        raise ValidationError(f"该工单当前为「{ticket.get_status_display()}」,不能申诉。")
    if ticket.appealed_on is not None:
        raise ValidationError("该工单已申诉过一次,不能再次申诉。")
    if not reason.strip():
        raise ValidationError({"appeal_reason": "请写明申诉理由(误评、恶意评价等)及依据。"})
    ticket.appeal_reason, ticket.appealed_on, ticket.appeal_from = reason.strip(), _today(), ticket.status
    set_status(ticket, T.APPEAL, user=user, note=reason, reason="申请申诉复核")
    return ticket


@transaction.atomic
def ticket_appeal_decide(*, ticket: BadRatingTicket, user, upheld: bool, decision: str) -> BadRatingTicket:
    """The center decides the appeal: upheld, the rating stays in history but out of the figures."""
    _check_center(user)
    _lock(ticket)
    if ticket.status != T.APPEAL:
        raise ValidationError(f"该工单当前为「{ticket.get_status_display()}」,没有待复核的申诉。")
    if not decision.strip():
        raise ValidationError({"appeal_decision": "请填写复核意见。"})
    ticket.appeal_upheld, ticket.appeal_decision = upheld, decision.strip()
    if upheld:
        rating = ticket.rating
        rating.excluded = True
        rating._history_user, rating._change_reason = user, "申诉复核成立:不计入统计"
        rating.save()
        set_status(ticket, T.APPEAL_UPHELD, user=user, note=decision, reason="申诉复核成立,该评价不计入统计")
    else:
        set_status(ticket, ticket.appeal_from or T.VISIT, user=user, note=decision, reason="申诉复核不成立,继续办理")
    return ticket


# --- The sweep (S1.8) -------------------------------------------------------------------------------


def overdue_visits(today: datetime.date):
    """Visits back not done in time: still waiting past the due date, or done after it."""
    return BadRatingTicket.objects.filter(
        Q(status=T.VISIT, visit_due__lt=today) | Q(visited_on__gt=F("visit_due"))
    ).exclude(status=T.APPEAL_UPHELD)


def overdue_rectifications(today: datetime.date):
    return BadRatingTicket.objects.filter(
        Q(status=T.RECTIFYING, rectify_due__lt=today) | Q(rectified_on__gt=F("rectify_due"))
    ).exclude(status=T.APPEAL_UPHELD)


@transaction.atomic
def sweep_ratings(today: datetime.date | None = None) -> dict:
    """Open, once each, the accountability records of overdue visits back and rectifications. Idempotent."""
    today = today or _today()
    opened = {"visits": 0, "rectifications": 0}
    steps = (
        ("visits", overdue_visits(today), Violation.OVERDUE_RATING_VISIT, "回访核实", "visit_due"),
        ("rectifications", overdue_rectifications(today), Violation.OVERDUE_RECTIFY, "限期整改", "rectify_due"),
    )
    for key, tickets, violation, step, due_field in steps:
        for ticket in tickets.select_related("department", "window", "case", "rating__staff"):
            _, created = accountability_open(
                violation=violation,
                source=ticket,
                department=ticket.department,
                responsible=ticket.rating.staff,
                description=f"办件{ticket.case.number}({ticket.window.number}号窗口)的差评工单{step}逾期(期限{getattr(ticket, due_field):%Y-%m-%d})。",
            )
            opened[key] += created
    return opened
