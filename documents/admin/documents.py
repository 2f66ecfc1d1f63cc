"""文件: the register, 拟稿, the document page with a button for each lifecycle step the user may take
now, attachments with their earlier versions, 分发办理 with each recipient's feedback or delay, the
「逾期未办理」 list, and the printable registration page (文件处理笺).

Secrecy (S3.6-b) is the queryset: every view here starts from documents_visible_to(user), so a secret
document outside the user's scope — inspectors included — is absent from the list and the export
and "not found" (404) on every URL: page, history, steps, attachments, print, recipients.
"""

import posixpath

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from staffing.admin.base import DepartmentScopedAdminMixin
from staffing.admin.files import ProtectedFileInput
from staffing.admin.service_forms import add_page_context, add_service_error
from staffing.admin.versioning import VersionedAdminMixin
from staffing.list_exports import ListExport, export_list
from staffing.selectors import user_sees_all_departments

from .. import printing, selectors, services
from ..services import incoming as incoming_services
from ..forms import (
    CirculateForm,
    CirculationDelayForm,
    CirculationFeedbackForm,
    DocumentDraftForm,
    StepNoteForm,
)
from ..forms_incoming import CirculationRemindForm, ConfirmReadForm
from ..models import (
    Circulation,
    CirculationMode,
    CirculationState,
    Document,
    DocumentAttachment,
    DocumentsSettings,
    DocumentStatus,
    Secrecy,
)
from .common import RecordAdmin, RecordInline, export_link, wants_xlsx, xlsx_response
from project.secrecy import MaskSecretTitlesMixin  # S3.6-b in derived records (issue 16)

STEPS = {
    selectors.SUBMIT: ("提交核稿", "default"),
    selectors.REVIEW_PASS: ("核稿通过", "default"),
    selectors.REVIEW_RETURN: ("退回修改", "danger"),
    selectors.SIGN: ("签发", "default"),
    selectors.REGISTER: ("登记编号", "default"),
    selectors.PROOFREAD: ("校对", "default"),
    selectors.ISSUE: ("印发", "default"),
    selectors.ARCHIVE: ("归档", "default"),
}


def secrecy_mark(document) -> str:
    if document.secrecy == Secrecy.NORMAL:
        return document.get_secrecy_display()
    return format_html('<span class="dc-mark secret">{}</span>', document.get_secrecy_display())


def circulation_state(circulation, today=None) -> tuple[str, str]:
    """(css, text) of a recipient: 已反馈, 已说明延期(预计…), 待办理, or 逾期 when past the due date."""
    today = today or timezone.localdate()
    reading = circulation.mode == "read"
    if circulation.state == CirculationState.DONE:
        return "done", "已阅" if reading else "已反馈"
    if circulation.state == CirculationState.DELAYED:
        expected = date_format(circulation.expected_on, "n月j日") if circulation.expected_on else ""
        if circulation.expected_on and circulation.expected_on < today:
            return "overdue", f"延期逾期(预计{expected})"
        return "delayed", f"已说明延期(预计{expected})"
    if circulation.due_date < today:
        return "overdue", "逾期未阅" if reading else "逾期未办理"
    return "pending", "待阅" if reading else "待办理"


def incoming_closed_note(circulation) -> str:
    """The sentence that tells a recipient their answer closed the incoming document (办结)."""
    if circulation.incoming_id is None:
        return ""
    circulation.incoming.refresh_from_db(fields=["status"])
    return " 各承办部门均已答复,该收文已办结。" if circulation.incoming.status == "done" else ""


def subject_url(circulation) -> str:
    """The page of the outgoing or incoming document a recipient handles."""
    if circulation.incoming_id:
        return reverse("admin:documents_incomingdocument_change", args=[circulation.incoming_id])
    return reverse("admin:documents_document_change", args=[circulation.document_id])


def recipient_name(circulation) -> str:
    if circulation.staff_id:
        return f"{circulation.department.name} {circulation.staff.name}"
    return circulation.department.name


