"""差评工单 in the admin: the list, filtered to what waits for the user (the inbox links here), and the
record's page with the form of the step that is due, posted to the step's service (R1.3, R1.4)."""

import dataclasses

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from staffing import selectors as staffing_selectors
from halls.admin_scoping import HallScopedAdminMixin, hall_filter
from staffing.admin.base import DepartmentScopedAdminMixin, HistoryAdmin
from staffing.admin.service_forms import add_service_error

from .. import forms
from ..models import CENTER_STATUSES, UNIT_STATUSES, BadRatingTicket, TicketStatus
from ..services import tickets as services

RelatedOnly = admin.RelatedOnlyFieldListFilter
T = TicketStatus


class TodoFilter(admin.SimpleListFilter):
    title = "待办"
    parameter_name = "todo"

    def lookups(self, request, model_admin):
        return [
            ("unit", "待承办部门办理"),
            ("center", "待中心审核/复核"),
            ("overdue", "已逾期"),
            ("open", "未办结"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case "unit":
                return queryset.filter(status__in=UNIT_STATUSES)
            case "center":
                return queryset.filter(status__in=CENTER_STATUSES)
            case "overdue":
                return queryset.filter(pk__in=(services.overdue_visits(today) | services.overdue_rectifications(today)).filter(
                    status__in=(T.VISIT, T.RECTIFYING)).values("pk"))
            case "open":
                return queryset.exclude(status__in=(T.CLOSED, T.APPEAL_UPHELD))
        return queryset


@dataclasses.dataclass(frozen=True)
class Step:
    name: str
    label: str
    form: type
    statuses: tuple
    center: bool  # the center acts (else the handling unit)


STEPS = [
    Step("visit", "回访核实", forms.VisitForm, (T.VISIT,), False),
    Step("rectify", "整改完成", forms.RectifyForm, (T.RECTIFYING,), False),
    Step("reply", "答复评价人", forms.ReplyForm, (T.REPLY,), False),
    Step("appeal", "申请申诉复核", forms.AppealForm, UNIT_STATUSES, False),
    Step("review", "中心审核", forms.ReviewForm, (T.REVIEW,), True),
    Step("decide", "申诉复核决定", forms.AppealDecideForm, (T.APPEAL,), True),
]
STEP_BY_NAME = {step.name: step for step in STEPS}


def due_mark(ticket, today):
    due = ticket.due_date()
    if due is None:
        return "—"
    if due < today:
        return format_html('{} <span class="ov-mark overdue">已逾期</span>', f"{due:%Y-%m-%d}")
    return f"{due:%Y-%m-%d}"


@admin.register(BadRatingTicket)
class BadRatingTicketAdmin(HallScopedAdminMixin, DepartmentScopedAdminMixin, HistoryAdmin):
    hall_path = "case__hall"
    list_display = ["case_number", "opened_on", "window_display", "department", "level", "status", "due_display"]
    list_filter = [TodoFilter, "status", "outcome", ("department", RelatedOnly), hall_filter("case__hall")]
    list_select_related = ["case", "window", "department", "rating"]
    search_fields = ["case__number__exact"]
    search_help_text = "办件编号须完整输入。"
    show_full_result_count = False
    actions = None
    fieldsets = [
        ("差评", {"fields": ["case", "rating_display", "rating_content", "department", "window", "status", "opened_on", "visit_due"]}),
        ("回访核实", {"fields": ["visited_on", "visited_by", "visit_method", "findings", "outcome", "rectify_due", "rectified_on", "measures"]}),
        ("答复与审核", {"fields": ["replied_on", "reply_method", "reply", "reviewed_on", "reviewed_by", "review_note"]}),
        ("申诉复核", {"fields": ["appealed_on", "appeal_reason", "appeal_upheld", "appeal_decision"]}),
    ]
    readonly_fields = [field for _, options in fieldsets for field in options["fields"]]
    change_form_template = "admin/ratings/badratingticket/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "差评工单", **(extra_context or {})})

    @admin.display(description="办件编号", ordering="case__number")
    def case_number(self, obj):
        return obj.case.number

    @admin.display(description="窗口", ordering="window__number")
    def window_display(self, obj):
        return f"{obj.window.number}号窗口"

    @admin.display(description="评价等级", ordering="rating__level")
    def level(self, obj):
        return obj.rating.get_level_display()

    @admin.display(description="期限")
    def due_display(self, obj):
        return due_mark(obj, timezone.localdate())

    @admin.display(description="评价")
    def rating_display(self, obj):
        rating = obj.rating
        tags = rating.tag_labels()
        real = "实名" if rating.real_name else "匿名"
        return f"{rating.get_level_display()}({rating.get_channel_display()},{real},{timezone.localtime(rating.rated_at):%Y-%m-%d %H:%M}){'  标签:' + tags if tags else ''}"

    @admin.display(description="评价内容")
    def rating_content(self, obj):
        return obj.rating.content or "—"

    # --- the steps ----------------------------------------------------------------------------

    def steps_for(self, request, ticket) -> list[Step]:
        user = request.user
        found = []
        for step in STEPS:
            if ticket.status not in step.statuses:
                continue
            if step.name == "appeal" and ticket.appealed_on is not None:
                continue
            allowed = services.can_review(user) if step.center else services.can_handle(user, ticket)
            if allowed:
                found.append(step)
        return found

    def get_urls(self):
        view = self.admin_site.admin_view(self.step_view)
        return [path("<path:object_id>/step/<str:step>/", view, name="ratings_badratingticket_step")] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if obj is not None:
            extra["step_forms"] = [
                {"step": step, "form": step.form(), "url": reverse("admin:ratings_badratingticket_step", args=[obj.pk, step.name])}
                for step in self.steps_for(request, obj)
            ]
            extra["transitions"] = list(obj.transitions.select_related("by__staff"))
            extra["waiting_for"] = self.waiting_for(obj)
        return super().change_view(request, object_id, form_url, extra)

    def waiting_for(self, ticket) -> str:
        if ticket.status in UNIT_STATUSES:
            step = "完成整改" if ticket.status == T.RECTIFYING else ticket.get_status_display().removeprefix("待")
            return f"由{ticket.department}{step}"
        if ticket.status == T.REVIEW:
            return "由中心审核"
        if ticket.status == T.APPEAL:
            return "由中心作出申诉复核决定"
        return "无(已办结)"

    def step_view(self, request, object_id, step):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("记录不存在或不在您的权限范围内。")
        change_url = reverse("admin:ratings_badratingticket_change", args=[obj.pk])
        chosen = STEP_BY_NAME.get(step)
        if chosen is None or chosen not in self.steps_for(request, obj):
            self.message_user(request, f"该工单当前为「{obj.get_status_display()}」,您不能办理该环节。", messages.ERROR)
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            form = chosen.form(request.POST)
            if form.is_valid():
                try:
                    done = self.act(request, obj, chosen, form.cleaned_data)
                except (ValidationError, PermissionDenied) as error:
                    add_service_error(form, error)
                else:
                    self.log_change(request, obj, done)
                    self.message_user(request, done, messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
        else:
            form = chosen.form()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{chosen.label}:{obj}",
            "original": obj,
            "record_url": change_url,
            "step_forms": [{"step": chosen, "form": form, "url": request.path}],
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/ratings/badratingticket/step.html", context)

    def act(self, request, ticket, step, data) -> str:
        user = request.user
        number = ticket.case.number
        match step.name:
            case "visit":
                services.ticket_visit(
                    ticket=ticket, user=user, method=data["visit_method"], findings=data["findings"], outcome=data["outcome"],
                    measures=data["measures"], visited_on=data["visited_on"],
                )
                if ticket.status == T.RECTIFYING:
                    return f"已记录回访核实:办件{number}限期整改,请于{ticket.rectify_due:%Y年%-m月%-d日}前完成整改并登记。"
                return f"已记录回访核实({ticket.get_outcome_display()}):下一步请答复评价人。"
            case "rectify":
                services.ticket_rectify(ticket=ticket, user=user, measures=data["measures"], rectified_on=data["rectified_on"])
                return f"已登记办件{number}的整改结果:下一步请答复评价人。"
            case "reply":
                services.ticket_reply(
                    ticket=ticket, user=user, method=data["reply_method"], reply=data["reply"], replied_on=data["replied_on"]
                )
                return f"已登记对评价人的答复:办件{number}的差评工单已提交中心审核。"
            case "appeal":
                services.ticket_appeal(ticket=ticket, user=user, reason=data["appeal_reason"])
                return f"已提出申诉复核:办件{number}的差评工单待中心复核。"
            case "review":
                services.ticket_review(ticket=ticket, user=user, approve=data["approve"], note=data["note"])
                if ticket.status == T.CLOSED:
                    return f"审核通过:办件{number}的差评工单已办结。"
                return f"已退回:办件{number}的差评工单待承办部门重新答复。"
            case "decide":
                services.ticket_appeal_decide(ticket=ticket, user=user, upheld=data["upheld"], decision=data["appeal_decision"])
                if ticket.status == T.APPEAL_UPHELD:
                    return f"申诉成立:办件{number}的该条评价保留在记录中,不再计入统计。"
                return f"申诉不成立:办件{number}的差评工单退回「{ticket.get_status_display()}」继续办理。"
        raise Http404
