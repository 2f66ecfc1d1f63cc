"""办件: the window's working list, the intake form (收件) and the case page.

The case page shows the record read-only, the checklist to tick, and one button for each step the
transition table allows next (casework.selectors.case_next_steps), with the report-up steps of a 上报件
and, for window heads, the approval of a delegated item (selectors.case_oversight_steps); a 联办件
shows its co-departments' opinions, whose absence the 办结 buttons report. Every write goes through
casework.services; a service's refusal comes back as a form error or an error message.
Everything here is scoped like the list: a case of another department is "not found", whatever URL
is typed (page, steps, notices, history).
"""

import dataclasses

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from halls.admin_scoping import HallFilter, HallScopedAdminMixin
from registry.models import HandlingMode, ServiceItem
from staffing import roles
from staffing import selectors as staffing_selectors
from staffing.admin.base import DepartmentScopedAdminMixin, HistoryAdmin
from staffing.admin.paginator import EstimatedCountPaginator
from staffing.admin.service_forms import add_page_context, add_service_error, service_message
from staffing.admin.versioning import VersionedAdminMixin, VersionedInlineMixin
from staffing.models import CenterSettings

from .. import selectors, services
from ..filters import DeadlineFilter, DepartmentFilter, request_due_window
from ..forms import (
    CaseNoteForm,
    CaseReceiveForm,
    ExtensionForm,
    MaterialCheckForm,
    MaterialCheckFormSet,
    RefusalForm,
)
from ..models import (
    Case,
    CaseClockPause,
    CaseExtension,
    CaseMaterial,
    CaseStep,
    CaseTransition,
    JointOpinion,
    Notice,
    NoticeKind,
    OpinionStatus,
    Refusal,
    RefusalStage,
    RefusalStatus,
    ReportUpFollowUp,
)
from ..oversight_forms import FollowUpForm, ReportResultForm, ReportUpForm
from . import statistics
from .oversight import opinion_attachment_link

DUE_MARKS = {
    "overdue": ("overdue", "已逾期"),
    "due_soon": ("due-soon", "即将到期"),
    "deemed": ("deemed", "视为受理待处理"),
}


# Step buttons on the case page post the change form (checklist included) with this mark.
CASE_PAGE_MARK = "_case_page"


def notice_print_url(notice: Notice) -> str:
    return reverse("admin:casework_case_notice_print", args=[notice.case_id, notice.pk])


# Inlines of the case page: the checklist is ticked here; the rest is the case's record, read-only.


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MaterialInline(VersionedInlineMixin, admin.TabularInline):
    model = CaseMaterial
    form = MaterialCheckForm
    formset = MaterialCheckFormSet
    fields = ["order", "name", "form", "copies", "required", "state", "problem"]
    readonly_fields = ["order", "name", "form", "copies", "required"]
    radio_fields = {"state": admin.HORIZONTAL}
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.is_open
            and getattr(request.user, "staff", None) is not None
            and super().has_change_permission(request, obj)
        )


