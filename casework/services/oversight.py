"""Across departments and oversight: joint opinions (S5.6-c), report-up (S5.6-d), the window head's
approval of delegated items (S1.1-e), complaints (S1.1-b), and the sweep that opens accountability
records (S1.4, S1.8, S5.5)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from registry.models import HandlingMode
from staffing import roles
from staffing import selectors as staffing_selectors
from staffing.models import Violation
from staffing.services import accountability_open
from staffing.working_days import add_working_days

from ..models import (
    Case,
    CaseStatus,
    CaseworkSettings,
    Complaint,
    ComplaintKind,
    JointOpinion,
    Notice,
    OpinionStatus,
    Refusal,
    RefusalStatus,
    ReportUpFollowUp,
)
from .guards import acting_staff, check_can_act, lock_case


def _today():
    return timezone.localdate()


# --- Joint handling -------------------------------------------------------------------------------


def open_joint_opinions(case: Case, day: datetime.date) -> list[JointOpinion]:
    """On acceptance of a 联办件: one opinion request per co-department, each with its due date."""
    if case.handling_mode != HandlingMode.JOINT:
        return []
    due = add_working_days(day, CaseworkSettings.load().joint_opinion_days)
    return [
        JointOpinion.objects.get_or_create(case=case, department=link.department, defaults={"requested_on": day, "due_date": due})[0]
        for link in case.item.co_department_links.select_related("department")
    ]


@transaction.atomic
def opinion_give(*, opinion: JointOpinion, user, status: str, reasons: str = "", attachment=None) -> JointOpinion:
    """The co-department's staff give their opinion; disagreeing or asking for material needs reasons."""
    staff = acting_staff(user)
    if not user.has_perm("casework.change_jointopinion"):
        raise PermissionDenied("您没有提出联办意见的权限。")
    if not staffing_selectors.user_acts_for_department(user, opinion.department_id):
        raise PermissionDenied(f"该意见应由「{opinion.department}」提出。")
    if opinion.status != OpinionStatus.PENDING:
        raise ValidationError("该联办意见已提出。")
    if status not in (OpinionStatus.AGREE, OpinionStatus.DISAGREE, OpinionStatus.NEED_MORE):
        raise ValidationError({"status": "请选择意见:同意、不同意或需补充材料。"})
    if status != OpinionStatus.AGREE and not reasons.strip():
        raise ValidationError({"reasons": "不同意或需补充材料时须写明理由。"})
    opinion.status, opinion.reasons, opinion.given_by, opinion.given_at = status, reasons, staff, timezone.now()
    if attachment is not None:
        opinion.attachment = attachment
    opinion._history_user = user
    opinion.save()
    return opinion


def check_opinions_in(case: Case) -> None:
    """The lead's decision waits for every co-department's opinion."""
    waiting = list(case.opinions.filter(status=OpinionStatus.PENDING).values_list("department__name", flat=True))
    if waiting:
        raise ValidationError(f"联办件须待全部协办部门提出意见后方可作出决定,尚未提出:{'、'.join(waiting)}。")


# --- Report-up ------------------------------------------------------------------------------------


@transaction.atomic
def case_report_up(*, case: Case, user, authority: str = "", on: datetime.date | None = None) -> Case:
    check_can_act(user, case.department_id)
    lock_case(case)
    if case.handling_mode != HandlingMode.REPORT_UP:
        raise ValidationError("只有上报件需要上报。")
    if case.status not in (CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS):
        raise ValidationError("受理后才能上报。")
    case.reported_up_on = on or _today()
    case.report_authority = authority or case.item.report_authority
    case._history_user, case._change_reason = user, f"上报{case.report_authority}"
    case.save()
    return case


@transaction.atomic
def report_up_follow_up(*, case: Case, user, method: str, answer: str, on=None) -> ReportUpFollowUp:
    staff = check_can_act(user, case.department_id)
    if case.reported_up_on is None:
        raise ValidationError("尚未上报,无需跟踪。")
    if not answer.strip():
        raise ValidationError({"answer": "请记录上级的答复情况。"})
    follow_up = ReportUpFollowUp(case=case, on=on or _today(), method=method, by=staff, answer=answer)
    follow_up._history_user = user
    follow_up.save()
    return follow_up


@transaction.atomic
def report_up_result(*, case: Case, user, result: str, on=None) -> Case:
    check_can_act(user, case.department_id)
    lock_case(case)
    if case.reported_up_on is None:
        raise ValidationError("尚未上报,不能登记上级结果。")
    if not result.strip():
        raise ValidationError({"report_result": "请填写上级机关的审批结果。"})
    case.report_result, case.report_result_on = result, on or _today()
    case._history_user, case._change_reason = user, "登记上级审批结果"
    case.save()
    return case


def check_report_up_done(case: Case) -> None:
    if case.handling_mode == HandlingMode.REPORT_UP and not case.report_result:
        raise ValidationError("上报件须登记上级机关的审批结果后才能办结。")


# --- Delegated approval (S1.1-e) ------------------------------------------------------------------


@transaction.atomic
def case_head_approve(*, case: Case, user, note: str = "") -> Case:
    staff = check_can_act(user, case.department_id)
    lock_case(case)
    if roles.WINDOW_HEAD not in staffing_selectors.user_role_names(user):
        raise PermissionDenied("授权委托审批事项须由窗口负责人审批。")
    if case.status not in (CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS):
        raise ValidationError("只有受理后、办结前的办件需要窗口负责人审批。")
    case.head_approved_by, case.head_approved_at = staff, timezone.now()
    case._history_user, case._change_reason = user, f"窗口负责人审批同意 {note}".strip()
    case.save()
    return case


