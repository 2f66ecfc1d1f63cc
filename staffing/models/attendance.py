"""Attendance (S1.10-a), whereabouts (S1.10-b, S5.4), leave (S1.10-d), duty and overtime (S1.10-c, S3.8)."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..versioning import Versioned


class PunchSource(models.TextChoices):
    CLOCK = "clock", "考勤机导入"
    OFFICE = "office", "办公室录入"


class ClockPunch(models.Model):
    staff = models.ForeignKey("Staff", verbose_name="工作人员", on_delete=models.CASCADE, related_name="punches")
    punched_at = models.DateTimeField("打卡时间")
    source = models.CharField("来源", max_length=10, choices=PunchSource.choices, default=PunchSource.CLOCK)
    note = models.CharField("备注", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "打卡记录"
        verbose_name_plural = "打卡记录"
        ordering = ["staff", "punched_at"]
        constraints = [models.UniqueConstraint(fields=["staff", "punched_at"], name="punch_unique_staff_time")]

    def __str__(self):
        return f"{self.staff} {timezone.localtime(self.punched_at):%Y-%m-%d %H:%M}"


class WhereaboutsStatus(models.TextChoices):
    PRESENT = "present", "在岗"
    MEETING = "meeting", "开会"
    OUT = "out", "外出"
    TRIP = "trip", "出差"
    LEAVE = "leave", "请假"


class Whereabouts(models.Model):
    """A period away from the post (去向牌). Outside every period a staff member is 在岗."""

    staff = models.ForeignKey("Staff", verbose_name="工作人员", on_delete=models.CASCADE, related_name="whereabouts")
    status = models.CharField("去向", max_length=10, choices=WhereaboutsStatus.choices)
    reason = models.CharField("事由", max_length=200)
    destination = models.CharField("去往", max_length=200, blank=True)
    contact = models.CharField("联系方式", max_length=50, blank=True)
    starts_at = models.DateTimeField("开始时间", default=timezone.now)
    returns_at = models.DateTimeField("预计返回", db_index=True)
    ended_at = models.DateTimeField("实际返回", null=True, blank=True)
    leave = models.OneToOneField(
        "LeaveRequest", verbose_name="请假单", null=True, blank=True, on_delete=models.CASCADE, related_name="whereabouts"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "去向登记"
        verbose_name_plural = "去向登记"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["staff", "starts_at"], name="whereabouts_staff_start")]

    def __str__(self):
        return f"{self.staff} {self.get_status_display()}:{self.reason}"


class LeaveType(models.TextChoices):
    PERSONAL = "personal", "事假"
    SICK = "sick", "病假"
    ANNUAL = "annual", "年休假"
    COMPENSATORY = "compensatory", "调休"
    MARRIAGE = "marriage", "婚假"
    MATERNITY = "maternity", "产假/陪产假"
    BEREAVEMENT = "bereavement", "丧假"
    OTHER = "other", "其他"


class HalfDay(models.TextChoices):
    MORNING = "am", "上午"
    AFTERNOON = "pm", "下午"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "审批中"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"
    CANCELLED = "cancelled", "已撤回"


class LeaveRequest(Versioned):
    staff = models.ForeignKey("Staff", verbose_name="请假人", on_delete=models.PROTECT, related_name="leave_requests")
    leave_type = models.CharField("请假类型", max_length=15, choices=LeaveType.choices)
    start_date = models.DateField("开始日期")
    start_half = models.CharField("开始", max_length=2, choices=HalfDay.choices, default=HalfDay.MORNING)
    end_date = models.DateField("结束日期")
    end_half = models.CharField("结束", max_length=2, choices=HalfDay.choices, default=HalfDay.AFTERNOON)
    working_days = models.DecimalField("请假天数(工作日)", max_digits=5, decimal_places=1, default=0)
    reason = models.CharField("事由", max_length=300)
    destination = models.CharField("去往", max_length=200, blank=True)
    contact = models.CharField("联系方式", max_length=50, blank=True)
    handover_to = models.ForeignKey("Staff", verbose_name="工作交接给", on_delete=models.PROTECT, related_name="handovers")
    handover_note = models.TextField("交接事项")
    status = models.CharField("状态", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING, db_index=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "请假申请"
        verbose_name_plural = "请假申请"
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.staff.name} {self.get_leave_type_display()} {self.start_date}–{self.end_date}"


class OvertimeRequest(models.Model):
    staff = models.ForeignKey("Staff", verbose_name="加班人", on_delete=models.PROTECT, related_name="overtime_requests")
    date = models.DateField("加班日期")
    starts_at = models.TimeField("开始时间")
    ends_at = models.TimeField("结束时间")
    hours = models.DecimalField("时长(小时)", max_digits=4, decimal_places=1)
    reason = models.CharField("加班事由", max_length=300)
    status = models.CharField("状态", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING, db_index=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "加班申请"
        verbose_name_plural = "加班申请"
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.staff.name} {self.date} {self.hours}小时"


class DutyShift(models.Model):
    """Holiday and rest-day duty (值班, S1.10-c)."""

    date = models.DateField("值班日期", db_index=True)
    staff = models.ForeignKey("Staff", verbose_name="值班人员", on_delete=models.PROTECT, related_name="duty_shifts")
    phone = models.CharField("值班电话", max_length=50, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "值班安排"
        verbose_name_plural = "值班安排"
        ordering = ["date", "staff"]
        constraints = [models.UniqueConstraint(fields=["date", "staff"], name="duty_unique_date_staff")]

    def __str__(self):
        return f"{self.date} {self.staff.name}"


class DutyLogEntry(models.Model):
    shift = models.ForeignKey(DutyShift, verbose_name="值班", on_delete=models.CASCADE, related_name="log_entries")
    at = models.DateTimeField("时间", default=timezone.now)
    event = models.CharField("事项", max_length=300)
    action = models.CharField("处理情况", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "值班记录"
        verbose_name_plural = "值班记录"
        ordering = ["shift", "at"]

    def __str__(self):
        return self.event
