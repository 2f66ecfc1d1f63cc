from django.db import models
from simple_history.models import HistoricalRecords


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日"
    WORKDAY = "workday", "调休上班日"


class CalendarDay(models.Model):
    """A day that overrides the weekday rule (Mon–Fri work, Sat–Sun rest)."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("节日名称", max_length=50, blank=True, help_text="如:国庆节、春节;调休上班日填所调的节日。")
    note = models.CharField("备注", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "工作日历"
        verbose_name_plural = "工作日历"
        ordering = ["date"]

    def __str__(self):
        label = f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
        return f"{label}({self.name})" if self.name else label
