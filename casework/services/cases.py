"""One service per transition of a case, from receipt to delivery (S1.2, S1.4, S5.2, S5.6-a/b)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from registry import selectors as registry_selectors
from registry.models import HandlingMode, ItemStatus, ServiceItem
from staffing import roles
from staffing import selectors as staffing_selectors
from staffing.numbering import next_sequence
from staffing.working_days import WorkCalendar

from ..models import (
    Case,
    CaseCounter,
    CaseExtension,
    CaseMaterial,
    CaseStatus,
    CaseStep,
    CaseworkSettings,
    ExtensionStatus,
    NoticeKind,
)
from ..validators import validate_applicant
from . import deadlines, notices, oversight
from .guards import check_can_act, lock_case
from .transitions import set_status

S = CaseStatus


def _today():
    return timezone.localdate()


def case_number(window, day) -> str:
    """Readable and unique: window, date, sequence of the day (01-20261126-0007)."""
    return f"{window.number}-{day:%Y%m%d}-{next_sequence(CaseCounter, window=window, day=day):04d}"


def _fee_terms(item: ServiceItem) -> str:
    if not item.charges_fee:
        return "不收费"
    return f"收费:{item.fee_standard}(依据:{item.fee_basis})"


@transaction.atomic
def case_receive(
    *,
    item: ServiceItem,
    window,
    user,
    applicant_name: str,
    applicant_kind: str = "person",
    id_type: str = "",
    id_number: str = "",
    credit_code: str = "",
    phone: str = "",
    priority: bool = False,
    assisted: bool = False,
    assisted_note: str = "",
    consultation=None,
    first_inquiry_staff=None,
    received_at: datetime.datetime | None = None,
) -> Case:
    """收件: open a case for a published item, with the item's terms and material checklist copied in."""
    staff = check_can_act(user, item.department_id, "casework.add_case")
    if item.status != ItemStatus.ACTIVE:
        raise ValidationError(f"事项「{item.full_name}」当前为「{item.get_status_display()}」,只有在用事项才能收件。")
    if window.department_id != item.department_id:
        raise ValidationError({"window": f"窗口「{window}」不属于事项的实施部门「{item.department}」。"})
    if not registry_selectors.item_offered_at(item, window.hall_id):
        raise ValidationError({"window": f"事项「{item.full_name}」不在「{window.hall}」办理,不能在「{window}」收件。"})
    if item.window_id and window.pk != item.window_id and window.hall_id == item.window.hall_id:
        raise ValidationError(
            {"window": f"事项「{item.full_name}」在「{item.window}」办理,不在「{window}」办理,请选择「{item.window}」。"}
        )
    applicant = validate_applicant(
        kind=applicant_kind, name=applicant_name, id_type=id_type, id_number=id_number, credit_code=credit_code
    )
    received_at = received_at or timezone.now()
    received_on = timezone.localtime(received_at).date()
    settings = CaseworkSettings.load()
    latest_version = item.history.order_by("-history_id").values_list("history_id", flat=True).first()
    case = Case(
        number=case_number(window, received_on),
        item=item,
        item_version=latest_version,
        department=item.department,
        window=window,
        hall_id=window.hall_id,
        consultation=consultation,
        phone=phone,
        first_inquiry_staff=first_inquiry_staff or (consultation.first_inquiry_staff if consultation else staff),
        handler=staff,
        priority=priority,
        assisted=assisted,
        assisted_note=assisted_note,
        handling_mode=item.handling_mode,
        statutory_limit_days=item.statutory_limit_days,
        committed_limit_days=item.committed_limit_days,
        fee_terms=_fee_terms(item),
        status=S.RECEIVED,
        received_at=received_at,
        received_on=received_on,
        acceptance_deadline=WorkCalendar().add_working_days(received_on, settings.deemed_acceptance_days),
        **applicant,
    )
    if assisted and not assisted_note.strip():
        raise ValidationError({"assisted_note": "协助填表须写明协助内容。"})
    case._history_user = user
    case._change_reason = "收件"
    case.full_clean()
    case.save()
    # With history rows: a clerk's later tick is then shown as "from 待核验 to …" (and by whom).
    bulk_create_with_history(
        [
            CaseMaterial(
                case=case, order=m.order, name=m.name, form=m.form, copies=m.copies, required=m.required
            )
            for m in item.materials.all()
        ],
        CaseMaterial,
        default_user=user,
        default_change_reason="收件",
    )
    return case