class StepInline(ReadOnlyInline):
    model = CaseStep
    fields = ["current", "order", "name", "limit_days", "counts_towards_limit", "started_on", "due_date", "finished_on", "finished_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("finished_by")

    @admin.display(description="当前")
    def current(self, obj):
        if obj.started_on and not obj.finished_on:
            return mark_safe('<strong class="case-current-step">▶ 当前环节</strong>')
        return ""


def user_name(user) -> str:
    """Staff are known by name at the windows; an account without a staff record by its login."""
    if user is None:
        return "系统"
    staff = getattr(user, "staff", None)
    return staff.name if staff is not None else user.get_username()


class TransitionInline(ReadOnlyInline):
    model = CaseTransition
    fields = ["from_status", "to_status", "at", "by_name", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by__staff")

    @admin.display(description="操作人")
    def by_name(self, obj):
        return user_name(obj.by)


class NoticeInline(ReadOnlyInline):
    model = Notice
    fields = ["title", "number", "issued_at", "issuer", "is_service_defect", "repeat_reason", "print_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("issued_by__staff")

    @admin.display(description="出具人")
    def issuer(self, obj):
        return user_name(obj.issued_by)

    @admin.display(description="打印")
    def print_link(self, obj):
        return format_html('<a href="{}" target="_blank">打印</a>', notice_print_url(obj))


class RefusalInline(ReadOnlyInline):
    model = Refusal
    fields = ["stage", "category", "reason", "legal_basis", "refused_by", "refused_at", "status", "approver"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("refused_by", "approver")


class PauseInline(ReadOnlyInline):
    model = CaseClockPause
    fields = ["reason", "started_on", "ended_on"]


class ExtensionInline(ReadOnlyInline):
    model = CaseExtension
    fields = ["days", "reason", "requested_by", "requested_at", "status", "decided_by", "decided_at", "decision_note"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("requested_by", "decided_by")


class OpinionInline(ReadOnlyInline):
    """联办意见 (S5.6-c): each co-department's answer; the lead decides once all are in."""

    model = JointOpinion
    fields = [
        "department", "requested_on", "due_date", "status_mark", "reasons", "attachment_link", "given_by", "given_at",
        "escalated_at",
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department", "given_by")

    @admin.display(description="意见")
    def status_mark(self, obj):
        label = obj.get_status_display()
        if obj.status == OpinionStatus.PENDING and obj.due_date < timezone.localdate():
            return format_html('{} <span class="case-mark overdue">已逾期</span>', label)
        return label

    @admin.display(description="附件")
    def attachment_link(self, obj):
        return opinion_attachment_link(obj)


class FollowUpInline(ReadOnlyInline):
    """上报跟踪 (S5.6-d): every enquiry made to the higher authority, and its answer."""

    model = ReportUpFollowUp
    fields = ["on", "method", "by", "answer"]
    verbose_name_plural = "上报跟踪记录"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class ItemAutocompleteView(AutocompleteJsonView):
    """The intake form's item search: 在用 items of the departments the user receives for."""

    def process_request(self, request):
        item_admin = self.admin_site.get_model_admin(ServiceItem)
        return request.GET.get("term", ""), item_admin, Case._meta.get_field("item"), "id"

    def has_perm(self, request, obj=None):
        return self.admin_site.get_model_admin(Case).has_add_permission(request)

    def serialize_result(self, obj, to_field_name):
        """Each item with the window the 收件 form should switch to (intake_window.js)."""
        staff = getattr(self.request.user, "staff", None)
        return {**super().serialize_result(obj, to_field_name), "window": selectors.default_intake_window_id(obj, staff)}

    def get_queryset(self):
        queryset = selectors.receivable_items(self.request.user, self.model_admin.get_queryset(self.request))
        queryset, use_distinct = self.model_admin.get_search_results(self.request, queryset, self.term)
        return queryset.distinct() if use_distinct else queryset


@dataclasses.dataclass(frozen=True)
class CaseAction:
    """A button of the case page: the service it calls and, for steps that need input, its form page."""

    code: str
    label: str
    form_class: type | None = None  # None: a one-click step (with the optional note)
    css: str = ""


STEPS = {
    step.code: step
    for step in [
        CaseAction(selectors.ACCEPT, "受理", css="default"),
        CaseAction(selectors.CORRECTION, "一次性补正告知"),
        CaseAction(selectors.START, "开始办理", css="default"),
        CaseAction(selectors.FINISH_STEP, "完成当前环节"),
        CaseAction(selectors.APPROVE, "办结(准予)", css="default"),
        CaseAction(selectors.REFUSE, "不予受理", form_class=RefusalForm, css="danger"),
        CaseAction(selectors.DELIVER, "送达", css="default"),
        CaseAction(selectors.EXTENSION, "申请延期", form_class=ExtensionForm),
        CaseAction(selectors.REPORT_UP, "上报", form_class=ReportUpForm, css="default"),
        CaseAction(selectors.FOLLOW_UP, "记录跟踪", form_class=FollowUpForm),
        CaseAction(selectors.REPORT_RESULT, "登记上级结果", form_class=ReportResultForm),
        CaseAction(selectors.HEAD_APPROVE, "窗口负责人审批", css="default"),
    ]
}


class MyWorkFilter(admin.SimpleListFilter):
    """我的办件 (S1.9-b): my open cases, and those of the A holders I stand in for while they are away."""

    title = "我的办件"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", "我的办件(含顶岗)")] if getattr(request.user, "staff", None) is not None else []

    def queryset(self, request, queryset):
        if self.value() != "1":
            return queryset
        return queryset.filter(pk__in=selectors.my_work(request.user).values("pk"))


SEARCH_HELP = "办件编号、证件号码、联系电话须完整输入;" + (
    "申请人可输入姓名或名称的一部分。" if connection.vendor == "postgresql" else "申请人须从姓名或名称的第一个字输入,如“王”“王小”。"
)


@admin.register(Case)
class CaseAdmin(VersionedAdminMixin, HallScopedAdminMixin, DepartmentScopedAdminMixin, HistoryAdmin):
    list_display = [
        "number",
        "applicant_short",
        "item_short",
        "status_display",
        "due_display",
        "handler_name",
    ]
    list_filter = [MyWorkFilter, DeadlineFilter, "status", "handling_mode", "priority", DepartmentFilter, HallFilter]
    list_select_related = ["item", "window", "department", "handler"]
    search_fields = ["number__exact", "applicant_name", "id_number__exact", "phone__exact"]
    search_help_text = SEARCH_HELP
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # counts per filter value cost a scan each on a big table
    paginator = EstimatedCountPaginator
    list_per_page = 50
    actions = None

    readonly_fields = [field.name for field in Case._meta.fields if field.name != "id"] + ["item_version_display"]
    fieldsets = [
        (
            "办件",
            {
                "fields": [
                    ("number", "status"),
                    ("item", "department"),
                    ("window", "handler"),
                    ("first_inquiry_staff", "consultation"),
                    "priority",
                ]
            },
        ),
        (
            "申请人",
            {
                "fields": [
                    ("applicant_kind", "applicant_name"),
                    ("id_type", "id_number"),
                    "credit_code",
                    "phone",
                    ("assisted", "assisted_note"),
                ]
            },
        ),
        # The panel above the form shows the dates in use; the full record of the clock is one click away.
        (
            "期限",
            {
                "classes": ["collapse"],
                "fields": [
                    ("received_at", "acceptance_deadline"),
                    ("accepted_on", "deemed_accepted"),
                    ("committed_due_date", "statutory_due_date"),
                    ("paused_working_days", "extended_working_days"),
                    ("completed_on", "delivered_on"),
                    ("same_day_missed", "overdue"),
                ],
            },
        ),
        (
            "收件时的事项条款",
            {
                "classes": ["collapse"],
                "fields": [("handling_mode", "item_version_display"), ("committed_limit_days", "statutory_limit_days"), "fee_terms"],
            },
        ),
    ]
    add_fieldsets = [
        ("事项与窗口", {"fields": ["item", "window", "priority"]}),
        ("申请人", {"fields": ["applicant_kind", "applicant_name", ("id_type", "id_number"), "credit_code", "phone"]}),
        ("协助填表", {"fields": ["assisted", "assisted_note"]}),
    ]
    inlines = [MaterialInline, StepInline, NoticeInline, TransitionInline, RefusalInline, ExtensionInline, PauseInline]

    def get_inlines(self, request, obj):
        """联办件 show the co-departments' opinions, 上报件 the follow-ups, after the steps."""
        inlines = list(self.inlines)
        extra = {HandlingMode.JOINT: OpinionInline, HandlingMode.REPORT_UP: FollowUpInline}.get(
            obj.handling_mode if obj is not None else None
        )
        if extra is not None:
            inlines.insert(inlines.index(StepInline) + 1, extra)
        return inlines

    # The list

    def changelist_view(self, request, extra_context=None):
        context = {"title": "办件", **(extra_context or {})}
        if getattr(request.user, "staff", None) is not None:
            context["my_work_url"] = f"{reverse('admin:casework_case_changelist')}?{MyWorkFilter.parameter_name}=1"
        return super().changelist_view(request, context)

    def get_queryset(self, request):
        return selectors.with_due_state(super().get_queryset(request), request_due_window(request))

    def get_ordering(self, request):
        """The overdue and due-soon lists put the earliest due date first: the worst case leads, and
        the page is a range read of the index case_running_due that stops after one page."""
        if request.GET.get(DeadlineFilter.parameter_name) in ("overdue", "due_soon"):
            return ["committed_due_date", "pk"]
        return super().get_ordering(request)

    def get_search_results(self, request, queryset, search_term):
        terms = search_term.split()
        if not terms:
            return queryset, False
        if all(selectors.looks_like_number(term) for term in terms):
            return selectors.search_cases_by_number(queryset, terms), False
        return selectors.search_cases_by_name(queryset, terms), False

    @admin.display(description="申请人", ordering="applicant_name")
    def applicant_short(self, obj):
        return format_html('<span title="{}">{}</span>', obj.applicant_name, Truncator(obj.applicant_name).chars(10))

    @admin.display(description="事项", ordering="item__name")
    def item_short(self, obj):
        name = obj.item.full_name
        return format_html('<span title="{}">{}</span>', name, Truncator(name).chars(10))

    @admin.display(description="窗口", ordering="window__number")
    def window_number(self, obj):
        return f"{obj.window.number}号"

    @admin.display(description="特事特办", ordering="-priority")
    def priority_flag(self, obj):
        return mark_safe('<span class="case-mark priority">特事特办</span>') if obj.priority else ""

    # The working list fits 1366 px: the window is the number's prefix; the handling mode and the
    # 特事特办 mark ride with the status.
    @admin.display(description="状态", ordering="status")
    def status_display(self, obj):
        priority = mark_safe(' <span class="case-mark priority">特事特办</span>') if obj.priority else ""
        return format_html(
            '{}{}<br><span class="case-mode">{}</span>', obj.get_status_display(), priority, obj.get_handling_mode_display()
        )

    @admin.display(description="承诺办结日", ordering="committed_due_date")
    def due_display(self, obj):
        day = date_format(obj.committed_due_date, "Y-m-d") if obj.committed_due_date else "—"
        mark = DUE_MARKS.get(getattr(obj, "due_state", ""))
        if mark is None and obj.overdue:
            mark = ("overdue", "超期办结")
        if mark is None and obj.same_day_missed:
            mark = ("overdue", "未当日办结")
        if mark is None:
            return day
        return format_html('{} <span class="case-mark {}">{}</span>', day, *mark)

    @admin.display(description="收件时的事项版本")
    def item_version_display(self, obj):
        """The item as it stood when the case was received, linked to that version's page."""
        version = selectors.item_version_of(obj)
        if version is None:
            return "—"
        limits = "、".join(
            f"{label}{days}个工作日"
            for label, days in (("承诺时限", version.committed_limit_days), ("法定时限", version.statutory_limit_days))
            if days is not None
        )
        text = f"{version.name}{f'({version.sub_name})' if version.sub_name else ''}"
        detail = f"{limits or '未定时限'};{date_format(timezone.localtime(version.history_date), 'Y年n月j日 H:i')}的版本"
        try:
            url = reverse("admin:registry_serviceitem_simple_history", args=[obj.item_id, version.history_id])
        except NoReverseMatch:  # the catalog admin offers no version page
            return f"{text}({detail})"
        return format_html('<a href="{}">{}</a>({})', url, text, detail)

    @admin.display(description="经办人", ordering="handler__name")
    def handler_name(self, obj):
        return obj.handler.name

    # Permissions: cases are never deleted; a closed case is read-only; acting needs a staff record.

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_open)

    def can_act(self, request) -> bool:
        user = request.user
        return getattr(user, "staff", None) is not None and user.has_perm("casework.change_case")

    def scoped_case(self, request, object_id) -> Case:
        """The case if the user may see it; "not found" for any case outside their departments."""
        case = self.get_object(request, unquote(str(object_id)))
        if case is None or not self.has_view_or_change_permission(request, case):
            raise Http404("没有找到该办件。")
        return case

    # URLs: the steps, the notice print page, the intake form's item search

    def get_urls(self):
        wrap = self.admin_site.admin_view
        urls = [
            path(
                "item-autocomplete/",
                wrap(ItemAutocompleteView.as_view(admin_site=self.admin_site)),
                name="casework_case_item_autocomplete",
            ),
            path(
                "<int:object_id>/notice/<int:notice_id>/print/",
                wrap(self.notice_print_view),
                name="casework_case_notice_print",
            ),
        ]
        urls += [
            path(
                f"<int:object_id>/{code.replace('_', '-')}/",
                wrap(self.step_view),
                {"code": code},
                name=f"casework_case_{code}",
            )
            for code in STEPS
        ]
        urls += [
            path("statistics/", wrap(self.statistics_view), name="casework_case_statistics"),
            path("assessments/generate/", wrap(self.assessment_generate_view), name="casework_case_assessment_generate"),
        ]
        return urls + super().get_urls()

    def statistics_view(self, request):
        return statistics.statistics_view(self, request)

    def assessment_generate_view(self, request):
        return statistics.assessment_generate_view(self, request)

    # 收件

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CaseReceiveForm(
            request.POST if request.method == "POST" else None,
            user=request.user,
            admin_site=self.admin_site,
            initial=self.get_changeform_initial_data(request),
        )
        if form.is_bound and form.is_valid():
            try:
                case = services.case_receive(user=request.user, **form.service_kwargs())
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                self.log_addition(request, case, [{"added": {}}])
                self.message_user(
                    request,
                    f"已收件,办件编号 {case.number}。请逐项核验材料清单。",
                    messages.SUCCESS,
                )
                if "_addanother" in request.POST:
                    return HttpResponseRedirect(request.path)
                return HttpResponseRedirect(reverse("admin:casework_case_change", args=[case.pk]))
        context = add_page_context(self, request, form, self.add_fieldsets, "收件", extra_context)
        return self.render_change_form(request, context, add=True, form_url=form_url)

    # 办件详情: the record, the checklist, and the buttons

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, {"title": "办件详情", **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            context["case_panel"] = self.case_panel(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def offered_steps(self, request, case, page) -> list[str]:
        """The transitions the table allows, with the report-up steps and the window head's approval."""
        window_head = roles.WINDOW_HEAD in staffing_selectors.user_role_names(request.user)
        codes = page.actions + selectors.case_oversight_steps(case, window_head=window_head)
        return sorted(codes, key=selectors.STEP_ORDER.index)

    def case_panel(self, request, case) -> dict:
        page = selectors.case_page(case, request_due_window(request))
        buttons = []
        if self.can_act(request):
            for code in self.offered_steps(request, case, page):
                step = STEPS[code]
                buttons.append(
                    {
                        "code": code,
                        "label": self.step_label(case, step, page),
                        "url": reverse(f"admin:casework_case_{code}", args=[case.pk]),
                        "page": step.form_class is not None,
                        "css": step.css,
                    }
                )
        return {
            "page": page,
            "buttons": buttons,
            "form_id": f"{self.opts.model_name}_form",
            "mark_name": CASE_PAGE_MARK,
            "mark": DUE_MARKS.get(page.due_state),
            "waiting_opinions": selectors.waiting_opinion_departments(case),
            "needs_head_approval": case.item.needs_head_approval,
            "report_up": case.handling_mode == HandlingMode.REPORT_UP,
        }

    def step_label(self, case, step, page) -> str:
        if step.code == selectors.ACCEPT and case.accepted_on is not None:
            return "补正齐全,恢复办理"
        if step.code == selectors.FINISH_STEP and page.current_step is not None:
            return f"完成当前环节「{page.current_step.name}」"
        if step.code == selectors.REFUSE:
            return RefusalStage(page.refusal_stage).label if page.refusal_stage else step.label
        return step.label

    def save_model(self, request, obj, form, change):
        """Nothing to save: every field of a case is read-only; its checklist is saved in save_formset."""

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, MaterialCheckFormSet):
            request._casework_checked = formset.save_checks(user=request.user)
        else:
            super().save_formset(request, form, formset, change)

    def response_change(self, request, obj):
        checked = getattr(request, "_casework_checked", [])
        if checked:
            self.message_user(request, f"已保存{len(checked)}项材料的核验结果。", messages.SUCCESS)
        else:
            self.message_user(request, "材料核验结果没有变化。", messages.INFO)
        return HttpResponseRedirect(request.path)

    # The steps

    def step_view(self, request, object_id, code):
        case = self.scoped_case(request, object_id)
        step = STEPS[code]
        if not self.can_act(request):
            raise PermissionDenied
        page = selectors.case_page(case, request_due_window(request))
        label = self.step_label(case, step, page)
        case_url = reverse("admin:casework_case_change", args=[case.pk])
        if code not in self.offered_steps(request, case, page):
            self.message_user(request, f"办件当前为「{case.get_status_display()}」,不能{label}。", messages.ERROR)
            return HttpResponseRedirect(case_url)
        from_case_page = request.method == "POST" and CASE_PAGE_MARK in request.POST
        saved = ""
        if from_case_page:
            # The button acts on what the page shows: the checklist as ticked is saved first, in this post.
            try:
                saved = self.save_posted_checklist(request, case)
            except ValidationError as error:
                self.message_user(request, f"未能{label}:{service_message(error)}材料核验结果未保存,请改正后再试。", messages.ERROR)
                return HttpResponseRedirect(case_url)
            case.refresh_from_db()
            page = selectors.case_page(case, request_due_window(request))
        if step.form_class is not None:
            if saved:
                self.message_user(request, saved, messages.SUCCESS)
            return self.step_form_view(request, case, step, label, page, bound=not from_case_page)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = CaseNoteForm(request.POST)
        if not form.is_valid():
            self.message_user(request, ";".join(e for errors in form.errors.values() for e in errors), messages.ERROR)
            return HttpResponseRedirect(case_url)
        try:
            message = getattr(self, f"do_{code}")(request, case, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, f"{saved}未能{label}:{service_message(error)}", messages.ERROR)
        else:
            self.message_user(request, format_html("{}{}", saved, message), messages.SUCCESS)
        return HttpResponseRedirect(case_url)

    def save_posted_checklist(self, request, case) -> str:
        """Save the checklist rows the case page posted with a step button; "" when nothing changed.

        A row in error (不合格 without what to change) saves nothing and raises, naming the row."""
        inline = next((i for i in self.get_inline_instances(request, case) if isinstance(i, MaterialInline)), None)
        if inline is None or not inline.has_change_permission(request, case):
            return ""
        formset_class = inline.get_formset(request, case)
        prefix = formset_class.get_default_prefix()
        if f"{prefix}-TOTAL_FORMS" not in request.POST:
            return ""
        formset = formset_class(
            data=request.POST, instance=case, prefix=prefix, queryset=inline.get_queryset(request)
        )
        if not formset.is_valid():
            problems = []
            for form in formset.forms:
                for errors in form.errors.values():
                    problems.extend(errors)
            problems.extend(formset.non_form_errors())
            raise ValidationError(";".join(problems) or "材料清单提交的数据不完整,请刷新页面后重试。")
        checked = formset.save_checks(user=request.user)
        return f"已保存{len(checked)}项材料的核验结果。" if checked else ""

    def step_initial(self, case, code) -> dict:
        today = timezone.localdate()
        if code == selectors.REPORT_UP:
            return {"authority": case.report_authority or case.item.report_authority, "on": today}
        if code in (selectors.FOLLOW_UP, selectors.REPORT_RESULT):
            return {"on": today}
        return {}

    def step_form_view(self, request, case, step, label, page, bound=True):
        form = step.form_class(
            request.POST if request.method == "POST" and bound else None, initial=self.step_initial(case, step.code)
        )
        if form.is_bound and form.is_valid():
            try:
                message = getattr(self, f"do_{step.code}")(request, case, page=page, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:casework_case_change", args=[case.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{label}:{case.number}",
            "label": label,
            "case": case,
            "page": page,
            "form": form,
            "step": step.code,
            "problems": case.materials.filter(state__in=["missing", "unqualified"]).order_by("order"),
            "extension_room": selectors.extension_room(case) if step.code == selectors.EXTENSION else None,
        }
        return TemplateResponse(request, "admin/casework/case/step_form.html", context)

    def notice_link(self, case, kind, done: str) -> str:
        notice = selectors.latest_notice(case, kind)
        if notice is None:
            return done
        return format_html(
            '{}已出具{}({}),<a href="{}" target="_blank">打印</a>。',
            done, notice.title, notice.number, notice_print_url(notice),
        )

    def do_accept(self, request, case, note="", **_):
        reopened = case.accepted_on is not None
        services.case_accept(case=case, user=request.user, note=note)
        if reopened:
            return "补正材料已齐全,办件恢复办理,期限恢复计算。"
        due = f"承诺办结日 {date_format(case.committed_due_date, 'Y年n月j日')}," if case.committed_due_date else ""
        return self.notice_link(case, NoticeKind.ACCEPTANCE, f"已受理,{due}")

    def do_correction(self, request, case, note="", repeat_reason="", **_):
        services.case_request_correction(case=case, user=request.user, note=note, repeat_reason=repeat_reason)
        return self.notice_link(case, NoticeKind.CORRECTION, "办件转为补正,")

    def do_start(self, request, case, note="", **_):
        services.case_start(case=case, user=request.user, note=note)
        return "已开始办理。"

    def do_finish_step(self, request, case, **_):
        finished = services.current_step(case)
        following = services.case_finish_step(case=case, user=request.user)
        if following is None:
            return f"环节「{finished.name}」已完成,全部办理环节已完成。"
        return f"环节「{finished.name}」已完成,进入「{following.name}」,环节期限 {date_format(following.due_date, 'Y年n月j日')}。"

    def do_approve(self, request, case, note="", **_):
        services.case_approve(case=case, user=request.user, note=note)
        return self.notice_link(case, NoticeKind.COMPLETION, "已办结(准予),")

    def do_deliver(self, request, case, note="", **_):
        services.case_deliver(case=case, user=request.user, note=note)
        return "已送达,办件完结。"

    def do_refuse(self, request, case, page, **data):
        refusal = services.case_refuse(case=case, user=request.user, stage=page.refusal_stage, **data)
        if refusal.status == RefusalStatus.PENDING_APPROVAL:
            return "本事项为重大事项,否定报备已提交分管领导审批;审批同意前办件照常办理。"
        kind = NoticeKind.NON_ACCEPTANCE if refusal.stage == RefusalStage.NOT_ACCEPTED else NoticeKind.DISAPPROVAL
        return self.notice_link(case, kind, f"已{refusal.get_stage_display()},否定报备已登记,")

    def do_extension(self, request, case, page, days, reason, **_):
        services.case_request_extension(case=case, user=request.user, days=days, reason=reason)
        return f"延期{days}个工作日的申请已提交,待分管领导审批。"

    def do_report_up(self, request, case, authority, on, **_):
        services.case_report_up(case=case, user=request.user, authority=authority, on=on)
        return f"已于{date_format(case.reported_up_on, 'Y年n月j日')}上报{case.report_authority}。"

    def do_follow_up(self, request, case, on, method, answer, **_):
        services.report_up_follow_up(case=case, user=request.user, on=on, method=method, answer=answer)
        return f"已记录{date_format(on, 'Y年n月j日')}的{method}跟踪情况。"

    def do_report_result(self, request, case, report_result, on, **_):
        services.report_up_result(case=case, user=request.user, result=report_result, on=on)
        return "已登记上级机关的审批结果,可以办结。"

    def do_head_approve(self, request, case, note="", **_):
        services.case_head_approve(case=case, user=request.user, note=note)
        return "窗口负责人已审批同意,可以办结。"

    # Printing and history, scoped like the page

    def notice_print_view(self, request, object_id, notice_id):
        case = self.scoped_case(request, object_id)
        notice = get_object_or_404(case.notices.all(), pk=notice_id)
        body, signature = selectors.notice_layout(notice)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{notice.title} {notice.number}",
            "center": CenterSettings.load(),
            "case": case,
            "notice": notice,
            "body": body,
            "signature": signature,
        }
        return TemplateResponse(request, "casework/print/notice.html", context)

    def history_view(self, request, object_id, extra_context=None):
        self.scoped_case(request, object_id)  # simple-history would fall back to the unscoped record
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.scoped_case(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
