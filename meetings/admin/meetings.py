"""会议: scheduling (安排会议), the meeting page with attendance, agenda, decisions and minutes, and
the 「记录为已召开」 button. Every rule-bearing write goes through meetings.services; a refusal comes
back on the form or as an error message.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from documents import selectors as documents_selectors
from documents import services as documents_services
from staffing.admin.base import HistoryAdmin
from staffing.admin.files import FileServingAdminMixin, ProtectedFileInlineMixin
from staffing.admin.service_forms import add_page_context, add_service_error, service_message
from staffing.admin.versioning import VersionedAdminMixin

from .. import selectors, services
from ..forms import (
    AttendanceForm,
    AttendanceFormSet,
    DecisionForm,
    MeetingScheduleForm,
)
from ..models import AgendaItem, Attendance, AttendanceStatus, Decision, Meeting, MeetingAttachment, MeetingStatus
from .compliance import compliance_view


def decision_url(item: AgendaItem) -> str:
    return reverse("admin:meetings_meeting_decision", args=[item.meeting_id, item.pk])


class AttendanceInline(admin.TabularInline):
    """The member list of the meeting day; only the status is marked here (出席 / 请假 / 缺席)."""

    model = Attendance
    form = AttendanceForm
    formset = AttendanceFormSet
    fields = ["member", "department", "role", "status", "leave"]
    readonly_fields = ["member", "department", "role", "leave"]
    radio_fields = {"status": admin.HORIZONTAL}
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("staff__department", "leave", "meeting")

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Once held, the list is the record the report obligations were opened from.
        return obj is not None and obj.status == MeetingStatus.PLANNED and super().has_change_permission(request, obj)

    @admin.display(description="成员")
    def member(self, obj):
        return obj.staff.name

    @admin.display(description="部门")
    def department(self, obj):
        return obj.staff.department.name


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["order", "title", "presenter", "decisions"]
    readonly_fields = ["decisions"]
    autocomplete_fields = ["presenter"]
    extra = 1
    can_record = False  # set per request by MeetingAdmin.get_inline_instances
    can_supervise = False  # likewise: may the user turn decisions into supervision items (督办)
    supervised: frozenset = frozenset()  # ids of this meeting's decisions that already are

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("decisions")

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.status != MeetingStatus.CANCELLED) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.status != MeetingStatus.CANCELLED) and super().has_add_permission(request, obj)

    @admin.display(description="决议")
    def decisions(self, obj):
        if obj.pk is None:
            return "保存议题后可记录决议"
        rows = format_html_join(
            "",
            '<li class="{}">{}{}{}(赞成{},反对{},弃权{})</li>',
            (
                (
                    "adopted" if d.adopted else "not-adopted",
                    "通过" if d.adopted else "未通过",
                    f"「{d.kind}」" if d.kind else ":",
                    d.text,
                    d.votes_for,
                    d.votes_against,
                    d.votes_abstain,
                )
                for d in obj.decisions.all()
            ),
        )
        link = format_html('<a class="button" href="{}">记录决议…</a>', decision_url(obj)) if self.can_record else ""
        return format_html('<ul class="mt-decisions">{}</ul>{}{}', rows, self.supervision_buttons(obj), link)

    def supervision_buttons(self, item):
        """转为督办事项: adopted decisions with a responsible department and a deadline (S2, from S3.9)."""
        buttons = []
        for d in item.decisions.all():
            if not (d.adopted and d.responsible_department_id and d.deadline):
                continue
            if d.pk in self.supervised:
                buttons.append(format_html('<span class="mt-quiet">「{}」已转督办</span>', d.text[:20]))
            elif self.can_supervise:
                url = reverse("admin:meetings_meeting_supervise", args=[item.meeting_id, d.pk])
                buttons.append(
                    format_html('<button type="submit" formaction="{}" formnovalidate class="mt-supervise">「{}」转为督办事项</button>', url, d.text[:20])
                )
        return format_html_join(" ", "{}", ((b,) for b in buttons))


class AttachmentInline(ProtectedFileInlineMixin, admin.TabularInline):
    model = MeetingAttachment
    file_kind = "attachment"
    fields = ["file", "title"]
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(VersionedAdminMixin, FileServingAdminMixin, HistoryAdmin):
    protected_files = {"attachment": ("attachments", "file")}
    list_display = ["day", "title", "meeting_type", "chair_name", "status", "attendance_count", "location"]
    list_filter = ["meeting_type", "status"]
    list_select_related = ["meeting_type", "chair"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    actions = None

    readonly_fields = ["meeting_type", "status", "starts_at", "ends_at", "chair", "body", "booking"]
    fieldsets = [
        (
            None,
            {"fields": [("meeting_type", "status"), "title", ("starts_at", "ends_at"), ("chair", "body"), ("booking", "location")]},
        ),
        ("会议纪要", {"fields": ["minutes"]}),
    ]
    add_fieldsets = [
        ("会议", {"fields": ["meeting_type", "title", "body", "chair"]}),
        ("时间地点", {"fields": ["booking", "starts_at", "ends_at", "location"]}),
    ]
    inlines = [AttendanceInline, AgendaItemInline, AttachmentInline]
    change_form_template = "admin/meetings/meeting/change_form.html"
    change_list_template = "admin/meetings/meeting/change_list.html"

    # The list

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            members=Count("attendance"), present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT))
        )

    @admin.display(description="时间", ordering="starts_at")
    def day(self, obj):
        start, end = timezone.localtime(obj.starts_at), timezone.localtime(obj.ends_at)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    @admin.display(description="主持人", ordering="chair__name")
    def chair_name(self, obj):
        return obj.chair.name

    @admin.display(description="到会/应到")
    def attendance_count(self, obj):
        return f"{obj.present}/{obj.members}"

    # Permissions: a cancelled meeting is a record; only a planned one may be deleted.

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.status != MeetingStatus.CANCELLED)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == MeetingStatus.PLANNED)

    def can_record_decisions(self, request, meeting) -> bool:
        return meeting.status != MeetingStatus.CANCELLED and super().has_change_permission(request, meeting)

    def get_inline_instances(self, request, obj=None):
        instances = super().get_inline_instances(request, obj)
        for inline in instances:
            if isinstance(inline, AgendaItemInline):
                inline.can_record = obj is not None and self.can_record_decisions(request, obj)
                if obj is not None:
                    inline.can_supervise = request.user.has_perm("documents.add_supervisionitem")
                    decisions = Decision.objects.filter(agenda_item__meeting=obj).values_list("pk", flat=True)
                    inline.supervised = frozenset(documents_selectors.supervised_origin_ids(Decision, decisions))
        return instances

    def meeting_or_404(self, request, object_id) -> Meeting:
        meeting = self.get_object(request, unquote(str(object_id)))
        if meeting is None or not self.has_view_or_change_permission(request, meeting):
            raise Http404("没有找到该会议。")
        return meeting

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("compliance/", wrap(self.compliance_view), name="meetings_meeting_compliance"),
            path("<int:object_id>/hold/", wrap(self.hold_view), name="meetings_meeting_hold"),
            path("<int:object_id>/agenda/<int:item_id>/decision/", wrap(self.decision_view), name="meetings_meeting_decision"),
            path("<int:object_id>/decision/<int:decision_id>/supervise/", wrap(self.supervise_view), name="meetings_meeting_supervise"),
        ] + super().get_urls()

    def compliance_view(self, request):
        return compliance_view(self, request)

    # 安排会议

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = MeetingScheduleForm(
            request.POST if request.method == "POST" else None,
            user=request.user,
            admin_site=self.admin_site,
            initial=self.get_changeform_initial_data(request),
        )
        if form.is_bound and form.is_valid():
            try:
                meeting = services.meeting_schedule(user=request.user, **form.service_kwargs())
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                self.log_addition(request, meeting, [{"added": {}}])
                day = date_format(timezone.localtime(meeting.starts_at).date(), "Y年n月j日")
                self.message_user(
                    request,
                    f"已安排「{meeting.title}」。出席名单按「{meeting.body}」{day}的成员生成,共{meeting.attendance.count()}人。",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
        context = add_page_context(
            self, request, form, self.add_fieldsets, "安排会议", extra_context,
            type_bodies={str(type_id): body_id for type_id, body_id in form.type_bodies.items()},
        )
        return self.render_change_form(request, context, add=True, form_url=form_url)

    # The meeting page

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, {"title": "会议详情", **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            context["meeting_panel"] = self.meeting_panel(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def meeting_panel(self, request, meeting) -> dict:
        return {
            "meeting": meeting,
            "quorum": selectors.quorum_state(meeting),
            "can_hold": meeting.status == MeetingStatus.PLANNED and super().has_change_permission(request, meeting),
            "hold_url": reverse("admin:meetings_meeting_hold", args=[meeting.pk]),
            "obligations": list(selectors.meeting_obligations(meeting)),
        }

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, AttendanceFormSet):
            formset.save_marks(user=request.user)
        else:
            super().save_formset(request, form, formset, change)

    # 记录为已召开

    def hold_view(self, request, object_id):
        meeting = self.meeting_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not super().has_change_permission(request, meeting):
            raise PermissionDenied
        try:
            services.meeting_hold(meeting=meeting, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, f"未能记录为已召开:{service_message(error)}", messages.ERROR)
        else:
            text = "会议已记录为已召开。"
            obligations = list(selectors.meeting_obligations(meeting))
            if obligations:
                due = date_format(obligations[0].due_date, "Y年n月j日")
                text += f"到会的{len(obligations)}个部门须于{due}前报送书面报告及工作打算。"
            self.message_user(request, text, messages.SUCCESS)
            shortfall = services.quorum_shortfall(meeting)
            if shortfall:
                self.message_user(request, f"注意:{shortfall}本次会议将在合规统计中列为未达法定人数。", messages.WARNING)
        return HttpResponseRedirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))

    # 记录决议

    def decision_view(self, request, object_id, item_id):
        meeting = self.meeting_or_404(request, object_id)
        item = get_object_or_404(meeting.agenda_items.all(), pk=item_id)
        if not self.can_record_decisions(request, meeting):
            raise PermissionDenied
        form = DecisionForm(request.POST if request.method == "POST" else None, meeting_type=meeting.meeting_type)
        if form.is_bound and form.is_valid():
            try:
                decision = services.decision_record(agenda_item=item, user=request.user, **form.service_kwargs())
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                outcome = "通过" if decision.adopted else "未通过"
                why = services.vote_shortfall(meeting, decision.votes_for) if not decision.adopted else None
                self.message_user(
                    request, f"已记录议题「{item}」的决议({outcome})。{why or ''}", messages.SUCCESS if decision.adopted else messages.WARNING
                )
                if "_addanother" in request.POST:
                    return HttpResponseRedirect(request.path)
                return HttpResponseRedirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"记录决议:{item}",
            "label": "记录决议",
            "record": meeting,
            "record_url": reverse("admin:meetings_meeting_change", args=[meeting.pk]),
            "meeting": meeting,
            "item": item,
            "decisions": item.decisions.all(),
            "quorum": selectors.quorum_state(meeting),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/meetings/meeting/decision_form.html", context)

    # 转为督办事项 (documents.services opens the supervision item that points back to the decision)

    def supervise_view(self, request, object_id, decision_id):
        meeting = self.meeting_or_404(request, object_id)
        decision = get_object_or_404(Decision.objects.filter(agenda_item__meeting=meeting), pk=decision_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("documents.add_supervisionitem"):
            raise PermissionDenied
        try:
            item = documents_services.supervision_from_decision(decision=decision, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, f"未能转为督办事项:{service_message(error)}", messages.ERROR)
        else:
            url = reverse("admin:documents_supervisionitem_change", args=[item.pk])
            self.message_user(
                request, format_html('已转为督办事项<a href="{}">「{}」</a>,由{}在{}前办结。', url, item.title, item.department, item.deadline),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