@transaction.atomic
def case_check_material(*, material: CaseMaterial, user, state: str, problem: str = "") -> CaseMaterial:
    """Tick one line of the checklist: received, missing, or unqualified (with what to change)."""
    check_can_act(user, material.case.department_id)
    if not material.case.is_open:
        raise ValidationError("已办结或不予受理的办件不能再核验材料。")
    if state == "unqualified" and not problem.strip():
        raise ValidationError({"problem": f"材料「{material.name}」不合格时须写明需要如何修改。"})
    material.state, material.problem = state, problem
    material._history_user = user
    material.save()
    return material


def _checklist_problems(case: Case):
    return case.materials.filter(required=True).exclude(state="received")


@transaction.atomic
def case_accept(*, case: Case, user, note: str = "", accepted_on: datetime.date | None = None) -> Case:
    """受理: every required material received; the due dates start counting from the next working day."""
    check_can_act(user, case.department_id)
    lock_case(case)
    problems = list(_checklist_problems(case).values_list("name", flat=True))
    if problems:
        raise ValidationError(f"以下必需材料尚未收齐,不能受理:{'、'.join(problems)}。请出具一次性补正告知书。")
    came_from = case.status
    accepted_on = accepted_on or _today()
    if case.accepted_on is None:
        case.accepted_on = accepted_on
        _start_steps(case, accepted_on)
        oversight.open_joint_opinions(case, accepted_on)
    deadlines.close_open_pauses(case, day=accepted_on)
    deadlines.apply_due_dates(case)
    target = S.IN_PROGRESS if came_from == S.CORRECTION and case.transitions.filter(to_status=S.ACCEPTED).exists() else S.ACCEPTED
    set_status(case, target, user=user, note=note, reason="受理" if target == S.ACCEPTED else "补正完成,恢复计时")
    if target == S.ACCEPTED:
        notices.notice_issue(case=case, kind=NoticeKind.ACCEPTANCE, user=user)
    return case


def _start_steps(case: Case, day: datetime.date) -> None:
    calendar = WorkCalendar()
    steps = [
        CaseStep(
            case=case,
            order=step.order,
            name=step.name,
            limit_days=step.limit_days,
            counts_towards_limit=step.counts_towards_limit,
        )
        for step in case.item.steps.all()
    ]
    if steps:
        steps[0].started_on = day
        steps[0].due_date = calendar.add_working_days(day, steps[0].limit_days)
    CaseStep.objects.bulk_create(steps)
    if steps and not steps[0].counts_towards_limit:
        deadlines.open_pause(case, reason=f"不计时环节:{steps[0].name}", day=day)


@transaction.atomic
def case_request_correction(*, case: Case, user, note: str = "", repeat_reason: str = "") -> Case:
    """补正: one notice listing every missing or unqualified material at once (S1.5-b, S1.6)."""
    check_can_act(user, case.department_id)
    lock_case(case)
    if not _checklist_problems(case).exclude(state="pending").exists():
        raise ValidationError("材料清单中没有标记为“缺少”或“不合格”的必需材料,无需补正。")
    pending = list(_checklist_problems(case).filter(state="pending").values_list("name", flat=True))
    if pending:
        raise ValidationError(f"请先核验全部材料再出具补正告知书,尚未核验:{'、'.join(pending)}。")
    notices.check_correction_repeat(case, repeat_reason)
    was_accepted = case.accepted_on is not None
    set_status(case, S.CORRECTION, user=user, note=note, reason="一次性告知补正")
    if was_accepted:
        deadlines.open_pause(case, reason="补正", day=_today())
    notices.notice_issue(case=case, kind=NoticeKind.CORRECTION, user=user, repeat_reason=repeat_reason)
    return case


