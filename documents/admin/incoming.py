"""收文 (S3.6-g): the register, 收文登记 with scans, the page with a button for each step the user may
take now (拟办, 批办, 退回, 上传扫描件, 归档), the recipients with 确认已阅 / 反馈 / 说明延期 / 催办, the
printable and exportable register.

Secrecy (S3.6-b) is the queryset: every view starts from incoming_visible_to(user).
"""

import posixpath

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from staffing.admin.service_forms import add_service_error
from staffing.list_exports import ListExport, export_list
from staffing.models import CenterSettings

from .. import selectors
from ..forms_incoming import (
    IncomingArchiveForm,
    IncomingDecideForm,
    IncomingProposeForm,
    IncomingRegisterForm,
    IncomingReturnForm,
    IncomingScanForm,
)
from ..models import (
    Circulation,
    CirculationMode,
    CirculationState,
    IncomingAttachment,
    IncomingDocument,
    IncomingStatus,
    Secrecy,
)
from ..services import incoming as services
from .common import RecordAdmin, RecordInline
from .documents import circulation_state, recipient_name

S = IncomingStatus
PROPOSE, DECIDE, RETURN, SCAN, ARCHIVE = "propose", "decide", "return", "scan", "archive"


def incoming_next_steps(incoming: IncomingDocument, user) -> list[str]:
    """The steps `user` may take on `incoming` now (mirrors the services' checks; they refuse the rest)."""
    staff = getattr(user, "staff", None)
    if staff is None:
        return []
    office = selectors.user_in_office(user)
    steps = []
    if incoming.status == S.REGISTERED and office:
        steps += [PROPOSE]
    if incoming.status == S.PROPOSED and incoming.leader_id == staff.pk:
        steps += [DECIDE, RETURN]
    if incoming.status == S.DONE and office:
        steps += [ARCHIVE]
    if incoming.status != S.ARCHIVED and office:
        steps += [SCAN]
    return steps


STEP_LABELS = {PROPOSE: "拟办", DECIDE: "批办", RETURN: "退回重新拟办", SCAN: "上传扫描件", ARCHIVE: "归档"}


def urgency_mark(incoming) -> str:
    css = {"flash": "overdue", "urgent": "due-soon"}.get(incoming.urgency, "")
    return format_html('<span class="dc-mark {}">{}</span>', css, incoming.get_urgency_display()) if css else incoming.get_urgency_display()


class WaitingFilter(admin.SimpleListFilter):
    """待我办理 (project.inbox): 待拟办 for the office, 待批办 for the leader the office named."""

    title = "待我办理"
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("propose", "待拟办"), ("decide", "待我批办")]

    def queryset(self, request, queryset):
        staff = getattr(request.user, "staff", None)
        if self.value() == "propose":
            return queryset.filter(status=S.REGISTERED)
        if self.value() == "decide":
            return queryset.filter(status=S.PROPOSED, leader=staff) if staff else queryset.none()
        return queryset


