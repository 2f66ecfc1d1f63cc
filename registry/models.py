"""The item catalog (S1.6, S1.7, S5.2): service items, their materials and procedure steps."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from staffing.models import Department, Window
from staffing.versioning import Versioned


class ItemType(models.TextChoices):
    LICENSING = "licensing", "行政许可"
    CONFIRMATION = "confirmation", "行政确认"
    BENEFIT = "benefit", "行政给付"
    RULING = "ruling", "行政裁决"
    REWARD = "reward", "行政奖励"
    FILING = "filing", "行政备案"
    OTHER_POWER = "other_power", "其他行政权力"
    PUBLIC_SERVICE = "public_service", "公共服务"


class HandlingMode(models.TextChoices):
    """The handling modes of 第五篇 as published on the item (S5.6)."""

    IMMEDIATE = "immediate", "即办件"
    COMMITTED = "committed", "承诺件"
    JOINT = "joint", "联办件"
    REPORT_UP = "report_up", "上报件"


class ItemStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ACTIVE = "active", "在用"
    SUSPENDED = "suspended", "暂停"


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    BOTH = "both", "原件和复印件"
    ELECTRONIC = "electronic", "电子"


class ServiceItem(Versioned):
    code = models.CharField("事项编码", max_length=64, unique=True)
    name = models.CharField("事项名称", max_length=200)
    sub_name = models.CharField("子项名称", max_length=200, blank=True)
    item_type = models.CharField("事项类型", max_length=20, choices=ItemType.choices)
    department = models.ForeignKey(
        Department, verbose_name="实施主体", on_delete=models.PROTECT, related_name="service_items"
    )
    window = models.ForeignKey(
        Window, verbose_name="办理窗口", null=True, blank=True, on_delete=models.SET_NULL, related_name="service_items"
    )
    handling_mode = models.CharField("办件类型", max_length=12, choices=HandlingMode.choices, db_index=True)
    statutory_limit_days = models.PositiveSmallIntegerField("法定办结时限(工作日)", null=True, blank=True)
    committed_limit_days = models.PositiveSmallIntegerField("承诺办结时限(工作日)", null=True, blank=True)
    legal_basis = models.TextField("设定依据", blank=True)
    conditions = models.TextField("受理条件", blank=True)
    charges_fee = models.BooleanField("是否收费", default=False)
    fee_standard = models.TextField("收费标准", blank=True)
    fee_basis = models.TextField("收费依据", blank=True)
    procedure = models.TextField("办理流程", blank=True)
    result_name = models.CharField("办理结果", max_length=200, blank=True, help_text="如:营业执照、准予许可决定书。")
    location = models.CharField("办理地点", max_length=200, blank=True)
    office_hours = models.CharField("办理时间", max_length=200, blank=True)
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("咨询电话", max_length=50, blank=True)
    complaint_phone = models.CharField("监督投诉电话", max_length=50, blank=True, help_text="留空则使用中心设置的投诉电话。")
    visits = models.PositiveSmallIntegerField("到现场次数", default=1)
    online = models.BooleanField("是否网办", default=False)
    is_major = models.BooleanField("重大事项", default=False, help_text="重大事项不予办理须经分管领导同意(S1.5-d)。")
    needs_head_approval = models.BooleanField(
        "需窗口负责人审批", default=False, help_text="授权委托审批事项:办结前须经窗口负责人审核、审批(S1.1-e)。"
    )
    co_departments = models.ManyToManyField(
        Department, verbose_name="联办部门", through="ItemCoDepartment", related_name="joint_items", blank=True
    )
    halls = models.ManyToManyField(
        "halls.Hall", verbose_name="办理场所", through="ItemHall", related_name="items", blank=True,
        help_text="可办理该事项的服务场所;不填为中心大厅。",
    )
    report_authority = models.CharField("上报机关", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT, db_index=True)
    # Stored so that lists filter on it at any size; recomputed by registry.services on every write.
    disclosure_missing = models.CharField("缺少的公开要素", max_length=300, blank=True, editable=False)
    disclosure_complete = models.BooleanField("要素齐全", default=False, editable=False, db_index=True)

    # The disclosure flags are derived from the historied fields; their own changes are not history.
    history = HistoricalRecords(excluded_fields=["disclosure_missing", "disclosure_complete"])

    class Meta:
        verbose_name = "政务服务事项"
        verbose_name_plural = "政务服务事项"
        ordering = ["code"]

    def __str__(self):
        return f"{self.full_name}({self.code})"

    @property
    def full_name(self):
        return f"{self.name}-{self.sub_name}" if self.sub_name else self.name

    def clean(self):
        from .services import item_field_errors

        errors = item_field_errors(self)
        if errors:
            raise ValidationError(errors)


class ItemCoDepartment(models.Model):
    """A co-department of a joint item (联办件), with its own history (no implicit m2m)."""

    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.CASCADE, related_name="co_department_links")
    department = models.ForeignKey(Department, verbose_name="联办部门", on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "联办部门"
        verbose_name_plural = "联办部门"
        constraints = [models.UniqueConstraint(fields=["item", "department"], name="item_co_department_unique")]

    def __str__(self):
        return str(self.department)


class ItemHall(models.Model):
    """A hall where an item is offered (S1.1-f), with its own history. An item without any is offered at
    the center's own hall."""

    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.CASCADE, related_name="hall_links")
    hall = models.ForeignKey("halls.Hall", verbose_name="办理场所", on_delete=models.PROTECT, related_name="item_links")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "办理场所"
        verbose_name_plural = "办理场所"
        constraints = [models.UniqueConstraint(fields=["item", "hall"], name="item_hall_unique")]
        indexes = [models.Index(fields=["hall", "item"], name="item_hall_by_hall")]

    def __str__(self):
        return str(self.hall)


class Material(models.Model):
    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.CASCADE, related_name="materials")
    order = models.PositiveSmallIntegerField("序号", default=1)
    name = models.CharField("材料名称", max_length=300)
    form = models.CharField("材料形式", max_length=12, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL)
    copies = models.PositiveSmallIntegerField("份数", default=1)
    required = models.BooleanField("是否必需", default=True)
    source = models.CharField("来源渠道", max_length=200, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    blank_form = models.FileField("空白表格/样表", upload_to="registry/forms/%Y/", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["item", "order"]
        constraints = [models.UniqueConstraint(fields=["item", "order"], name="material_unique_order")]

    def __str__(self):
        return self.name


class ProcedureStep(models.Model):
    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("序号", default=1)
    name = models.CharField("环节名称", max_length=100)
    limit_days = models.PositiveSmallIntegerField("时限(工作日)", default=0)
    counts_towards_limit = models.BooleanField("是否计入法定时限", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "办理环节"
        verbose_name_plural = "办理环节"
        ordering = ["item", "order"]
        constraints = [models.UniqueConstraint(fields=["item", "order"], name="procedure_step_unique_order")]

    def __str__(self):
        return f"{self.order}. {self.name}"
