"""Admin building blocks that every app uses: history, department scoping, control panels."""

from django.contrib import admin
from django.core.exceptions import BadRequest, FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from .. import roles, selectors
from ..text import control_character_error


class RefuseControlCharactersMixin:
    """No text field may hold a control character (a pasted \x07 breaks Excel exports and prints)."""

    def clean(self):
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str):
                field = self.fields.get(name)
                message = control_character_error(str(field.label if field and field.label else name), value)
                if message:
                    self.add_error(name, message)
        return super().clean()


def refusing_control_characters(form_class):
    if issubclass(form_class, RefuseControlCharactersMixin):
        return form_class
    return type(form_class.__name__, (RefuseControlCharactersMixin, form_class), {"__module__": form_class.__module__})


class HistoryAdmin(SimpleHistoryAdmin):
    """Every admin shows the record's history with the acting user and field changes.

    Reverting to an earlier version is for center admins only, and only on admins that opt in with
    `allow_revert` (settings and reference data): a record with a state machine changes state through
    its services, never by restoring an old row.
    """

    history_list_display = []
    object_history_list_template = "admin/history_object_list.html"
    allow_revert = False

    # The history page reads as the timeline does (issue 16): labels, choice labels, names, 「空」,
    # word-level diffs for long text, 变更原因, and secret titles masked outside their scope.

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        from django.db.models import OuterRef, Subquery

        queryset = super().get_history_queryset(request, history_manager, pk_name, object_id)
        previous = history_manager.model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        previous_id = previous.order_by("-history_id").values("history_id")[:1]
        return queryset.select_related("history_user__staff__department").annotate(previous_id=Subquery(previous_id))

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        from project import history

        rows = list(historical_records)
        if not rows:
            return
        history_model = type(rows[0])
        previous = {p.history_id: p for p in history_model.objects.filter(history_id__in=[r.previous_id for r in rows if r.previous_id])}
        described = history.describe([(self.model, row, previous.get(row.previous_id)) for row in rows])
        from project.secrecy import hidden_titles

        masker = history.Masker(hidden_titles(request))
        for row in rows:
            changes = described[(self.model, row.history_id)]
            for change in changes:
                change.mask(masker) if masker else None
            row.readable_changes = changes
            row.readable_user = history.user_label(row.history_user)
            row.readable_kind = history.KIND_LABELS.get(row.history_type, row.history_type)
            row.readable_reason = masker(row.history_change_reason or "")

    def history_view_title(self, request, obj):
        from project import history
        from project.secrecy import hidden_titles

        return f"变更历史:{history.Masker(hidden_titles(request))(str(obj))}"

    def history_view(self, request, object_id, extra_context=None):
        from django.contrib.admin.utils import unquote
        from django.utils.http import urlencode

        context = dict(extra_context or {})
        from project.views import is_reviewer

        if is_reviewer(request.user):
            query = urlencode({"model": self.model._meta.label, "object": unquote(object_id)})
            context["timeline_url"] = f"{reverse('history_timeline')}?{query}"
        return super().history_view(request, object_id, context)

    def may_revert(self, request) -> bool:
        return self.allow_revert and roles.CENTER_ADMIN in selectors.user_role_names(request.user)

    def revert_disabled(self, request, obj=None):
        return not self.may_revert(request) or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            if not self.may_revert(request):
                raise PermissionDenied("只有中心管理员可以将记录恢复到历史版本。")
            request._revert_version = version_id
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_delete_permission(self, request, obj=None):
        # Evidence is never deleted, not even by a superuser (roles.EVIDENCE_MODELS).
        return not roles.is_evidence(self.model) and super().has_delete_permission(request, obj)

    # Every admin form, inline and list-editable row goes through the control-character check.
    def get_form(self, request, obj=None, change=False, **kwargs):
        return refusing_control_characters(super().get_form(request, obj, change=change, **kwargs))

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            formset.form = refusing_control_characters(formset.form)
            yield formset, inline

    def get_changelist_form(self, request, **kwargs):
        return refusing_control_characters(super().get_changelist_form(request, **kwargs))

    def get_changeform_initial_data(self, request):
        """Values an add page is opened with (?department=3): junk gets a 400 naming the field, not a 500."""
        initial = super().get_changeform_initial_data(request)
        for name, value in initial.items():
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.many_to_many or not field.concrete:
                continue
            try:
                field.to_python(value)
            except (ValidationError, ValueError, OverflowError):
                raise BadRequest(f"「{field.verbose_name}」的值「{value}」无效,无法预填。") from None
        return initial

    def save_model(self, request, obj, form, change):
        version = getattr(request, "_revert_version", None)
        if version is not None:
            obj._change_reason = f"恢复到历史版本 #{version}"
        super().save_model(request, obj, form, change)


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

    allow_revert = True

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
