"""联办意见 (S5.6-c) for the co-departments, and 投诉举报 (S1.1-b).

Both records are read-only in the admin: the co-department gives its opinion, and the office answers
a complaint, with a form on the record's page that posts to a service (opinion_give,
complaint_resolve). Both lists are scoped by department: an opinion belongs to the co-department
it is addressed to (the lead department reads the opinions on its case page), a complaint to the
department complained about; the center-wide roles see all.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator

from staffing import roles
from staffing import selectors as staffing_selectors
from halls.admin_scoping import hall_filter
from staffing.admin.base import DepartmentScopedAdminMixin, HistoryAdmin
from staffing.admin.files import FileServingAdminMixin, file_link, file_url
from staffing.admin.service_forms import ServiceAddMixin, add_service_error
from staffing.models import Window

from .. import selectors, services
from ..models import Complaint, JointOpinion, OpinionStatus
from ..oversight_forms import ComplaintForm, ComplaintResolveForm, OpinionForm

RelatedOnly = admin.RelatedOnlyFieldListFilter


def mark(css: str, text: str):
    return format_html('<span class="ov-mark {}">{}</span>', css, text)


def day(value) -> str:
    return date_format(value, "Y-m-d") if value else "—"


class ServiceFormMixin:
    """A read-only record with one form that a service answers (give an opinion, answer a complaint).

    The form shows on the record's page and posts to `<id>/<action_path>/`; when the service or the
    form refuses, that URL shows the form again with the errors on their fields. Subclasses set
    `action_path`, `action_label`, `action_form_class`, and implement `can_act(request, obj)` and
    `act(request, obj, cleaned_data)`, which calls the service and returns the success message.
    """

    action_path = ""
    action_label = ""
    action_form_class = None
    action_multipart = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def can_act(self, request, obj) -> bool:
        raise NotImplementedError

    def act(self, request, obj, data) -> str:
        raise NotImplementedError

    def action_url_name(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{self.action_path}"

    def get_urls(self):
        view = self.admin_site.admin_view(self.action_view)
        return [path(f"<path:object_id>/{self.action_path}/", view, name=self.action_url_name())] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = {**(extra_context or {}), **self.record_context(request, obj)}
        if obj is not None and self.can_act(request, obj):
            extra_context.update(
                action_form=self.action_form_class(initial=self.action_initial(obj)),
                action_url=reverse(f"admin:{self.action_url_name()}", args=[obj.pk]),
                action_label=self.action_label,
                action_multipart=self.action_multipart,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def record_context(self, request, obj) -> dict:
        return {}

    def action_initial(self, obj) -> dict:
        return {}

    def action_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("记录不存在或不在您的权限范围内。")
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        if not self.can_act(request, obj):
            self.message_user(request, self.cannot_act_message(request, obj), messages.ERROR)
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            form = self.action_form_class(request.POST, request.FILES)
            if form.is_valid():
                try:
                    done = self.act(request, obj, form.cleaned_data)
                except (ValidationError, PermissionDenied) as error:
                    add_service_error(form, error)
                else:
                    self.log_change(request, obj, done)
                    self.message_user(request, done, messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
        else:
            form = self.action_form_class(initial=self.action_initial(obj))
        context = {
            **self.admin_site.each_context(request),
            **self.record_context(request, obj),
            "opts": self.opts,
            "title": f"{self.action_label}:{obj}",
            "original": obj,
            "record_url": change_url,
            "action_form": form,
            "action_url": request.path,
            "action_label": self.action_label,
            "action_multipart": self.action_multipart,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, f"admin/casework/{self.opts.model_name}/action.html", context)

    def cannot_act_message(self, request, obj) -> str:
        return f"您不能对该记录{self.action_label}。"


# ---------------------------------------------------------------- joint opinions


class OpinionTodoFilter(admin.SimpleListFilter):
    """Opens on what the user comes for: 待我部门提出意见 for the co-department's staff, the escalated
    ones for leaders, everything for the others."""

    title = "待办"
    parameter_name = "todo"
    MINE, OVERDUE, ESCALATED, ALL = "mine", "overdue", "escalated", "all"

    def __init__(self, request, params, model, model_admin):
        self.request = request
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        choices = [(self.OVERDUE, "逾期未提出"), (self.ESCALATED, "逾期已报分管领导"), (self.ALL, "全部")]
        if gives_opinions(request.user):
            choices.insert(0, (self.MINE, "待我部门提出意见"))
        return choices

    def default(self, request) -> str:
        if gives_opinions(request.user):
            return self.MINE
        if staffing_selectors.user_role_names(request.user) & {roles.LEADER_IN_CHARGE, roles.MAIN_LEADER}:
            return self.ESCALATED
        return self.ALL

    def current(self, request):
        return self.value() or self.default(request)

    def choices(self, changelist):
        current = self.current(self.request)
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.current(request):
            case self.MINE:
                return queryset.filter(status=OpinionStatus.PENDING, department_id=request.user.staff.department_id)
            case self.OVERDUE:
                return queryset.filter(status=OpinionStatus.PENDING, due_date__lt=today)
            case self.ESCALATED:
                return queryset.filter(escalated_at__isnull=False)
        return queryset


def opinion_attachment_link(opinion):
    return file_link(file_url(JointOpinion, opinion.pk, "attachment"), opinion.attachment)


def gives_opinions(user) -> bool:
    return getattr(user, "staff", None) is not None and user.has_perm("casework.change_jointopinion")


@admin.register(JointOpinion)
class JointOpinionAdmin(FileServingAdminMixin, ServiceFormMixin, DepartmentScopedAdminMixin, HistoryAdmin):
    department_path = "department"  # the co-department the request is addressed to
    protected_files = {"attachment": ("", "attachment")}
    list_display = [
        "case_number", "applicant", "item", "lead_department", "department", "requested_on", "due_display",
        "status_display", "given_by", "given_at",
    ]  # fmt: skip
    list_filter = [OpinionTodoFilter, "status", ("department", RelatedOnly)]
    list_select_related = ["case__item", "case__department", "department", "given_by"]
    search_fields = ["case__number__exact", "case__applicant_name"]
    search_help_text = "办件编号须完整输入;申请人可输入一部分。"
    show_full_result_count = False
    actions = None
    fields = [
        "department", "requested_on", "due_date", "status", "reasons", "attachment_link", "given_by", "given_at", "escalated_at",
    ]  # fmt: skip
    readonly_fields = ["attachment_link"]

    action_path = "give"
    action_label = "提出意见"
    action_form_class = OpinionForm
    action_multipart = True

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "联办意见", **(extra_context or {})})

    def file_owner_queryset(self, request):
        # The lead department reads the opinions on its case page: it opens their attachments too.
        return selectors.opinions_visible_to(request.user)

    @admin.display(description="附件")
    def attachment_link(self, obj):
        return opinion_attachment_link(obj)

    @admin.display(description="办件编号", ordering="case__number")
    def case_number(self, obj):
        return obj.case.number

    @admin.display(description="申请人", ordering="case__applicant_name")
    def applicant(self, obj):
        return obj.case.applicant_name

    @admin.display(description="事项")
    def item(self, obj):
        return Truncator(obj.case.item.full_name).chars(16)

    @admin.display(description="牵头部门")
    def lead_department(self, obj):
        return obj.case.department.name

    @admin.display(description="意见期限", ordering="due_date")
    def due_display(self, obj):
        if obj.status == OpinionStatus.PENDING and obj.due_date < timezone.localdate():
            return format_html("{} {}", day(obj.due_date), mark("overdue", "已逾期"))
        return day(obj.due_date)

    @admin.display(description="意见", ordering="status")
    def status_display(self, obj):
        label = obj.get_status_display()
        if obj.escalated_at:
            return format_html("{} {}", label, mark("escalated", "已报分管领导"))
        return label

    def can_act(self, request, obj):
        return (
            obj.status == OpinionStatus.PENDING
            and gives_opinions(request.user)
            and staffing_selectors.user_acts_for_department(request.user, obj.department_id)
        )

    def cannot_act_message(self, request, obj):
        if obj.status != OpinionStatus.PENDING:
            return "该联办意见已提出。"
        return f"该意见应由「{obj.department}」提出。"

    def record_context(self, request, obj):
        if obj is None:
            return {}
        case = obj.case
        return {
            "case": case,
            "materials": list(case.materials.order_by("order")),
            "other_opinions": list(case.opinions.exclude(pk=obj.pk).select_related("department")),
            "overdue": obj.status == OpinionStatus.PENDING and obj.due_date < timezone.localdate(),
        }

    def act(self, request, obj, data):
        services.opinion_give(
            opinion=obj, user=request.user, status=data["status"], reasons=data["reasons"], attachment=data["attachment"]
        )
        return (
            f"已提出意见「{obj.get_status_display()}」:办件{obj.case.number}({obj.case.department})。"
            "主办部门收齐全部联办意见后作出决定。"
        )


# ---------------------------------------------------------------- complaints


class ComplaintStateFilter(admin.SimpleListFilter):
    title = "办理情况"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "待答复"), ("overdue", "逾期未答复"), ("closed", "已答复")]

    def queryset(self, request, queryset):
        match self.value():
            case "open":
                return queryset.filter(replied_on__isnull=True)
            case "overdue":
                return queryset.filter(pk__in=services.overdue_complaints().values("pk"))
            case "closed":
                return queryset.filter(replied_on__isnull=False)
        return queryset


@admin.register(Complaint)
class ComplaintAdmin(ServiceFormMixin, ServiceAddMixin, DepartmentScopedAdminMixin, HistoryAdmin):
    form = ComplaintForm
    list_display = [
        "received_on", "due_display", "kind", "channel", "complainant_display", "department", "window_number", "staff_name",
        "case_number", "content_short", "upheld", "replied_on",
    ]  # fmt: skip
    list_filter = [ComplaintStateFilter, "kind", "channel", "upheld", ("department", RelatedOnly), hall_filter("window__hall")]
    list_select_related = ["department", "window", "staff", "case"]
    search_fields = ["complainant", "phone", "content", "case__number__exact"]
    autocomplete_fields = ["staff", "case", "bidding_event"]
    show_full_result_count = False
    actions = None

    action_path = "resolve"
    action_label = "办理答复"
    action_form_class = ComplaintResolveForm

    def has_add_permission(self, request):
        # Registered here, unlike an opinion (opened on acceptance of its case).
        return super(ServiceFormMixin, self).has_add_permission(request)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ComplaintForm.Meta.fields
        return [
            ("kind", "channel", "received_on"), ("complainant", "phone"), ("department", "window"), ("staff", "case"),
            "bidding_event", "content",
            "due_date", "handler", "findings", "upheld", "reply", "replied_on",
        ]  # fmt: skip

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "window":
            kwargs["queryset"] = Window.objects.filter(is_active=True).select_related("department")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, {"title": "登记投诉举报", **(extra_context or {})})

    def add_through_service(self, request, form):
        return services.complaint_register(user=request.user, **form.cleaned_data)

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request, f"已登记投诉,请于{date_format(obj.due_date, 'Y年n月j日')}前办理答复。", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:casework_complaint_change", args=[obj.pk]))

    @admin.display(description="投诉人", ordering="complainant")
    def complainant_display(self, obj):
        return obj.complainant or "匿名"

    @admin.display(description="被投诉窗口", ordering="window__number")
    def window_number(self, obj):
        return f"{obj.window.number}号" if obj.window_id else "—"

    @admin.display(description="被投诉人员", ordering="staff__name")
    def staff_name(self, obj):
        return obj.staff.name if obj.staff_id else "—"

    @admin.display(description="相关办件", ordering="case__number")
    def case_number(self, obj):
        return obj.case.number if obj.case_id else "—"

    @admin.display(description="投诉内容")
    def content_short(self, obj):
        return format_html('<span title="{}">{}</span>', obj.content, Truncator(obj.content).chars(20))

    @admin.display(description="办理期限", ordering="due_date")
    def due_display(self, obj):
        if obj.is_closed:
            return format_html("{} {}", day(obj.due_date), mark("done", "已答复"))
        if obj.due_date < timezone.localdate():
            return format_html("{} {}", day(obj.due_date), mark("overdue", "已逾期"))
        return format_html("{} {}", day(obj.due_date), mark("due-soon", "待答复"))

    def can_act(self, request, obj):
        return not obj.is_closed and request.user.has_perm("casework.change_complaint")

    def cannot_act_message(self, request, obj):
        return "该投诉已答复办结。" if obj.is_closed else "您没有办理投诉的权限。"

    def record_context(self, request, obj):
        if obj is None:
            return {}
        return {"overdue": not obj.is_closed and obj.due_date < timezone.localdate()}

    def act(self, request, obj, data):
        services.complaint_resolve(complaint=obj, user=request.user, **data)
        if obj.upheld:
            return "投诉已答复办结,认定为属实。每日检查时将据此对责任人立案责任追究,可在「责任追究」中处理。"
        return "投诉已答复办结,认定为不属实。无需再办理。"

