"""评价 in the admin: the list (read-only: ratings arrive from the pad, the province's system and the
office), the figures page, the printable monthly notice, and the province import (upload → preview →
confirm, as the catalog import)."""

import datetime
import uuid

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from casework.statistics import add_months
from staffing import background, spreadsheet
from staffing import selectors as staffing_selectors
from staffing.models import JobKind
from halls.admin_scoping import HallScopedAdminMixin, hall_filter
from halls.selectors import halls_of
from staffing.admin.base import DepartmentScopedAdminMixin, HistoryAdmin
from staffing.admin.service_forms import add_service_error

from .. import forms, selectors
from ..models import BAD_LEVELS, GOOD_LEVELS, BadRatingTicket, Rating, TicketStatus
from ..services import importing
from ..services.ratings import rating_record
from ..tasks import ratings_import_task

RelatedOnly = admin.RelatedOnlyFieldListFilter
UPLOAD_DIR = "tmp/rating-imports"
SESSION_KEY = "rating_imports"
PREVIEW_LIMIT = 200
BY_CHOICES = [(key, label) for key, (_r, _c, label) in selectors.GROUPINGS.items()]


class GoodBadFilter(admin.SimpleListFilter):
    title = "好评/差评"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("good", "好评"), ("bad", "差评")]

    def queryset(self, request, queryset):
        match self.value():
            case "good":
                return queryset.filter(level__in=GOOD_LEVELS)
            case "bad":
                return queryset.filter(level__in=BAD_LEVELS)
        return queryset


def parse_month(value: str | None, default: datetime.date) -> datetime.date | None:
    if not value:
        return default.replace(day=1)
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return None


def month_choices(today: datetime.date, count: int = 13):
    return [add_months(today, -n) for n in range(count)]


