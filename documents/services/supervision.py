"""Supervision (督办, S2.1, S2.3, S2.4-a): register → assign → supervise → feedback → leader review → archive."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from staffing import roles
from staffing import selectors as staffing_selectors

from ..models import Reminder, SupervisionItem, SupervisionSource, SupervisionStatus

S = SupervisionStatus
PIPELINE = {
    S.REGISTERED: S.ASSIGNED,
    S.ASSIGNED: S.SUPERVISING,
    S.SUPERVISING: S.FEEDBACK,
    S.FEEDBACK: S.LEADER_REVIEW,
    S.LEADER_REVIEW: S.ARCHIVED,
}


def _staff(user):
    staff = getattr(user, "staff", None)
    if staff is None:
        raise PermissionDenied("当前账号未关联工作人员。")
    return staff


def _check_supervisor(user):
    names = staffing_selectors.user_role_names(user)
    if not (user.is_superuser or names & {roles.OFFICE_STAFF, roles.CENTER_ADMIN, roles.MAIN_LEADER, roles.LEADER_IN_CHARGE}):
        raise PermissionDenied("督办事项由办公室(督查)人员和领导管理。")
    return _staff(user)


def _advance(item: SupervisionItem, expected: str, user, reason: str) -> None:
    if item.status != expected:
        raise ValidationError(f"督办事项当前为「{item.get_status_display()}」,不能{reason}。")
    item.status = PIPELINE[expected]
    item._history_user, item._change_reason = user, reason
    item.save()


@transaction.atomic
def supervision_register(
    *, user, title: str, source: str, content: str, department, deadline, responsible=None, urgent: bool = False,
    is_project: bool = False, instruction: str = "", instructing_leader=None, category: str = "", origin=None,
) -> SupervisionItem:
    _check_supervisor(user)
    if source == SupervisionSource.INSTRUCTION and not instruction.strip():
        raise ValidationError({"instruction": "领导批示事项须录入批示原文。"})
    item = SupervisionItem(
        title=title, source=source, content=content, department=department, deadline=deadline, responsible=responsible,
        urgent=urgent, is_project=is_project, instruction=instruction, instructing_leader=instructing_leader, category=category,
    )
    if origin is not None:
        item.origin_type, item.origin_id = ContentType.objects.get_for_model(origin), origin.pk
        if SupervisionItem.objects.filter(origin_type=item.origin_type, origin_id=item.origin_id).exists():
            raise ValidationError("该来源已立项督办。")
    item._history_user = user
    item.full_clean()
    item.save()
    return item


def supervision_from_decision(*, decision, user) -> SupervisionItem:
    """A meeting decision with a responsible department and deadline becomes a supervision item."""
    if not decision.adopted:
        raise ValidationError("未通过的决定不能转为督办事项。")
    if decision.responsible_department is None or decision.deadline is None:
        raise ValidationError("决定须有责任部门和办结期限才能转督办。")
    meeting = decision.agenda_item.meeting
    return supervision_register(
        user=user, title=f"{meeting.title}:{decision.agenda_item.title}", source=SupervisionSource.MEETING,
        content=decision.text, department=decision.responsible_department, deadline=decision.deadline, origin=decision,
    )


@transaction.atomic
def supervision_assign(*, item: SupervisionItem, user, responsible=None) -> SupervisionItem:
    _check_supervisor(user)
    if responsible is not None:
        item.responsible = responsible
    if item.responsible is None:
        raise ValidationError({"responsible": "交办时须指定责任人。"})
    _advance(item, S.REGISTERED, user, "交办")
    return item


@transaction.atomic
def supervision_start(*, item: SupervisionItem, user) -> SupervisionItem:
    _check_supervisor(user)
    _advance(item, S.ASSIGNED, user, "开始督办")
    return item


@transaction.atomic
def reminder_log(*, item: SupervisionItem, user, method: str, answer: str = "", on=None) -> Reminder:
    """S2.3-a: every reminder is logged with its method, date, who and the answer."""
    staff = _check_supervisor(user)
    if item.status in (S.ARCHIVED,):
        raise ValidationError("已归档的事项不再催办。")
    reminder = Reminder(item=item, method=method, on=on or timezone.localdate(), by=staff, answer=answer)
    reminder._history_user = user
    reminder.save()
    return reminder


@transaction.atomic
def supervision_feedback(*, item: SupervisionItem, user, feedback: str) -> SupervisionItem:
    staff = _staff(user)
    if not staffing_selectors.user_acts_for_department(user, item.department_id) and staff != item.responsible:
        raise PermissionDenied("只有承办股室可以反馈办理情况。")
    if not feedback.strip():
        raise ValidationError({"feedback": "请填写办理反馈。"})
    item.feedback, item.feedback_on = feedback, timezone.localdate()
    _advance(item, S.SUPERVISING, user, "反馈")
    return item


@transaction.atomic
def supervision_submit_to_leader(*, item: SupervisionItem, user) -> SupervisionItem:
    _check_supervisor(user)
    _advance(item, S.FEEDBACK, user, "报领导审阅")
    return item


@transaction.atomic
def supervision_leader_review(*, item: SupervisionItem, user, comment: str) -> SupervisionItem:
    """S2.4-a: the results go to the leader before the archive."""
    staff = _staff(user)
    if staff.leader_role not in ("main", "in_charge"):
        raise PermissionDenied("领导审阅须由领导完成。")
    if not comment.strip():
        raise ValidationError({"leader_comment": "请填写审阅意见。"})
    if item.status != S.LEADER_REVIEW:
        raise ValidationError(f"督办事项当前为「{item.get_status_display()}」,不在领导审阅环节。")
    item.leader_comment = comment
    item._history_user, item._change_reason = user, "领导审阅"
    item.save()
    return item


@transaction.atomic
def supervision_archive(*, item: SupervisionItem, user) -> SupervisionItem:
    """S2.3-b: a project item is archived with its registration form, instruction original and feedback."""
    _check_supervisor(user)
    if item.status == S.LEADER_REVIEW and not item.leader_comment.strip():
        raise ValidationError("领导审阅后才能归档。")
    if item.is_project:
        needed = {"registration": "立项登记表", "feedback": "反馈材料"}
        if item.source == SupervisionSource.INSTRUCTION:
            needed["instruction"] = "领导批示原件"
        present = set(item.attachments.values_list("kind", flat=True))
        missing = [label for kind, label in needed.items() if kind not in present]
        if missing:
            raise ValidationError(f"立项督办事项归档前须上传:{'、'.join(missing)}。")
    item.archived_on = timezone.localdate()
    _advance(item, S.LEADER_REVIEW, user, "归档")
    return item
