"""Township service centers (乡镇便民服务中心, 主要职责 7): the center's guidance visits, and the monthly
case figures of centers that do not handle cases in this system, imported from Excel."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords


class GuidanceVisit(models.Model):
    hall = models.ForeignKey("Hall", verbose_name="乡镇便民服务中心", on_delete=models.PROTECT, related_name="guidance_visits")
    date = models.DateField("指导日期", db_index=True)
    visitors = models.ManyToManyField("staffing.Staff", verbose_name="指导人员", related_name="guidance_visits")
    topics = models.TextField("指导内容")
    problems = models.TextField("发现问题", blank=True)
    follow_up = models.TextField("跟进措施", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "乡镇指导记录"
        verbose_name_plural = "乡镇指导记录"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.hall} {self.date:%Y-%m-%d} 指导"


class HallMonthFigures(models.Model):
    """A month's case figures of a hall that does not use the system (uses_system False)."""

    hall = models.ForeignKey("Hall", verbose_name="服务场所", on_delete=models.PROTECT, related_name="month_figures")
    month = models.DateField("月份", help_text="该月1日。")
    received = models.PositiveIntegerField("受理件数", default=0)
    completed = models.PositiveIntegerField("办结件数", default=0)
    completed_on_time = models.PositiveIntegerField("按时办结件数", default=0)
    overdue = models.PositiveIntegerField("超期件数", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "乡镇月度办件数据"
        verbose_name_plural = "乡镇月度办件数据"
        ordering = ["-month", "hall"]
        constraints = [models.UniqueConstraint(fields=["hall", "month"], name="hall_month_figures_once")]

    def __str__(self):
        return f"{self.hall} {self.month:%Y年%m月}"

    def clean(self):
        if self.month and self.month.day != 1:
            raise ValidationError({"month": f"月份应为该月1日,「{self.month:%Y-%m-%d}」不是。"})
        if self.completed_on_time > self.completed:
            raise ValidationError({"completed_on_time": f"按时办结件数({self.completed_on_time})不能大于办结件数({self.completed})。"})
