from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from halls.models.hall import center_hall_id


class DepartmentKind(models.TextChoices):
    STATIONED = "stationed", "进驻部门"
    SECTION = "section", "股室"


class LeaderRole(models.TextChoices):
    NONE = "", "无"
    MAIN = "main", "主要领导"
    IN_CHARGE = "in_charge", "分管领导"


class Department(models.Model):
    name = models.CharField("名称", max_length=100, unique=True)
    code = models.CharField("部门编码", max_length=30, unique=True, null=True, blank=True, help_text="统一社会信用代码或本中心编码,可在Excel中代替名称。")
    kind = models.CharField("类型", max_length=10, choices=DepartmentKind.choices, default=DepartmentKind.STATIONED)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    leader_in_charge = models.ForeignKey(
        "Staff",
        verbose_name="分管领导",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="departments_in_charge",
        limit_choices_to={"leader_role__in": [LeaderRole.MAIN, LeaderRole.IN_CHARGE]},
    )
    reconsideration_authority = models.CharField(
        "行政复议机关", max_length=100, blank=True,
        help_text="不予受理、不予许可时告知申请人可以向其申请行政复议的机关；留空则为「大余县人民政府」。",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "部门/股室"
        verbose_name_plural = "部门/股室"
        ordering = ["kind", "sort_order", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.leader_in_charge_id and not self.leader_in_charge.leader_role:
            raise ValidationError(
                {"leader_in_charge": f"「{self.leader_in_charge}」不是领导,不能作为分管领导。"}
            )


class Window(models.Model):
    number = models.CharField("窗口号", max_length=20, unique=True)
    name = models.CharField("窗口名称", max_length=100)
    department = models.ForeignKey(Department, verbose_name="所属部门", on_delete=models.PROTECT, related_name="windows")
    hall = models.ForeignKey(
        "halls.Hall", verbose_name="服务场所", on_delete=models.PROTECT, related_name="windows", default=center_hall_id
    )
    location = models.CharField("位置", max_length=100, blank=True, help_text="如:一楼大厅东侧")
    is_active = models.BooleanField("在用", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "窗口"
        verbose_name_plural = "窗口"
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}号窗口 {self.name}"


class Staff(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="登录账号", on_delete=models.PROTECT, related_name="staff"
    )
    name = models.CharField("姓名", max_length=50)
    badge_no = models.CharField("工号", max_length=20, unique=True, help_text="挂牌上岗的工号(S1.7)。")
    department = models.ForeignKey(Department, verbose_name="所属部门", on_delete=models.PROTECT, related_name="staff")
    window = models.ForeignKey(
        Window, verbose_name="窗口", null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )
    position = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=50, blank=True)
    leader_role = models.CharField("领导职务", max_length=10, choices=LeaderRole.choices, default=LeaderRole.NONE, blank=True)
    is_active = models.BooleanField("在岗", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"
        ordering = ["department__sort_order", "badge_no"]

    def __str__(self):
        return f"{self.name}({self.badge_no})"

    def clean(self):
        if self.window_id and self.department_id and self.window.department_id != self.department_id:
            raise ValidationError(
                {"window": f"窗口「{self.window}」属于「{self.window.department}」,与所属部门「{self.department}」不一致。"}
            )


class Post(models.Model):
    """A post (岗位) with its A holder; B holders are `PostSubstitute` rows in their take-over order (S1.9)."""

    name = models.CharField("岗位名称", max_length=100)
    department = models.ForeignKey(Department, verbose_name="所属部门/股室", on_delete=models.PROTECT, related_name="posts")
    a_holder = models.ForeignKey(Staff, verbose_name="A岗责任人", on_delete=models.PROTECT, related_name="a_posts")
    duties = models.TextField("岗位职责", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "岗位(AB岗)"
        verbose_name_plural = "岗位(AB岗)"
        ordering = ["department__sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="post_unique_name_per_department")]

    def __str__(self):
        return f"{self.department} · {self.name}"


class PostSubstitute(models.Model):
    post = models.ForeignKey(Post, verbose_name="岗位", on_delete=models.CASCADE, related_name="substitutes")
    staff = models.ForeignKey(Staff, verbose_name="B岗责任人", on_delete=models.PROTECT, related_name="b_posts")
    order = models.PositiveSmallIntegerField("顶岗顺序", default=1, help_text="1 为第一顺位。")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "B岗责任人"
        verbose_name_plural = "B岗责任人"
        ordering = ["post", "order"]
        constraints = [
            models.UniqueConstraint(fields=["post", "order"], name="post_substitute_unique_order"),
            models.UniqueConstraint(fields=["post", "staff"], name="post_substitute_unique_staff"),
        ]

    def __str__(self):
        return f"B{self.order}:{self.staff}"

    def clean(self):
        if self.post_id and self.staff_id and self.post.a_holder_id == self.staff_id:
            raise ValidationError({"staff": f"「{self.staff}」已是该岗位的A岗责任人,不能同时担任B岗。"})
