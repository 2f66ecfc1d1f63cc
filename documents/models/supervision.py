"""Supervision (督办, S2): items from leader instructions, meeting decisions, documents, targets, key tasks."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from staffing.models import Department, Staff
from staffing.versioning import Versioned


class SupervisionSource(models.TextChoices):
    INSTRUCTION = "instruction", "领导批示"
    MEETING = "meeting", "会议决定"
    DOCUMENT = "document", "文件"
    ANNUAL_TARGET = "annual_target", "年度目标"
    KEY_TASK = "key_task", "重点工作"


class SupervisionStatus(models.TextChoices):
    REGISTERED = "registered", "立项"
    ASSIGNED = "assigned", "交办"
    SUPERVISING = "supervising", "督办中"
    FEEDBACK = "feedback", "已反馈"
    LEADER_REVIEW = "leader_review", "领导审阅"
    ARCHIVED = "archived", "已归档"


class SupervisionItem(Versioned):
    title = models.CharField("督办事项", max_length=200)
    source = models.CharField("来源", max_length=20, choices=SupervisionSource.choices)
    content = models.TextField("督办内容")
    instruction = models.TextField("领导批示原文", blank=True)
    instructing_leader = models.ForeignKey(Staff, verbose_name="批示领导", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name="承办股室", on_delete=models.PROTECT, related_name="supervision_items")
    responsible = models.ForeignKey(Staff, verbose_name="责任人", null=True, blank=True, on_delete=models.PROTECT, related_name="supervision_items")
    deadline = models.DateField("办结期限", db_index=True)
    urgent = models.BooleanField("紧急", default=False, db_index=True)
    is_project = models.BooleanField("立项督办", default=False, help_text="重大事项按 立项→交办→督办→反馈→领导审阅→归档 管理。")
    category = models.CharField("归档类别", max_length=50, blank=True)
    status = models.CharField("状态", max_length=15, choices=SupervisionStatus.choices, default=SupervisionStatus.REGISTERED, db_index=True)
    feedback = models.TextField("办理反馈", blank=True)
    feedback_on = models.DateField("反馈日期", null=True, blank=True)
    leader_comment = models.TextField("领导审阅意见", blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    registered_on = models.DateField("立项日期", default=timezone.localdate)
    origin_type = models.ForeignKey(ContentType, verbose_name="来源记录类型", null=True, blank=True, on_delete=models.PROTECT)
    origin_id = models.PositiveBigIntegerField("来源记录编号", null=True, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["-urgent", "deadline"]
        constraints = [
            models.UniqueConstraint(fields=["origin_type", "origin_id"], name="supervision_unique_origin")
        ]

    def __str__(self):
        return self.title


class ReminderMethod(models.TextChoices):
    LETTER = "letter", "督办函"
    ORAL = "oral", "口头"
    PHONE = "phone", "电话催办"
    ON_SITE = "on_site", "现场督办"
    TRACKING = "tracking", "跟踪督办"


class Reminder(models.Model):
    item = models.ForeignKey(SupervisionItem, verbose_name="督办事项", on_delete=models.CASCADE, related_name="reminders")
    method = models.CharField("方式", max_length=10, choices=ReminderMethod.choices)
    on = models.DateField("日期", default=timezone.localdate)
    by = models.ForeignKey(Staff, verbose_name="督办人", on_delete=models.PROTECT, related_name="+")
    answer = models.TextField("答复情况", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "催办记录"
        verbose_name_plural = "催办记录"
        ordering = ["item", "on", "pk"]

    def __str__(self):
        return f"{self.on} {self.get_method_display()}"


class SupervisionAttachment(models.Model):
    KIND_CHOICES = [("registration", "立项登记表"), ("instruction", "领导批示原件"), ("feedback", "反馈材料")]

    item = models.ForeignKey(SupervisionItem, verbose_name="督办事项", on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("材料类别", max_length=20, choices=KIND_CHOICES)
    file = models.FileField("文件", upload_to="supervision/%Y/")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "督办材料"
        verbose_name_plural = "督办材料"

    def __str__(self):
        return f"{self.get_kind_display()} {self.file.name}"
