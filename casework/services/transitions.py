"""The case state machine: which status may follow which, and the one place a status changes."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from staffing.services import presence

from ..models import Case, CaseStatus, CaseTransition

S = CaseStatus

# 收件 → 受理/补正/不予受理; 补正 → 受理/不予受理 (or back to 办理中 when it came after acceptance);
# 受理 → 办理中 → 办结(准予)/办结(不予批准); 办结 → 已送达. A refusal overturned on appeal reopens.
PIPELINE: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (S.ACCEPTED, S.CORRECTION, S.NOT_ACCEPTED),
    S.CORRECTION: (S.ACCEPTED, S.IN_PROGRESS, S.NOT_ACCEPTED),
    S.ACCEPTED: (S.IN_PROGRESS, S.CORRECTION),
    S.IN_PROGRESS: (S.APPROVED, S.DISAPPROVED, S.CORRECTION),
    S.APPROVED: (S.DELIVERED,),
    S.DISAPPROVED: (S.DELIVERED, S.IN_PROGRESS),
    S.NOT_ACCEPTED: (S.RECEIVED,),
    S.DELIVERED: (),
}


def allowed_next(case: Case) -> tuple[str, ...]:
    return PIPELINE.get(case.status, ())


def set_status(case: Case, new_status: str, *, user=None, note: str = "", reason: str = "") -> CaseTransition:
    """Change the status (the only writer of Case.status) and record who, when and why."""
    if new_status not in allowed_next(case):
        raise ValidationError(
            f"办件{case.number}当前为「{case.get_status_display()}」,不能变更为「{CaseStatus(new_status).label}」。",
            code="forbidden_transition",
        )
    old_status = case.status
    case.status = new_status
    case._change_reason = reason or f"{CaseStatus(old_status).label} → {CaseStatus(new_status).label}"
    if user is not None:
        case._history_user = user
    case.save()
    return CaseTransition.objects.create(
        case=case,
        from_status=old_status,
        to_status=new_status,
        at=timezone.now(),
        by=user,
        acting_for=acting_for_handler(case, user),
        note=note,
    )


def acting_for_handler(case: Case, user):
    """S1.9-b: when a B holder acts on the case of an absent A holder, the record names A."""
    staff = getattr(user, "staff", None) if user is not None else None
    if staff is None or staff.pk == case.handler_id:
        return None
    return case.handler if case.handler in presence.acting_for(staff) else None