class IncomingAttachmentInline(RecordInline):
    model = IncomingAttachment
    fields = ["download", "uploaded_at", "uploader"]
    verbose_name_plural = "扫描件"

    @admin.display(description="扫描件")
    def download(self, obj):
        url = reverse("admin:documents_incomingdocument_attachment", args=[obj.incoming_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.title)

    @admin.display(description="上传人")
    def uploader(self, obj):
        staff = getattr(obj.uploaded_by, "staff", None) if obj.uploaded_by_id else None
        return staff.name if staff else "—"


class IncomingCirculationInline(RecordInline):
    model = Circulation
    fk_name = "incoming"
    fields = ["recipient", "mode", "due_date", "state_display", "answer", "handler", "reminder_count", "handle"]
    verbose_name_plural = "传阅办理"
    request = None

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department", "staff", "handled_by").prefetch_related("reminders").order_by("mode", "pk")

    @admin.display(description="承办部门/人")
    def recipient(self, obj):
        return recipient_name(obj)

    @admin.display(description="办理情况")
    def state_display(self, obj):
        if obj.mode == CirculationMode.READ and obj.state == CirculationState.DONE:
            return format_html('<span class="dc-mark done">{}</span>', "已阅")
        css, text = circulation_state(obj)
        if obj.mode == CirculationMode.READ and obj.state == CirculationState.PENDING and css != "overdue":
            text = "待阅"
        return format_html('<span class="dc-mark {}">{}</span>', css, text)

    @admin.display(description="办理结果/延期说明")
    def answer(self, obj):
        return obj.feedback or obj.delay_reason or "—"

    @admin.display(description="经办人")
    def handler(self, obj):
        return obj.handled_by.name if obj.handled_by else "—"

    @admin.display(description="催办")
    def reminder_count(self, obj):
        reminders = list(obj.reminders.all())
        return f"{len(reminders)}次(最近{date_format(reminders[-1].on, 'n月j日')})" if reminders else "—"

    @admin.display(description="办理")
    def handle(self, obj):
        if self.request is None or obj.state == CirculationState.DONE:
            return ""
        buttons = []
        if selectors.circulation_is_mine(obj, self.request.user):
            if obj.mode == CirculationMode.READ:
                buttons.append((reverse("admin:documents_circulation_confirm_read", args=[obj.pk]), "确认已阅"))
            else:
                buttons.append((reverse("admin:documents_circulation_feedback", args=[obj.pk]) + "?back=incoming", "反馈办理结果"))
                buttons.append((reverse("admin:documents_circulation_delay", args=[obj.pk]) + "?back=incoming", "说明延期"))
        if selectors.user_in_office(self.request.user):
            buttons.append((reverse("admin:documents_circulation_remind", args=[obj.pk]), "催办"))
        return format_html_join(" ", '<a class="button" href="{}">{}</a>', buttons)


# The register: printable and exported to Excel, as the list is filtered (rows in the order of 收文编号)

REGISTER_HEADERS = ["收文编号", "收文日期", "来文单位", "来文字号", "标题", "密级", "紧急程度", "份数", "页数", "来文要求",
                    "拟办意见", "批办领导", "批办意见", "承办情况", "办理期限", "状态", "办结日期", "归档号"]


def register_rows(queryset):
    """(incoming, its row of REGISTER_HEADERS) in the order of 收文编号."""
    queryset = queryset.select_related("leader", "decided_by").prefetch_related("circulations__department", "circulations__staff")
    for incoming in queryset.order_by("year", "sequence"):
        recipients = "、".join(
            f"{recipient_name(c)}{c.get_mode_display()}{'✓' if c.state == CirculationState.DONE else ''}"
            for c in incoming.circulations.all()
        )
        yield incoming, [
            incoming.number, incoming.received_on, incoming.sender, incoming.sender_number, incoming.title,
            incoming.get_secrecy_display(), incoming.get_urgency_display(), incoming.copies, incoming.pages,
            incoming.get_action_display(), incoming.proposal,
            incoming.leader.name if incoming.leader else "", incoming.decision, recipients,
            incoming.due_date or "", incoming.get_status_display(),
            timezone.localtime(incoming.closed_at).date() if incoming.closed_at else "", incoming.archive_number,
        ]


INCOMING_REGISTER = ListExport(
    path="documents.admin.incoming.INCOMING_REGISTER",
    sheet="收文登记簿",
    headers=REGISTER_HEADERS,
    model=IncomingDocument,
    order=("year", "sequence"),
    rows=lambda queryset: (row for _, row in register_rows(queryset)),
    unit="件收文",
)


@admin.register(IncomingDocument)
class IncomingDocumentAdmin(RecordAdmin):
    list_display = ["number", "received_on", "sender", "title_display", "urgency_display", "status", "due_date"]
    list_display_links = ["number", "title_display"]
    list_filter = [WaitingFilter, "status", "urgency", "action", "secrecy"]
    list_select_related = ["leader"]
    search_fields = ["number", "title", "sender", "sender_number", "archive_number"]
    search_help_text = "收文编号、标题、来文单位、来文字号或归档号的一部分。"
    show_full_result_count = False
    date_hierarchy = "received_on"
    actions = ["export_xlsx"]
    fieldsets = [
        ("来文", {"fields": [("number", "status"), "title", ("sender", "sender_number"), ("received_on", "registered_by"),
                           ("urgency", "action"), ("copies", "pages"), ("secrecy", "scope")]}),
        ("拟办与批办", {"fields": [("proposal", "proposed_by", "proposed_at"), ("leader",), ("decision", "decided_by", "decided_at"), "due_date"]}),
        ("办结与归档", {"fields": [("closed_at", "archive_number", "archived_at")]}),
    ]
    inlines = [IncomingAttachmentInline, IncomingCirculationInline]
    change_form_template = "admin/documents/incomingdocument/change_form.html"
    change_list_template = "admin/documents/incomingdocument/change_list.html"

    def get_queryset(self, request):
        return selectors.incoming_visible_to(request.user, super().get_queryset(request))

    @admin.display(description="标题", ordering="title")
    def title_display(self, obj):
        if obj.secrecy != Secrecy.NORMAL:
            return format_html('<span class="dc-mark secret">{}</span> {}', obj.get_secrecy_display(), obj.title)
        return obj.title

    @admin.display(description="紧急程度", ordering="urgency")
    def urgency_display(self, obj):
        return urgency_mark(obj)

    @admin.display(description="知悉范围")
    def scope(self, obj):
        if obj.secrecy == Secrecy.NORMAL:
            return "不限(普通来文)"
        names = [d.name for d in obj.scope_departments.all()] + [s.name for s in obj.scope_staff.all()]
        return "、".join(names) + "(以及经手人、承办部门)"

    def has_change_permission(self, request, obj=None):
        return False if obj is not None and obj.status == S.ARCHIVED else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # a register keeps every number (gap-free)

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "收文登记簿", **(extra_context or {})})

    def visible(self, request, object_id) -> IncomingDocument:
        incoming = self.get_object(request, unquote(str(object_id)))
        if incoming is None:
            raise Http404("没有找到该收文。")
        return incoming

    def get_inline_instances(self, request, obj=None):
        instances = super().get_inline_instances(request, obj)
        for inline in instances:
            if isinstance(inline, IncomingCirculationInline):
                inline.request = request
        return instances

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("register/", wrap(self.register_view), name="documents_incomingdocument_register"),
            path("<int:object_id>/step/<str:code>/", wrap(self.step_view), name="documents_incomingdocument_step"),
            path("<int:object_id>/attachment/<int:attachment_id>/", wrap(self.attachment_view), name="documents_incomingdocument_attachment"),
        ] + super().get_urls()

    # 收文登记

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = IncomingRegisterForm(request.POST or None, request.FILES or None)
        if form.is_bound and form.is_valid():
            try:
                incoming = services.incoming_register(user=request.user, **form.service_kwargs())
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                self.log_addition(request, incoming, [{"added": {}}])
                scans = incoming.attachments.count()
                nxt = "请拟办。" if scans else "请上传扫描件后拟办。"
                self.message_user(request, f"已登记收文{incoming.number}「{incoming.title}」,扫描件{scans}份。{nxt}", messages.SUCCESS)
                return HttpResponseRedirect(self.change_url(incoming))
        return self.page(
            request, "admin/documents/form_page.html", "收文登记", label="收文登记", submit_label="登记",
            form=form, media=self.media + form.media, record_url=reverse("admin:documents_incomingdocument_changelist"),
        )

    # 收文详情

    def change_view(self, request, object_id, form_url="", extra_context=None):
        incoming = self.visible(request, object_id)
        context = {"title": "收文详情", "show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        context["incoming_panel"] = {
            "incoming": incoming,
            "secret": incoming.secrecy != Secrecy.NORMAL,
            "buttons": [
                {"label": STEP_LABELS[code], "url": self.admin_url("step", incoming.pk, code), "css": "danger" if code == RETURN else "default"}
                for code in incoming_next_steps(incoming, request.user)
            ],
        }
        return super().change_view(request, object_id, form_url, {**context, **(extra_context or {})})

    def step_view(self, request, object_id, code):
        incoming = self.visible(request, object_id)
        if code not in STEP_LABELS:
            raise Http404("没有这个办理环节。")
        label = STEP_LABELS[code]
        if code not in incoming_next_steps(incoming, request.user):
            self.message_user(request, f"收文当前为「{incoming.get_status_display()}」,您不能{label}。", messages.ERROR)
            return HttpResponseRedirect(self.change_url(incoming))
        form_class = {PROPOSE: IncomingProposeForm, DECIDE: IncomingDecideForm, RETURN: IncomingReturnForm,
                      SCAN: IncomingScanForm, ARCHIVE: IncomingArchiveForm}[code]
        form = form_class(request.POST or None, request.FILES or None)
        if form.is_bound and form.is_valid():
            try:
                message = self.take_step(request, incoming, code, form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                self.log_change(request, incoming, label)
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(self.change_url(incoming))
        facts = [
            ("收文编号", incoming.number), ("来文单位", incoming.sender), ("来文字号", incoming.sender_number or "—"),
            ("紧急程度", incoming.get_urgency_display()), ("来文要求", incoming.get_action_display()),
        ]
        if incoming.proposal:
            facts.append(("拟办意见", f"{incoming.proposal}({incoming.proposed_by.name})"))
        return self.form_page(request, incoming, form, label, facts=facts)

    def take_step(self, request, incoming, code, data) -> str:
        user = request.user
        if code == PROPOSE:
            services.incoming_propose(incoming=incoming, user=user, proposal=data["proposal"], leader=data["leader"])
            return f"已拟办,呈{incoming.leader.name}批办。"
        if code == DECIDE:
            created = services.incoming_decide(incoming=incoming, user=user, **IncomingDecideForm.service_kwargs_of(data))
            names = "、".join(f"{recipient_name(c)}({c.get_mode_display()})" for c in created)
            return f"已批办:{names}。办理期限{date_format(incoming.due_date, 'Y年n月j日')}。"
        if code == RETURN:
            services.incoming_return(incoming=incoming, user=user, note=data["note"])
            return "已退回办公室重新拟办。"
        if code == SCAN:
            for scan in data["scans"]:
                services.incoming_attach(incoming=incoming, user=user, file=scan)
            return f"已上传扫描件{len(data['scans'])}份。"
        services.incoming_archive(incoming=incoming, user=user, archive_number=data["archive_number"])
        return f"已归档,归档号{incoming.archive_number}。"

    def attachment_view(self, request, object_id, attachment_id):
        incoming = self.visible(request, object_id)
        attachment = incoming.attachments.filter(pk=attachment_id).first()
        if attachment is None or not attachment.file or not default_storage.exists(attachment.file.name):
            raise Http404("没有找到该扫描件。")
        name = attachment.file.name
        return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=posixpath.basename(name))

    # The register: printable and exported to Excel, as the list is filtered

    HEADERS = REGISTER_HEADERS

    def register_rows(self, queryset):
        return register_rows(queryset)

    @admin.action(description="导出所选收文为Excel(收文登记簿)", permissions=["view"])
    def export_xlsx(self, request, queryset):
        return export_list(request, INCOMING_REGISTER, queryset, f"收文登记簿-{timezone.localdate():%Y%m%d}.xlsx")

    def register_view(self, request):
        """收文登记簿 of a year: printable (A4 landscape) or as an Excel workbook (?format=xlsx)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year") or today.year)
        except ValueError:
            year = today.year
        if not 2000 <= year <= 2100:
            year = today.year
        queryset = self.get_queryset(request).filter(year=year)
        if request.GET.get("format") == "xlsx":
            return export_list(request, INCOMING_REGISTER, queryset, f"收文登记簿-{year}.xlsx", sheet=f"{year}年收文登记簿")
        rows = list(self.register_rows(queryset))
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "title": f"{year}年收文登记簿",
            "center": CenterSettings.load(), "printed_at": timezone.localtime(), "year": year,
            "headers": ["收文编号", "收文日期", "来文单位及字号", "标题", "紧急程度", "批办领导", "承办情况", "办理期限", "状态", "归档号"],
            "rows": [
                [r[0], date_format(r[1], "n月j日"), f"{r[2]} {r[3]}".strip(), r[4] + (f"({r[5]})" if i.is_secret else ""),
                 r[6], r[11], r[13], date_format(r[14], "n月j日") if r[14] else "", r[15], r[17]]
                for i, r in rows
            ],
        }
        return TemplateResponse(request, "documents/print/incoming_register.html", context)
