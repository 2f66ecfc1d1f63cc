"""Office supplies (S3.7): fund-use forms approved by amount, purchases stocked in before reimbursement,
requisitions issued at moving average cost, stock never negative — also under concurrent issues."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from staffing import roles
from staffing import selectors as staffing_selectors
from staffing.models import ApprovalKind, RequestStatus
from staffing.services import approvals

from ..models import (
    FundRequest,
    FundRequestLine,
    MovementKind,
    Purchase,
    PurchaseLine,
    Requisition,
    RequisitionLine,
    StockMovement,
    Supply,
)

CENT = Decimal("0.01")
REQUESTER_ROLES = {roles.SECTION_HEAD, roles.WINDOW_HEAD, roles.OFFICE_STAFF, roles.CENTER_ADMIN}
OFFICE_ROLES = {roles.OFFICE_STAFF, roles.CENTER_ADMIN}


def _staff(user):
    staff = getattr(user, "staff", None)
    if staff is None:
        raise PermissionDenied("当前账号未关联工作人员。")
    return staff


def _check_office(user):
    if not (user.is_superuser or staffing_selectors.user_role_names(user) & OFFICE_ROLES):
        raise PermissionDenied("采购、入库和发放由办公室负责。")
    return _staff(user)


def _plain(number: Decimal) -> str:
    """4.00 → 4, 2.50 → 2.5: quantities as people write them."""
    return format(number.normalize(), "f")


def stock_on_hand(supply: Supply) -> tuple[Decimal, Decimal]:
    """(quantity, value) on hand: the sums of the movements."""
    totals = supply.movements.aggregate(quantity=Sum("quantity"), value=Sum("amount"))
    return totals["quantity"] or Decimal(0), totals["value"] or Decimal(0)


@transaction.atomic
def fund_request_submit(*, user, purpose: str, lines: list[dict]) -> FundRequest:
    """A department head or the office asks; the amount picks the approvers (S3.7-a)."""
    staff = _staff(user)
    if not (user.is_superuser or staffing_selectors.user_role_names(user) & REQUESTER_ROLES):
        raise PermissionDenied("资金使用审批表由部门(股室)负责人或办公室提出。")
    if not purpose.strip():
        raise ValidationError({"purpose": "请填写资金用途。"})
    if not lines:
        raise ValidationError({"lines": "请至少填写一项申购明细。"})
    total = Decimal(0)
    for number, line in enumerate(lines, start=1):
        if line["quantity"] <= 0 or line["unit_price"] < 0:
            raise ValidationError({"lines": f"第{number}项「{line['description']}」的数量须大于0、单价不能为负。"})
        total += (line["quantity"] * line["unit_price"]).quantize(CENT, ROUND_HALF_UP)
    request = FundRequest(department=staff.department, requested_by=staff, purpose=purpose, estimated_amount=total)
    request._history_user = user
    request.save()
    for line in lines:
        FundRequestLine.objects.create(request=request, **line)
    approvals.approval_chain_start(subject=request, kind=ApprovalKind.FUND, quantity=total, requester=staff)
    if approvals.chain_is_complete(request):
        _set_status(request, RequestStatus.APPROVED, user)
    return request


def _set_status(request: FundRequest, status: str, user) -> None:
    request.status = status
    request._history_user = user
    request.save()


approvals.register_outcome(
    FundRequest,
    lambda request, user: _set_status(request, RequestStatus.APPROVED, user),
    lambda request, user: _set_status(request, RequestStatus.REJECTED, user),
)


@transaction.atomic
def purchase_record(*, fund_request: FundRequest, user, invoice_number: str, invoice_amount: Decimal, lines: list[dict], purchased_on=None) -> Purchase:
    """S3.7-b: only against an approved form; above the approved amount is flagged."""
    staff = _check_office(user)
    if fund_request.status != RequestStatus.APPROVED:
        raise ValidationError(f"资金使用审批表「{fund_request.purpose}」尚未批准(当前:{fund_request.get_status_display()}),不能采购。")
    if not invoice_number.strip():
        raise ValidationError({"invoice_number": "请填写发票号码。"})
    if not lines:
        raise ValidationError({"lines": "请填写采购明细。"})
    spent = fund_request.purchases.aggregate(total=Sum("invoice_amount"))["total"] or Decimal(0)
    purchase = Purchase(
        fund_request=fund_request, invoice_number=invoice_number, invoice_amount=invoice_amount, recorded_by=staff,
        purchased_on=purchased_on or timezone.localdate(),
        over_approved=spent + invoice_amount > fund_request.estimated_amount,
    )
    purchase._history_user = user
    purchase.save()
    for line in lines:
        PurchaseLine.objects.create(purchase=purchase, **line)
    return purchase


@transaction.atomic
def purchase_stock_in(*, purchase: Purchase, user) -> Purchase:
    staff = _check_office(user)
    purchase = Purchase.objects.select_for_update().get(pk=purchase.pk)
    if purchase.stocked_in_at:
        raise ValidationError("该采购已入库。")
    for line in purchase.lines.select_related("supply"):
        StockMovement.objects.create(
            supply=line.supply, kind=MovementKind.IN, quantity=line.quantity, amount=line.amount, purchase=purchase, by=staff
        )
    purchase.stocked_in_at = timezone.now()
    purchase._history_user = user
    purchase.save()
    return purchase


@transaction.atomic
def supply_opening_stock(*, supply: Supply, quantity: Decimal, amount: Decimal, user=None) -> StockMovement:
    if quantity < 0 or amount < 0:
        raise ValidationError("期初数量和金额不能为负。")
    movement = StockMovement(supply=supply, kind=MovementKind.OPENING, quantity=quantity, amount=amount)
    movement._history_user = user
    movement.save()
    return movement


@transaction.atomic
def requisition_submit(*, user, lines: list[dict]) -> Requisition:
    staff = _staff(user)
    if not lines:
        raise ValidationError({"lines": "请至少填写一项领用明细。"})
    requisition = Requisition(department=staff.department, requested_by=staff)
    requisition._history_user = user
    requisition.save()
    for line in lines:
        if line["quantity"] <= 0:
            raise ValidationError({"lines": f"「{line['supply']}」的领用数量须大于0。"})
        RequisitionLine.objects.create(requisition=requisition, **line)
    return requisition


@transaction.atomic
def requisition_issue(*, requisition: Requisition, user) -> Requisition:
    """Stock-out at moving average cost; the supply rows are locked so stock never goes negative."""
    staff = _check_office(user)
    requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
    if requisition.issued_at:
        raise ValidationError("该领用单已发放。")
    lines = list(requisition.lines.select_related("supply").order_by("supply_id"))
    # Lock in a fixed order (by id) so two issues never deadlock.
    list(Supply.objects.select_for_update().filter(pk__in=[line.supply_id for line in lines]).order_by("pk"))
    for line in lines:
        quantity, value = stock_on_hand(line.supply)
        if line.quantity > quantity:
            unit = line.supply.unit
            raise ValidationError(f"「{line.supply}」库存不足:现有{_plain(quantity)}{unit},申领{_plain(line.quantity)}{unit}。")
        amount = value if line.quantity == quantity else (value / quantity * line.quantity).quantize(CENT, ROUND_HALF_UP)
        StockMovement.objects.create(
            supply=line.supply, kind=MovementKind.OUT, quantity=-line.quantity, amount=-amount,
            department=requisition.department, requisition=requisition, by=staff,
        )
    requisition.issued_at, requisition.issued_by = timezone.now(), staff
    requisition._history_user = user
    requisition.save()
    return requisition
