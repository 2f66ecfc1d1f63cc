"""否定报备 (S1.5): the refusal register with the leader's approval, appeals (申诉), extensions (延期).

Refusals and extensions are created from the case page; here they are listed, exported and decided.
Every record is read-only in the admin: a decision is a button that calls its service.
"""

import datetime

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.views.decorators.http import require_POST
from import_export import fields, resources
from import_export.admin import ExportMixin

from staffing import roles
from staffing import selectors as staffing_selectors
from staffing.admin.base import DepartmentScopedAdminMixin, HistoryAdmin
from staffing.admin.service_forms import ServiceAddMixin, service_message
from staffing.excel import excel_row
from staffing.list_exports import ListExport, export_job_response

from .. import selectors, services
from ..consultation_forms import AppealForm, DecisionForm
from ..models import (
    Appeal,
    AppealDecision,
    CaseExtension,
    ExtensionStatus,
    NoticeKind,
    Refusal,
    RefusalStatus,
)

RelatedOnly = admin.RelatedOnlyFieldListFilter


class DecisionButtonsMixin:
    """Read-only records decided by buttons on their page: each button POSTs to `<id>/decide/`.

    Subclasses set `decision_permission` and `decision_buttons` [(name, label)], and implement
    `can_decide(request, obj)` (whether the buttons show) and `decide(request, obj, button, note)`,
    which calls the service and returns the success message. The service has the last word.
    """

    decision_permission = ""
    decision_buttons: list[tuple[str, str]] = []
    decision_note_label = "意见"
    decision_note_help = ""

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def can_decide(self, request, obj) -> bool:
        raise NotImplementedError

    def decide(self, request, obj, button: str, note: str) -> str:
        raise NotImplementedError

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_decide"
        return [
            path("<path:object_id>/decide/", self.admin_site.admin_view(require_POST(self.decision_view)), name=name),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = {**(extra_context or {}), **self.change_page_context(request, obj)}
        if obj is not None and self.can_decide(request, obj):
            form = DecisionForm()
            form.fields["note"].label = self.decision_note_label
            form.fields["note"].help_text = self.decision_note_help
            extra_context.update(
                decision_form=form,
                decision_buttons=self.decision_buttons,
                decision_url=reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_decide", args=[obj.pk]),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def change_page_context(self, request, obj) -> dict:
        return {}

    def decision_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not request.user.has_perm(self.decision_permission):
            raise PermissionDenied
        buttons = [name for name, _ in self.decision_buttons if name in request.POST]
        form = DecisionForm(request.POST)
        if len(buttons) != 1:
            self.message_user(request, "请点击审批按钮提交。", messages.ERROR)
        elif not form.is_valid():
            self.message_user(request, "；".join(form.errors["note"]), messages.ERROR)
        else:
            try:
                done = self.decide(request, obj, buttons[0], form.cleaned_data["note"])
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, service_message(error), messages.ERROR)
            else:
                self.log_change(request, obj, done)
                self.message_user(request, done, messages.SUCCESS)
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", obj.pk)


# ---------------------------------------------------------------- refusal register


def month_start(year: int, month: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, 1))


class RefusalMonthFilter(admin.SimpleListFilter):
    """The last twelve months, by the local date of the refusal."""

    title = "报备月份"
    parameter_name = "month"

    def lookups(self, request, model_admin):
        today = timezone.localdate()
        year, month, months = today.year, today.month, []
        for _ in range(12):
            months.append((f"{year}-{month:02d}", f"{year}年{month}月"))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return months

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            year, month = (int(part) for part in self.value().split("-"))
            start = month_start(year, month)
            end = month_start(year + 1, 1) if month == 12 else month_start(year, month + 1)
        except ValueError as error:
            raise IncorrectLookupParameters(error) from error
        return queryset.filter(refused_at__gte=start, refused_at__lt=end)


