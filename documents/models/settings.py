from django.db import models
from simple_history.models import HistoricalRecords

from staffing.models import ControlPanel


class DocumentsSettings(ControlPanel):
    # S3.6-d: 需办理的文件须在三日内办理完毕并反馈.
    circulation_days = models.PositiveSmallIntegerField("文件办理期限(日)", default=3)
    circulation_working_days = models.BooleanField("按工作日计算", default=True, help_text="制度写“三日内”;默认按工作日计,取消勾选则按自然日计。")
    # S2.4-b: 年度目标季度自查报告在季度末前五个工作日报送.
    quarterly_report_working_days_before_end = models.PositiveSmallIntegerField("季度自查报告(季末前工作日)", default=5)
    supervision_reminder_days = models.PositiveSmallIntegerField("督办临期提醒(工作日)", default=3)

    # S3.6-g: 收文 — its number pattern, and the handling limit (working days) of each urgency.
    incoming_number_pattern = models.CharField(
        "收文编号格式", max_length=60, default="收〔{year}〕{seq}号", help_text="{year} 为年份,{seq} 为当年收文序号。"
    )
    incoming_flash_days = models.PositiveSmallIntegerField("特急件办理期限(工作日)", default=1)
    incoming_urgent_days = models.PositiveSmallIntegerField("加急件办理期限(工作日)", default=2)
    incoming_normal_days = models.PositiveSmallIntegerField("平件办理期限(工作日)", default=3)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "公文与督办设置"
        verbose_name_plural = "公文与督办设置"