@transaction.atomic
def case_start(*, case: Case, user, note: str = "") -> Case:
    check_can_act(user, case.department_id)
    lock_case(case)
    if case.status != S.ACCEPTED:
        raise ValidationError(f"办件{case.number}当前为「{case.get_status_display()}」,只有已受理的办件可以开始办理。")
    set_status(case, S.IN_PROGRESS, user=user, note=note, reason="开始办理")
    return case


def current_step(case: Case) -> CaseStep | None:
    return case.steps.filter(started_on__isnull=False, finished_on__isnull=True).order_by("order").first()


@transaction.atomic
def case_finish_step(*, case: Case, user, day: datetime.date | None = None) -> CaseStep | None:
    """Finish the current procedure step and start the next one with its own due date (S5.2)."""
    staff = check_can_act(user, case.department_id)
    lock_case(case)
    if case.status not in (S.ACCEPTED, S.IN_PROGRESS):
        raise ValidationError("只有受理或办理中的办件可以推进办理环节。")
    step = current_step(case)
    if step is None:
        raise ValidationError("该办件没有进行中的办理环节。")
    day = day or _today()
    step.finished_on, step.finished_by = day, staff
    step.save()
    if not step.counts_towards_limit:
        deadlines.close_open_pauses(case, day=day)
    following = case.steps.filter(order__gt=step.order).order_by("order").first()
    if following:
        following.started_on = day
        following.due_date = WorkCalendar().add_working_days(day, following.limit_days)
        following.save()
        if not following.counts_towards_limit:
            deadlines.open_pause(case, reason=f"不计时环节:{following.name}", day=day)
    if deadlines.apply_due_dates(case):
        case._change_reason = f"环节「{step.name}」完成,期限重新计算"
        case.save()
    return following


def check_can_complete(case: Case) -> None:
    """Before any decision: joint opinions all in, the report-up result in, the window head's approval."""
    oversight.check_opinions_in(case)
    oversight.check_report_up_done(case)
    oversight.check_head_approval(case)


def _complete(case: Case, user, target: str, note: str, reason: str, day: datetime.date | None = None) -> Case:
    check_can_complete(case)
    today = day or _today()
    deadlines.close_open_pauses(case, day=today)
    case.completed_on = today
    if case.handling_mode == HandlingMode.IMMEDIATE:
        case.same_day_missed = today != case.received_on
    case.overdue = bool(case.committed_due_date and today > case.committed_due_date)
    for step in case.steps.filter(finished_on__isnull=True, started_on__isnull=False):
        step.finished_on = today
        step.save()
    set_status(case, target, user=user, note=note, reason=reason)
    return case


@transaction.atomic
def case_approve(*, case: Case, user, note: str = "", completed_on: datetime.date | None = None) -> Case:
    """办结(准予), with the completion notice. `completed_on` (default today) serves records entered late."""
    check_can_act(user, case.department_id)
    lock_case(case)
    if completed_on is not None and completed_on > _today():
        raise ValidationError(f"办结日期 {completed_on:%Y-%m-%d} 不能晚于今天。")
    if case.status == S.ACCEPTED:  # an immediate item goes straight from acceptance to completion
        set_status(case, S.IN_PROGRESS, user=user, reason="开始办理")
    _complete(case, user, S.APPROVED, note, "办结(准予)", day=completed_on)
    notices.notice_issue(case=case, kind=NoticeKind.COMPLETION, user=user)
    return case


def case_disapprove_effective(*, case: Case, user, note: str = "", refusal=None) -> Case:
    """办结(不予批准): called by the refusal service once the refusal is effective."""
    if case.status == S.ACCEPTED:
        set_status(case, S.IN_PROGRESS, user=user, reason="开始办理")
    _complete(case, user, S.DISAPPROVED, note, "办结(不予批准)")
    notices.notice_issue(case=case, kind=NoticeKind.DISAPPROVAL, user=user, refusal=refusal)
    return case


