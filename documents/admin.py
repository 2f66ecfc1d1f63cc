from django.contrib import admin

from staffing.admin.base import DepartmentScopedAdminMixin, HistoryAdmin

from .models import ReportObligation


@admin.register(ReportObligation)
class ReportObligationAdmin(DepartmentScopedAdminMixin, HistoryAdmin):
    list_display = ["title", "department", "due_date", "submitted_on"]
    list_filter = ["department"]
    list_select_related = ["department"]
    search_fields = ["title"]
    readonly_fields = ["source_type", "source_id"]