class PendingForMeFilter(admin.SimpleListFilter):
    """待我审批: the records waiting for this leader's decision, as the 待我办理 line counts them
    (`waiting` is the inbox's selector)."""

    title = "审批"
    parameter_name = "awaiting"
    waiting = staticmethod(selectors.refusals_to_approve)

    def lookups(self, request, model_admin):
        staff = getattr(request.user, "staff", None)
        return [("me", "待我审批")] if staff is not None and staff.leader_role else []

    def queryset(self, request, queryset):
        if self.value() != "me":
            return queryset
        staff = getattr(request.user, "staff", None)
        if staff is None:
            return queryset.none()
        return queryset.filter(pk__in=self.waiting(request.user, staff).values("pk"))


class RefusalResource(resources.Resource):
    """The register as an Excel sheet, with Chinese columns and labels."""

    case_number = fields.Field(attribute="case__number", column_name="办件编号")
    applicant = fields.Field(attribute="case__applicant_name", column_name="申请人")
    item = fields.Field(column_name="事项")
    stage = fields.Field(column_name="否定类型")
    category = fields.Field(column_name="否定类别")
    reason = fields.Field(attribute="reason", column_name="理由")
    legal_basis = fields.Field(attribute="legal_basis", column_name="法律依据")
    referred_authority = fields.Field(attribute="referred_authority", column_name="告知的办理机关")
    department = fields.Field(attribute="department__name", column_name="部门")
    window = fields.Field(column_name="窗口")
    refused_by = fields.Field(attribute="refused_by__name", column_name="经办人")
    refused_at = fields.Field(column_name="报备时间")
    status = fields.Field(column_name="状态")
    approver = fields.Field(column_name="审批领导")
    approval_note = fields.Field(attribute="approval_note", column_name="审批意见")

    class Meta:
        model = Refusal

    def dehydrate_item(self, refusal):
        return refusal.case.item.full_name

    def dehydrate_stage(self, refusal):
        return refusal.get_stage_display()

    def dehydrate_category(self, refusal):
        return refusal.get_category_display()

    def dehydrate_window(self, refusal):
        return str(refusal.window)

    def dehydrate_refused_at(self, refusal):
        return f"{timezone.localtime(refusal.refused_at):%Y-%m-%d %H:%M}"

    def dehydrate_status(self, refusal):
        return refusal.get_status_display()

    def dehydrate_approver(self, refusal):
        return refusal.approver.name if refusal.approver_id else ""


def refusal_rows(queryset):
    resource = RefusalResource()
    return (resource.export_resource(refusal) for refusal in queryset)


def as_import_export_escapes(row):
    """The cells as django-import-export's export writes them (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT):
    a leading "=" dropped, so that the job's workbook holds what the request's would."""
    return [excel_row([value.replace("=", "", 1) if isinstance(value, str) and value.startswith("=") else value])[0] for value in row]


# The register as the list is filtered, when it is too long for the request (the same columns and values).
REFUSAL_REGISTER = ListExport(
    path="casework.admin.refusals.REFUSAL_REGISTER",
    sheet="否定报备登记簿",
    headers=RefusalResource().get_export_headers(),
    model=Refusal,
    prepare=lambda refusals: refusals.select_related("case__item", "department", "window", "refused_by", "approver"),
    order=("-refused_at", "pk"),
    rows=refusal_rows,
    unit="条否定报备",
    escape=as_import_export_escapes,
)


