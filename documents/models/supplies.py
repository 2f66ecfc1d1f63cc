"""Office supplies (S3.7): fund-use forms, purchases and stock-in, requisitions. Stock on hand is
always the sum of the movements, never a number someone types."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from staffing.models import Department, RequestStatus, Staff


def non_negative(value):
    """The import's rule (documents.resources.StrictDecimalWidget) for every way in: 「-5」不能为负数。"""
    if value is not None and value < 0:
        raise ValidationError(f"「{format(value.normalize(), 'f')}」不能为负数。", code="negative")


class Supply(models.Model):
    name = models.CharField("名称", max_length=100)
    specification = models.CharField("规格", max_length=100, blank=True)
    unit = models.CharField("单位", max_length=10)
    reorder_level = models.DecimalField("最低库存", max_digits=10, decimal_places=2, default=0, validators=[non_negative])
    is_active = models.BooleanField("在用", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "办公用品"
        verbose_name_plural = "办公用品"
        ordering = ["name", "specification"]
        constraints = [
            models.UniqueConstraint(fields=["name", "specification"], name="supply_unique_name_spec"),
            models.CheckConstraint(
                condition=models.Q(reorder_level__gte=0), name="supply_reorder_level_not_negative",
                violation_error_message="最低库存不能为负数。",
            ),
        ]

    def __str__(self):
        return f"{self.name}({self.specification})" if self.specification else self.name


class FundRequest(models.Model):
    """资金使用审批表 (S3.7-a)."""

    department = models.ForeignKey(Department, verbose_name="申请部门", on_delete=models.PROTECT, related_name="fund_requests")
    requested_by = models.ForeignKey(Staff, verbose_name="申请人", on_delete=models.PROTECT, related_name="fund_requests")
    purpose = models.CharField("用途", max_length=300)
    estimated_amount = models.DecimalField("预计金额(元)", max_digits=12, decimal_places=2)
    status = models.CharField("状态", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING, db_index=True)
    submitted_at = models.DateTimeField("申请时间", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "资金使用审批表"
        verbose_name_plural = "资金使用审批表"
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.department} {self.purpose} ¥{self.estimated_amount}"


class FundRequestLine(models.Model):
    request = models.ForeignKey(FundRequest, verbose_name="审批表", on_delete=models.CASCADE, related_name="lines")
    supply = models.ForeignKey(Supply, verbose_name="用品", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField("品名", max_length=200)
    quantity = models.DecimalField("数量", max_digits=10, decimal_places=2)
    unit_price = models.DecimalField("预计单价(元)", max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "申购明细"
        verbose_name_plural = "申购明细"

    def __str__(self):
        return f"{self.description} × {self.quantity}"


class Purchase(models.Model):
    """S3.7-b: a purchase against an approved form; reimbursable only once stocked in."""

    fund_request = models.ForeignKey(FundRequest, verbose_name="资金使用审批表", on_delete=models.PROTECT, related_name="purchases")
    invoice_number = models.CharField("发票号码", max_length=50)
    invoice_amount = models.DecimalField("发票金额(元)", max_digits=12, decimal_places=2)
    purchased_on = models.DateField("采购日期", default=timezone.localdate)
    recorded_by = models.ForeignKey(Staff, verbose_name="经办人", on_delete=models.PROTECT, related_name="+")
    stocked_in_at = models.DateTimeField("入库时间", null=True, blank=True)
    over_approved = models.BooleanField("超出审批金额", default=False, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "采购"
        verbose_name_plural = "采购"
        ordering = ["-purchased_on"]

    def __str__(self):
        return f"发票{self.invoice_number} ¥{self.invoice_amount}"

    @property
    def reimbursable(self) -> bool:
        return self.stocked_in_at is not None


class PurchaseLine(models.Model):
    purchase = models.ForeignKey(Purchase, verbose_name="采购", on_delete=models.CASCADE, related_name="lines")
    supply = models.ForeignKey(Supply, verbose_name="用品", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField("数量", max_digits=10, decimal_places=2)
    amount = models.DecimalField("金额(元)", max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "采购明细"
        verbose_name_plural = "采购明细"

    def __str__(self):
        return f"{self.supply.name} × {self.quantity}"


class Requisition(models.Model):
    """S3.7-c: a department draws supplies; issuing creates the stock-out movements."""

    department = models.ForeignKey(Department, verbose_name="领用部门", on_delete=models.PROTECT, related_name="requisitions")
    requested_by = models.ForeignKey(Staff, verbose_name="领用人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申领时间", default=timezone.now)
    issued_at = models.DateTimeField("发放时间", null=True, blank=True)
    issued_by = models.ForeignKey(Staff, verbose_name="发放人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "领用单"
        verbose_name_plural = "领用单"
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.department} {timezone.localtime(self.requested_at):%Y-%m-%d}"


class RequisitionLine(models.Model):
    requisition = models.ForeignKey(Requisition, verbose_name="领用单", on_delete=models.CASCADE, related_name="lines")
    supply = models.ForeignKey(Supply, verbose_name="用品", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField("数量", max_digits=10, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "领用明细"
        verbose_name_plural = "领用明细"

    def __str__(self):
        return f"{self.supply.name} × {self.quantity}"


class MovementKind(models.TextChoices):
    OPENING = "opening", "期初"
    IN = "in", "入库"
    OUT = "out", "出库"


class StockMovement(models.Model):
    supply = models.ForeignKey(Supply, verbose_name="用品", on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField("类型", max_length=10, choices=MovementKind.choices)
    quantity = models.DecimalField("数量", max_digits=10, decimal_places=2, help_text="入库为正,出库为负。")
    amount = models.DecimalField("金额(元)", max_digits=12, decimal_places=2, help_text="入库为正,出库为负(按移动加权平均成本)。")
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    department = models.ForeignKey(Department, verbose_name="领用部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    purchase = models.ForeignKey(Purchase, verbose_name="采购", null=True, blank=True, on_delete=models.PROTECT, related_name="movements")
    requisition = models.ForeignKey(Requisition, verbose_name="领用单", null=True, blank=True, on_delete=models.PROTECT, related_name="movements")
    by = models.ForeignKey(Staff, verbose_name="经办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "出入库记录"
        verbose_name_plural = "出入库记录"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["supply", "at"], name="movement_supply_at")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.supply} {self.quantity}"
