"""Admin building blocks that every app uses: history, department scoping, control panels."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
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