@transaction.atomic
def case_deliver(*, case: Case, user, note: str = "", delivered_on: datetime.date | None = None) -> Case:
    check_can_act(user, case.department_id)
    lock_case(case)
    case.delivered_on = delivered_on or _today()
    set_status(case, S.DELIVERED, user=user, note=note, reason="送达")
    return case


@transaction.atomic
def case_request_extension(*, case: Case, user, days: int, reason: str) -> CaseExtension:
    """延期: needs a reason and a leader's approval; may not pass the statutory limit."""
    staff = check_can_act(user, case.department_id)
    lock_case(case)
    if case.status not in (S.ACCEPTED, S.IN_PROGRESS, S.CORRECTION) or case.accepted_on is None:
        raise ValidationError("只有已受理、尚未办结的办件可以申请延期。")
    if not reason.strip():
        raise ValidationError({"reason": "申请延期须写明理由。"})
    if days < 1:
        raise ValidationError({"days": "延期天数须为正整数(工作日)。"})
    _check_extension_fits(case, days)
    extension = CaseExtension(case=case, days=days, reason=reason, requested_by=staff)
    extension._history_user = user
    extension.save()
    return extension


def _check_extension_fits(case: Case, days: int) -> None:
    if case.statutory_limit_days is None or case.committed_limit_days is None:
        return
    room = case.statutory_limit_days - case.committed_limit_days - deadlines.approved_extension_days(case)
    if days > room:
        raise ValidationError(
            {"days": f"延期{days}个工作日将超过法定办结时限({case.statutory_limit_days}个工作日),最多还可延期{max(room, 0)}个工作日。"}
        )


@transaction.atomic
def extension_decide(*, extension: CaseExtension, user, approve: bool, note: str = "") -> CaseExtension:
    """A leader (the department's leader in charge or the main leader) approves or refuses an extension."""
    case = extension.case
    approver = getattr(user, "staff", None)
    is_leader = approver is not None and (
        roles.MAIN_LEADER in staffing_selectors.user_role_names(user)
        or case.department.leader_in_charge_id == approver.pk
    )
    if not is_leader:
        raise PermissionDenied("延期须由该部门的分管领导或主要领导审批。")
    if extension.status != ExtensionStatus.PENDING:
        raise ValidationError("该延期申请已审批。")
    if not approve and not note.strip():
        raise ValidationError({"decision_note": "不同意延期时须写明意见。"})
    if approve:
        _check_extension_fits(case, extension.days)
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    extension.decided_by, extension.decided_at, extension.decision_note = approver, timezone.now(), note
    extension._history_user = user
    extension.save()
    if approve and deadlines.apply_due_dates(case):
        case._history_user = user
        case._change_reason = f"批准延期{extension.days}个工作日:{extension.reason}"
        case.save()
    if approve:
        notices.notice_issue(case=case, kind=NoticeKind.EXTENSION, user=user, extension=extension)
    return extension


@transaction.atomic
def case_deem_accepted(*, case: Case, today: datetime.date | None = None) -> bool:
    """行政许可法 art. 32: not accepted and no 补正 notice by the deadline = accepted on the day of receipt."""
    today = today or _today()
    if case.status != S.RECEIVED or case.acceptance_deadline is None or today <= case.acceptance_deadline:
        return False
    if case.notices.filter(kind=NoticeKind.CORRECTION).exists():
        return False
    case.accepted_on = case.received_on
    case.deemed_accepted = True
    _start_steps(case, case.received_on)
    oversight.open_joint_opinions(case, case.received_on)
    deadlines.apply_due_dates(case)
    set_status(case, S.ACCEPTED, note="逾期未作出受理决定,依法视为受理", reason="视为受理(行政许可法第三十二条)")
    return True


def deem_overdue_receipts(today: datetime.date | None = None) -> int:
    today = today or _today()
    cases = Case.objects.filter(status=S.RECEIVED, acceptance_deadline__lt=today).select_related("item")
    return sum(case_deem_accepted(case=case, today=today) for case in cases)
