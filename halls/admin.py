from django.contrib import admin
from staffing.admin.base import HistoryAdmin

from .models import Hall


@admin.register(Hall)
class HallAdmin(HistoryAdmin):
    list_display = ["name", "kind", "department", "head", "phone", "working_hours", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["department", "head"]
from . import admin_inspections  # noqa: E402,F401  (inspections, ranking, township centers)