# --- Attachments: uploaded here; replacing a file keeps the earlier one in the history ----------


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = DocumentAttachment
        fields = ["title", "kind", "file", "is_signed_original"]
        widgets = {"file": ProtectedFileInput, "kind": forms.TextInput(attrs={"size": 8, "list": "attachment-kinds"})}
        help_texts = {"is_signed_original": "归档须有签发原件。", "kind": "提交核稿须有“正文”(以及类别要求的其他附件)。", "file": "选择新文件即上传新版本;原版本保留在历史版本中。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "file" in self.fields:  # read-only pages show file_link instead
            self.fields["file"].widget = ProtectedFileInput()
            self.fields["file"].widget.download_url = attachment_url(self.instance)

    def clean(self):
        data = super().clean()
        if self.instance.pk and "file" in self.changed_data:
            self.instance.uploaded_at = timezone.now()
        return data


def attachment_url(attachment, history_id=None) -> str:
    if history_id is None:
        return reverse("admin:documents_document_attachment", args=[attachment.document_id, attachment.pk])
    return reverse("admin:documents_document_attachment_version", args=[attachment.document_id, attachment.pk, history_id])


def is_own_draft(request, document) -> bool:
    """The drafter uploads the text of their own draft; after 提交核稿 the office keeps the files."""
    staff = getattr(request.user, "staff", None)
    return document is not None and staff is not None and document.drafter_id == staff.pk and document.status == DocumentStatus.DRAFT


class AttachmentInline(admin.TabularInline):
    model = DocumentAttachment
    form = AttachmentForm
    fields = ["title", "kind", "file", "is_signed_original", "uploaded_at", "earlier_versions"]
    readonly_fields = ["uploaded_at", "earlier_versions", "file_link"]
    extra = 0
    can_delete = False  # the files are the record of the document

    def get_fields(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return self.fields
        # Read-only, the file shows by its own name, not by its storage path (documents/2026/…).
        return [("file_link" if name == "file" else name) for name in self.fields]

    @admin.display(description="文件")
    def file_link(self, attachment):
        if not attachment.file:
            return "-"
        return format_html('<a href="{}">{}</a>', attachment_url(attachment), attachment.file.name.rsplit("/", 1)[-1])

    def has_view_permission(self, request, obj=None):
        return True  # the document page itself is the check (secrecy included)

    def has_add_permission(self, request, obj=None):
        if obj is not None and obj.status == DocumentStatus.ARCHIVED:
            return False
        return super().has_add_permission(request, obj) or is_own_draft(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == DocumentStatus.ARCHIVED:
            return False
        return super().has_change_permission(request, obj) or is_own_draft(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if self.has_add_permission(request, obj) else 0

    @admin.display(description="历史版本")
    def earlier_versions(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        seen, links = {obj.file.name}, []
        for history_id, name, day in obj.history.order_by("-history_id").values_list("history_id", "file", "uploaded_at"):
            if name and name not in seen:
                seen.add(name)
                links.append((attachment_url(obj, history_id), posixpath.basename(name), date_format(timezone.localtime(day), "Y-m-d H:i")))
        if not links:
            return "—"
        return format_html_join(mark_safe("<br>"), '<a href="{}">{}</a>({})', links)


class CirculationInline(RecordInline):
    model = Circulation
    fields = ["recipient", "received_on", "due_date", "state_display", "feedback", "feedback_on", "delay", "handler", "handle"]
    verbose_name_plural = "分发办理"
    request = None  # set per request by DocumentAdmin.get_inline_instances

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department", "staff", "handled_by").order_by("pk")

    @admin.display(description="承办部门/人")
    def recipient(self, obj):
        return recipient_name(obj)

    @admin.display(description="办理情况")
    def state_display(self, obj):
        css, text = circulation_state(obj)
        return format_html('<span class="dc-mark {}">{}</span>', css, text)

    @admin.display(description="延期说明")
    def delay(self, obj):
        return obj.delay_reason or "—"

    @admin.display(description="经办人")
    def handler(self, obj):
        if obj.handled_by is None:
            return "—"
        return obj.handled_by.name

    @admin.display(description="办理")
    def handle(self, obj):
        if self.request is None or obj.state == CirculationState.DONE or not selectors.circulation_is_mine(obj, self.request.user):
            return ""
        return format_html(
            '<a class="button" href="{}?back=document">反馈办理结果</a> <a class="button" href="{}?back=document">说明延期</a>',
            reverse("admin:documents_circulation_feedback", args=[obj.pk]),
            reverse("admin:documents_circulation_delay", args=[obj.pk]),
        )


class MineFilter(admin.SimpleListFilter):
    title = "我的文件"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        if getattr(request.user, "staff", None) is None:
            return []
        return [("drafted", "我拟稿的"), ("to_review", "待我核稿"), ("to_sign", "待我签发")]

    def queryset(self, request, queryset):
        staff = getattr(request.user, "staff", None)
        if self.value() is None or staff is None:
            return queryset
        if self.value() == "drafted":
            return queryset.filter(drafter=staff)
        if self.value() == "to_review":
            return queryset.filter(pk__in=selectors._to_review(request.user, staff).values("pk"))
        if self.value() == "to_sign":
            reviewed = queryset.filter(status=DocumentStatus.REVIEW, reviewed_by__isnull=False)
            # Few documents wait for signing at a time; the signer depends on the category's rule.
            return queryset.filter(pk__in=[d.pk for d in reviewed.select_related("category", "drafting_department") if services.expected_signer(d) == staff])
        return queryset


@admin.register(Document)
class DocumentAdmin(VersionedAdminMixin, RecordAdmin):
    list_display = ["number_display", "title", "category", "drafting_department", "drafter_name", "status", "secrecy_display", "created_at"]
    list_display_links = ["number_display", "title"]
    list_filter = [MineFilter, "status", "category", "secrecy"]
    list_select_related = ["category", "drafting_department", "drafter"]
    search_fields = ["title", "number"]
    search_help_text = "标题或文号的一部分。"
    show_full_result_count = False
    actions = ["export_xlsx"]
    fieldsets = [
        ("文件", {"fields": [("number", "status"), "title", ("category", "secrecy"), "summary", ("drafting_department", "drafter"), "scope"]}),
        ("办理经过", {"fields": [("created_at", "reviewed_by"), ("signed_by", "signed_at"), ("registered_at", "issued_at"), "archived_at"]}),
    ]
    add_fieldsets = [
        ("文件", {"fields": ["category", "title", "summary"]}),
        ("密级与知悉范围", {"fields": ["secrecy", "scope_departments", "scope_staff"]}),
    ]
    inlines = [AttachmentInline, CirculationInline]
    change_form_template = "admin/documents/document/change_form.html"
    change_list_template = "admin/documents/document/change_list.html"

    # The list: only what the user may see (S3.6-b)

    def get_queryset(self, request):
        return selectors.documents_visible_to(request.user, super().get_queryset(request))

    @admin.display(description="文号", ordering="number")
    def number_display(self, obj):
        return obj.number or "(未编号)"

    @admin.display(description="拟稿人", ordering="drafter__name")
    def drafter_name(self, obj):
        return obj.drafter.name

    @admin.display(description="密级", ordering="secrecy")
    def secrecy_display(self, obj):
        return secrecy_mark(obj)

    @admin.display(description="知悉范围")
    def scope(self, obj):
        if obj.secrecy == Secrecy.NORMAL:
            return "不限(普通文件)"
        names = [link.department.name for link in obj.scope_department_links.select_related("department")]
        names += [link.staff.name for link in obj.scope_staff_links.select_related("staff")]
        return "、".join(names) + "(以及拟稿人、签发人)"

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "文件", **(extra_context or {})})

    # Permissions: a document changes only through its buttons; a draft may be deleted by the office.

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == DocumentStatus.ARCHIVED:
            return False
        return super().has_change_permission(request, obj) or is_own_draft(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == DocumentStatus.DRAFT)

    def visible_document(self, request, object_id) -> Document:
        """The document if the user may see it; "not found" for a secret one outside their scope."""
        document = self.get_object(request, unquote(str(object_id)))
        if document is None or not self.has_view_or_change_permission(request, document):
            raise Http404("没有找到该文件。")
        return document

    def get_inline_instances(self, request, obj=None):
        instances = super().get_inline_instances(request, obj)
        for inline in instances:
            if isinstance(inline, CirculationInline):
                inline.request = request
        return instances

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/step/<str:code>/", wrap(self.step_view), name="documents_document_step"),
            path("<int:object_id>/circulate/", wrap(self.circulate_view), name="documents_document_circulate"),
            path("<int:object_id>/print/", wrap(self.print_view), name="documents_document_print"),
            path("<int:object_id>/attachment/<int:attachment_id>/", wrap(self.attachment_view), name="documents_document_attachment"),
            path(
                "<int:object_id>/attachment/<int:attachment_id>/version/<int:history_id>/",
                wrap(self.attachment_view),
                name="documents_document_attachment_version",
            ),
        ] + super().get_urls()

    # 拟稿

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DocumentDraftForm(request.POST if request.method == "POST" else None, initial=self.get_changeform_initial_data(request))
        if form.is_bound and form.is_valid():
            try:
                document = services.document_draft(user=request.user, **form.service_kwargs())
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                self.log_addition(request, document, [{"added": {}}])
                self.message_user(request, f"已拟稿「{document.title}」。请上传正文等附件后提交核稿。", messages.SUCCESS)
                return HttpResponseRedirect(self.change_url(document))
        context = add_page_context(self, request, form, self.add_fieldsets, "拟稿", extra_context)
        return self.render_change_form(request, context, add=True, form_url=form_url)

    # 文件详情

    def change_view(self, request, object_id, form_url="", extra_context=None):
        document = self.visible_document(request, object_id)
        context = {"title": "文件详情", "show_save_and_add_another": False, **(extra_context or {})}
        if not self.has_change_permission(request, document) or not self._attachments_editable(request, document):
            context.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False)
        return super().change_view(request, object_id, form_url, context)

    def _attachments_editable(self, request, document) -> bool:
        inline = AttachmentInline(self.model, self.admin_site)
        return inline.has_add_permission(request, document) or inline.has_change_permission(request, document)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            context["document_panel"] = self.document_panel(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def document_panel(self, request, document) -> dict:
        steps = selectors.document_next_steps(document, request.user)
        buttons = [
            {"code": code, "label": STEPS[code][0], "css": STEPS[code][1], "url": self.admin_url("step", document.pk, code)}
            for code in steps
        ]
        signer = services.expected_signer(document) if document.status in (DocumentStatus.DRAFT, DocumentStatus.REVIEW) else None
        return {
            "document": document,
            "secret": document.secrecy != Secrecy.NORMAL,
            "buttons": buttons,
            "needs_note": selectors.REVIEW_PASS in steps,
            "signer": signer,
            "signer_role": document.category.get_signer_role_display(),
            "circulate_url": self.admin_url("circulate", document.pk) if selectors.document_can_circulate(document, request.user) else "",
            "print_url": self.admin_url("print", document.pk),
        }

    def response_change(self, request, obj):
        self.message_user(request, "附件已保存。", messages.SUCCESS)
        return HttpResponseRedirect(request.path)

    # The lifecycle buttons

    def step_view(self, request, object_id, code):
        document = self.visible_document(request, object_id)
        if code not in STEPS:
            raise Http404("没有这个办理环节。")
        label = STEPS[code][0]
        if code not in selectors.document_next_steps(document, request.user):
            self.message_user(request, f"文件当前为「{document.get_status_display()}」,您不能{label}。", messages.ERROR)
            return HttpResponseRedirect(self.change_url(document))
        form = StepNoteForm(request.POST or None)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        return self.run_button(request, document, label, lambda: self.take_step(request, document, code, note))

    def take_step(self, request, document, code, note) -> str:
        user = request.user
        if code == selectors.SUBMIT:
            services.document_submit_for_review(document=document, user=user)
            return "已提交核稿。"
        if code == selectors.REVIEW_PASS:
            services.document_review(document=document, user=user, approve=True, note=note)
            signer = services.expected_signer(document)
            return f"核稿通过,待{signer.name}签发。" if signer else "核稿通过。"
        if code == selectors.REVIEW_RETURN:
            services.document_review(document=document, user=user, approve=False, note=note)
            return f"已退回拟稿人{document.drafter.name}修改。"
        if code == selectors.SIGN:
            services.document_sign(document=document, user=user)
            return "已签发,请办公室登记编号。"
        if code == selectors.REGISTER:
            registered = services.document_register(document=document, user=user)
            return f"已登记编号:{registered.number}。请拟稿人校对。"
        if code == selectors.PROOFREAD:
            services.document_proofread(document=document, user=user)
            return "校对完成,请办公室印发。"
        if code == selectors.ISSUE:
            services.document_issue(document=document, user=user)
            return "已印发。"
        services.document_archive(document=document, user=user)
        return "已归档。"

    # 分发办理

    def circulate_view(self, request, object_id):
        document = self.visible_document(request, object_id)
        if not selectors.document_can_circulate(document, request.user):
            raise PermissionDenied
        form = CirculateForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                created = services.document_circulate(
                    document=document, user=request.user, departments=list(data["departments"]), staff=list(data["staff"]),
                    received_on=data["received_on"],
                )
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                if created:
                    due = date_format(created[0].due_date, "Y年n月j日")
                    names = "、".join(recipient_name(c) for c in created)
                    self.message_user(request, f"已分发给{names}办理,办理期限{due}。", messages.SUCCESS)
                    self.log_change(request, document, f"分发办理:{names}")
                else:
                    self.message_user(request, "所选承办部门或人员都已在分发名单中。", messages.WARNING)
                return HttpResponseRedirect(self.change_url(document))
        days = DocumentsSettings.load()
        unit = "个工作日" if days.circulation_working_days else "日"
        facts = [("文件", str(document)), ("办理期限", f"收文后{days.circulation_days}{unit}内反馈办理结果")]
        return self.form_page(request, document, form, "分发办理", facts=facts)

    # Printing, downloads and history: all scoped like the page

    def print_view(self, request, object_id):
        return printing.document_sheet(self, request, self.visible_document(request, object_id), circulation_state)

    def attachment_view(self, request, object_id, attachment_id, history_id=None):
        document = self.visible_document(request, object_id)
        attachment = document.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404("没有找到该附件。")
        name = attachment.file.name
        if history_id is not None:
            version = attachment.history.filter(history_id=history_id).first()
            if version is None or not version.file:
                raise Http404("没有找到该版本。")
            name = version.file.name if hasattr(version.file, "name") else str(version.file)
        if not name or not default_storage.exists(name):
            raise Http404("附件文件不存在。")
        return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=posixpath.basename(name))

    def delete_view(self, request, object_id, extra_context=None):
        self.visible_document(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self.visible_document(request, object_id)  # simple-history would fall back to the stored record
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.visible_document(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Export: the selected documents the user may see, nothing else

    @admin.action(description="导出所选文件为Excel", permissions=["view"])
    def export_xlsx(self, request, queryset):
        return export_list(request, DOCUMENT_REGISTER, queryset, f"文件登记簿-{timezone.localdate():%Y%m%d}.xlsx")


def _local(moment) -> str:
    return "" if moment is None else timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def document_rows(queryset):
    for d in queryset:
        yield [
            d.number or "", d.title, d.category.name, d.get_secrecy_display(), d.drafting_department.name, d.drafter.name,
            d.get_status_display(), d.signed_by.name if d.signed_by else "", _local(d.signed_at), _local(d.registered_at),
            _local(d.issued_at),
        ]


# The selected documents the user may see (the admin's queryset), nothing else.
DOCUMENT_REGISTER = ListExport(
    path="documents.admin.documents.DOCUMENT_REGISTER",
    sheet="文件",
    headers=["文号", "标题", "类别", "密级", "拟稿部门", "拟稿人", "状态", "签发人", "签发时间", "登记时间", "印发时间"],
    model=Document,
    prepare=lambda documents: documents.select_related("category", "drafting_department", "drafter", "signed_by"),
    order=("created_at", "pk"),
    rows=document_rows,
    unit="份文件",
)


# --- Recipients: feedback, delay, and the overdue list ------------------------------------------


class WaitingForMeFilter(admin.SimpleListFilter):
    """待我办理 (project.inbox): what waits for the user's departments (or for the user by name)."""

    title = "待我办理"
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("read", "待我阅知"), ("handle", "待我办理")]

    def queryset(self, request, queryset):
        if self.value() in ("read", "handle"):
            return queryset.filter(pk__in=selectors.circulations_waiting_for(request.user, self.value()).values("pk"))
        return queryset


class CirculationStateFilter(admin.SimpleListFilter):
    title = "办理情况"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "未反馈"), ("overdue", "逾期未办理"), ("delayed", "已说明延期"), ("done", "已反馈")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "open":
            return queryset.exclude(state=CirculationState.DONE)
        if value == "overdue":
            return queryset.filter(pk__in=selectors.overdue_circulations().values("pk"))
        if value == "delayed":
            return queryset.filter(state=CirculationState.DELAYED)
        if value == "done":
            return queryset.filter(state=CirculationState.DONE)
        return queryset


@admin.register(Circulation)
class CirculationAdmin(MaskSecretTitlesMixin, DepartmentScopedAdminMixin, RecordAdmin):
    """传阅办理: recipients of the user's departments (center-wide roles: all), secrecy applied."""

    list_display = ["document_display", "mode", "recipient", "received_on", "due_date", "state_display", "feedback_on"]
    list_filter = [WaitingForMeFilter, CirculationStateFilter, "mode", "department"]
    list_select_related = ["document", "incoming", "department", "staff"]
    search_fields = ["document__title", "document__number", "incoming__title", "incoming__number"]
    show_full_result_count = False
    fieldsets = [
        ("文件", {"fields": ["document_link", ("department", "staff"), ("mode", "received_on", "due_date"), ("state", "sent_by")]}),
        ("办理结果", {"fields": ["feedback", "feedback_on", ("delay_reason", "expected_on"), ("handled_by", "acting_for")]}),
    ]
    change_form_template = "admin/documents/circulation/change_form.html"
    change_list_template = "admin/documents/circulation/change_list.html"

    def get_queryset(self, request):
        return selectors.circulations_visible_to(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False  # recipients are added by 分发办理 on the document

    def has_change_permission(self, request, obj=None):
        return False  # recipients answer through 反馈办理结果 / 说明延期

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="文件")
    def document_display(self, obj):
        kind = "收文 " if obj.incoming_id else ""
        return f"{kind}{obj.subject_number or '(未编号)'} {obj.subject.title}"

    @admin.display(description="文件")
    def document_link(self, obj):
        return format_html('<a href="{}">{}</a>', subject_url(obj), obj.subject)

    @admin.display(description="承办部门/人", ordering="department__name")
    def recipient(self, obj):
        return recipient_name(obj)

    @admin.display(description="办理情况", ordering="state")
    def state_display(self, obj):
        css, text = circulation_state(obj)
        return format_html('<span class="dc-mark {}">{}</span>', css, text)

    def circulation_or_404(self, request, object_id) -> Circulation:
        circulation = self.get_object(request, unquote(str(object_id)))
        if circulation is None or not self.has_view_permission(request, circulation):
            raise Http404("没有找到该办理记录。")
        return circulation

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("overdue/", wrap(self.overdue_view), name="documents_circulation_overdue"),
            path("<int:object_id>/feedback/", wrap(self.feedback_view), name="documents_circulation_feedback"),
            path("<int:object_id>/delay/", wrap(self.delay_view), name="documents_circulation_delay"),
            path("<int:object_id>/read/", wrap(self.confirm_read_view), name="documents_circulation_confirm_read"),
            path("<int:object_id>/remind/", wrap(self.remind_view), name="documents_circulation_remind"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        circulation = self.circulation_or_404(request, object_id)
        context = {"title": "传阅办理", **(extra_context or {})}
        if circulation.state != CirculationState.DONE and selectors.circulation_is_mine(circulation, request.user):
            if circulation.mode == CirculationMode.READ:
                context["handle_urls"] = {"confirm_read": self.admin_url("confirm_read", circulation.pk)}
            else:
                context["handle_urls"] = {
                    "feedback": self.admin_url("feedback", circulation.pk),
                    "delay": self.admin_url("delay", circulation.pk),
                }
        if circulation.state != CirculationState.DONE and selectors.user_in_office(request.user):
            context["remind_url"] = self.admin_url("remind", circulation.pk)
        context["state"] = circulation_state(circulation)
        return super().change_view(request, object_id, form_url, context)

    def _handle(self, request, object_id, form_class, label, call, allowed=None):
        circulation = self.circulation_or_404(request, object_id)
        if not (allowed or selectors.circulation_is_mine)(circulation, request.user):
            raise PermissionDenied
        form = form_class(request.POST if request.method == "POST" else None)
        back = request.GET.get("back") in ("document", "incoming") or circulation.incoming_id is not None
        if form.is_bound and form.is_valid():
            try:
                message = call(circulation, form)
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                self.log_change(request, circulation, label)
                self.message_user(request, message, messages.SUCCESS)
                target = subject_url(circulation) if back else self.change_url(circulation)
                return HttpResponseRedirect(target)
        facts = [
            ("文件", str(circulation.subject)),
            ("办理要求", circulation.get_mode_display()),
            ("承办部门/人", recipient_name(circulation)),
            ("收文日期", date_format(circulation.received_on, "Y年n月j日")),
            ("办理期限", date_format(circulation.due_date, "Y年n月j日")),
            ("办理情况", circulation_state(circulation)[1]),
        ]
        return self.form_page(request, circulation, form, label, facts=facts)

    def feedback_view(self, request, object_id):
        def call(circulation, form):
            services.circulation_feedback(circulation=circulation, user=request.user, feedback=form.cleaned_data["feedback"])
            done = incoming_closed_note(circulation) or "办公室可在该文件页查看各部门的反馈。"
            return f"已反馈「{circulation.subject.title}」的办理结果,本部门的传阅办理已完成。{done.strip()}"

        return self._handle(request, object_id, CirculationFeedbackForm, "反馈办理结果", call)

    def delay_view(self, request, object_id):
        def call(circulation, form):
            services.circulation_delay(circulation=circulation, user=request.user, **form.service_kwargs())
            return f"已说明延期,预计{date_format(circulation.expected_on, 'Y年n月j日')}办结。"

        return self._handle(request, object_id, CirculationDelayForm, "说明延期", call)

    def confirm_read_view(self, request, object_id):
        def call(circulation, form):
            incoming_services.circulation_confirm_read(circulation=circulation, user=request.user)
            done = incoming_closed_note(circulation)
            return f"已确认阅知「{circulation.subject.title}」。{done}"

        return self._handle(request, object_id, ConfirmReadForm, "确认已阅", call)

    def remind_view(self, request, object_id):
        def call(circulation, form):
            incoming_services.circulation_remind(circulation=circulation, user=request.user, **form.cleaned_data)
            return f"已记录对{recipient_name(circulation)}的催办({form.cleaned_data['method']})。"

        return self._handle(request, object_id, CirculationRemindForm, "催办", call, allowed=lambda c, user: selectors.user_in_office(user))

    def overdue_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        rows = list(selectors.overdue_circulations_for(request.user, today).select_related("document", "incoming", "department", "staff"))
        headers = ["文号", "文件", "承办部门/人", "收文日期", "办理期限", "逾期天数", "情况"]

        def values(c):
            return [
                c.subject_number, c.subject.title, recipient_name(c), c.received_on, c.due_date,
                (today - c.due_date).days, circulation_state(c, today)[1] + (f":{c.delay_reason}" if c.delay_reason else ""),
            ]

        if wants_xlsx(request):
            return xlsx_response(f"逾期未办理文件-{today:%Y%m%d}.xlsx", [("逾期未办理", headers, [values(c) for c in rows])])
        table = {
            "headers": headers,
            "css": "dc-overdue",
            "empty": "没有逾期未办理的文件。",
            "rows": [
                {
                    "css": "overdue",
                    "cells": [
                        {"text": c.subject_number or "(未编号)"},
                        {"text": c.subject.title, "url": subject_url(c)},
                        {"text": recipient_name(c), "url": self.change_url(c)},
                        {"text": date_format(c.received_on, "Y-m-d")},
                        {"text": date_format(c.due_date, "Y-m-d")},
                        {"text": f"{(today - c.due_date).days}天", "num": True},
                        {"text": circulation_state(c, today)[1], "mark": None},
                    ],
                }
                for c in rows
            ],
        }
        scope = "全中心" if self._sees_all(request) else "本部门"
        return self.page(
            request, "admin/documents/report.html", "逾期未办理的文件", tables=[table], export_url=export_link(request),
            intro=f"{scope}超过办理期限仍未反馈办理结果(或说明的预计办结日期已过)的文件,共{len(rows)}件。",
        )

    def _sees_all(self, request) -> bool:
        return user_sees_all_departments(request.user)
