from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", "受理通知书"
    CORRECTION = "correction", "一次性补正告知书"
    NON_ACCEPTANCE = "non_acceptance", "不予受理通知书"
    COMPLETION = "completion", "办结通知书"
    DISAPPROVAL = "disapproval", "不予许可决定书"
    EXTENSION = "extension", "延期告知书"


class NoticeTemplate(models.Model):
    """The wording of a notice, edited by an administrator; placeholders are Django template variables."""

    kind = models.CharField("文书类型", max_length=20, choices=NoticeKind.choices, unique=True)
    title = models.CharField("标题", max_length=100)
    number_prefix = models.CharField("文号前缀", max_length=30, help_text="如:大行服受字。编号为 前缀〔年份〕序号号。")
    body = models.TextField("正文模板")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()


class NoticeCounter(models.Model):
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "文书编号计数"
        verbose_name_plural = "文书编号计数"
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="notice_counter_unique_kind_year")]


class Notice(models.Model):
    """An issued notice: its text is frozen when issued, so a later template edit changes nothing."""

    case = models.ForeignKey("Case", verbose_name="办件", on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField("文书类型", max_length=20, choices=NoticeKind.choices)
    number = models.CharField("文号", max_length=60, unique=True)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文")
    issued_at = models.DateTimeField("出具时间", default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="出具人", null=True, on_delete=models.PROTECT, related_name="+")
    repeat_reason = models.CharField(
        "再次补正理由", max_length=300, blank=True, help_text="同一办件第二次出具补正告知书须说明理由,计为服务瑕疵。"
    )
    is_service_defect = models.BooleanField("服务瑕疵", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "通知书"
        verbose_name_plural = "通知书"
        ordering = ["-issued_at"]

    def __str__(self):
        return f"{self.title} {self.number}"
