"""督办事项 (S2): 立项, the list urgent first with the overdue marker, the item page with one button per
lifecycle step the user may take now, the reminder log (催办记录) and the materials by kind, and the
printable 督办函 and 督促检查事项通知单.

Meeting decisions become items from the meeting's page (meetings.admin.meetings), since the meetings
app depends on this one and not the other way round.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from staffing.admin.base import DepartmentScopedAdminMixin
from staffing.admin.files import FileServingAdminMixin, ProtectedFileInlineMixin
from staffing.admin.service_forms import add_page_context, add_service_error, service_message
from staffing.admin.versioning import VersionedAdminMixin
from staffing.working_days import add_working_days

from .. import printing, selectors, services
from ..forms import (
    LeaderReviewForm,
    ReminderForm,
    SupervisionAssignForm,
    SupervisionFeedbackForm,
    SupervisionRegisterForm,
)
from ..models import Document, DocumentsSettings, Reminder, SupervisionAttachment, SupervisionItem, SupervisionStatus
from .common import RecordAdmin, RecordInline
from project.secrecy import MaskSecretTitlesMixin  # S3.6-b in derived records (issue 16)

# code: (button label, form class or None for a one-click step, css)
STEPS = {
    selectors.SUPERVISION_ASSIGN: ("交办", SupervisionAssignForm, "default"),
    selectors.SUPERVISION_START: ("开始督办", None, "default"),
    selectors.SUPERVISION_FEEDBACK: ("反馈办理情况", SupervisionFeedbackForm, "default"),
    selectors.SUPERVISION_SUBMIT: ("报领导审阅", None, "default"),
    selectors.SUPERVISION_REVIEW: ("领导审阅", LeaderReviewForm, "default"),
    selectors.SUPERVISION_ARCHIVE: ("归档", None, "default"),
}
DONE = (SupervisionStatus.FEEDBACK, SupervisionStatus.LEADER_REVIEW, SupervisionStatus.ARCHIVED)


class ReminderInline(RecordInline):
    model = Reminder
    fields = ["on", "method", "by", "answer"]
    verbose_name_plural = "催办记录"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class MaterialInline(ProtectedFileInlineMixin, admin.TabularInline):
    """归档材料 by kind: 立项登记表, 领导批示原件, 反馈材料 (S2.3-b)."""

    model = SupervisionAttachment
    file_kind = "material"
    fields = ["kind", "file"]
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return True  # the item's page is the check

    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.status != SupervisionStatus.ARCHIVED) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.status != SupervisionStatus.ARCHIVED) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if self.has_add_permission(request, obj) else 0


class DeadlineFilter(admin.SimpleListFilter):
    title = "办理期限"
    parameter_name = "deadline_state"

    def lookups(self, request, model_admin):
        return [("overdue", "已逾期"), ("soon", "临期"), ("open", "未办结"), ("done", "已反馈/已归档")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value == "overdue":
            return queryset.filter(overdue=True)
        if value == "soon":
            until = add_working_days(today, DocumentsSettings.load().supervision_reminder_days)
            return queryset.filter(deadline__range=(today, until)).exclude(status__in=DONE)
        if value == "open":
            return queryset.exclude(status__in=DONE)
        if value == "done":
            return queryset.filter(status__in=DONE)
        return queryset


class WaitingForMeFilter(admin.SimpleListFilter):
    """待我办理 (project.inbox): items being supervised that my section (or I) must answer."""

    title = "待我办理"
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("me", "待本股室/本人反馈")]

    def queryset(self, request, queryset):
        staff = getattr(request.user, "staff", None)
        if self.value() == "me":
            if staff is None:
                return queryset.none()
            return queryset.filter(pk__in=selectors._supervision_to_answer(request.user, staff).values("pk"))
        return queryset


@admin.register(SupervisionItem)
class SupervisionItemAdmin(MaskSecretTitlesMixin, VersionedAdminMixin, FileServingAdminMixin, DepartmentScopedAdminMixin, RecordAdmin):
    protected_files = {"material": ("attachments", "file")}
    list_display = ["urgent_mark", "title", "source", "department", "responsible_name", "deadline_display", "status", "reminders"]
    list_display_links = ["title"]
    list_filter = [WaitingForMeFilter, DeadlineFilter, "status", "source", "urgent", "is_project", "department"]
    list_select_related = ["department", "responsible"]
    search_fields = ["title", "content"]
    ordering = ["-urgent", "deadline", "pk"]
    show_full_result_count = False
    fieldsets = [
        (
            "督办事项",
            {
                "fields": [
                    "title",
                    "source",
                    ("status", "urgent", "is_project"),
                    ("department", "responsible"),
                    ("deadline", "registered_on"),
                    "content",
                    ("instruction", "instructing_leader"),
                    "category",
                ]
            },
        ),
        ("办理与审阅", {"fields": [("feedback", "feedback_on"), "leader_comment", "archived_on"]}),
    ]
    add_fieldsets = [
        ("督办事项", {"fields": ["source", "title", "content", ("instruction", "instructing_leader"), "category"]}),
        ("承办", {"fields": ["department", "responsible", "deadline", "urgent", "is_project"]}),
    ]
    inlines = [ReminderInline, MaterialInline]
    change_form_template = "admin/documents/supervisionitem/change_form.html"

    def get_queryset(self, request):
        return selectors.supervision_with_state(super().get_queryset(request))

    @admin.display(description="紧急", ordering="-urgent")
    def urgent_mark(self, obj):
        return mark_safe('<span class="dc-mark urgent">紧急</span>') if obj.urgent else ""

    @admin.display(description="责任人", ordering="responsible__name")
    def responsible_name(self, obj):
        return obj.responsible.name if obj.responsible else "—"

    @admin.display(description="办结期限", ordering="deadline")
    def deadline_display(self, obj):
        day = date_format(obj.deadline, "Y-m-d")
        if getattr(obj, "overdue", False):
            return format_html('{} <span class="dc-mark overdue">已逾期</span>', day)
        return day

    @admin.display(description="催办次数", ordering="reminder_count")
    def reminders(self, obj):
        return obj.reminder_count

    def item_or_404(self, request, object_id) -> SupervisionItem:
        item = self.get_object(request, unquote(str(object_id)))
        if item is None or not self.has_view_or_change_permission(request, item):
            raise Http404("没有找到该督办事项。")
        return item

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/step/<str:code>/", wrap(self.step_view), name="documents_supervisionitem_step"),
            path("<int:object_id>/reminder/", wrap(self.reminder_view), name="documents_supervisionitem_reminder"),
            path("<int:object_id>/print/letter/", wrap(self.letter_view), name="documents_supervisionitem_letter"),
            path("<int:object_id>/print/notice/", wrap(self.notice_view), name="documents_supervisionitem_notice"),
        ] + super().get_urls()

    # 立项

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SupervisionRegisterForm(request.POST if request.method == "POST" else None, initial=self.get_changeform_initial_data(request))
        if form.is_bound and form.is_valid():
            try:
                item = services.supervision_register(user=request.user, **form.service_kwargs())
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                self.log_addition(request, item, [{"added": {}}])
                self.message_user(request, f"已立项督办「{item.title}」,办结期限{date_format(item.deadline, 'Y年n月j日')}。", messages.SUCCESS)
                return HttpResponseRedirect(self.change_url(item))
        context = add_page_context(self, request, form, self.add_fieldsets, "督办立项", extra_context)
        return self.render_change_form(request, context, add=True, form_url=form_url)

    # The item page

    def change_view(self, request, object_id, form_url="", extra_context=None):
        item = self.item_or_404(request, object_id)
        context = {"title": "督办事项", "show_save_and_add_another": False, **(extra_context or {})}
        materials = MaterialInline(self.model, self.admin_site)
        if not (materials.has_add_permission(request, item) or materials.has_change_permission(request, item)):
            context.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False)
        return super().change_view(request, object_id, form_url, context)

    def response_change(self, request, obj):
        self.message_user(request, "督办材料已保存。", messages.SUCCESS)
        return HttpResponseRedirect(request.path)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            context["item_panel"] = self.item_panel(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def origin_display(self, request, item):
        """The record the item came from; a secret document outside the reader's scope keeps its title."""
        origin = item.origin
        if origin is None:
            return None
        if isinstance(origin, Document) and not selectors.document_visible_to(request.user, origin.pk):
            return {"text": "(涉密文件)", "url": ""}
        opts = origin._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[origin.pk])
        except NoReverseMatch:
            url = ""
        return {"text": f"{opts.verbose_name}:{origin}", "url": url}

    def item_panel(self, request, item) -> dict:
        buttons = [
            {"code": code, "label": STEPS[code][0], "css": STEPS[code][2], "url": self.admin_url("step", item.pk, code), "page": STEPS[code][1] is not None}
            for code in selectors.supervision_next_steps(item, request.user)
        ]
        can_remind = item.status != SupervisionStatus.ARCHIVED and selectors.user_supervises(request.user) and getattr(request.user, "staff", None) is not None
        return {
            "item": item,
            "origin": self.origin_display(request, item),
            "overdue": getattr(item, "overdue", False),
            "buttons": buttons,
            "reminder_form": ReminderForm(prefix="reminder") if can_remind else None,
            "reminder_url": self.admin_url("reminder", item.pk),
            "letter_url": self.admin_url("letter", item.pk),
            "notice_url": self.admin_url("notice", item.pk),
        }

    # The lifecycle buttons

    def step_view(self, request, object_id, code):
        item = self.item_or_404(request, object_id)
        if code not in STEPS:
            raise Http404("没有这个办理环节。")
        label, form_class, _ = STEPS[code]
        if code not in selectors.supervision_next_steps(item, request.user):
            self.message_user(request, f"督办事项当前为「{item.get_status_display()}」,您不能{label}。", messages.ERROR)
            return HttpResponseRedirect(self.change_url(item))
        if form_class is None:
            return self.run_button(request, item, label, lambda: self.take_step(request, item, code, {}))
        form = form_class(request.POST if request.method == "POST" else None, **({"item": item} if form_class is SupervisionAssignForm else {}))
        if form.is_bound and form.is_valid():
            try:
                message = self.take_step(request, item, code, form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                self.log_change(request, item, label)
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(self.change_url(item))
        facts = [("督办事项", item.title), ("承办股室", item.department.name), ("办结期限", date_format(item.deadline, "Y年n月j日"))]
        if code == selectors.SUPERVISION_REVIEW:
            facts.append(("办理反馈", item.feedback))
        return self.form_page(request, item, form, label, facts=facts)

    def take_step(self, request, item, code, data) -> str:
        user = request.user
        if code == selectors.SUPERVISION_ASSIGN:
            services.supervision_assign(item=item, user=user, responsible=data["responsible"])
            return f"已交办{item.department.name}{item.responsible.name}办理。"
        if code == selectors.SUPERVISION_START:
            services.supervision_start(item=item, user=user)
            return "已开始督办。"
        if code == selectors.SUPERVISION_FEEDBACK:
            services.supervision_feedback(item=item, user=user, feedback=data["feedback"])
            return "已反馈办理情况。"
        if code == selectors.SUPERVISION_SUBMIT:
            services.supervision_submit_to_leader(item=item, user=user)
            return "已报领导审阅。"
        if code == selectors.SUPERVISION_REVIEW:
            services.supervision_leader_review(item=item, user=user, comment=data["leader_comment"])
            return "已签署审阅意见。"
        services.supervision_archive(item=item, user=user)
        return "已归档。"

    # 催办记录

    def reminder_view(self, request, object_id):
        item = self.item_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = ReminderForm(request.POST, prefix="reminder")
        if not form.is_valid():
            errors = ";".join(error for errors in form.errors.values() for error in errors)
            self.message_user(request, f"未能登记催办:{errors}", messages.ERROR)
            return HttpResponseRedirect(self.change_url(item))
        try:
            reminder = services.reminder_log(item=item, user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, f"未能登记催办:{service_message(error)}", messages.ERROR)
        else:
            self.log_change(request, item, f"催办:{reminder}")
            self.message_user(request, f"已登记{date_format(reminder.on, 'n月j日')}{reminder.get_method_display()}。", messages.SUCCESS)
        return HttpResponseRedirect(self.change_url(item))

    # Printing and history, scoped like the page

    def letter_view(self, request, object_id):
        return printing.supervision_letter(self, request, self.item_or_404(request, object_id))

    def notice_view(self, request, object_id):
        return printing.supervision_notice(self, request, self.item_or_404(request, object_id))
