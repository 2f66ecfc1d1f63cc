"""Approval chains chosen by thresholds (S1.10-d, S3.8, later S3.7-a): rules are data an administrator edits."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


def _number(value) -> str:
    return format(value.normalize(), "f")


class ApprovalKind(models.TextChoices):
    LEAVE = "leave", "请假(工作日)"
    OVERTIME = "overtime", "加班(小时)"
    FUND = "fund", "资金使用(元)"


class ApproverRole(models.TextChoices):
    """In the order of rank: a chain always goes up. The labels people see come from
    `approver_role_labels()`, which names the main leader and the 加签领导 as the center's settings say."""

    DEPARTMENT_HEAD = "department_head", "部门/股室负责人"
    LEADER_IN_CHARGE = "leader_in_charge", "分管领导"
    MAIN_LEADER = "main_leader", "主要领导"
    CHAIRMAN = "chairman", "加签领导"


def approver_role_labels(settings=None) -> dict[str, str]:
    """{role code: the label shown}, with the center's titles (中心设置)."""
    from .control_panel import CenterSettings

    settings = settings or CenterSettings.load()
    labels = dict(ApproverRole.choices)
    if settings.main_leader_title:
        labels[ApproverRole.MAIN_LEADER] = settings.main_leader_title
    if settings.chairman_title:
        labels[ApproverRole.CHAIRMAN] = settings.chairman_title
    return labels


class ApprovalRule(models.Model):
    """A band of a quantity (days, hours, yuan): above `above` and up to `up_to` → the approvers in order."""

    kind = models.CharField("审批类型", max_length=10, choices=ApprovalKind.choices)
    above = models.DecimalField("超过", max_digits=12, decimal_places=2, default=0, help_text="数量大于该值时适用(不含)。")
    up_to = models.DecimalField("至", max_digits=12, decimal_places=2, null=True, blank=True, help_text="数量不超过该值(含);留空表示无上限。")
    approvers = models.CharField("审批人(按顺序)", max_length=200, help_text="勾选依次审批的角色,按职级由低到高审批。")
    note = models.CharField("说明", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "审批规则"
        verbose_name_plural = "审批规则"
        ordering = ["kind", "above"]

    def __str__(self):
        upper = f"{self.up_to:g}" if self.up_to is not None else "∞"
        return f"{self.get_kind_display()} ({self.above:g}, {upper}] → {self.approver_labels()}"

    def band(self) -> str:
        """请假(工作日):超过1天,不限 — the range in words, as the admin lists it."""
        unit = {"leave": "天", "overtime": "小时", "fund": "元"}.get(self.kind, "")
        upper = f"{_number(self.up_to)}{unit}及以下" if self.up_to is not None else "不限"
        return f"{self.get_kind_display()}:超过{_number(self.above)}{unit},{upper}"

    def overlaps(self, other) -> bool:
        """The ranges (above, up_to] meet; an empty up_to is no upper bound."""
        return (other.up_to is None or self.above < other.up_to) and (self.up_to is None or other.above < self.up_to)

    def approver_roles(self) -> list[str]:
        return [code.strip() for code in self.approvers.split(",") if code.strip()]

    def approver_labels(self, labels: dict | None = None) -> str:
        labels = labels or approver_role_labels()
        return " → ".join(labels.get(code, code) for code in self.approver_roles())

    def clean(self):
        from django.core.exceptions import ValidationError

        unknown = [code for code in self.approver_roles() if code not in ApproverRole.values]
        if unknown or not self.approver_roles():
            known = "、".join(approver_role_labels().values())
            raise ValidationError(
                {"approvers": f"请至少勾选一个审批角色({known})。" if not unknown else f"无法识别的审批角色:{'、'.join(unknown)}。"}
            )
        if self.above is not None and self.above < 0:
            raise ValidationError({"above": f"下限「{_number(self.above)}」不能为负数。"})
        if self.up_to is not None and self.above is not None and self.up_to <= self.above:
            raise ValidationError({"up_to": f"上限({self.up_to:g})须大于下限({self.above:g})。"})


class ApprovalDecision(models.TextChoices):
    WAITING = "waiting", "未到"
    PENDING = "pending", "待审批"
    APPROVED = "approved", "同意"
    REJECTED = "rejected", "不同意"
    SKIPPED = "skipped", "无需审批"


class Approval(models.Model):
    """One step of an approval chain of some request (leave, overtime, fund use)."""

    content_type = models.ForeignKey(ContentType, verbose_name="申请类型", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField("申请编号")
    subject = GenericForeignKey("content_type", "object_id")
    order = models.PositiveSmallIntegerField("顺序")
    role = models.CharField("审批角色", max_length=20, choices=ApproverRole.choices)
    approver = models.ForeignKey("Staff", verbose_name="审批人", on_delete=models.PROTECT, related_name="approvals")
    decision = models.CharField("审批结果", max_length=10, choices=ApprovalDecision.choices, default=ApprovalDecision.WAITING, db_index=True)
    comment = models.CharField("审批意见", max_length=300, blank=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "审批记录"
        verbose_name_plural = "审批记录"
        ordering = ["content_type", "object_id", "order"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="approval_subject")]

    def __str__(self):
        return f"{self.role_label} {self.approver}:{self.get_decision_display()}"

    @property
    def role_label(self) -> str:
        """The role as the center names it (中心设置), e.g. 中心主任."""
        return approver_role_labels().get(self.role, self.get_role_display())
