"""招投标监督 (S1.1-g): the county's bidding events under the center's on-site supervision, what the
supervisor found wrong and how it was followed up, their files, and the settings of the calendar.

This is a record of supervision (主要职责 8–11), not a trading platform: no bids, no prices of bidders."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from staffing.models import ControlPanel, Staff

from .validators import validate_attachment_size

ATTACHMENT_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png", "zip"]


class ProjectType(models.TextChoices):
    WORKS = "works", "工程"
    GOODS = "goods", "货物"
    SERVICES = "services", "服务"


class BiddingMethod(models.TextChoices):
    OPEN = "open", "公开招标"
    INVITED = "invited", "邀请招标"
    NEGOTIATION = "negotiation", "竞争性谈判"
    CONSULTATION = "consultation", "竞争性磋商"
    INQUIRY = "inquiry", "询价"
    SINGLE_SOURCE = "single_source", "单一来源"


class EventStatus(models.TextChoices):
    REGISTERED = "registered", "已登记"
    OPENED = "opened", "已开标"
    EVALUATED = "evaluated", "已评标"
    AWARDED = "awarded", "已定标"
    SUSPENDED = "suspended", "已中止"


FINISHED_STATUSES = (EventStatus.AWARDED, EventStatus.SUSPENDED)

# The key dates in their legal order: announcement ≤ opening ≤ evaluation ≤ award.
DATE_ORDER = ("announced_on", "opening_on", "evaluated_on", "awarded_on")


def _day(value: datetime.date) -> str:
    return date_format(value, "Y年n月j日")


def date_order_errors(values: dict) -> dict[str, str]:
    """{field: Chinese message} for each key date earlier than the nearest date that must precede it."""
    label = {name: str(BiddingEvent._meta.get_field(name).verbose_name) for name in DATE_ORDER}
    errors = {}
    for later_index, later in enumerate(DATE_ORDER):
        if not values.get(later):
            continue
        for earlier in reversed(DATE_ORDER[:later_index]):
            if values.get(earlier):
                if values[later] < values[earlier]:
                    errors[later] = (
                        f"{label[later]}({_day(values[later])})不能早于{label[earlier]}({_day(values[earlier])})。"
                    )
                break
    return errors


class BiddingEvent(models.Model):
    """招投标项目: one bidding event of the county's trading center that the center supervises on site.

    The status changes only through `bidding.services.event_set_status`."""

    name = models.CharField("项目名称", max_length=200)
    number = models.CharField("项目编号", max_length=50, blank=True)
    project_type = models.CharField("项目类型", max_length=10, choices=ProjectType.choices, db_index=True)
    method = models.CharField("招标方式", max_length=15, choices=BiddingMethod.choices)
    tenderer = models.CharField("招标人", max_length=200)
    agency = models.CharField("招标代理机构", max_length=200, blank=True)
    budget = models.DecimalField("预算金额(万元)", max_digits=14, decimal_places=2, null=True, blank=True)
    announced_on = models.DateField("公告日期", null=True, blank=True)
    opening_on = models.DateField("开标日期", db_index=True)
    opening_time = models.TimeField("开标时间", null=True, blank=True)
    evaluated_on = models.DateField("评标日期", null=True, blank=True)
    awarded_on = models.DateField("定标日期", null=True, blank=True)
    venue = models.CharField("开标地点", max_length=200, blank=True)
    supervisor = models.ForeignKey(
        Staff, verbose_name="现场监督人员", null=True, blank=True, on_delete=models.PROTECT, related_name="supervised_bidding_events"
    )
    status = models.CharField("状态", max_length=12, choices=EventStatus.choices, default=EventStatus.REGISTERED, db_index=True)
    winner = models.CharField("中标人", max_length=200, blank=True)
    note = models.TextField("备注", blank=True, help_text="监督情况、中止原因等。")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "招投标项目"
        verbose_name_plural = "招投标项目"
        ordering = ["-opening_on", "-pk"]
        indexes = [models.Index(fields=["status", "opening_on"], name="bidding_status_opening")]
        permissions = [("supervise_biddingevent", "登记开标、评标、定标或中止(现场监督)")]

    def __str__(self):
        return self.name

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    def clean(self):
        if errors := date_order_errors({name: getattr(self, name) for name in DATE_ORDER}):
            raise ValidationError(errors)


class Irregularity(models.Model):
    """发现问题: what the supervisor found wrong at an event, and its follow-up (整改/处理情况)."""

    event = models.ForeignKey(BiddingEvent, verbose_name="招投标项目", on_delete=models.CASCADE, related_name="irregularities")
    found_on = models.DateField("发现日期")
    description = models.TextField("发现问题")
    follow_up = models.TextField("整改/处理情况", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True, help_text="整改到位或处理完毕的日期;留空为尚未办结。")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "发现问题"
        verbose_name_plural = "发现问题"
        ordering = ["found_on", "pk"]

    def __str__(self):
        return f"{self.found_on} {self.description[:20]}"

    def clean(self):
        errors = {}
        if self.closed_on:
            if not (self.follow_up or "").strip():
                errors["follow_up"] = f"填写了办结日期({_day(self.closed_on)}),须同时填写整改/处理情况。"
            if self.found_on and self.closed_on < self.found_on:
                errors["closed_on"] = f"办结日期({_day(self.closed_on)})不能早于发现日期({_day(self.found_on)})。"
        if errors:
            raise ValidationError(errors)


class BiddingAttachment(models.Model):
    event = models.ForeignKey(BiddingEvent, verbose_name="招投标项目", on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField("附件名称", max_length=100, help_text="如:招标公告、开标记录、评标报告、监督记录。")
    file = models.FileField(
        "文件",
        upload_to="bidding/%Y/",
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS, "只能上传以下类型的文件:%(allowed_extensions)s(上传的是 %(extension)s)。"), validate_attachment_size],
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title


class BiddingSettings(ControlPanel):
    """The numbers of the bidding supervision pages."""

    calendar_days = models.PositiveSmallIntegerField(
        "开标日历范围(工作日)", default=10, help_text="开标日历列出今天起该工作日数内开标的项目,未指派现场监督人员的标为“需要派员监督”。"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "招投标监督设置"
        verbose_name_plural = "招投标监督设置"
