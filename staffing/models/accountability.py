"""Accountability (责任追究, S1.8, S1.4, S5.5) and assessment (S1.1-c)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Violation(models.TextChoices):
    OVERDUE_CASE = "overdue_case", "承诺件超期"
    UPHELD_COMPLAINT = "upheld_complaint", "投诉属实"
    OVERTURNED_REFUSAL = "overturned_refusal", "否定被申诉撤销"
    REPEAT_CORRECTION = "repeat_correction", "重复要求补正"
    OVERDUE_DOCUMENT = "overdue_document", "文件逾期未办理"
    OVERDUE_OPINION = "overdue_opinion", "联办意见逾期"
    OVERDUE_RATING_VISIT = "overdue_rating_visit", "差评回访核实逾期"
    OVERDUE_RECTIFY = "overdue_rectify", "差评整改逾期"
    OVERDUE_HALL_RECTIFY = "overdue_hall_rectify", "监督检查整改逾期"
    OTHER = "other", "其他"


class AccountabilityStatus(models.TextChoices):
    OPEN = "open", "待处理"
    DECIDED = "decided", "已作出处理"
    DISMISSED = "dismissed", "经核查免责"


class AccountabilityRecord(models.Model):
    violation = models.CharField("违规情形", max_length=20, choices=Violation.choices)
    source_type = models.ForeignKey(ContentType, verbose_name="来源类型", null=True, blank=True, on_delete=models.PROTECT)
    source_id = models.PositiveBigIntegerField("来源编号", null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    department = models.ForeignKey("Department", verbose_name="部门", on_delete=models.PROTECT, related_name="accountability_records")
    responsible = models.ForeignKey("Staff", verbose_name="直接责任人", null=True, blank=True, on_delete=models.PROTECT, related_name="accountability_records")
    head = models.ForeignKey("Staff", verbose_name="股室/窗口负责人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.TextField("情况")
    opened_on = models.DateField("立案日期", default=timezone.localdate, db_index=True)
    status = models.CharField("状态", max_length=10, choices=AccountabilityStatus.choices, default=AccountabilityStatus.OPEN, db_index=True)
    measure = models.TextField("处理措施", blank=True)
    decided_on = models.DateField("处理日期", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "责任追究"
        verbose_name_plural = "责任追究"
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["violation", "source_type", "source_id"], name="accountability_once_per_source")
        ]

    def __str__(self):
        return f"{self.get_violation_display()}:{self.responsible or self.department}"


class Assessment(models.Model):
    """A staff member's month, from measured facts, with the assessor's score (S1.1-c)."""

    staff = models.ForeignKey("Staff", verbose_name="工作人员", on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    cases_handled = models.PositiveIntegerField("办结件数", default=0)
    cases_on_time = models.PositiveIntegerField("按时办结", default=0)
    complaints_upheld = models.PositiveIntegerField("属实投诉", default=0)
    refusals_overturned = models.PositiveIntegerField("否定被撤销", default=0)
    accountability_records = models.PositiveIntegerField("责任追究", default=0)
    attendance_issues = models.PositiveIntegerField("考勤异常(半天)", default=0)
    ratings_count = models.PositiveIntegerField("评价数", default=0)
    ratings_good = models.PositiveIntegerField("好评数", default=0)
    ratings_bad = models.PositiveIntegerField("差评数", default=0)
    score = models.DecimalField("考核得分", max_digits=5, decimal_places=1, null=True, blank=True)
    comment = models.TextField("考核意见", blank=True)
    assessor = models.ForeignKey("Staff", verbose_name="考核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "考核"
        verbose_name_plural = "考核"
        ordering = ["-year", "-month", "staff"]
        constraints = [models.UniqueConstraint(fields=["staff", "year", "month"], name="assessment_unique_month")]

    def __str__(self):
        return f"{self.staff.name} {self.year}年{self.month}月"

    @property
    def on_time_rate(self):
        return round(100 * self.cases_on_time / self.cases_handled, 1) if self.cases_handled else None
