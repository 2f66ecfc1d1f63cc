"""去向牌 (S1.10-b, S1.9-c, S5.4): entering 开会 / 外出 / 出差 and the return, the board of the whole office
(工作人员管理一览表), and the printable away notice (去向告知牌) of an unattended window."""

import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import WhereaboutsForm
from ..models import CenterSettings, Whereabouts, WhereaboutsStatus
from .service_forms import ServiceAddMixin, service_message
from .base import DepartmentScopedAdminMixin, HistoryAdmin
from .requests import request_staff

RelatedOnly = admin.RelatedOnlyFieldListFilter

STATUS_CSS = {
    WhereaboutsStatus.PRESENT: "present",
    WhereaboutsStatus.MEETING: "meeting",
    WhereaboutsStatus.OUT: "out",
    WhereaboutsStatus.TRIP: "trip",
    WhereaboutsStatus.LEAVE: "leave",
}


def until_text(moment: datetime.datetime) -> str:
    """"11月27日 18:00", or "今天 18:00"."""
    local = timezone.localtime(moment)
    day = "今天" if local.date() == timezone.localdate() else date_format(local.date(), "n月j日")
    return f"{day} {local:%H:%M}"


def acting_description(post, away: set[int], entries: dict) -> str:
    """Who holds the post now and why: A at the post, or the acting B while A is away until when."""
    holder = services.acting_holder(post, away=away)
    if holder is not None and holder.pk == post.a_holder_id:
        return f"{holder.name}(A岗)在岗"
    entry = entries.get(post.a_holder_id)
    why = f"{post.a_holder.name}{entry.get_status_display()}至{until_text(entry.returns_at)}" if entry else f"{post.a_holder.name}不在岗"
    if holder is None:
        return f"无人在岗:{why},B岗责任人也不在岗"
    return f"{holder.name}(B岗顶岗):{why}"


class CurrentFilter(admin.SimpleListFilter):
    title = "当前"
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("away", "在外(未返回)"), ("planned", "尚未开始"), ("done", "已结束")]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "away":
                return queryset.filter(pk__in=services.presence.away_entries(now).values("pk"))
            case "planned":
                return queryset.filter(starts_at__gt=now, ended_at__isnull=True)
            case "done":
                return queryset.exclude(starts_at__gt=now, ended_at__isnull=True).exclude(
                    pk__in=services.presence.away_entries(now).values("pk")
                )
        return queryset


