from django.db import models
from simple_history.models import HistoricalRecords

from staffing.models import ControlPanel
from staffing.roles import ALL_ROLES, MAIN_LEADER


class MeetingsSettings(ControlPanel):
    # S3.4: 使用会议室须提前一天向办公室预约.
    booking_lead_working_days = models.PositiveSmallIntegerField("会议室提前预约(工作日)", default=1)
    booking_approver_role = models.CharField(
        "会议室预约审批角色", max_length=20, choices=[(r, r) for r in ALL_ROLES], default=MAIN_LEADER
    )
    # S3.5: 例会后各部门书面报告及工作打算.
    report_due_working_days = models.PositiveSmallIntegerField("会后书面报告期限(工作日)", default=3)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "会议设置"
        verbose_name_plural = "会议设置"
