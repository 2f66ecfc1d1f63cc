"""招投标项目: the list (with 需要派员监督), the event page with its irregularities and files, and the
page that registers its next step through `services.event_set_status`."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html

from staffing.admin.base import HistoryAdmin
from staffing.admin.files import FileServingAdminMixin, ProtectedFileInlineMixin
from staffing.admin.service_forms import add_service_error

from .. import selectors, services
from . import figures
from ..forms import BiddingEventForm, EventStatusForm
from ..models import BiddingAttachment, BiddingEvent, Irregularity


class SupervisionFilter(admin.SimpleListFilter):
    title = "开标监督"
    parameter_name = "supervision"

    def lookups(self, request, model_admin):
        return [("needed", "需要派员监督(未开标、未指派)"), ("upcoming", "开标日历内")]

    def queryset(self, request, queryset):
        match self.value():
            case "needed":
                return queryset.filter(pk__in=selectors.openings_without_supervisor().values("pk"))
            case "upcoming":
                return queryset.filter(pk__in=selectors.upcoming_openings().values("pk"))
        return queryset


class IrregularityInline(admin.TabularInline):
    model = Irregularity
    extra = 0
    can_delete = False
    fields = ["found_on", "description", "follow_up", "closed_on"]


class AttachmentInline(ProtectedFileInlineMixin, admin.TabularInline):
    model = BiddingAttachment
    extra = 0
    fields = ["title", "file", "uploaded_at"]
    readonly_fields = ["uploaded_at"]
    file_kind = "attachment"


@admin.register(BiddingEvent)
class BiddingEventAdmin(FileServingAdminMixin, HistoryAdmin):
    form = BiddingEventForm
    change_form_template = "admin/bidding/biddingevent/change_form.html"
    list_display = [
        "name", "project_type", "method", "tenderer", "opening_display", "venue", "supervisor_display", "status",
        "irregularity_display",
    ]  # fmt: skip
    list_filter = [SupervisionFilter, "status", "project_type", "method"]
    list_select_related = ["supervisor"]
    search_fields = ["name", "number", "tenderer", "agency"]
    autocomplete_fields = ["supervisor"]
    readonly_fields = ["status", "created_by"]
    fieldsets = [
        ("项目", {"fields": [("name", "number"), ("project_type", "method"), ("tenderer", "agency"), "budget"]}),
        ("关键日期与地点", {"fields": [("announced_on", "opening_on", "opening_time"), ("evaluated_on", "awarded_on"), "venue"]}),
        ("现场监督", {"fields": ["supervisor", "status", "winner", "note", "created_by"]}),
    ]
    inlines = [IrregularityInline, AttachmentInline]
    protected_files = {"attachment": ("attachments", "file")}
    show_full_result_count = False
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            open_irregularities=Count("irregularities", filter=Q(irregularities__closed_on__isnull=True)),
            all_irregularities=Count("irregularities"),
        )

    def save_model(self, request, obj, form, change):
        # The form has passed the model's clean(); the service saves with the acting user.
        services.event_save(event=obj, user=request.user)

    @admin.display(description="开标时间", ordering="opening_on")
    def opening_display(self, obj):
        day = date_format(obj.opening_on, "Y-m-d")
        return f"{day} {obj.opening_time:%H:%M}" if obj.opening_time else day

    @admin.display(description="现场监督人员", ordering="supervisor__name")
    def supervisor_display(self, obj):
        if obj.supervisor_id:
            return obj.supervisor.name
        if obj.is_finished:
            return "—"
        return format_html('<strong style="color:#ba2121">{}</strong>', "需要派员监督")

    @admin.display(description="发现问题")
    def irregularity_display(self, obj):
        if not obj.all_irregularities:
            return "无"
        return f"{obj.all_irregularities} 个(未办结 {obj.open_irregularities} 个)"

    # --- 登记进展 ----------------------------------------------------------------------------------

    def get_urls(self):
        site = self.admin_site
        return [
            path("openings/", site.admin_view(lambda request: figures.openings_view(self, request)), name="bidding_biddingevent_openings"),
            path("statistics/", site.admin_view(lambda request: figures.statistics_view(self, request)), name="bidding_biddingevent_statistics"),
            path("<path:object_id>/status/", site.admin_view(self.status_view), name="bidding_biddingevent_status"),
        ] + super().get_urls()

    def can_set_status(self, request, obj) -> bool:
        return bool(services.TRANSITIONS[obj.status]) and request.user.has_perm("bidding.supervise_biddingevent")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.can_set_status(request, obj):
            extra_context = {**(extra_context or {}), "status_url": reverse("admin:bidding_biddingevent_status", args=[obj.pk])}
        return super().change_view(request, object_id, form_url, extra_context)

    def status_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("记录不存在或不在您的权限范围内。")
        if not request.user.has_perm("bidding.supervise_biddingevent"):
            raise PermissionDenied
        change_url = reverse("admin:bidding_biddingevent_change", args=[obj.pk])
        if not services.TRANSITIONS[obj.status]:
            self.message_user(request, f"该项目已{obj.get_status_display()},无需再登记进展。", messages.ERROR)
            return HttpResponseRedirect(change_url)
        form = EventStatusForm(request.POST or None, event=obj)
        if request.method == "POST" and form.is_valid():
            try:
                event = services.event_set_status(event=obj, user=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, error)
            else:
                self.message_user(request, f"已登记为“{event.get_status_display()}”。", messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"登记进展:{obj.name}",
            "label": "登记进展",
            "form": form,
            "media": self.media + form.media,
            "record": obj,
            "record_url": change_url,
        }
        return TemplateResponse(request, "admin/bidding/biddingevent/status.html", context)
