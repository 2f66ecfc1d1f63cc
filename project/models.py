"""Site-wide records: sign-in events and the security settings (history review, issue 10)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from staffing.models import ControlPanel


class LoginEventKind(models.TextChoices):
    LOGIN = "login", "登录"
    FAILED = "failed", "登录失败"
    LOCKED = "locked", "账号锁定中被拒绝"
    LOGOUT = "logout", "退出"
    UNLOCKED = "unlocked", "管理员解除锁定"


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
        permissions = [("unlock_signin", "可以解除登录锁定")]
        indexes = [models.Index(fields=["username", "kind", "at"], name="login_event_lockout")]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S} {self.username} {self.get_kind_display()}"


class SecuritySettings(ControlPanel):
    # Fewer than 3 failures would lock owners out over a typo, 0 would lock everyone out for good;
    # a lock of more than a day is a job for an administrator, not for a timer.
    MIN_FAILED_LOGINS, MAX_FAILED_LOGINS = 3, 20
    MIN_LOCKOUT_MINUTES, MAX_LOCKOUT_MINUTES = 1, 1440

    max_failed_logins = models.PositiveSmallIntegerField(
        "连续登录失败次数上限",
        default=5,
        validators=[
            MinValueValidator(MIN_FAILED_LOGINS, "连续登录失败次数上限不能小于 %(limit_value)s 次(填写的是 %(show_value)s)。"),
            MaxValueValidator(MAX_FAILED_LOGINS, "连续登录失败次数上限不能大于 %(limit_value)s 次(填写的是 %(show_value)s)。"),
        ],
        help_text="同一账号在同一地址连续登录失败达到此次数即被锁定(3–20 次)。",
    )
    lockout_minutes = models.PositiveSmallIntegerField(
        "锁定时长(分钟)",
        default=15,
        validators=[
            MinValueValidator(MIN_LOCKOUT_MINUTES, "锁定时长不能小于 %(limit_value)s 分钟(填写的是 %(show_value)s)。"),
            MaxValueValidator(MAX_LOCKOUT_MINUTES, "锁定时长不能大于 %(limit_value)s 分钟,即一天(填写的是 %(show_value)s)。"),
        ],
        help_text="锁定到期后自动解除;中心管理员也可在「登录记录」中提前解除(1–1440 分钟)。",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "安全设置"
        verbose_name_plural = "安全设置"


# --- The index, ordered by role (issue 17) ---------------------------------------------------------

def _role_choices():
    from staffing import roles

    return [(role, role) for role in roles.ALL_ROLES]


class IndexSection(models.Model):
    """A group of the admin index for one role: its name, its place and the lists it holds.

    The index shows a user the sections of their roles first, in order, then everything else they may
    open, grouped as before (project.admin_site.INDEX_GROUPS, then by app)."""

    role = models.CharField("角色", max_length=20, choices=_role_choices(), db_index=True)
    order = models.PositiveSmallIntegerField("顺序", default=0, help_text="数字小的分组排在前面。")
    name = models.CharField("分组名称", max_length=50)
    entries = models.TextField("包含的页面", help_text="从列表中勾选;首页只显示该用户有权打开的页面。")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "首页分组"
        verbose_name_plural = "首页分组(按角色)"
        ordering = ["role", "order", "pk"]

    def __str__(self):
        return f"{self.role}:{self.name}"

    def entry_keys(self) -> list[str]:
        return [key.strip() for key in self.entries.split(",") if key.strip()]
