from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from staffing.models import Department, LeaveRequest, Staff
from staffing.versioning import Versioned


class MemberBody(models.Model):
    """A named group of staff: the party committee, a section's staff, the safety group."""

    name = models.CharField("名称", max_length=100, unique=True)
    department = models.ForeignKey(Department, verbose_name="对应部门/股室", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "成员组"
        verbose_name_plural = "成员组"

    def __str__(self):
        return self.name


class BodyMembership(models.Model):
    body = models.ForeignKey(MemberBody, verbose_name="成员组", on_delete=models.CASCADE, related_name="memberships")
    staff = models.ForeignKey(Staff, verbose_name="成员", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("职务", max_length=50, default="成员", help_text="如:书记、副书记、委员、主任、科长、组长。")
    joined_on = models.DateField("起始日期", default=timezone.localdate)
    left_on = models.DateField("截止日期", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "成员"
        verbose_name_plural = "成员"
        ordering = ["body", "pk"]

    def __str__(self):
        return f"{self.body} {self.role} {self.staff.name}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "计划"
    HELD = "held", "已召开"
    CANCELLED = "cancelled", "取消"


class Meeting(Versioned):
    meeting_type = models.ForeignKey("MeetingType", verbose_name="会议类型", on_delete=models.PROTECT, related_name="meetings")
    body = models.ForeignKey(MemberBody, verbose_name="参会成员组", on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField("会议名称", max_length=200)
    starts_at = models.DateTimeField("开始时间", db_index=True)
    ends_at = models.DateTimeField("结束时间")
    location = models.CharField("地点", max_length=100, blank=True)
    booking = models.OneToOneField("RoomBooking", verbose_name="会议室预约", null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting")
    chair = models.ForeignKey(Staff, verbose_name="主持人", on_delete=models.PROTECT, related_name="chaired_meetings")
    status = models.CharField("状态", max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED, db_index=True)
    minutes = models.TextField("会议纪要", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = "会议"
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{timezone.localtime(self.starts_at):%Y-%m-%d} {self.title}"


class MeetingAttachment(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("附件", upload_to="meetings/%Y/")
    title = models.CharField("说明", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "会议附件"
        verbose_name_plural = "会议附件"

    def __str__(self):
        return self.title or self.file.name


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    ON_LEAVE = "on_leave", "请假(已批准)"
    ABSENT = "absent", "缺席"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attendance")
    staff = models.ForeignKey(Staff, verbose_name="成员", on_delete=models.PROTECT, related_name="meeting_attendance")
    role = models.CharField("职务", max_length=50, blank=True)
    status = models.CharField("出席情况", max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.ABSENT)
    leave = models.ForeignKey(LeaveRequest, verbose_name="请假单", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "出席"
        verbose_name_plural = "出席"
        ordering = ["meeting", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "staff"], name="attendance_unique_member")]

    def __str__(self):
        return f"{self.staff.name} {self.get_status_display()}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField("序号", default=1)
    title = models.CharField("议题", max_length=300)
    presenter = models.ForeignKey(Staff, verbose_name="汇报人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "议题"
        verbose_name_plural = "议题"
        ordering = ["meeting", "order"]

    def __str__(self):
        return self.title


class Decision(models.Model):
    agenda_item = models.ForeignKey(AgendaItem, verbose_name="议题", on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField("决定事项类别", max_length=50, blank=True, help_text="如:干部任免。与法定人数规则的类别对应。")
    text = models.TextField("决定内容")
    votes_for = models.PositiveSmallIntegerField("赞成", default=0)
    votes_against = models.PositiveSmallIntegerField("反对", default=0)
    votes_abstain = models.PositiveSmallIntegerField("弃权", default=0)
    adopted = models.BooleanField("已通过", default=False)
    # A decision to be supervised (督办): the documents app opens the supervision item that points here.
    responsible_department = models.ForeignKey(
        Department, verbose_name="责任部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField("办结期限", null=True, blank=True)
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "决议"
        verbose_name_plural = "决议"
        ordering = ["agenda_item", "pk"]

    def __str__(self):
        return self.text[:40]
