"""会议室预约 (S3.4): the request form, the list, approve / reject / cancel buttons and the week of rooms.

A booking is never edited in a form: it is requested through services.booking_request and then
moves only by the buttons (booking_decide, booking_cancel).
"""

import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from staffing.admin.base import HistoryAdmin
from staffing.admin.service_forms import add_page_context, add_service_error, service_message
from staffing.models import WorkingHours

from .. import selectors, services
from ..forms import BookingDecisionForm, BookingRequestForm
from ..models import BookingStatus, MeetingsSettings, Room, RoomBooking
from ..models.bookings import HOLDING_STATUSES


def week_url(day: datetime.date | None = None) -> str:
    url = reverse("admin:meetings_roombooking_week")
    return f"{url}?start={day.isoformat()}" if day else url


@admin.register(RoomBooking)
class RoomBookingAdmin(HistoryAdmin):
    list_display = ["room", "when", "purpose", "attendees", "booker", "status_mark", "ad_hoc", "decider"]
    list_filter = ["room", "status", "ad_hoc"]
    list_select_related = ["room", "booked_by", "decided_by__staff"]
    search_fields = ["purpose", "booked_by__name"]
    date_hierarchy = "starts_at"
    actions = None
    fields = [
        ("room", "status"),
        ("starts_at", "ends_at"),
        "purpose",
        ("attendees", "ad_hoc"),
        ("booker", "booked_at"),
        ("decider", "decided_at"),
        "decision_note",
    ]
    readonly_fields = [name for row in fields for name in (row if isinstance(row, tuple) else (row,))]
    add_fields = ["room", "starts_at", "ends_at", "purpose", "attendees"]
    change_form_template = "admin/meetings/roombooking/change_form.html"
    change_list_template = "admin/meetings/roombooking/change_list.html"

    @admin.display(description="时间", ordering="starts_at")
    def when(self, obj):
        start, end = timezone.localtime(obj.starts_at), timezone.localtime(obj.ends_at)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}" if start.date() == end.date() else f"{start:%Y-%m-%d %H:%M}–{end:%m-%d %H:%M}"

    @admin.display(description="预约人", ordering="booked_by__name")
    def booker(self, obj):
        return obj.booked_by.name

    @admin.display(description="审批人")
    def decider(self, obj):
        if obj.decided_by is None:
            return "—"
        staff = getattr(obj.decided_by, "staff", None)
        return staff.name if staff is not None else obj.decided_by.get_username()

    @admin.display(description="状态", ordering="status")
    def status_mark(self, obj):
        return format_html('<span class="mt-status {}">{}</span>', obj.status, obj.get_status_display())

    # Nothing of a booking is edited or deleted: it moves by the buttons, and a cancelled one stays on record.

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        context = {
            "pending_count": RoomBooking.objects.filter(status=BookingStatus.PENDING).count(),
            "pending_url": reverse("admin:meetings_roombooking_changelist") + f"?status__exact={BookingStatus.PENDING}",
            "week_url": week_url(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("week/", wrap(self.week_view), name="meetings_roombooking_week"),
            path("<int:object_id>/approve/", wrap(self.decide_view), {"approve": True}, name="meetings_roombooking_approve"),
            path("<int:object_id>/reject/", wrap(self.decide_view), {"approve": False}, name="meetings_roombooking_reject"),
            path("<int:object_id>/cancel/", wrap(self.cancel_view), name="meetings_roombooking_cancel"),
        ] + super().get_urls()

    # 预约会议室

    def add_initial(self, request) -> dict:
        """From the week view's 「预约」 links: ?room=…&date=YYYY-MM-DD&half=am|pm."""
        initial = {}
        if request.GET.get("room", "").isdigit():
            initial["room"] = int(request.GET["room"])
        try:
            day = datetime.date.fromisoformat(request.GET.get("date", ""))
        except ValueError:
            return initial
        hours = WorkingHours.load()
        if request.GET.get("half") == "pm":
            begin, end = hours.afternoon_start, hours.afternoon_end
        else:
            begin, end = hours.morning_start, hours.morning_end
        tz = timezone.get_current_timezone()
        initial["starts_at"] = datetime.datetime.combine(day, begin, tz)
        initial["ends_at"] = datetime.datetime.combine(day, end, tz)
        return initial

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BookingRequestForm(request.POST if request.method == "POST" else None, initial=self.add_initial(request))
        if form.is_bound and form.is_valid():
            try:
                booking = services.booking_request(user=request.user, **form.service_kwargs())
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                self.log_addition(request, booking, [{"added": {}}])
                role = MeetingsSettings.load().booking_approver_role
                ad_hoc = "本预约为当天临时使用(已标记为临时使用)。" if booking.ad_hoc else ""
                self.message_user(request, f"已提交会议室预约「{booking}」,待{role}审批。{ad_hoc}", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:meetings_roombooking_change", args=[booking.pk]))
        settings = MeetingsSettings.load()
        context = add_page_context(
            self, request, form, [(None, {"fields": self.add_fields})], "预约会议室", extra_context,
            booking_rule=f"须至少提前{settings.booking_lead_working_days}个工作日预约,单次最长{settings.booking_max_days}天;当天临时使用只能预约空闲时段。"
            f"预约经{settings.booking_approver_role}审批后生效。",
            week_url=week_url(),
        )
        return self.render_change_form(request, context, add=True, form_url=form_url)

    # The booking page and its buttons

    def booking_or_404(self, request, object_id) -> RoomBooking:
        booking = self.get_object(request, unquote(str(object_id)))
        if booking is None or not self.has_view_or_change_permission(request, booking):
            raise Http404("没有找到该预约。")
        return booking

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["booking_panel"] = self.booking_panel(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def booking_panel(self, request, booking) -> dict:
        staff = getattr(request.user, "staff", None)
        pending = booking.status == BookingStatus.PENDING
        return {
            "booking": booking,
            "can_decide": pending and selectors.user_decides_bookings(request.user),
            "approver_role": MeetingsSettings.load().booking_approver_role,
            "can_cancel": booking.status in HOLDING_STATUSES
            and (request.user.is_superuser or (staff is not None and booking.booked_by_id == staff.pk)),
            "approve_url": reverse("admin:meetings_roombooking_approve", args=[booking.pk]),
            "reject_url": reverse("admin:meetings_roombooking_reject", args=[booking.pk]),
            "cancel_url": reverse("admin:meetings_roombooking_cancel", args=[booking.pk]),
            "week_url": week_url(timezone.localtime(booking.starts_at).date()),
        }

    def decide_view(self, request, object_id, approve):
        booking = self.booking_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = BookingDecisionForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        label = "批准" if approve else "不批准"
        try:
            services.booking_decide(booking=booking, user=request.user, approve=approve, note=note)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, f"未能{label}:{service_message(error)}", messages.ERROR)
        else:
            self.message_user(request, f"已{label}预约「{booking}」。", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:meetings_roombooking_change", args=[booking.pk]))

    def cancel_view(self, request, object_id):
        booking = self.booking_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            services.booking_cancel(booking=booking, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, f"未能取消:{service_message(error)}", messages.ERROR)
        else:
            self.message_user(request, f"已取消预约「{booking}」,该时段已释放。", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:meetings_roombooking_change", args=[booking.pk]))

    # 会议室周视图

    def week_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            day = datetime.date.fromisoformat(request.GET.get("start", ""))
        except ValueError:
            day = timezone.localdate()
        monday = day - datetime.timedelta(days=day.weekday())
        grid = selectors.room_week(monday)
        sunday = monday + datetime.timedelta(days=6)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"会议室使用情况:{monday:%Y年%m月%d日}至{sunday:%m月%d日}",
            "grid": grid,
            "today": timezone.localdate(),
            "previous_url": week_url(monday - datetime.timedelta(days=7)),
            "next_url": week_url(monday + datetime.timedelta(days=7)),
            "this_week_url": week_url(),
            "can_book": self.has_add_permission(request),
            "has_rooms": Room.objects.filter(is_active=True).exists(),
        }
        return TemplateResponse(request, "admin/meetings/roombooking/week.html", context)
