"""Office registers (S3.1, S3.2, S3.6-e): kept as data, with history."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from staffing.models import Department, Staff


class CallLog(models.Model):
    at = models.DateTimeField("来电时间", default=timezone.now, db_index=True)
    caller = models.CharField("来电人", max_length=100)
    phone = models.CharField("来电号码", max_length=50, blank=True)
    for_whom = models.ForeignKey(Staff, verbose_name="受话人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    content = models.TextField("来电内容")
    taken_by = models.ForeignKey(Staff, verbose_name="接听人", on_delete=models.PROTECT, related_name="+")
    handling = models.CharField("处理情况", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "来电记录"
        verbose_name_plural = "来电记录"
        ordering = ["-at"]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.caller}"


class RepairStatus(models.TextChoices):
    REPORTED = "reported", "已报修"
    IN_REPAIR = "in_repair", "维修中"
    FIXED = "fixed", "已修复"
    CANNOT_FIX = "cannot_fix", "无法修复"


class RepairRequest(models.Model):
    equipment = models.CharField("设备", max_length=100)
    location = models.CharField("位置", max_length=100, blank=True)
    fault = models.TextField("故障情况")
    department = models.ForeignKey(Department, verbose_name="报修部门", on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(Staff, verbose_name="报修人", on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField("报修时间", default=timezone.now)
    status = models.CharField("状态", max_length=12, choices=RepairStatus.choices, default=RepairStatus.REPORTED, db_index=True)
    result = models.CharField("处理结果", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "报修"
        verbose_name_plural = "报修"
        ordering = ["-reported_at"]

    def __str__(self):
        return f"{self.equipment}({self.get_status_display()})"


class PrintLog(models.Model):
    at = models.DateTimeField("时间", default=timezone.now)
    staff = models.ForeignKey(Staff, verbose_name="经办人", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=10, choices=[("print", "打印"), ("copy", "复印"), ("fax", "传真")], default="print")
    what = models.CharField("内容", max_length=200)
    pages = models.PositiveIntegerField("页数")
    document = models.ForeignKey("Document", verbose_name="所属文件", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField("用途", max_length=200, help_text="公务用途;严禁私人打印(S3.6-e)。")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "文印登记"
        verbose_name_plural = "文印登记"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.what} {self.pages}页"
