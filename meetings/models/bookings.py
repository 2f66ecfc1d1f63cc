from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from staffing.models import Staff


class Room(models.Model):
    name = models.CharField("会议室", max_length=50, unique=True)
    location = models.CharField("位置", max_length=100, blank=True)
    capacity = models.PositiveSmallIntegerField("容纳人数", default=10)
    equipment = models.CharField("设备", max_length=200, blank=True, help_text="如:投影仪、视频会议终端。")
    is_active = models.BooleanField("在用", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "会议室"
        verbose_name_plural = "会议室"
        ordering = ["name"]

    def __str__(self):
        return self.name


class BookingStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"
    CANCELLED = "cancelled", "已取消"


# Pending and approved bookings hold their slot; PostgreSQL also enforces it (migration 0002).
HOLDING_STATUSES = (BookingStatus.PENDING, BookingStatus.APPROVED)


class RoomBooking(models.Model):
    room = models.ForeignKey(Room, verbose_name="会议室", on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField("开始时间", db_index=True)
    ends_at = models.DateTimeField("结束时间")
    purpose = models.CharField("用途", max_length=200)
    attendees = models.PositiveSmallIntegerField("参加人数", default=1)
    booked_by = models.ForeignKey(Staff, verbose_name="预约人", on_delete=models.PROTECT, related_name="room_bookings")
    booked_at = models.DateTimeField("预约时间", default=timezone.now)
    ad_hoc = models.BooleanField("临时使用", default=False, help_text="当天临时使用空闲时段(S3.4)。")
    status = models.CharField("状态", max_length=10, choices=BookingStatus.choices, default=BookingStatus.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "会议室预约"
        verbose_name_plural = "会议室预约"
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["room", "starts_at"], name="booking_room_start")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start")
        ]

    def __str__(self):
        return f"{self.room} {self.span}"

    @property
    def span(self) -> str:
        """2026-09-30 09:00–11:00, or with the end's date when it ends on another day."""
        starts, ends = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        end_format = "%H:%M" if ends.date() == starts.date() else "%Y-%m-%d %H:%M"
        return f"{starts:%Y-%m-%d %H:%M}–{ends.strftime(end_format)}"
