from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from staffing.models import ControlPanel
from staffing.roles import ALL_ROLES, MAIN_LEADER


class MeetingsSettings(ControlPanel):
    # S3.4: 使用会议室须提前一天向办公室预约.
    booking_lead_working_days = models.PositiveSmallIntegerField("会议室提前预约(工作日)", default=1)
    # A county center books a room for a meeting or at most a few days of training; a longer span
    # (by mistake, or 2027–2099) would block every later request.
    booking_max_days = models.PositiveSmallIntegerField(
        "单次预约最长(天)", default=3, validators=[MinValueValidator(1)], help_text="一次预约从开始到结束最多的天数。"
    )
    booking_approver_role = models.CharField(
        "会议室预约审批角色", max_length=20, choices=[(r, r) for r in ALL_ROLES], default=MAIN_LEADER
    )
    # S3.5: 例会后各部门书面报告及工作打算.
    report_due_working_days = models.PositiveSmallIntegerField("会后书面报告期限(工作日)", default=3)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "会议设置"
        verbose_name_plural = "会议设置"
