from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from registry.models import ServiceItem
from staffing.models import Department, Staff, Window


class ConsultationOutcome(models.TextChoices):
    ANSWERED = "answered", "当场解答"
    NOTICE_GIVEN = "notice_given", "发放一次性告知单"
    TRANSFERRED = "transferred", "移交其他窗口"
    OUT_OF_SCOPE = "out_of_scope", "不属中心受理范围(已告知)"


class Consultation(models.Model):
    """首问登记 (S1.3): who asked what, who answered, and where they were sent."""

    asked_at = models.DateTimeField("咨询时间", default=timezone.now, db_index=True)
    asker_name = models.CharField("咨询人", max_length=100, blank=True)
    asker_phone = models.CharField("联系电话", max_length=50, blank=True)
    item = models.ForeignKey(
        ServiceItem, verbose_name="咨询事项", null=True, blank=True, on_delete=models.PROTECT, related_name="consultations"
    )
    question = models.TextField("咨询内容", blank=True)
    first_inquiry_staff = models.ForeignKey(
        Staff, verbose_name="首问责任人", on_delete=models.PROTECT, related_name="consultations"
    )
    department = models.ForeignKey(Department, verbose_name="所属部门", on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey(Window, verbose_name="窗口", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("处理结果", max_length=20, choices=ConsultationOutcome.choices)
    transferred_to = models.ForeignKey(
        Window, verbose_name="移交窗口", null=True, blank=True, on_delete=models.PROTECT, related_name="transferred_consultations"
    )
    referred_authority = models.CharField("告知的办理机关", max_length=200, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "首问登记"
        verbose_name_plural = "首问登记"
        ordering = ["-asked_at"]

    def __str__(self):
        who = self.asker_name or "群众"
        return f"{who} {timezone.localtime(self.asked_at):%Y-%m-%d %H:%M}"
