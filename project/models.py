"""Site-wide records: sign-in events and the security settings (history review, issue 10)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from staffing.models import ControlPanel


class LoginEventKind(models.TextChoices):
    LOGIN = "login", "登录"
    FAILED = "failed", "登录失败"
    LOCKED = "locked", "账号锁定中被拒绝"
    LOGOUT = "logout", "退出"


class LoginEvent(models.Model):
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    kind = models.CharField("事件", max_length=10, choices=LoginEventKind.choices, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField("登录名", max_length=150, db_index=True)
    address = models.GenericIPAddressField("来源地址", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "登录记录"
        verbose_name_plural = "登录记录"
        ordering = ["-at"]
        indexes = [models.Index(fields=["username", "kind", "at"], name="login_event_lockout")]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S} {self.username} {self.get_kind_display()}"


class SecuritySettings(ControlPanel):
    max_failed_logins = models.PositiveSmallIntegerField("连续登录失败次数上限", default=5)
    lockout_minutes = models.PositiveSmallIntegerField("锁定时长(分钟)", default=15)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "安全设置"
        verbose_name_plural = "安全设置"
