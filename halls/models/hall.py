"""Service halls (服务场所, S1.1-f): the center's own hall, the specialised halls and branch centers that
departments run, and the township service centers the center guides (主要职责 6–7)."""

from django.db import models
from simple_history.models import HistoricalRecords


class HallKind(models.TextChoices):
    CENTER = "center", "中心大厅"
    SPECIALISED = "specialised", "专业办事大厅"
    BRANCH = "branch", "分中心"
    TOWNSHIP = "township", "乡镇便民服务中心"


class Hall(models.Model):
    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=12, choices=HallKind.choices, default=HallKind.BRANCH)
    department = models.ForeignKey(
        "staffing.Department", verbose_name="主办部门", null=True, blank=True, on_delete=models.PROTECT,
        related_name="halls", help_text="设立该场所的部门;中心大厅和乡镇便民服务中心可留空。",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("咨询电话", max_length=50, blank=True)
    head = models.ForeignKey(
        "staffing.Staff", verbose_name="负责人", null=True, blank=True, on_delete=models.SET_NULL, related_name="halls_headed"
    )
    working_hours = models.CharField("办公时间", max_length=200, blank=True, help_text="如:周一至周五 上午8:00—12:00 下午14:30—17:30")
    uses_system = models.BooleanField(
        "在本系统办件", default=True, help_text="不在本系统办件的场所(如乡镇便民服务中心)按月从Excel导入办件数据。"
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "服务场所"
        verbose_name_plural = "服务场所"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


def center_hall_id():
    """The default hall of a window: the center's own hall (created by the first migration)."""
    return Hall.objects.filter(kind=HallKind.CENTER).order_by("pk").values_list("pk", flat=True).first()
