"""The unified monthly assessment of halls (统一考核, S1.1-f): its weights, a setting."""

from decimal import Decimal

from django.db import models
from simple_history.models import HistoricalRecords
from staffing.models.control_panel import ControlPanel


def _weight(name, default, help_text):
    return models.DecimalField(name, max_digits=6, decimal_places=2, default=Decimal(default), help_text=help_text)


class HallSettings(ControlPanel):
    rectify_days = models.PositiveSmallIntegerField(
        "整改时限(工作日)", default=5,
        help_text="监督检查发现问题的整改期限,自整改通知书下达之日起算(与好差评限期整改的期限一致)。",
    )
    on_time_weight = _weight("按时办结率权重", "60", "按时办结率(0–100%)乘以该权重再除以100计分。")
    rectify_weight = _weight("按时整改率权重", "40", "发现问题按时整改的比例(0–100%)乘以该权重再除以100计分;当月无发现问题按100%计。")
    overdue_penalty = _weight("超期办件扣分(每件)", "2", "当月超期办结或超期未办结的办件,每件扣分。")
    complaint_penalty = _weight("属实投诉扣分(每件)", "5", "当月受理、经调查属实的投诉,每件扣分。")
    bad_rating_penalty = _weight("差评扣分(每件)", "2", "当月的差评(不含申诉成立不计入统计的),每件扣分。")
    finding_penalty = _weight("发现问题扣分(每个)", "1", "当月监督检查发现的问题,每个扣分。")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "服务场所考核设置"
        verbose_name_plural = "服务场所考核设置"
