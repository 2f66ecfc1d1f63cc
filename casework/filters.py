"""List filters of the case list. Each one is an indexed query from casework.selectors."""

from django.contrib import admin

from . import selectors


def request_due_window(request) -> selectors.DueWindow:
    """The day and the "due soon" boundary, computed once per request for every filter and column."""
    window = getattr(request, "_casework_due_window", None)
    if window is None:
        window = request._casework_due_window = selectors.due_window()
    return window


class DeadlineFilter(admin.SimpleListFilter):
    title = "时限预警"
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "逾期"),
            ("due_soon", "即将到期"),
            ("deemed", "视为受理待处理"),
            ("same_day", "即办件未当日办结"),
            ("stopped", "停止计时中"),
        ]

    def queryset(self, request, queryset):
        window = request_due_window(request)
        match self.value():
            case "overdue":
                return selectors.cases_overdue(queryset, window.today)
            case "due_soon":
                return selectors.cases_due_soon(queryset, window)
            case "deemed":
                return selectors.cases_deemed_acceptance_pending(queryset, window.today)
            case "same_day":
                return selectors.cases_same_day_missed(queryset, window.today)
            case "stopped":
                return selectors.cases_clock_stopped(queryset)
        return queryset


class DepartmentFilter(admin.SimpleListFilter):
    """The departments the user sees; hidden for those who see only one."""

    title = "实施部门"
    parameter_name = "department"

    def lookups(self, request, model_admin):
        departments = list(selectors.case_departments(request.user).values_list("pk", "name"))
        return [(str(pk), name) for pk, name in departments] if len(departments) > 1 else []

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(department_id=int(self.value()))
        return queryset
