"""Incoming documents (收文, S3.6-g): registered by the office with a yearly gap-free number, proposed
(拟办) by the office, decided (批办) by a leader, then read (阅知) or handled (办理) by the recipients
through the circulation machinery of S3.6-d, closed (办结) and archived.

党政机关公文处理工作条例 (2012) art. 24: 签收、登记、初审、承办、传阅、催办、答复.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from staffing.models import Department, Staff

from .documents import Secrecy


class Urgency(models.TextChoices):
    FLASH = "flash", "特急"
    URGENT = "urgent", "加急"
    NORMAL = "normal", "平件"


class IncomingAction(models.TextChoices):
    READ = "read", "阅知"
    HANDLE = "handle", "办理"


class IncomingStatus(models.TextChoices):
    REGISTERED = "registered", "待拟办"
    PROPOSED = "proposed", "待批办"
    CIRCULATING = "circulating", "传阅办理中"
    DONE = "done", "已办结"
    ARCHIVED = "archived", "已归档"


class IncomingDocument(models.Model):
    sender = models.CharField("来文单位", max_length=100)
    sender_number = models.CharField("来文字号", max_length=60, blank=True)
    title = models.CharField("标题", max_length=200)
    received_on = models.DateField("收文日期", default=timezone.localdate)
    year = models.PositiveSmallIntegerField("年份")
    sequence = models.PositiveIntegerField("序号")
    number = models.CharField("收文编号", max_length=60, unique=True)
    secrecy = models.CharField("密级", max_length=12, choices=Secrecy.choices, default=Secrecy.NORMAL, db_index=True)
    scope_departments = models.ManyToManyField(Department, verbose_name="知悉范围(部门)", blank=True, related_name="+")
    scope_staff = models.ManyToManyField(Staff, verbose_name="知悉范围(人员)", blank=True, related_name="+")
    urgency = models.CharField("紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    copies = models.PositiveSmallIntegerField("份数", default=1, validators=[MinValueValidator(1)])
    pages = models.PositiveSmallIntegerField("页数", default=1, validators=[MinValueValidator(1)])
    action = models.CharField("来文要求", max_length=10, choices=IncomingAction.choices, default=IncomingAction.HANDLE)
    status = models.CharField(
        "状态", max_length=12, choices=IncomingStatus.choices, default=IncomingStatus.REGISTERED, db_index=True
    )
    registered_by = models.ForeignKey(Staff, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField("登记时间", default=timezone.now)
    leader = models.ForeignKey(
        Staff, verbose_name="批办领导", null=True, blank=True, on_delete=models.PROTECT, related_name="incoming_to_decide"
    )
    proposal = models.TextField("拟办意见", blank=True)
    proposed_by = models.ForeignKey(Staff, verbose_name="拟办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField("拟办时间", null=True, blank=True)
    decision = models.TextField("批办意见", blank=True)
    decided_by = models.ForeignKey(Staff, verbose_name="批办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("批办时间", null=True, blank=True)
    due_date = models.DateField("办理期限", null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    archive_number = models.CharField("归档号", max_length=60, blank=True)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "收文"
        verbose_name_plural = "收文"
        ordering = ["-year", "-sequence"]
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="incoming_unique_sequence")]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_secret(self):
        return self.secrecy != Secrecy.NORMAL


class IncomingCounter(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "收文编号计数"
        verbose_name_plural = "收文编号计数"


class IncomingAttachment(models.Model):
    """扫描件 and other files of an incoming document."""

    incoming = models.ForeignKey(IncomingDocument, verbose_name="收文", on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField("名称", max_length=200)
    file = models.FileField("扫描件", upload_to="incoming/%Y/")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "收文扫描件"
        verbose_name_plural = "收文扫描件"

    def __str__(self):
        return self.title


class CirculationReminder(models.Model):
    """催办: a reminder sent to a recipient that has not yet read or handled (S3.6-g, logged)."""

    circulation = models.ForeignKey("Circulation", verbose_name="传阅办理", on_delete=models.CASCADE, related_name="reminders")
    on = models.DateField("催办日期", default=timezone.localdate)
    by = models.ForeignKey(Staff, verbose_name="催办人", on_delete=models.PROTECT, related_name="+")
    method = models.CharField("方式", max_length=20, default="电话催办")
    note = models.CharField("催办情况", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "催办记录(收发文)"
        verbose_name_plural = "催办记录(收发文)"
        ordering = ["circulation", "on", "pk"]

    def __str__(self):
        return f"{self.on} {self.method}"
