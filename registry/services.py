"""Writes and rules of the item catalog: limits, handling modes, disclosure (S1.2-b, S1.7, S5.2)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from staffing.models import CenterSettings

from .models import HandlingMode, ItemStatus, ServiceItem


def item_field_errors(item: ServiceItem) -> dict[str, list[str]]:
    """The rules that one item's own fields must satisfy, as {field: [Chinese messages]}."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    statutory, committed = item.statutory_limit_days, item.committed_limit_days
    if statutory is not None and committed is not None and committed > statutory:
        add("committed_limit_days", f"承诺办结时限({committed}个工作日)不能超过法定办结时限({statutory}个工作日)。")
    if item.handling_mode == HandlingMode.IMMEDIATE:
        if committed not in (None, 0):
            add("committed_limit_days", f"即办件当场办结,承诺办结时限应为0,不能是{committed}。")
    elif item.handling_mode and committed is None:
        add("committed_limit_days", f"{item.get_handling_mode_display()}须填写承诺办结时限(工作日)。")
    if item.handling_mode == HandlingMode.REPORT_UP and not item.report_authority.strip():
        add("report_authority", "上报件须填写上报机关。")
    return errors


def item_steps_errors(item: ServiceItem, steps: list) -> list[str]:
    """S5.2: steps are timed; their counted days fit the committed limit; 即办件 has no multi-day step."""
    errors = []
    if item.handling_mode == HandlingMode.IMMEDIATE:
        slow = [step.name for step in steps if step.limit_days]
        if slow:
            errors.append(f"即办件当场办结,不能有需要工作日的环节:{'、'.join(slow)}。")
        return errors
    counted = sum(step.limit_days for step in steps if step.counts_towards_limit)
    committed = item.committed_limit_days
    if committed is not None and counted > committed:
        errors.append(f"计入时限的各环节合计{counted}个工作日,超过承诺办结时限{committed}个工作日。")
    return errors


def item_co_department_errors(item: ServiceItem, departments: list) -> list[str]:
    errors = []
    if item.handling_mode == HandlingMode.JOINT and not departments:
        errors.append("联办件须至少指定一个联办部门。")
    if item.department_id and any(d.pk == item.department_id for d in departments):
        errors.append(f"「{item.department}」是实施主体,不能同时作为联办部门。")
    return errors


def item_disclosure_missing(item: ServiceItem, *, material_count: int, site_complaint_phone: str | None = None) -> list[str]:
    """S1.7: the elements a published item must show, by name, that this item lacks."""
    if site_complaint_phone is None:
        site_complaint_phone = CenterSettings.load().complaint_phone
    missing = []
    if not item.legal_basis.strip():
        missing.append("设定依据")
    if not item.procedure.strip():
        missing.append("办理流程")
    if material_count < 1:
        missing.append("申请材料")
    if item.handling_mode != HandlingMode.IMMEDIATE:
        if item.statutory_limit_days is None:
            missing.append("法定办结时限")
        if item.committed_limit_days is None:
            missing.append("承诺办结时限")
    if item.charges_fee:
        if not item.fee_standard.strip():
            missing.append("收费标准")
        if not item.fee_basis.strip():
            missing.append("收费依据")
    if not item.contact.strip():
        missing.append("联系人")
    if not item.phone.strip():
        missing.append("咨询电话")
    if not (item.complaint_phone.strip() or site_complaint_phone.strip()):
        missing.append("监督投诉电话")
    return missing


def item_apply_disclosure(item: ServiceItem, missing: list[str]) -> None:
    """Set the stored flags; refuse 在用 while anything is missing."""
    item.disclosure_missing = "、".join(missing)
    item.disclosure_complete = not missing
    if missing and item.status == ItemStatus.ACTIVE:
        raise ValidationError(
            {"status": f"公开要素不全,不能设为在用。缺少:{item.disclosure_missing}。"}, code="disclosure_incomplete"
        )


@transaction.atomic
def item_refresh_disclosure(item: ServiceItem) -> ServiceItem:
    """Recompute the stored disclosure flags from the saved item and its materials."""
    missing = item_disclosure_missing(item, material_count=item.materials.count())
    item_apply_disclosure(item, missing)
    # Derived flags only (excluded from history), so a plain update is enough.
    ServiceItem.objects.filter(pk=item.pk).update(
        disclosure_missing=item.disclosure_missing, disclosure_complete=item.disclosure_complete
    )
    return item


@transaction.atomic
def item_set_status(*, item: ServiceItem, status: str, user=None) -> ServiceItem:
    """Publish (在用), suspend (暂停) or return to draft; publishing needs complete disclosure."""
    if status not in ItemStatus.values:
        raise ValidationError(f"未知的事项状态「{status}」。")
    item.status = status
    item_apply_disclosure(item, item_disclosure_missing(item, material_count=item.materials.count()))
    item._history_user = user
    item.save()
    return item
