from django.contrib import admin
from django.db.models import Count

from staffing.admin.base import HistoryAdmin
from staffing.models import Window

from .models import Hall


class WindowInline(admin.TabularInline):
    """The hall's windows, read here; a window is moved to another hall on its own page."""

    model = Window
    fields = ["number", "name", "department", "is_active"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "本场所的窗口"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Hall)
class HallAdmin(HistoryAdmin):
    list_display = ["name", "kind", "department", "head_name", "window_count", "phone", "uses_system", "is_active"]
    empty_value_display = "—"
    list_filter = ["kind", "is_active"]
    list_select_related = ["department", "head"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["department", "head"]
    inlines = [WindowInline]
    fieldsets = [
        (None, {"fields": ["name", "kind", "department", "head", "is_active"]}),
        ("地址与时间", {"fields": ["address", "phone", "working_hours"]}),
        ("办件", {"fields": ["uses_system", "sort_order"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(window_total=Count("windows"))

    @admin.display(description="负责人", ordering="head__name")
    def head_name(self, obj):
        return obj.head.name if obj.head else "—"

    @admin.display(description="窗口数", ordering="window_total")
    def window_count(self, obj):
        return obj.window_total


from . import admin_inspections  # noqa: E402,F401  (inspections, ranking, township centers)
