"""Long work run by the background worker (imports and exports above a size), and its thresholds.

A `BackgroundJob` is what its owner watches on the progress page: the counts are written by the
running task once per batch (a plain UPDATE, no history), the status only by the services of
staffing/background.py (with history).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .control_panel import ControlPanel


class JobKind(models.TextChoices):
    CATALOG_IMPORT = "catalog_import", "事项目录导入"
    CATALOG_EXPORT = "catalog_export", "事项目录导出"
    CLOCK_IMPORT = "clock_import", "考勤机数据导入"
    ORGANISATION_IMPORT = "organisation_import", "组织架构导入"
    RATINGS_IMPORT = "ratings_import", "省平台评价数据导入"
    LIST_EXPORT = "list_export", "列表导出"
    TIMELINE_EXPORT = "timeline_export", "变更记录导出"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class BackgroundJob(models.Model):
    kind = models.CharField("任务类型", max_length=30, choices=JobKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.CASCADE, related_name="background_jobs"
    )
    file_name = models.CharField("文件名", max_length=255, blank=True)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField("当前步骤", max_length=200, blank=True)
    total = models.PositiveIntegerField("总行数", default=0)
    rows_read = models.PositiveIntegerField("已读取行数", default=0)
    rows_checked = models.PositiveIntegerField("已校验行数", default=0)
    rows_written = models.PositiveIntegerField("已写入行数", default=0)
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    writing_started_at = models.DateTimeField("开始写入时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    message = models.TextField("结果说明", blank=True)
    output = models.CharField("生成的文件", max_length=255, blank=True)

    # The history records who started a job and how it ended; counts, paths and the raw result are not
    # a reader's business (the progress page shows them).
    history = HistoricalRecords(
        excluded_fields=["stage", "rows_read", "rows_checked", "rows_written", "params", "result", "output"]
    )

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "我的后台任务"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="background_job_by_user")]

    def __str__(self):
        name = f"「{self.file_name}」" if self.file_name else ""
        return f"{self.get_kind_display()}{name}"

    @property
    def finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class BackgroundSettings(ControlPanel):
    """Above these sizes the work leaves the request: gunicorn's worker timeout is 30 s (issue 20)."""

    import_rows = models.PositiveIntegerField(
        "导入行数超过多少时在后台运行", default=2000, validators=[MinValueValidator(1)],
        help_text="工作簿中「事项」等主表的数据行数超过此数时,确认导入后转入后台运行,页面显示进度。",
    )
    export_rows = models.PositiveIntegerField(
        "导出行数超过多少时在后台运行", default=5000, validators=[MinValueValidator(1)],
        help_text="导出的记录数超过此数时,转入后台生成文件,完成后在「我的后台任务」中下载。",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "后台任务设置"
        verbose_name_plural = "后台任务设置"
