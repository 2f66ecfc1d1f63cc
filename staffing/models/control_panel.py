"""Control panels: one row per panel, edited in the admin, with history, read through `load()`."""

import contextlib
import contextvars
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

# {panel class: row} while `panels_read_once()` is active; None otherwise.
_read_once = contextvars.ContextVar("control_panels_read_once", default=None)


@contextlib.contextmanager
def panels_read_once():
    """Within the block each control panel is read at most once.

    For pages that name many records whose names quote a setting (an approval names the center's
    title for its role): without it, every name reads the panel again. Nested blocks share the
    outer one. Only for reading: a panel saved inside the block is not seen by later `load()`s."""
    if _read_once.get() is not None:
        yield
        return
    token = _read_once.set({})
    try:
        yield
    finally:
        _read_once.reset(token)


class ControlPanel(models.Model):
    """A singleton settings model. Every app keeps its regulation numbers on one of these."""

    SINGLETON_ID = 1

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_ID
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The one row, created with the regulation's defaults on first use."""
        read = _read_once.get()
        if read is not None and cls in read:
            return read[cls]
        panel, _ = cls.objects.get_or_create(pk=cls.SINGLETON_ID)
        if read is not None:
            read[cls] = panel
        return panel

    def __str__(self):
        return str(self._meta.verbose_name)


class CenterSettings(ControlPanel):
    name = models.CharField("中心名称", max_length=100, default="大余县行政服务中心")
    system_name = models.CharField("系统名称", max_length=100, default="管理系统")
    address = models.CharField("地址", max_length=200, blank=True)
    # S1.7: the complaint phone and box are published and printed on every guide.
    complaint_phone = models.CharField("投诉电话", max_length=50, default="0797-8722345")
    complaint_box = models.CharField("投诉箱位置", max_length=100, default="中心大厅入口处")
    chairman = models.ForeignKey(
        "Staff", verbose_name="加签领导", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="大额资金使用等须在主要领导之后再审批的领导(如有),其称谓见下一项。",
    )
    # The regulations were copied from a company (总经理, 董事长); the center's own titles are settings.
    main_leader_title = models.CharField(
        "主要领导称谓", max_length=20, default="中心主任", help_text="审批规则、审批记录和提示中「主要领导」一级显示的称谓(原制度中为「总经理」)。"
    )
    chairman_title = models.CharField(
        "加签领导称谓", max_length=20, default="上级分管领导",
        help_text="审批规则中「加签领导」一级显示的称谓(原制度中为「董事长」)。",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "中心设置"
        verbose_name_plural = "中心设置"

    @property
    def site_header(self):
        return f"{self.name}{self.system_name}"


class WorkingHours(ControlPanel):
    """S3.8: 上午 08:00–12:00, 下午 14:00–18:00, Monday to Friday unless the calendar says otherwise."""

    morning_start = models.TimeField("上午上班", default=datetime.time(8, 0))
    morning_end = models.TimeField("上午下班", default=datetime.time(12, 0))
    afternoon_start = models.TimeField("下午上班", default=datetime.time(14, 0))
    afternoon_end = models.TimeField("下午下班", default=datetime.time(18, 0))

    history = HistoricalRecords()

    class Meta:
        verbose_name = "作息时间"
        verbose_name_plural = "作息时间"

    def clean(self):
        order = [self.morning_start, self.morning_end, self.afternoon_start, self.afternoon_end]
        if None not in order and not order[0] < order[1] <= order[2] < order[3]:
            raise ValidationError("作息时间须按 上午上班 < 上午下班 ≤ 下午上班 < 下午下班 的顺序填写。")

    def daily_minutes(self) -> int:
        def minutes(t):
            return t.hour * 60 + t.minute

        return (minutes(self.morning_end) - minutes(self.morning_start)) + (
            minutes(self.afternoon_end) - minutes(self.afternoon_start)
        )