@admin.register(Refusal)
class RefusalAdmin(DecisionButtonsMixin, DepartmentScopedAdminMixin, ExportMixin, HistoryAdmin):
    resource_classes = [RefusalResource]
    skip_export_form = True  # one format, one sheet: the 导出 button downloads the filtered register
    list_display = [
        "case_number",
        "applicant",
        "item",
        "stage",
        "category",
        "short_reason",
        "department",
        "window",
        "refused_by",
        "refused_at",
        "status",
    ]
    list_filter = [
        PendingForMeFilter,
        RefusalMonthFilter,
        ("department", RelatedOnly),
        ("window", RelatedOnly),
        "category",
        "stage",
        "status",
    ]
    list_select_related = ["case__item", "department", "window", "refused_by"]
    search_fields = ["case__number", "case__applicant_name", "reason"]
    fields = [
        "case",
        "stage",
        "category",
        "reason",
        "legal_basis",
        "referred_authority",
        "department",
        "window",
        "refused_by",
        "refused_at",
        "status",
        "approver",
        "approved_at",
        "approval_note",
    ]
    show_full_result_count = False

    decision_permission = "casework.change_refusal"
    decision_buttons = [("approve", "同意"), ("reject", "不同意")]
    decision_note_label = "审批意见"
    decision_note_help = "同意即该否定报备生效,办件按否定办结。"

    def has_add_permission(self, request):
        return False  # a refusal is registered from its case (services.case_refuse)

    def get_export_filename(self, request, queryset, file_format):
        return f"refusals-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        """The filtered register: above 后台任务设置's export size, a background job writes it."""
        file_name = self.get_export_filename(request, queryset, file_format)
        job = export_job_response(request, REFUSAL_REGISTER, queryset, file_name)
        return job or super()._do_file_export(file_format, request, queryset, export_form=export_form)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "appeal" and request.GET.get("field_name") == "refusal":
            # The appeal form's autocomplete: only effective refusals can be appealed.
            queryset = queryset.filter(status=RefusalStatus.EFFECTIVE).select_related("case")
        return queryset, may_have_duplicates

    @admin.display(description="办件编号", ordering="case__number")
    def case_number(self, obj):
        return obj.case.number

    @admin.display(description="申请人", ordering="case__applicant_name")
    def applicant(self, obj):
        return obj.case.applicant_name

    @admin.display(description="事项")
    def item(self, obj):
        return obj.case.item.full_name

    @admin.display(description="理由")
    def short_reason(self, obj):
        return Truncator(obj.reason).chars(30)

    def can_decide(self, request, obj):
        staff = getattr(request.user, "staff", None)
        return (
            obj.status == RefusalStatus.PENDING_APPROVAL
            and staff is not None
            and obj.department.leader_in_charge_id == staff.pk
        )

    def decide(self, request, obj, button, note):
        if button == "approve":
            services.refusal_approve(refusal=obj, user=request.user, note=note)
            case = obj.case
            case.refresh_from_db()
            return f"已同意否定:办件{case.number}现为「{case.get_status_display()}」。"
        services.refusal_reject(refusal=obj, user=request.user, note=note)
        return f"已不同意否定:办件{obj.case.number}继续办理。"

    def change_page_context(self, request, obj):
        if obj is None or obj.status != RefusalStatus.EFFECTIVE or not request.user.has_perm("casework.add_appeal"):
            return {}
        return {"appeal_add_url": f"{reverse('admin:casework_appeal_add')}?refusal={obj.pk}"}


# ---------------------------------------------------------------- appeals


@admin.register(Appeal)
class AppealAdmin(DecisionButtonsMixin, ServiceAddMixin, DepartmentScopedAdminMixin, HistoryAdmin):
    department_path = "refusal__department"  # window staff see appeals against their department's refusals
    form = AppealForm
    list_display = ["filed_on", "appellant", "case_number", "refusal_window", "decision", "decided_by", "decided_on"]
    list_filter = ["decision", ("refusal__department", RelatedOnly)]
    list_select_related = ["refusal__case", "refusal__window", "decided_by"]
    search_fields = ["appellant", "refusal__case__number", "refusal__case__applicant_name"]
    autocomplete_fields = ["refusal"]
    show_full_result_count = False

    decision_permission = "casework.change_appeal"
    decision_buttons = [("uphold", "维持否定"), ("overturn", "撤销否定")]
    decision_note_label = "处理意见"
    decision_note_help = "须写明处理意见。撤销否定后办件重新办理,并计入作出否定的窗口。"

    def get_fields(self, request, obj=None):
        if obj is None:
            return AppealForm.Meta.fields
        return [*AppealForm.Meta.fields, "decision", "decided_by", "decided_on", "decision_note"]

    def add_through_service(self, request, form):
        return services.appeal_file(user=request.user, **form.cleaned_data)

    @admin.display(description="办件编号", ordering="refusal__case__number")
    def case_number(self, obj):
        return obj.refusal.case.number

    @admin.display(description="作出否定的窗口")
    def refusal_window(self, obj):
        return obj.refusal.window

    def can_decide(self, request, obj):
        return obj.decision == AppealDecision.PENDING and request.user.has_perm(self.decision_permission)

    def decide(self, request, obj, button, note):
        services.appeal_decide(appeal=obj, user=request.user, overturn=button == "overturn", note=note)
        case = obj.refusal.case
        if button == "overturn":
            case.refresh_from_db()
            return f"已撤销否定:办件{case.number}重新办理,现为「{case.get_status_display()}」。"
        return f"已维持否定:办件{case.number}。"


