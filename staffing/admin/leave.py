"""请假 and 加班 (S1.10-d, S3.8): the requester's form, the scoped lists with 待我审批, the approval chain
on the request's page, and the threshold table (审批规则) the center administrator edits."""

from django.contrib import admin, messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html

from .. import services
from ..forms import ApprovalRuleForm, ApprovalRuleListForm, ApprovalRuleListFormSet, LeaveRequestForm, OvertimeRequestForm, handover_candidates
from ..models import ApprovalRule, LeaveRequest, OvertimeRequest, RequestStatus
from .base import HistoryAdmin
from .requests import ApprovalRequestAdminMixin, AwaitingMeFilter, request_staff
from .service_forms import ServiceAddMixin
from .versioning import VersionedAdminMixin

RelatedOnly = admin.RelatedOnlyFieldListFilter

STATUS_CSS = {
    RequestStatus.PENDING: "pending",
    RequestStatus.APPROVED: "approved",
    RequestStatus.REJECTED: "rejected",
    RequestStatus.CANCELLED: "cancelled",
}


def number_text(value) -> str:
    """2.0 → "2", 0.5 → "0.5", 10 → "10"."""
    return format(value.normalize(), "f")


def status_badge(obj):
    return format_html(
        '<span class="request-status {}">{}</span>', STATUS_CSS.get(obj.status, ""), obj.get_status_display()
    )


class RequestAdmin(ApprovalRequestAdminMixin, ServiceAddMixin, HistoryAdmin):
    list_select_related = ["staff__department"]
    search_fields = ["staff__name", "=staff__badge_no", "reason"]
    show_full_result_count = False
    actions = None

    def get_queryset(self, request):
        return self.with_pending_step(super().get_queryset(request))

    @admin.display(description="申请人", ordering="staff__name")
    def staff_name(self, obj):
        return obj.staff.name

    @admin.display(description="部门", ordering="staff__department__name")
    def department(self, obj):
        return obj.staff.department.name

    @admin.display(description="状态", ordering="status")
    def status_display(self, obj):
        return status_badge(obj)

    def response_add(self, request, obj, post_url_continue=None):
        pending = services.chain_of(obj).filter(decision="pending").first()
        summary = self.submitted_summary(obj)
        if pending is not None:
            message = f"{summary}已提交,待{pending.approver.name}({pending.role_label})审批。"
        else:
            message = f"{summary}已提交,现为「{obj.get_status_display()}」。"
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]))

    def submitted_summary(self, obj) -> str:
        raise NotImplementedError


@admin.register(LeaveRequest)
class LeaveRequestAdmin(VersionedAdminMixin, RequestAdmin):
    form = LeaveRequestForm
    list_display = [
        "submitted_at", "staff_name", "department", "leave_type", "period", "working_days", "status_display",
        "pending_step", "handover_to",
    ]  # fmt: skip
    list_select_related = ["staff__department", "handover_to"]
    list_filter = [AwaitingMeFilter, "status", "leave_type", ("staff__department", RelatedOnly)]
    date_hierarchy = "start_date"
    add_fieldsets = [
        ("请假", {"fields": ["leave_type", ("start_date", "start_half"), ("end_date", "end_half"), "reason", "destination", "contact"]}),
        ("工作交接(AB岗)", {"fields": ["handover_to", "handover_note"]}),
    ]
    view_fieldsets = [
        ("请假", {"fields": [("staff", "status"), "leave_type", ("start_date", "start_half"), ("end_date", "end_half"), "working_days", "reason", ("destination", "contact"), "submitted_at"]}),
        ("工作交接(AB岗)", {"fields": ["handover_to", "handover_note"]}),
    ]

    def own_requests(self, staff):
        return Q(staff=staff) | Q(handover_to=staff)

    @admin.display(description="请假时间", ordering="start_date")
    def period(self, obj):
        start = f"{date_format(obj.start_date, 'n月j日')}{obj.get_start_half_display()}"
        end = f"{date_format(obj.end_date, 'n月j日')}{obj.get_end_half_display()}"
        return f"{start} 至 {end}"

    def add_title(self, request):
        return "请假申请"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        staff = request_staff(request)
        if staff is not None:
            handover = services.default_handover(staff)
            if handover is not None:
                initial.setdefault("handover_to", handover.pk)
            initial.setdefault("contact", staff.phone)
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "handover_to":
            staff = request_staff(request)
            kwargs["queryset"] = handover_candidates(staff) if staff is not None else db_field.related_model.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def add_through_service(self, request, form):
        return services.leave_submit(user=request.user, **form.service_kwargs())

    def submitted_summary(self, obj):
        return f"请假申请(共{number_text(obj.working_days)}个工作日)"


@admin.register(OvertimeRequest)
class OvertimeRequestAdmin(RequestAdmin):
    form = OvertimeRequestForm
    list_display = ["submitted_at", "staff_name", "department", "date", "time_range", "hours", "reason", "status_display", "pending_step"]
    list_filter = [AwaitingMeFilter, "status", ("staff__department", RelatedOnly)]
    date_hierarchy = "date"
    add_fieldsets = [("加班", {"fields": ["date", ("starts_at", "ends_at"), "reason"]})]
    view_fieldsets = [("加班", {"fields": [("staff", "status"), "date", ("starts_at", "ends_at"), "hours", "reason", "submitted_at"]})]

    @admin.display(description="时间", ordering="starts_at")
    def time_range(self, obj):
        return f"{obj.starts_at:%H:%M}—{obj.ends_at:%H:%M}"

    def add_title(self, request):
        return "加班申请"

    def add_through_service(self, request, form):
        return services.overtime_submit(user=request.user, **form.cleaned_data)

    def submitted_summary(self, obj):
        return f"加班申请({number_text(obj.hours)}小时)"


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(HistoryAdmin):
    """The thresholds: a band of days (hours, yuan) → the approvers in order. Edited in the list itself."""

    form = ApprovalRuleForm
    list_display = ["band", "kind", "above", "up_to", "approvers", "chain", "note"]
    list_editable = ["above", "up_to", "approvers", "note"]
    list_display_links = ["band"]
    list_filter = ["kind"]
    ordering = ["kind", "above"]
    actions = None

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(request, formset=ApprovalRuleListFormSet, **kwargs)

    # A reader who may not edit sees the approvers by their titles (审批顺序), never the stored codes.
    def get_list_display(self, request):
        if self.has_change_permission(request):
            return super().get_list_display(request)
        return [name for name in self.list_display if name != "approvers"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return [name for name in fields if name != "approvers"]  # 审批顺序 (chain) is among the read-only fields

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if self.has_change_permission(request, obj) else [*readonly, "chain"]

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=ApprovalRuleListForm, **kwargs)

    @admin.display(description="适用范围")
    def band(self, obj):
        return obj.band()

    @admin.display(description="审批顺序")
    def chain(self, obj):
        return obj.approver_labels()

