"""Approval chains (S1.10-d, S3.8, S3.7-a): the rule for a quantity picks the approvers, in order."""

from collections.abc import Callable
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Approval, ApprovalDecision, ApprovalKind, ApprovalRule, ApproverRole, CenterSettings, LeaderRole, Staff
from .. import roles

# What happens to a subject when its chain ends: {model label: (on_approved, on_rejected)}.
# Apps register their request models here (documents registers fund-use forms), so staffing needs no import of them.
_OUTCOMES: dict[str, tuple[Callable, Callable]] = {}


def register_outcome(model, on_approved: Callable, on_rejected: Callable) -> None:
    _OUTCOMES[model._meta.label] = (on_approved, on_rejected)


def approval_rule_conflicts(rule: ApprovalRule, others=None) -> list[str]:
    """Rules of one kind must not overlap, or the lowest would silently win. `others`: the rest of the
    rules as they will be (the list's formset passes its own); by default the stored ones."""
    if others is None:
        others = ApprovalRule.objects.filter(kind=rule.kind).exclude(pk=rule.pk) if rule.pk else ApprovalRule.objects.filter(kind=rule.kind)
    return [
        f"适用范围「{rule.band()}」与已有规则「{other.band()}」(审批人:{other.approver_labels()})重叠:"
        "同一审批类型的各条规则范围不能重叠,请先调整那条规则。"
        for other in others
        if other.kind == rule.kind and other.pk != rule.pk and rule.overlaps(other)
    ]


def rule_for(kind: str, quantity: Decimal) -> ApprovalRule:
    for rule in ApprovalRule.objects.filter(kind=kind).order_by("above"):
        if quantity > rule.above and (rule.up_to is None or quantity <= rule.up_to):
            return rule
    raise ValidationError(
        f"没有适用于「{ApprovalKind(kind).label} {quantity:g}」的审批规则,请中心管理员在“审批规则”中补充。"
    )


def resolve_approver(role: str, requester: Staff) -> Staff:
    department = requester.department
    if role == ApproverRole.LEADER_IN_CHARGE:
        if department.leader_in_charge is None:
            raise ValidationError(f"「{department}」尚未设置分管领导,无法提交审批。")
        return department.leader_in_charge
    if role == ApproverRole.CHAIRMAN:
        settings = CenterSettings.load()
        if settings.chairman is None:
            title = settings.chairman_title or "加签领导"
            raise ValidationError(f"尚未在「中心设置」中指定{title}(加签领导),无法提交需{title}审批的申请。")
        return settings.chairman
    if role == ApproverRole.MAIN_LEADER:
        leader = Staff.objects.filter(leader_role=LeaderRole.MAIN, is_active=True).order_by("pk").first()
        if leader is None:
            raise ValidationError("尚未设置主要领导(工作人员的领导职务为“主要领导”),无法提交审批。")
        return leader
    head = (
        Staff.objects.filter(
            department=department, is_active=True, user__groups__name__in=[roles.SECTION_HEAD, roles.WINDOW_HEAD]
        )
        .order_by("pk")
        .first()
    )
    if head is None:
        raise ValidationError(f"「{department}」没有股室负责人或窗口负责人,无法提交审批。")
    return head


@transaction.atomic
def approval_chain_start(*, subject, kind: str, quantity: Decimal, requester: Staff) -> list[Approval]:
    """Create the chain for `subject`; steps whose approver is the requester are skipped."""
    rule = rule_for(kind, quantity)
    content_type = ContentType.objects.get_for_model(subject)
    steps, waiting = [], True
    for order, role in enumerate(rule.approver_roles(), start=1):
        approver = resolve_approver(role, requester)
        decision = ApprovalDecision.WAITING
        if approver.pk == requester.pk:
            decision = ApprovalDecision.SKIPPED
        elif waiting:
            decision, waiting = ApprovalDecision.PENDING, False
        steps.append(
            Approval(content_type=content_type, object_id=subject.pk, order=order, role=role, approver=approver, decision=decision)
        )
    for step in steps:
        step.save()
    return steps


def chain_of(subject):
    return Approval.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("approver").order_by("order")


def chain_is_complete(subject) -> bool:
    return not chain_of(subject).exclude(decision__in=[ApprovalDecision.APPROVED, ApprovalDecision.SKIPPED]).exists()


@transaction.atomic
def approval_decide(*, approval: Approval, user, approve: bool, comment: str = "") -> Approval:
    """The named approver decides their step; the next one is asked, or the subject's outcome applies."""
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    staff = getattr(user, "staff", None)
    if staff is None or staff.pk != approval.approver_id:
        raise PermissionDenied(f"该步骤应由{approval.approver.name}({approval.role_label})审批。")
    if approval.decision != ApprovalDecision.PENDING:
        raise ValidationError(f"该审批当前为「{approval.get_decision_display()}」,不能再审批。")
    if not approve and not comment.strip():
        raise ValidationError({"comment": "不同意时须写明理由。"})
    approval.decision = ApprovalDecision.APPROVED if approve else ApprovalDecision.REJECTED
    approval.comment, approval.decided_at = comment, timezone.now()
    approval._history_user = user
    approval.save()
    subject = approval.subject
    on_approved, on_rejected = _OUTCOMES[subject._meta.label]
    if not approve:
        for later in chain_of(subject).filter(decision=ApprovalDecision.WAITING):
            later.decision = ApprovalDecision.SKIPPED
            later.save()
        on_rejected(subject, user)
        return approval
    following = chain_of(subject).filter(decision=ApprovalDecision.WAITING).first()
    if following:
        following.decision = ApprovalDecision.PENDING
        following.save()
    else:
        on_approved(subject, user)
    return approval


def approvals_waiting_for(staff: Staff):
    return Approval.objects.filter(approver=staff, decision=ApprovalDecision.PENDING)