# ---------------------------------------------------------------- extensions


class ExtensionStatusFilter(admin.SimpleListFilter):
    """Opens on 待审批, the list a leader comes for; 全部 shows every request."""

    title = "状态"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*ExtensionStatus.choices, (self.ALL, "全部")]

    def current(self):
        return self.value() or ExtensionStatus.PENDING

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": self.current() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.current() == self.ALL:
            return queryset
        return queryset.filter(status=self.current())


class ExtensionAwaitingFilter(PendingForMeFilter):
    """待我审批: the pending extensions this leader decides (the 待我办理 line links here)."""

    waiting = staticmethod(selectors.extensions_to_approve)


@admin.register(CaseExtension)
class CaseExtensionAdmin(DecisionButtonsMixin, DepartmentScopedAdminMixin, HistoryAdmin):
    department_path = "case__department"
    list_display = [
        "case_number", "days", "reason", "requested_by", "requested_at", "status", "decided_by", "decided_at",
    ]  # fmt: skip
    list_filter = [ExtensionStatusFilter, ExtensionAwaitingFilter]
    list_select_related = ["case", "requested_by", "decided_by"]
    search_fields = ["case__number", "case__applicant_name"]
    fields = [
        "case", "days", "reason", "requested_by", "requested_at", "status", "decided_by", "decided_at",
        "decision_note",
    ]  # fmt: skip
    show_full_result_count = False

    decision_permission = "casework.change_caseextension"
    decision_buttons = [("approve", "同意"), ("reject", "不同意")]
    decision_note_label = "审批意见"

    def has_add_permission(self, request):
        return False  # requested from the case page (services.case_request_extension)

    @admin.display(description="办件编号", ordering="case__number")
    def case_number(self, obj):
        return obj.case.number

    def can_decide(self, request, obj):
        staff = getattr(request.user, "staff", None)
        if obj.status != ExtensionStatus.PENDING or staff is None:
            return False
        is_main_leader = roles.MAIN_LEADER in staffing_selectors.user_role_names(request.user)
        return is_main_leader or obj.case.department.leader_in_charge_id == staff.pk

    def decide(self, request, obj, button, note):
        approve = button == "approve"
        services.extension_decide(extension=obj, user=request.user, approve=approve, note=note)
        case = obj.case
        if approve:
            case.refresh_from_db()
            due_date = case.committed_due_date
            due = f",承诺办结日为{due_date.year}年{due_date.month}月{due_date.day}日" if due_date else ""
            done = f"已批准办件{case.number}延期{obj.days}个工作日{due}。"
            notice = selectors.latest_notice(case, NoticeKind.EXTENSION)
            if notice is None:
                return done
            from .cases import notice_print_url

            return format_html(
                '{}已出具{}（{}），<a href="{}" target="_blank">打印</a>后送达申请人。',
                done, notice.title, notice.number, notice_print_url(notice),
            )
        return f"已不批准办件{case.number}的延期申请。"