@admin.register(Whereabouts)
class WhereaboutsAdmin(ServiceAddMixin, DepartmentScopedAdminMixin, HistoryAdmin):
    department_path = "staff__department"
    form = WhereaboutsForm
    list_display = [
        "staff_name", "department", "status", "reason", "destination", "contact", "starts_at", "returns_at", "state",
    ]  # fmt: skip
    list_select_related = ["staff__department"]
    list_filter = [CurrentFilter, "status", ("staff__department", RelatedOnly)]
    search_fields = ["staff__name", "=staff__badge_no", "reason", "destination"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["staff"]
    show_full_result_count = False
    actions = None
    change_list_template = "admin/staffing/whereabouts/change_list.html"
    change_form_template = "admin/staffing/whereabouts/change_form.html"

    @admin.display(description="姓名", ordering="staff__name")
    def staff_name(self, obj):
        return obj.staff.name

    @admin.display(description="部门", ordering="staff__department__name")
    def department(self, obj):
        return obj.staff.department.name

    @admin.display(description="情况")
    def state(self, obj):
        now = timezone.now()
        if obj.ended_at is not None and obj.ended_at <= now:
            return f"已返回({until_text(obj.ended_at)})"
        if obj.starts_at > now:
            return "尚未开始"
        if obj.returns_at <= now:
            return "已到期"
        return "在外"

    # Who may enter what: the office for anyone, everyone else for themselves (services decide).

    def records_for_others(self, request) -> bool:
        return services.whereabouts_keeps_board(request.user) and request.user.has_perm("staffing.add_whereabouts")

    def has_add_permission(self, request):
        if not super().has_add_permission(request):
            return False
        return request_staff(request) is not None or self.records_for_others(request)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        return obj.leave_id is None and obj.ended_at is None and services.whereabouts_may_record_for(request.user, obj.staff)

    def get_fields(self, request, obj=None):
        fields = list(WhereaboutsForm.Meta.fields)
        if obj is not None or not self.records_for_others(request):
            fields.remove("staff")
        if obj is not None:
            fields = ["staff", *fields, "ended_at", "leave"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return ["staff", "status", "ended_at", "leave"] if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.acting_staff = request_staff(request)
        return form

    def add_title(self, request):
        return "登记去向(开会、外出、出差)"

    def add_through_service(self, request, form):
        data = dict(form.cleaned_data)
        staff = data.pop("staff", None) or request_staff(request)
        return services.whereabouts_record(user=request.user, staff=staff, **data)

    def save_model(self, request, obj, form, change):
        # Only the change page gets here (the add page is saved by the service above).
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        services.whereabouts_update(entry=obj, user=request.user, **changes)

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            f"已登记{obj.staff.name}{obj.get_status_display()}({obj.reason}),预计{until_text(obj.returns_at)}返回。",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:staffing_whereabouts_board"))

    # Extra pages

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("board/", wrap(self.board_view), name="staffing_whereabouts_board"),
            path("board/window/<int:window_id>/notice/", wrap(self.notice_view), name="staffing_whereabouts_notice"),
            path("<path:object_id>/return/", wrap(require_POST(self.return_view)), name="staffing_whereabouts_return"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"board_url": reverse("admin:staffing_whereabouts_board"), **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if obj is not None and self.may_mark_return(request, obj):
            extra_context["return_url"] = reverse("admin:staffing_whereabouts_return", args=[obj.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def may_mark_return(self, request, obj) -> bool:
        return (
            obj.ended_at is None
            and obj.returns_at > timezone.now()
            and request.user.has_perm("staffing.change_whereabouts")
            and services.whereabouts_may_record_for(request.user, obj.staff)
        )

    def return_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not request.user.has_perm("staffing.change_whereabouts"):
            raise PermissionDenied
        try:
            services.whereabouts_end(entry=obj, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, service_message(error), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:staffing_whereabouts_change", args=[obj.pk]))
        self.log_change(request, obj, "已返回")
        self.message_user(request, f"已登记{obj.staff.name}返回,去向牌恢复为在岗。", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:staffing_whereabouts_board"))

    def board_view(self, request):
        """工作人员管理一览表: the whole office, whatever department the viewer is in (it hangs in the hall)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        board = selectors.whereabouts_board()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "工作人员管理一览表",
            "board": board,
            "now": timezone.localtime(),
            "total": sum(department["total"] for department in board),
            "away": sum(department["away"] for department in board),
            "statuses": [(status.label, STATUS_CSS[status]) for status in WhereaboutsStatus],
            "add_url": reverse("admin:staffing_whereabouts_add") if self.has_add_permission(request) else "",
            "may_end_for_others": self.records_for_others(request) and request.user.has_perm("staffing.change_whereabouts"),
            "own_staff_id": getattr(request_staff(request), "pk", None),
        }
        return TemplateResponse(request, "admin/staffing/whereabouts/board.html", context)

    def notice_view(self, request, window_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        group = selectors.board_window(selectors.whereabouts_board(), window_id)
        if group is None:
            raise Http404("没有找到该窗口,或该窗口没有工作人员。")
        if not group["all_away"]:
            self.message_user(request, f"{group['window'].number}号窗口有工作人员在岗,无需张贴去向告知牌。", messages.INFO)
            return HttpResponseRedirect(reverse("admin:staffing_whereabouts_board"))
        context = {
            **self.admin_site.each_context(request),
            "title": f"{group['window'].number}号窗口 去向告知牌",
            "center": CenterSettings.load(),
            "window": group["window"],
            "rows": group["rows"],
            "neighbour": group["neighbour"],
            "printed_at": timezone.localtime(),
        }
        return TemplateResponse(request, "staffing/print/away_notice.html", context)
