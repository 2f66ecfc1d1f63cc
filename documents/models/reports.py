"""Office affairs. For now: report obligations (S2.4-b, S3.3, S3.5), which meetings already create."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from simple_history.models import HistoricalRecords

from staffing.models import Department


class ReportObligation(models.Model):
    """A written report a department owes by a date: after a meeting, each quarter, each month."""

    department = models.ForeignKey(Department, verbose_name="报送部门", on_delete=models.PROTECT, related_name="report_obligations")
    title = models.CharField("报告名称", max_length=200)
    due_date = models.DateField("报送期限", db_index=True)
    submitted_on = models.DateField("报送日期", null=True, blank=True)
    file = models.FileField("报告文件", upload_to="documents/reports/%Y/", blank=True)
    kind = models.CharField("报告类别", max_length=20, blank=True, db_index=True, help_text="如:季度自查、月度重点工作、月度计划总结、会后报告。")
    note = models.CharField("备注", max_length=300, blank=True)
    source_type = models.ForeignKey(ContentType, verbose_name="来源类型", null=True, blank=True, on_delete=models.PROTECT)
    source_id = models.PositiveBigIntegerField("来源编号", null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "报告任务"
        verbose_name_plural = "报告任务"
        ordering = ["due_date", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "title", "source_type", "source_id"], name="report_obligation_unique_per_source"
            )
        ]

    def __str__(self):
        return f"{self.department} {self.title}(期限 {self.due_date})"
