"""Admin building blocks that every app uses: history, department scoping, control panels."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from .. import selectors


class HistoryAdmin(SimpleHistoryAdmin):
    """Every admin shows the record's history with the acting user and field changes."""

    history_list_display = ["history_change_reason"]


class DepartmentScopedAdminMixin:
    """Staff see and change only their own department's rows (the path to the department is configurable)."""

    department_path = "department"

    def get_queryset(self, request):
        return selectors.scope_to_department(super().get_queryset(request), request.user, self.department_path)

    def _require_in_scope(self, request, object_id):
        # simple-history's pages fall back to the stored record when the scoped queryset hides the row.
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404("记录不存在或不在您的权限范围内。")

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ControlPanelAdmin(HistoryAdmin):
    """A singleton: the list opens the one row; nobody adds or deletes it."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        panel = self.model.load()
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[panel.pk]))


def register_control_panel(model):
    admin.site.register(model, ControlPanelAdmin)
