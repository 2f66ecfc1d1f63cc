"""Casework settings (办件设置) and the wording of the four notices (文书模板)."""

from django.contrib import admin

from staffing.admin.base import HistoryAdmin, register_control_panel

from ..consultation_forms import NoticeTemplateForm
from ..models import CaseworkSettings, NoticeKind, NoticeTemplate

register_control_panel(CaseworkSettings)


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(HistoryAdmin):
    """One template per kind of notice; issued notices keep the text they were issued with."""

    form = NoticeTemplateForm
    list_display = ["kind", "title", "number_prefix"]
    fields = ["kind", "title", "number_prefix", "body"]

    def get_readonly_fields(self, request, obj=None):
        return ["kind"] if obj is not None else []

    def has_add_permission(self, request):
        # Only a kind without a template may be added (the four come with the installation).
        if not super().has_add_permission(request):
            return False
        # The sidebar of every admin page asks too; the four templates come with the installation and
        # cannot be deleted, so only the templates' own pages count them (a query saved on every page).
        match = getattr(request, "resolver_match", None)
        if match is None or not (match.url_name or "").startswith("casework_noticetemplate_"):
            return False
        if not hasattr(request, "_notice_kinds_missing"):
            request._notice_kinds_missing = NoticeTemplate.objects.count() < len(NoticeKind.choices)
        return request._notice_kinds_missing

    def has_delete_permission(self, request, obj=None):
        return False
