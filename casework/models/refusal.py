from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from staffing.models import Department, Staff, Window


class RefusalStage(models.TextChoices):
    NOT_ACCEPTED = "not_accepted", "不予受理"
    DISAPPROVED = "disapproved", "不予批准"


class RefusalCategory(models.TextChoices):
    MISSING_MATERIALS = "missing_materials", "材料不全"
    UNQUALIFIED_MATERIALS = "unqualified_materials", "材料不合格"
    OUT_OF_SCOPE = "out_of_scope", "不属本中心受理"
    NOT_ALLOWED_BY_LAW = "not_allowed", "依法不予办理"
    OTHER = "other", "其他"


class RefusalStatus(models.TextChoices):
    PENDING_APPROVAL = "pending", "待分管领导审批"
    EFFECTIVE = "effective", "已生效"
    REJECTED = "rejected", "领导不同意"
    OVERTURNED = "overturned", "申诉撤销"


class Refusal(models.Model):
    """否定报备 (S1.5): every refusal is registered, with its category, reason and legal basis."""

    case = models.ForeignKey("Case", verbose_name="办件", on_delete=models.PROTECT, related_name="refusals")
    stage = models.CharField("否定类型", max_length=15, choices=RefusalStage.choices)
    category = models.CharField("否定类别", max_length=25, choices=RefusalCategory.choices)
    reason = models.TextField("理由")
    legal_basis = models.TextField("法律依据", blank=True)
    referred_authority = models.CharField("告知的办理机关", max_length=200, blank=True)
    department = models.ForeignKey(Department, verbose_name="部门", on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey(Window, verbose_name="窗口", on_delete=models.PROTECT, related_name="+")
    refused_by = models.ForeignKey(Staff, verbose_name="经办人", on_delete=models.PROTECT, related_name="refusals")
    refused_at = models.DateTimeField("报备时间", default=timezone.now, db_index=True)
    status = models.CharField("状态", max_length=10, choices=RefusalStatus.choices, db_index=True)
    approver = models.ForeignKey(Staff, verbose_name="审批领导", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    approval_note = models.CharField("审批意见", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "否定报备"
        verbose_name_plural = "否定报备"
        ordering = ["-refused_at"]

    def __str__(self):
        return f"{self.case.number} {self.get_stage_display()}({self.get_category_display()})"


class AppealDecision(models.TextChoices):
    PENDING = "pending", "待处理"
    UPHELD = "upheld", "维持否定"
    OVERTURNED = "overturned", "撤销否定"


class Appeal(models.Model):
    """申诉 (S1.5-e) to the management office against a refusal."""

    refusal = models.ForeignKey(Refusal, verbose_name="否定报备", on_delete=models.PROTECT, related_name="appeals")
    filed_on = models.DateField("申诉日期", default=timezone.localdate)
    appellant = models.CharField("申诉人", max_length=200)
    grounds = models.TextField("申诉理由")
    decision = models.CharField("处理结果", max_length=12, choices=AppealDecision.choices, default=AppealDecision.PENDING)
    decided_by = models.ForeignKey(Staff, verbose_name="处理人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("处理日期", null=True, blank=True)
    decision_note = models.TextField("处理意见", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "申诉"
        verbose_name_plural = "申诉"
        ordering = ["-filed_on"]

    def __str__(self):
        return f"{self.appellant}:{self.refusal}"