def check_head_approval(case: Case) -> None:
    if case.item.needs_head_approval and case.head_approved_by_id is None:
        raise ValidationError("该事项为授权委托审批事项,须经窗口负责人审批后方可办结。")


# --- Complaints (S1.1-b) ------------------------------------------------------------------------


@transaction.atomic
def complaint_register(
    *, user, channel: str, content: str, complainant: str = "", phone: str = "", window=None, staff=None, case=None,
    received_on: datetime.date | None = None, kind: str = ComplaintKind.GENERAL, bidding_event=None,
) -> Complaint:
    """Register a complaint; its due date counts the handling limit of its kind in working days from
    the day it was received (一般投诉: complaint_days; 招投标投诉: bidding_complaint_days)."""
    if not content.strip():
        raise ValidationError({"content": "请填写投诉内容。"})
    if bidding_event is not None and kind != ComplaintKind.BIDDING:
        raise ValidationError({"bidding_event": f"只有招投标投诉才能关联招投标项目(选择的是「{bidding_event}」)。"})
    received_on = received_on or _today()
    panel = CaseworkSettings.load()
    days = panel.bidding_complaint_days if kind == ComplaintKind.BIDDING else panel.complaint_days
    department = (case.department if case else None) or (window.department if window else None) or (staff.department if staff else None)
    complaint = Complaint(
        kind=kind, bidding_event=bidding_event, channel=channel, content=content, complainant=complainant, phone=phone,
        window=window or (case.window if case else None), staff=staff, case=case, department=department,
        received_on=received_on, due_date=add_working_days(received_on, days),
    )
    complaint._history_user = user
    complaint.save()
    return complaint


@transaction.atomic
def complaint_resolve(*, complaint: Complaint, user, findings: str, upheld: bool, reply: str, replied_on=None) -> Complaint:
    handler = acting_staff(user)
    if complaint.is_closed:
        raise ValidationError("该投诉已答复办结。")
    if not findings.strip() or not reply.strip():
        raise ValidationError("请填写调查情况和对投诉人的答复。")
    complaint.handler, complaint.findings, complaint.upheld = handler, findings, upheld
    complaint.reply, complaint.replied_on = reply, replied_on or _today()
    complaint._history_user = user
    complaint.save()
    return complaint


def overdue_complaints(today: datetime.date | None = None):
    return Complaint.objects.filter(replied_on__isnull=True, due_date__lt=today or _today())


# --- The sweep (S1.4, S1.8, S5.5) ----------------------------------------------------------------


def overdue_cases(today: datetime.date):
    """Committed cases past their committed date: open ones (not while the clock is stopped in 补正)
    and those completed late."""
    from ..selectors import overdue_q  # selectors import the services: imported here, not at the top

    open_late = Case.objects.filter(overdue_q(today))
    return (open_late | Case.objects.filter(overdue=True)).select_related("department", "handler")


@transaction.atomic
def sweep_casework(today: datetime.date | None = None) -> dict:
    """Open the accountability records that overdue cases, upheld complaints, overturned refusals and
    repeated 补正 notices call for; escalate overdue joint opinions. Idempotent."""
    today = today or _today()
    opened = {violation: 0 for violation in ("cases", "complaints", "refusals", "notices", "opinions")}

    def record(key, **values):
        _, created = accountability_open(**values)
        opened[key] += created

    for case in overdue_cases(today):
        record(
            "cases", violation=Violation.OVERDUE_CASE, source=case, department=case.department, responsible=case.handler,
            description=f"办件{case.number}承诺{case.committed_due_date}办结,逾期未办结。",
        )
    for complaint in Complaint.objects.filter(upheld=True).select_related("department", "staff", "window__department"):
        department = complaint.department or (complaint.window.department if complaint.window else None)
        if department:
            record(
                "complaints", violation=Violation.UPHELD_COMPLAINT, source=complaint, department=department,
                responsible=complaint.staff, description=f"投诉属实:{complaint.content[:100]}",
            )
    for refusal in Refusal.objects.filter(status=RefusalStatus.OVERTURNED).select_related("department", "refused_by", "case"):
        record(
            "refusals", violation=Violation.OVERTURNED_REFUSAL, source=refusal, department=refusal.department,
            responsible=refusal.refused_by, description=f"办件{refusal.case.number}的否定经申诉被撤销。",
        )
    for notice in Notice.objects.filter(is_service_defect=True).select_related("case__department", "issued_by__staff"):
        record(
            "notices", violation=Violation.REPEAT_CORRECTION, source=notice, department=notice.case.department,
            responsible=getattr(notice.issued_by, "staff", None),
            description=f"办件{notice.case.number}再次要求补正:{notice.repeat_reason}",
        )
    for opinion in JointOpinion.objects.filter(status=OpinionStatus.PENDING, due_date__lt=today).select_related("department", "case"):
        if opinion.escalated_at is None:
            opinion.escalated_at = timezone.now()
            opinion._change_reason = "逾期未提出意见,报协办部门分管领导"
            opinion.save()
        record(
            "opinions", violation=Violation.OVERDUE_OPINION, source=opinion, department=opinion.department,
            description=f"联办件{opinion.case.number}的协办意见逾期(期限{opinion.due_date})。",
        )
    return opened


@transaction.atomic
def assessment_prepare(*, staff, year: int, month: int, user=None):
    """The month's assessment sheet, filled with the measured facts; the score stays the assessor's."""
    from staffing import assessment_facts
    from staffing.models import Assessment

    from ..statistics import staff_month_facts

    assessment, _ = Assessment.objects.get_or_create(staff=staff, year=year, month=month)
    for field, value in {**staff_month_facts(staff, year, month), **assessment_facts.collect(staff, year, month)}.items():
        setattr(assessment, field, value)
    assessment._history_user = user
    assessment.save()
    return assessment
