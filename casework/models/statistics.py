from django.db import models

from registry.models import HandlingMode, ServiceItem
from staffing.models import Department, Window

# The counts of the daily rollups, in the order of casework.rollup.contribution.
COUNTED = ("received", "accepted", "completed", "on_time", "overdue", "refused", "deemed_accepted", "same_day_missed")


class DayCounts(models.Model):
    """Cases received on a day, counted by their present state.

    Derived data, so no history of their own: Case.save keeps the rollups in the same transaction
    (casework.rollup), and `manage.py rebuild_statistics` rebuilds or checks them from the cases.
    """

    day = models.DateField("收件日期")
    department = models.ForeignKey(Department, verbose_name="实施部门", on_delete=models.CASCADE, related_name="+")
    hall = models.ForeignKey("halls.Hall", verbose_name="服务场所", on_delete=models.CASCADE, related_name="+")
    window = models.ForeignKey(Window, verbose_name="窗口", on_delete=models.CASCADE, related_name="+")
    handling_mode = models.CharField("办件类型", max_length=12, choices=HandlingMode.choices)
    received = models.IntegerField("收件", default=0)
    accepted = models.IntegerField("受理", default=0)
    completed = models.IntegerField("办结", default=0)
    on_time = models.IntegerField("按时办结", default=0)
    overdue = models.IntegerField("超期办结", default=0)
    refused = models.IntegerField("不予受理或不予批准", default=0)
    deemed_accepted = models.IntegerField("视为受理", default=0)
    same_day_missed = models.IntegerField("即办件未当日办结", default=0)

    class Meta:
        abstract = True


class CaseDayStatistics(DayCounts):
    """Per day × department × hall × window × handling mode (the hall where the case was received, which
    stays the case's when its window later moves): at most days × windows × modes rows, however many
    cases. The statistics by department, window and month, the dashboard's chart read it."""

    class Meta:
        verbose_name = "办件日统计"
        verbose_name_plural = "办件日统计"
        constraints = [
            models.UniqueConstraint(fields=["day", "department", "hall", "window", "handling_mode"], name="case_day_statistics_key")
        ]
        indexes = [
            models.Index(fields=["department", "day"], name="case_day_statistics_department"),
            models.Index(fields=["hall", "day"], name="case_day_statistics_hall"),
        ]


class CaseMonthStatistics(DayCounts):
    """Per month (`day` is its first day) × department × window × handling mode: what the twelve-month
    chart and the whole months of a statistics period read, at most 12 × windows × modes rows a year."""

    class Meta:
        verbose_name = "办件月统计"
        verbose_name_plural = "办件月统计"
        constraints = [
            models.UniqueConstraint(fields=["day", "department", "hall", "window", "handling_mode"], name="case_month_statistics_key")
        ]
        indexes = [
            models.Index(fields=["department", "day"], name="case_month_stats_department"),
            models.Index(fields=["hall", "day"], name="case_month_stats_hall"),
        ]


class CaseDayItemStatistics(DayCounts):
    """The same per item as well: the statistics by item read it."""

    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "办件事项日统计"
        verbose_name_plural = "办件事项日统计"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department", "hall", "window", "item", "handling_mode"], name="case_day_item_statistics_key"
            )
        ]
        indexes = [
            models.Index(fields=["department", "day"], name="case_day_item_stats_department"),
            models.Index(fields=["hall", "day"], name="case_day_item_stats_hall"),
        ]
