"""否定报备 (S1.5): every refusal registered; major items wait for the leader in charge; appeals."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from staffing import roles
from staffing import selectors as staffing_selectors

from ..models import (
    Appeal,
    AppealDecision,
    CaseStatus,
    NoticeKind,
    Refusal,
    RefusalCategory,
    RefusalStage,
    RefusalStatus,
)
from . import notices
from .guards import acting_staff, check_can_act, lock_case
from .transitions import set_status

S = CaseStatus
REFUSABLE_FROM = {
    RefusalStage.NOT_ACCEPTED: (S.RECEIVED, S.CORRECTION),
    RefusalStage.DISAPPROVED: (S.ACCEPTED, S.IN_PROGRESS),
}
MATERIAL_CATEGORIES = {
    RefusalCategory.MISSING_MATERIALS: "missing",
    RefusalCategory.UNQUALIFIED_MATERIALS: "unqualified",
}


@transaction.atomic
def case_refuse(
    *, case, user, stage: str, category: str, reason: str, legal_basis: str = "", referred_authority: str = ""
) -> Refusal:
    """Register a refusal; it takes effect at once, or after the leader's approval for a major item."""
    staff = check_can_act(user, case.department_id)
    lock_case(case)
    if case.status not in REFUSABLE_FROM[stage]:
        raise ValidationError(
            f"办件{case.number}当前为「{case.get_status_display()}」,不能作出「{RefusalStage(stage).label}」。"
        )
    if stage == RefusalStage.DISAPPROVED:
        from .cases import check_can_complete

        check_can_complete(case)
    if case.refusals.filter(status=RefusalStatus.PENDING_APPROVAL).exists():
        raise ValidationError("该办件已有待审批的否定报备,请等待分管领导审批。")
    if not reason.strip():
        raise ValidationError({"reason": "否定报备须写明理由。"})
    if category in MATERIAL_CATEGORIES and not case.materials.filter(state=MATERIAL_CATEGORIES[category]).exists():
        raise ValidationError(
            {"category": f"以「{RefusalCategory(category).label}」为由,须先在材料清单中标明相应材料。"}
        )
    if category == RefusalCategory.OUT_OF_SCOPE and not referred_authority.strip():
        raise ValidationError({"referred_authority": "不属本中心受理的,须告知申请人应向哪个机关申请。"})
    refusal = Refusal(
        case=case,
        stage=stage,
        category=category,
        reason=reason,
        legal_basis=legal_basis,
        referred_authority=referred_authority,
        department=case.department,
        window=case.window,
        refused_by=staff,
        status=RefusalStatus.PENDING_APPROVAL if case.item.is_major else RefusalStatus.EFFECTIVE,
    )
    refusal._history_user = user
    refusal.full_clean()
    refusal.save()
    if refusal.status == RefusalStatus.EFFECTIVE:
        _take_effect(refusal, user)
    return refusal


def _take_effect(refusal: Refusal, user) -> None:
    case = refusal.case
    if refusal.stage == RefusalStage.NOT_ACCEPTED:
        set_status(case, S.NOT_ACCEPTED, user=user, note=refusal.reason, reason="不予受理(已否定报备)")
        notices.notice_issue(case=case, kind=NoticeKind.NON_ACCEPTANCE, user=user, refusal=refusal)
    else:
        from .cases import case_disapprove_effective

        case_disapprove_effective(case=case, user=user, note=refusal.reason, refusal=refusal)


def _check_leader_in_charge(refusal: Refusal, user):
    staff = acting_staff(user)
    if refusal.department.leader_in_charge_id != staff.pk:
        raise PermissionDenied(f"重大事项的否定须由「{refusal.department}」的分管领导审批。")
    if refusal.status != RefusalStatus.PENDING_APPROVAL:
        raise ValidationError("该否定报备不在待审批状态。")
    return staff


@transaction.atomic
def refusal_approve(*, refusal: Refusal, user, note: str = "") -> Refusal:
    """S1.5-d: the leader in charge agrees; only now is the case refused."""
    staff = _check_leader_in_charge(refusal, user)
    refusal.status, refusal.approver, refusal.approved_at, refusal.approval_note = (
        RefusalStatus.EFFECTIVE, staff, timezone.now(), note,
    )
    refusal._history_user = user
    refusal.save()
    _take_effect(refusal, user)
    return refusal


@transaction.atomic
def refusal_reject(*, refusal: Refusal, user, note: str) -> Refusal:
    """The leader in charge does not agree: the case goes on being handled."""
    staff = _check_leader_in_charge(refusal, user)
    if not note.strip():
        raise ValidationError({"approval_note": "不同意否定时须写明意见。"})
    refusal.status, refusal.approver, refusal.approved_at, refusal.approval_note = (
        RefusalStatus.REJECTED, staff, timezone.now(), note,
    )
    refusal._history_user = user
    refusal.save()
    return refusal


def _check_office(user):
    staff = acting_staff(user)
    names = staffing_selectors.user_role_names(user)
    if not (user.is_superuser or names & {roles.CENTER_ADMIN, roles.OFFICE_STAFF, roles.MAIN_LEADER}):
        raise PermissionDenied("申诉由中心管理办公室受理和处理。")
    return staff


@transaction.atomic
def appeal_file(*, refusal: Refusal, user, appellant: str, grounds: str, filed_on=None) -> Appeal:
    """S1.5-e: the applicant appeals a refusal to the management office."""
    _check_office(user)
    if refusal.status != RefusalStatus.EFFECTIVE:
        raise ValidationError("只能对已生效的否定提出申诉。")
    if not grounds.strip():
        raise ValidationError({"grounds": "请写明申诉理由。"})
    appeal = Appeal(refusal=refusal, appellant=appellant, grounds=grounds, filed_on=filed_on or timezone.localdate())
    appeal._history_user = user
    appeal.save()
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: Appeal, user, overturn: bool, note: str) -> Appeal:
    """Uphold or overturn; an overturned refusal reopens the case and counts against the window."""
    staff = _check_office(user)
    if appeal.decision != AppealDecision.PENDING:
        raise ValidationError("该申诉已处理。")
    if not note.strip():
        raise ValidationError({"decision_note": "请写明处理意见。"})
    appeal.decision = AppealDecision.OVERTURNED if overturn else AppealDecision.UPHELD
    appeal.decided_by, appeal.decided_on, appeal.decision_note = staff, timezone.localdate(), note
    appeal._history_user = user
    appeal.save()
    if overturn:
        refusal = appeal.refusal
        refusal.status = RefusalStatus.OVERTURNED
        refusal._history_user = user
        refusal.save()
        case = refusal.case
        reopened = S.RECEIVED if refusal.stage == RefusalStage.NOT_ACCEPTED else S.IN_PROGRESS
        case.completed_on = None
        set_status(case, reopened, user=user, note=note, reason="申诉撤销否定,重新办理")
    return appeal
