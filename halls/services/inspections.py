"""Inspection transitions (S1.1-f): issue the notice (草稿 → 已下达), the hall rectifies a finding, an
inspector verifies it; the inspection is 已完成 when every finding is closed. Overdue rectifications
open accountability records through the daily sweep."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from staffing import roles
from staffing import selectors as staffing_selectors
from staffing.models import Violation
from staffing.services.accountability import accountability_open
from staffing.working_days import add_working_days

from ..models import FindingStatus, HallInspection, HallSettings, InspectionFinding, InspectionStatus


def may_verify(user) -> bool:
    """复查 is the inspectors' own work (and the center admin's)."""
    return user.is_superuser or user.has_perm("halls.verify_inspectionfinding")


def may_rectify(user, finding: InspectionFinding) -> bool:
    """The hall's head, or a head of the hall's department, rectifies; center admins may record it for them."""
    if user.is_superuser or roles.CENTER_ADMIN in staffing_selectors.user_role_names(user):
        return True
    staff = getattr(user, "staff", None)
    if staff is None or not user.has_perm("halls.rectify_inspectionfinding"):
        return False
    hall = finding.inspection.hall
    if hall.head_id == staff.pk:
        return True
    heads = {roles.WINDOW_HEAD, roles.SECTION_HEAD}
    return hall.department_id is not None and hall.department_id == staff.department_id and bool(
        staffing_selectors.user_role_names(user) & heads
    )


@transaction.atomic
def inspection_issue(*, inspection: HallInspection, user) -> HallInspection:
    """下达整改通知书: every finding gets its due date, counted in working days from today."""
    inspection = HallInspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status != InspectionStatus.DRAFT:
        raise ValidationError(f"该监督检查已是「{inspection.get_status_display()}」,不能再次下达。")
    if not inspection.inspectors.exists():
        raise ValidationError({"inspectors": "请先填写检查人员。"})
    today = timezone.localdate()
    default_days = HallSettings.load().rectify_days
    findings = list(inspection.findings.all())
    for finding in findings:
        days = finding.limit_days or default_days
        finding.limit_days, finding.due_date = days, add_working_days(today, days)
        finding._history_user = user
        finding.save(update_fields=["limit_days", "due_date"])
    inspection.status = InspectionStatus.ISSUED if findings else InspectionStatus.DONE
    inspection.issued_on, inspection.issued_by = today, user
    inspection._history_user = user
    inspection.save(update_fields=["status", "issued_on", "issued_by"])
    return inspection


@transaction.atomic
def finding_rectify(*, finding: InspectionFinding, user, rectification: str, rectified_on: datetime.date | None = None):
    finding = InspectionFinding.objects.select_for_update().select_related("inspection__hall").get(pk=finding.pk)
    if not may_rectify(user, finding):
        raise PermissionDenied(f"只有「{finding.inspection.hall}」的负责人或其主办部门负责人可以填报整改情况。")
    if finding.inspection.status != InspectionStatus.ISSUED:
        raise ValidationError("整改通知书尚未下达或检查已完成,不能填报整改情况。")
    if finding.status != FindingStatus.OPEN:
        raise ValidationError(f"该问题的状态是「{finding.get_status_display()}」,不需要填报整改情况。")
    if not rectification.strip():
        raise ValidationError({"rectification": "请填写整改情况。"})
    today = timezone.localdate()
    rectified_on = rectified_on or today
    if rectified_on > today or rectified_on < finding.inspection.issued_on:
        raise ValidationError(
            {"rectified_on": f"整改日期「{rectified_on:%Y-%m-%d}」应在通知书下达日({finding.inspection.issued_on:%Y-%m-%d})至今天之间。"}
        )
    finding.rectification, finding.rectified_on, finding.rectified_by = rectification.strip(), rectified_on, user
    finding.status = FindingStatus.RECTIFIED
    finding._history_user = user
    finding.save()
    return finding


@transaction.atomic
def finding_verify(*, finding: InspectionFinding, user, passed: bool, note: str = ""):
    """复查: 合格 closes the finding; 不合格 sends it back to the hall, under the same due date."""
    finding = InspectionFinding.objects.select_for_update().select_related("inspection").get(pk=finding.pk)
    if not may_verify(user):
        raise PermissionDenied("只有督查人员或中心管理员可以复查整改情况。")
    if finding.status != FindingStatus.RECTIFIED:
        raise ValidationError(f"该问题的状态是「{finding.get_status_display()}」,没有待复查的整改。")
    if not passed and not note.strip():
        raise ValidationError({"verification_note": "复查不合格时请写明复查意见。"})
    finding.verification = "passed" if passed else "failed"
    finding.verification_note, finding.verified_on, finding.verified_by = note.strip(), timezone.localdate(), user
    finding.status = FindingStatus.CLOSED if passed else FindingStatus.OPEN
    finding._history_user = user
    finding.save()
    inspection = finding.inspection
    if passed and not inspection.findings.exclude(status=FindingStatus.CLOSED).exists():
        inspection.status = InspectionStatus.DONE
        inspection._history_user = user
        inspection.save(update_fields=["status"])
    return finding


def overdue_findings(today: datetime.date):
    """Findings not rectified by their due date: still open past it, or rectified after it."""
    return InspectionFinding.objects.filter(
        Q(status=FindingStatus.OPEN, due_date__lt=today) | Q(rectified_on__gt=F("due_date"))
    ).filter(inspection__status__in=[InspectionStatus.ISSUED, InspectionStatus.DONE])


@transaction.atomic
def sweep_inspections(today: datetime.date | None = None) -> int:
    """Open, once each, the accountability record of an overdue rectification. Idempotent."""
    today = today or timezone.localdate()
    opened = 0
    for finding in overdue_findings(today).select_related("inspection__hall__department", "inspection__hall__head"):
        hall = finding.inspection.hall
        department = hall.department or (hall.head.department if hall.head else None)
        if department is None:
            continue  # a township center without a department: guided, not held accountable here
        _, created = accountability_open(
            violation=Violation.OVERDUE_HALL_RECTIFY,
            source=finding,
            department=department,
            responsible=hall.head,
            description=(
                f"{hall}{finding.inspection.date:%Y年%m月%d日}监督检查发现的问题「{finding.description[:40]}」"
                f"逾期未整改(整改期限{finding.due_date:%Y-%m-%d})。"
            ),
        )
        opened += created
    return opened
