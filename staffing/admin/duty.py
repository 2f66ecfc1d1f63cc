"""值班 (S1.10-c): the roster with each shift's log, and the 「生成值班表」 page for a holiday period."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.http import urlencode

from .. import services
from ..forms import DutyRosterForm
from ..models import DutyLogEntry, DutyShift
from .service_forms import add_service_error
from .base import HistoryAdmin
from .requests import request_staff

RelatedOnly = admin.RelatedOnlyFieldListFilter
WEEKDAYS = "一二三四五六日"


def own_shift(request, shift) -> bool:
    staff = request_staff(request)
    return shift is not None and staff is not None and shift.staff_id == staff.pk


class DutyLogEntryInline(admin.TabularInline):
    """The person on duty writes the log of their own shift; the office writes any."""

    model = DutyLogEntry
    fields = ["at", "event", "action"]
    extra = 1

    def _may_write(self, request, obj):
        return own_shift(request, obj) or request.user.has_perm("staffing.change_dutyshift")

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_write(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # the duty log is evidence (roles.EVIDENCE_MODELS)


@admin.register(DutyShift)
class DutyShiftAdmin(HistoryAdmin):
    list_display = ["date", "weekday", "staff_name", "department", "phone", "note", "log_count"]
    list_select_related = ["staff__department"]
    list_filter = [("staff__department", RelatedOnly), "staff"]
    search_fields = ["staff__name", "=staff__badge_no", "note"]
    date_hierarchy = "date"
    autocomplete_fields = ["staff"]
    fields = ["date", "staff", "phone", "note"]
    inlines = [DutyLogEntryInline]
    ordering = ["-date"]
    show_full_result_count = False
    change_list_template = "admin/staffing/dutyshift/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(log_count=Count("log_entries"))

    @admin.display(description="星期", ordering="date")
    def weekday(self, obj):
        return f"星期{WEEKDAYS[obj.date.weekday()]}"

    @admin.display(description="值班人员", ordering="staff__name")
    def staff_name(self, obj):
        return obj.staff.name

    @admin.display(description="部门")
    def department(self, obj):
        return obj.staff.department.name

    @admin.display(description="值班记录", ordering="log_count")
    def log_count(self, obj):
        return f"{obj.log_count}条" if obj.log_count else "—"

    def has_change_permission(self, request, obj=None):
        # The person on duty may open their own shift to write its log (the shift itself stays read-only).
        if super().has_change_permission(request, obj):
            return True
        return own_shift(request, obj) and request.user.has_perm("staffing.add_dutylogentry")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not request.user.has_perm("staffing.change_dutyshift"):
            return self.fields
        return []

    # 生成值班表

    def get_urls(self):
        return [
            path("generate/", self.admin_site.admin_view(self.generate_view), name="staffing_dutyshift_generate"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if self.has_add_permission(request):
            extra_context["generate_url"] = reverse("admin:staffing_dutyshift_generate")
        return super().changelist_view(request, extra_context)

    def generate_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DutyRosterForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                shifts = services.duty_roster_generate(
                    start=data["start"], end=data["end"], staff=list(data["staff"]), user=request.user
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                period = f"{date_format(data['start'], 'Y年n月j日')}至{date_format(data['end'], 'Y年n月j日')}"
                if shifts:
                    message = f"已生成{period}的值班表:新增 {len(shifts)} 个值班日;已有安排的日期保持不变。"
                else:
                    message = f"{period}没有需要新排班的休息日或节假日(已有安排的日期保持不变)。"
                self.message_user(request, message, messages.SUCCESS if shifts else messages.INFO)
                query = urlencode({"date__gte": data["start"].isoformat(), "date__lte": data["end"].isoformat()})
                return HttpResponseRedirect(f"{reverse('admin:staffing_dutyshift_changelist')}?{query}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "生成值班表",
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/staffing/dutyshift/generate.html", context)
