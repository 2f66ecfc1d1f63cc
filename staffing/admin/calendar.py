import datetime

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from import_export.admin import ImportExportMixin

from .. import selectors, services
from ..models import CalendarDay, DayKind
from ..resources import CalendarDayResource
from .base import HistoryAdmin
from .imports import ExcelImportMixin


class YearFilter(admin.SimpleListFilter):
    title = "年份"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = sorted({d.year for d in CalendarDay.objects.dates("date", "year")}, reverse=True)
        return [(str(year), f"{year}年") for year in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(ExcelImportMixin, ImportExportMixin, HistoryAdmin):
    resource_classes = [CalendarDayResource]
    import_rows_kind = "calendar"
    allow_revert = True
    list_display = ["date", "weekday", "kind", "name", "note"]
    list_filter = [YearFilter, "kind"]
    search_fields = ["name", "note"]
    ordering = ["-date"]
    change_list_template = "admin/staffing/calendarday/change_list.html"

    @admin.display(description="星期")
    def weekday(self, obj):
        return "一二三四五六日"[obj.date.weekday()].join(["星期", ""])

    def save_model(self, request, obj, form, change):
        if getattr(request, "_revert_version", None) is not None:
            obj._change_reason = f"恢复到历史版本 #{request._revert_version}"
        services.calendar_day_save(day=obj, user=request.user)

    def delete_model(self, request, obj):
        services.calendar_day_delete(day=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for day in queryset:
            services.calendar_day_delete(day=day, user=request.user)

    def get_urls(self):
        return [
            path("year/", self.admin_site.admin_view(self.year_view), name="staffing_calendarday_year_current"),
            path("year/<int:year>/", self.admin_site.admin_view(self.year_view), name="staffing_calendarday_year"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "year_view_url": reverse("admin:staffing_calendarday_year_current")}
        return super().changelist_view(request, extra_context=extra_context)

    def year_view(self, request, year=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        year = year or timezone.localdate().year
        if not datetime.MINYEAR < year < datetime.MAXYEAR:
            raise PermissionDenied
        missing = selectors.calendar_missing_holidays([year]).get(year, [])
        can_add = self.has_add_permission(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{year}年工作日历",
            "year": year,
            "months": selectors.year_grid(year),
            "missing": missing,
            "warning": selectors.calendar_warning(year, missing) if missing else "",
            "summary": selectors.year_summary(year),
            "kinds": DayKind,
            "can_add": can_add,
            "can_change": self.has_change_permission(request),
            "add_url": f"{reverse('admin:staffing_calendarday_add')}?date={year}-01-01&kind={DayKind.HOLIDAY}",
            "import_url": reverse("admin:staffing_calendarday_import") if can_add else "",
        }
        return TemplateResponse(request, "admin/staffing/calendarday/year.html", context)
