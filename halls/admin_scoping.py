"""Hall scoping and the 服务场所 filter for the admins of hall work (cases, ratings, tickets, complaints)."""

from django.contrib import admin

from . import selectors


class HallScopedAdminMixin:
    """Staff of a hall see only their hall's rows (inside their department scope); center roles see all.
    Put it before DepartmentScopedAdminMixin."""

    hall_path = "hall"

    def get_queryset(self, request):
        return selectors.scope_to_hall(super().get_queryset(request), request.user, self.hall_path)


def hall_filter(path: str = "hall"):
    """A 服务场所 list filter over `path`, listing the halls the user sees, shown when they see several."""

    class HallFilter(admin.SimpleListFilter):
        title = "服务场所"
        parameter_name = "hall"

        def lookups(self, request, model_admin):
            choices = selectors.filter_hall_choices(request.user)
            return [(str(pk), name) for pk, name in choices] if len(choices) > 1 else []

        def queryset(self, request, queryset):
            if self.value() and self.value().isdigit():
                return queryset.filter(**{path: int(self.value())})
            return queryset

    return HallFilter


HallFilter = hall_filter()
