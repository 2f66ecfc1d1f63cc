"""Accountability records (责任追究, S1.8): opened once per cause, against the directly responsible
person and the head of their section or window; decided with a measure."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import roles
from ..models import AccountabilityRecord, AccountabilityStatus, Department, Staff


def department_head(department: Department) -> Staff | None:
    """The head of a section or window: a staff member of the department in the 股室/窗口负责人 role."""
    return (
        Staff.objects.filter(
            department=department, is_active=True, user__groups__name__in=[roles.SECTION_HEAD, roles.WINDOW_HEAD]
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def accountability_open(
    *, violation: str, source, department: Department, description: str, responsible: Staff | None = None, user=None
) -> tuple[AccountabilityRecord, bool]:
    """Open the record that `source` calls for, once: running it again returns the same record."""
    source_type = ContentType.objects.get_for_model(source)
    record, created = AccountabilityRecord.objects.get_or_create(
        violation=violation,
        source_type=source_type,
        source_id=source.pk,
        defaults={
            "department": department,
            "responsible": responsible,
            "head": department_head(department),
            "description": description,
        },
    )
    return record, created


@transaction.atomic
def accountability_decide(*, record: AccountabilityRecord, user, measure: str, dismiss: bool = False) -> AccountabilityRecord:
    if record.status != AccountabilityStatus.OPEN:
        raise ValidationError("该责任追究记录已处理。")
    if not measure.strip():
        raise ValidationError({"measure": "请填写处理措施或免责理由。"})
    record.status = AccountabilityStatus.DISMISSED if dismiss else AccountabilityStatus.DECIDED
    record.measure, record.decided_on = measure, timezone.localdate()
    record._history_user = user
    record.save()
    return record
