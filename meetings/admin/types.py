"""What administrators configure: meeting types with their quorum rules, member bodies, rooms, settings.

A new meeting type is a row here, never code: its cadence, chairs and quorum rules are read by the
services and the compliance page.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from staffing.admin.base import HistoryAdmin, register_control_panel
from staffing.admin.service_forms import service_message

from .. import services
from ..models import BodyMembership, MeetingsSettings, MeetingType, MemberBody, QuorumRule, Room

register_control_panel(MeetingsSettings)


class QuorumRuleInline(admin.TabularInline):
    model = QuorumRule
    extra = 0
    fields = ["decision_kind", "numerator", "denominator", "inclusive", "counts_voters"]


@admin.register(MeetingType)
class MeetingTypeAdmin(HistoryAdmin):
    list_display = ["name", "body", "chair_roles", "cadence", "quorum", "needs_report", "is_active"]
    list_filter = ["cadence_period", "needs_report", "is_active"]
    list_select_related = ["body"]
    search_fields = ["name"]
    autocomplete_fields = ["body"]
    fieldsets = [
        (None, {"fields": ["name", "body", "chair_roles", "is_active"]}),
        ("召开周期", {"fields": [("cadence_period", "cadence_min_count"), ("usual_weekday", "usual_half_day")]}),
        ("表决(S4.9)", {"fields": ["decides_by_vote", ("vote_numerator", "vote_denominator", "vote_inclusive", "vote_base")]}),
        ("会后", {"fields": ["needs_report", "note"]}),
    ]
    inlines = [QuorumRuleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("quorum_rules")

    def has_delete_permission(self, request, obj=None):
        # A type in use holds the rules its meetings were held under; retire it with 在用 instead.
        return super().has_delete_permission(request, obj) and (obj is None or not obj.meetings.exists())

    @admin.display(description="召开周期", ordering="cadence_period")
    def cadence(self, obj):
        text = f"{obj.get_cadence_period_display()}至少{obj.cadence_min_count}次"
        usual = f"{obj.get_usual_weekday_display() if obj.usual_weekday is not None else ''}{obj.get_usual_half_day_display()}"
        return f"{text}(一般{usual})" if usual else text

    @admin.display(description="法定人数")
    def quorum(self, obj):
        rules = sorted(obj.quorum_rules.all(), key=lambda rule: rule.decision_kind)
        return ";".join(
            f"{rule.decision_kind or '召开'}"
            f"{'' if rule.inclusive else '超过'}{rule.numerator}/{rule.denominator}{'以上' if rule.inclusive else ''}"
            for rule in rules
        ) or "—"


class BodyMembershipInline(admin.TabularInline):
    model = BodyMembership
    extra = 1
    fields = ["staff", "role", "joined_on", "left_on"]
    autocomplete_fields = ["staff"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("staff")


@admin.register(MemberBody)
class MemberBodyAdmin(HistoryAdmin):
    list_display = ["name", "department", "member_count", "types"]
    list_select_related = ["department"]
    search_fields = ["name"]
    autocomplete_fields = ["department"]
    inlines = [BodyMembershipInline]
    actions = ["import_department_staff"]

    def get_queryset(self, request):
        today = timezone.localdate()
        current = Q(memberships__joined_on__lte=today) & (Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gte=today))
        return (
            super().get_queryset(request)
            .annotate(current_members=Count("memberships", filter=current))
            .prefetch_related("meeting_types")
        )

    @admin.display(description="现有成员", ordering="current_members")
    def member_count(self, obj):
        return f"{obj.current_members}人"

    @admin.display(description="会议类型")
    def types(self, obj):
        return "、".join(t.name for t in obj.meeting_types.all()) or "—"

    @admin.action(description="从对应部门导入成员", permissions=["change"])
    def import_department_staff(self, request, queryset):
        for body in queryset:
            try:
                added = services.body_import_department(body=body, user=request.user)
            except ValidationError as error:
                self.message_user(request, service_message(error), messages.WARNING)
                continue
            if added:
                names = "、".join(m.staff.name for m in added)
                self.message_user(request, f"「{body}」已导入{len(added)}名成员:{names}。", messages.SUCCESS)
            else:
                self.message_user(request, f"「{body.department}」的在岗人员都已是「{body}」的成员。", messages.INFO)


@admin.register(Room)
class RoomAdmin(HistoryAdmin):
    list_display = ["name", "location", "capacity", "equipment", "is_active", "week_link"]
    list_filter = ["is_active"]
    search_fields = ["name", "location"]

    @admin.display(description="使用情况")
    def week_link(self, obj):
        return format_html('<a href="{}">本周预约</a>', reverse("admin:meetings_roombooking_week"))