@admin.register(Rating)
class RatingAdmin(HallScopedAdminMixin, DepartmentScopedAdminMixin, HistoryAdmin):
    hall_path = "case__hall"  # where the case was received, even if its window moved since
    list_display = [
        "case_number", "rated_at", "item_name", "window_display", "staff", "channel", "level", "tags_display", "real_name",
        "excluded",
    ]  # fmt: skip
    list_filter = [GoodBadFilter, "level", "channel", "real_name", "excluded", ("window", RelatedOnly), hall_filter("case__hall")]
    list_select_related = ["case__item", "window", "staff"]
    search_fields = ["case__number__exact"]
    search_help_text = "办件编号须完整输入。"
    show_full_result_count = False
    actions = None
    fields = [
        "case", "channel", "level", "tags_display", "content", "real_name", "rated_at", "department", "window", "staff",
        "excluded", "recorded_by",
    ]  # fmt: skip
    readonly_fields = fields
    change_list_template = "admin/ratings/rating/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="办件编号", ordering="case__number")
    def case_number(self, obj):
        return obj.case.number

    @admin.display(description="事项")
    def item_name(self, obj):
        return obj.case.item.name

    @admin.display(description="窗口", ordering="window__number")
    def window_display(self, obj):
        return f"{obj.window.number}号窗口"

    @admin.display(description="评价标签")
    def tags_display(self, obj):
        return obj.tag_labels() or "—"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("figures/", view(self.figures_view), name="ratings_rating_figures"),
            path("notice/", view(self.notice_view), name="ratings_rating_notice"),
            path("record/", view(self.record_view), name="ratings_rating_record"),
            path("import/", view(self.import_view), name="ratings_rating_import"),
            path("import/confirm/", view(self.confirm_view), name="ratings_rating_import_confirm"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "评价", **(extra_context or {})}
        if self.has_view_permission(request):
            extra_context["figures_url"] = reverse("admin:ratings_rating_figures")
            extra_context["notice_url"] = reverse("admin:ratings_rating_notice")
        if request.user.has_perm("ratings.import_rating"):
            extra_context["import_url"] = reverse("admin:ratings_rating_import")
        if request.user.has_perm("ratings.add_rating"):
            extra_context["record_url"] = reverse("admin:ratings_rating_record")
        return super().changelist_view(request, extra_context)

    def _context(self, request, title, **context):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **context}

    def _department_ids(self, request):
        if staffing_selectors.user_sees_all_departments(request.user):
            return None
        return staffing_selectors.user_department_ids(request.user)

    # --- figures (R1.5) ---------------------------------------------------------------------------

    def figures_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        by = request.GET.get("by", "window")
        month = parse_month(request.GET.get("month"), today)
        errors = []
        if by not in selectors.GROUPINGS:
            errors.append(f"统计口径「{by}」无效,已按窗口统计。")
            by = "window"
        if month is None:
            errors.append(f"月份「{request.GET.get('month')}」无效,应写作 2026-11;已显示本月。")
            month = today.replace(day=1)
        error = "".join(errors)
        start, end = selectors.month_range(month)
        if by == "month":
            start = add_months(month, -11)
        rows = selectors.rating_figures(
            start, end, by=by, department_ids=self._department_ids(request), hall_ids=halls_of(request.user)
        )
        ranking = selectors.window_ranking(month)
        context = self._context(
            request,
            "好差评统计",
            rows=rows,
            total=selectors.totals(rows),
            by=by,
            by_label=selectors.GROUPINGS[by][2],
            by_choices=BY_CHOICES,
            month=month,
            months=month_choices(today),
            start=start,
            end=end,
            ranking=ranking,
            error=error,
            notice_url=reverse("admin:ratings_rating_notice") + f"?month={month:%Y-%m}",
        )
        return TemplateResponse(request, "admin/ratings/rating/figures.html", context)

    # --- the public notice (R1.5) -----------------------------------------------------------------

    def notice_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        month = parse_month(request.GET.get("month"), today) or today.replace(day=1)
        start, end = selectors.month_range(month)
        rows = selectors.rating_figures(start, end, by="window")
        windows = {row["key"]: row for row in rows}
        ranking = selectors.window_ranking(month)
        for row in ranking["ranking"]:
            row["figures"] = windows.get(row["key"])
        bad = (
            BadRatingTicket.objects.filter(rating__rated_on__range=(start, end))
            .exclude(status=TicketStatus.APPEAL_UPHELD)
            .select_related("case__item", "window", "rating")
            .order_by("rating__rated_at")
        )
        from staffing.models import CenterSettings

        context = {
            "center": CenterSettings.load(),
            "month": month,
            "total": selectors.totals(rows),
            "ranking": ranking,
            "tickets": list(bad[:200]),
            "printed_on": today,
        }
        return TemplateResponse(request, "ratings/notice.html", context)

    # --- a rating taken by the office (电话回访, 短信, 二维码) ---------------------------------------

    def record_view(self, request):
        if not request.user.has_perm("ratings.add_rating"):
            raise PermissionDenied
        form = forms.RatingRecordForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                rating = rating_record(
                    case=form.case, channel=data["channel"], level=data["level"], user=request.user, content=data["content"],
                    tags=data["tags"], real_name=data["real_name"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                follow = ",已开立差评工单,待承办部门回访核实" if rating.is_bad else ""
                self.message_user(
                    request, f"已登记办件{rating.case.number}的{rating.get_channel_display()}评价「{rating.get_level_display()}」{follow}。",
                    messages.SUCCESS,
                )
                return redirect("admin:ratings_rating_changelist")
        context = self._context(request, "登记评价", form=form, media=self.media + form.media)
        return TemplateResponse(request, "admin/ratings/rating/record.html", context)

    # --- the province import (R1.6) ---------------------------------------------------------------

    def _may_import(self, request):
        return request.user.has_perm("ratings.import_rating")

    def import_view(self, request):
        if not self._may_import(request):
            raise PermissionDenied
        upload = request.FILES.get("workbook") if request.method == "POST" else None
        if upload is None:
            error = "请选择要导入的 Excel 工作簿(.xlsx)。" if request.method == "POST" else ""
            return TemplateResponse(request, "admin/ratings/rating/import.html", self._context(request, "导入省平台评价数据", error=error, columns=importing.COLUMNS))
        try:
            spreadsheet.check_upload_size(upload)
        except ValidationError as error:
            return TemplateResponse(
                request, "admin/ratings/rating/import.html",
                self._context(request, "导入省平台评价数据", error=error.messages[0], columns=importing.COLUMNS),
            )
        token = uuid.uuid4().hex
        stored = default_storage.save(f"{UPLOAD_DIR}/{token}.xlsx", upload)
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {"path": stored, "file_name": upload.name}
        request.session[SESSION_KEY] = pending
        with default_storage.open(stored, "rb") as source:
            plan = importing.ratings_plan(source, file_name=upload.name)
        if not plan.ok:
            self._forget(request, token)
            token = ""
        else:  # its size decides, at 确认导入, whether the import runs in the background
            pending[token]["rows"] = plan.rows_read
            request.session[SESSION_KEY] = pending
        return self._preview(request, plan, token)

    def _preview(self, request, plan, token):
        context = self._context(
            request,
            "导入省平台评价数据:预览" if plan.ok else "导入省平台评价数据:有错误,未导入",
            plan=plan,
            token=token,
            new_rows=plan.new[:PREVIEW_LIMIT],
            new_more=max(0, len(plan.new) - PREVIEW_LIMIT),
            import_url=reverse("admin:ratings_rating_import"),
        )
        return TemplateResponse(request, "admin/ratings/rating/import_preview.html", context)

    def confirm_view(self, request):
        if not self._may_import(request):
            raise PermissionDenied
        token = request.POST.get("token", "") if request.method == "POST" else ""
        pending = request.session.get(SESSION_KEY, {}).get(token)
        if pending is None or not default_storage.exists(pending["path"]):
            self._forget(request, token)
            self.message_user(request, "导入已失效或已完成,请重新上传工作簿。", messages.WARNING)
            return redirect("admin:ratings_rating_import")
        if background.runs_in_background("import", pending.get("rows", 0)):
            return self._confirm_in_background(request, token, pending)
        with default_storage.open(pending["path"], "rb") as source:
            plan = importing.ratings_import(source, file_name=pending["file_name"], user=request.user)
        self._forget(request, token)
        if not plan.ok:
            return self._preview(request, plan, token="")
        self.message_user(request, f"已导入「{plan.file_name}」:{plan.summary}。差评工单已进入承办部门的待办。", messages.SUCCESS)
        return redirect("admin:ratings_rating_changelist")

    def _confirm_in_background(self, request, token, pending):
        """A large workbook: the worker checks and imports it; the page returns at once to its progress."""
        job = background.job_create(
            kind=JobKind.RATINGS_IMPORT, user=request.user, file_name=pending["file_name"], total=pending["rows"],
            params={"path": pending["path"]},
        )
        self._forget(request, token, keep_file=True)  # the task reads it, then deletes it
        background.job_enqueue(job, ratings_import_task)
        return redirect("admin:staffing_backgroundjob_progress", job.pk)

    def _forget(self, request, token, keep_file=False):
        pending = request.session.get(SESSION_KEY, {})
        entry = pending.pop(token, None)
        request.session[SESSION_KEY] = pending
        if entry and not keep_file:
            default_storage.delete(entry["path"])
