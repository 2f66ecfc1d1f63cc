"""Reads of inspections and findings: scoping to a user's halls, and the 待我办理 kinds (待整改, 待复查)."""

from django.db.models import Q, QuerySet
from project.inbox import WaitingKind
from staffing import roles
from staffing import selectors as staffing_selectors

from .models import FindingStatus, InspectionFinding, InspectionStatus


def scope_to_halls(queryset: QuerySet, user, hall_path: str = "hall") -> QuerySet:
    """Center roles see every hall; others see the halls their department runs or that they head."""
    if staffing_selectors.user_sees_all_departments(user):
        return queryset
    return queryset.filter(
        Q(**{f"{hall_path}__department_id__in": staffing_selectors.user_department_ids(user)})
        | Q(**{f"{hall_path}__head__user": user})
    )


def findings_to_rectify(user, staff):
    """Open findings of issued notices, for the head of the hall or of the department that runs it."""
    if staff is None or staffing_selectors.user_sees_all_departments(user):
        return None
    is_head = bool(staffing_selectors.user_role_names(user) & {roles.WINDOW_HEAD, roles.SECTION_HEAD})
    mine = Q(inspection__hall__head=staff)
    if is_head:
        mine |= Q(inspection__hall__department_id__in=staffing_selectors.user_department_ids(user))
    return InspectionFinding.objects.filter(mine, status=FindingStatus.OPEN, inspection__status=InspectionStatus.ISSUED)


def findings_to_verify(user, staff):
    return InspectionFinding.objects.filter(status=FindingStatus.RECTIFIED)


WAITING = [
    WaitingKind(
        key="halls.finding_rectify",
        label="监督检查发现问题待整改",
        permission="halls.rectify_inspectionfinding",
        records=findings_to_rectify,
        url_name="admin:halls_inspectionfinding_changelist",
        query="todo=rectify",
    ),
    WaitingKind(
        key="halls.finding_verify",
        label="监督检查整改待复查",
        permission="halls.verify_inspectionfinding",
        records=findings_to_verify,
        url_name="admin:halls_inspectionfinding_changelist",
        query="todo=verify",
    ),
]
