"""Inspections of halls (监督检查, S1.1-f; 主要职责 6): a checklist an administrator edits, the inspection
of one hall on one day, and its findings, each rectified by the hall within a number of working days
and verified by an inspector."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class InspectionChecklist(models.Model):
    name = models.CharField("检查表名称", max_length=100, unique=True)
    is_active = models.BooleanField("在用", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "检查表"
        verbose_name_plural = "检查表"
        ordering = ["-is_active", "name"]

    def __str__(self):
        return self.name


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(InspectionChecklist, verbose_name="检查表", on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField("序号", default=1)
    category = models.CharField("类别", max_length=30)
    text = models.CharField("检查内容", max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "检查项目"
        verbose_name_plural = "检查项目"
        ordering = ["checklist", "order", "pk"]

    def __str__(self):
        return f"{self.order}. {self.text}"


class InspectionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已下达"
    DONE = "done", "已完成"


class HallInspection(models.Model):
    hall = models.ForeignKey("Hall", verbose_name="被检查场所", on_delete=models.PROTECT, related_name="inspections")
    date = models.DateField("检查日期", db_index=True)
    inspectors = models.ManyToManyField("staffing.Staff", verbose_name="检查人员", related_name="hall_inspections")
    checklist = models.ForeignKey(
        InspectionChecklist, verbose_name="检查表", null=True, blank=True, on_delete=models.PROTECT, related_name="inspections"
    )
    summary = models.TextField("检查情况", blank=True)
    status = models.CharField("状态", max_length=10, choices=InspectionStatus.choices, default=InspectionStatus.DRAFT, db_index=True)
    issued_on = models.DateField("通知书下达日期", null=True, blank=True, help_text="整改期限自该日起按工作日计算。")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="下达人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "监督检查"
        verbose_name_plural = "监督检查"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["hall", "date"], name="inspection_hall_date")]

    def __str__(self):
        return f"{self.hall} {self.date:%Y-%m-%d} 监督检查"


class FindingStatus(models.TextChoices):
    OPEN = "open", "待整改"
    RECTIFIED = "rectified", "待复查"
    CLOSED = "closed", "复查合格"


class Verification(models.TextChoices):
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"


class InspectionFinding(models.Model):
    inspection = models.ForeignKey(HallInspection, verbose_name="监督检查", on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(
        ChecklistItem, verbose_name="检查项目", null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    description = models.TextField("发现问题")
    limit_days = models.PositiveSmallIntegerField(
        "整改时限(工作日)", null=True, blank=True, help_text="留空则按服务场所设置中的整改时限。"
    )
    due_date = models.DateField("整改期限", null=True, blank=True, db_index=True)
    status = models.CharField("状态", max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN, db_index=True)
    rectification = models.TextField("整改情况", blank=True)
    rectified_on = models.DateField("整改日期", null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="整改填报人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verification = models.CharField("复查结果", max_length=10, choices=Verification.choices, blank=True)
    verification_note = models.TextField("复查意见", blank=True)
    verified_on = models.DateField("复查日期", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="复查人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "发现问题"
        verbose_name_plural = "发现问题"
        ordering = ["inspection", "pk"]
        permissions = [("rectify_inspectionfinding", "填报整改情况"), ("verify_inspectionfinding", "复查整改情况")]

    def __str__(self):
        return self.description[:30]

    @property
    def rectified_in_time(self) -> bool:
        return self.rectified_on is not None and self.due_date is not None and self.rectified_on <= self.due_date
